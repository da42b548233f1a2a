"""Markdown structure, read with markdown-it-py: the shared parser, wikilinks, and math for the terminal.

Every reader of Markdown structure (link extraction, the viewer's math, the export) goes through the one parser
built in `parser.py`, so they agree on what is code, what is a link and what is math.
"""
