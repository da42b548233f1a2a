"""Plain-text jobs with no I/O: slugs, tags, terminal-safe text, CJK, mojibake and Markdown."""
