"""Entries: reading a file into an `Entry`, and every write to entry files (create, save, tags, topics, trash).

The modules by job: `fields` (which keys hold what), `read` (file to `Entry`), `tag_rules` (when tags can be
edited), `tagging` (tag and topic edits), `store` (versions, conflicts, saves), `new` (new entries), `trash`,
`templates` (named entry templates), `capture` (`mljournal add`), `importer`, `links` (links between entries)
and `edit_risks` (what a whole-file edit would lose).

This file imports nothing: import from the modules, so that loading one of them (at start-up, say) does not
load them all."""
