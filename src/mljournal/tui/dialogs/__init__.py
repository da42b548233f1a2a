"""Modal dialogs: small questions with typed answers (choices, quit, lossy save, delete, a line of text, links,
a roadmap resource). Push one and get its answer in a callback; none of them knows the screen that asked.

This file imports nothing: import from the modules, so that loading one of them (at start-up, say) does not
load them all."""
