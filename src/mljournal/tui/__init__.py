"""The Textual terminal UI. Import `mljournal.tui.app` lazily: the CLI must not load Textual otherwise."""
