"""Note taking: the screens that write an entry (the built-in editor, the `$EDITOR` round trip, the new-entry
form, the tag editor and the topic picker). Each one writes the file, refreshes the index and hands back an
`EntryWritten` (or None when nothing was written).

This file imports nothing: import from the modules, so that loading one of them (at start-up, say) does not
load them all."""
