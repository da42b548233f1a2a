"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.links import Link as Link
from mljournal.core.entries.links import LinkResolver as LinkResolver
from mljournal.core.entries.links import ResolvedLinks as ResolvedLinks
from mljournal.core.entries.links import entry_keys as entry_keys
from mljournal.core.entries.links import link_keys as link_keys
from mljournal.core.entries.links import linked_path as linked_path
from mljournal.core.entries.links import markdown_link as markdown_link
from mljournal.core.entries.links import read_links as read_links
from mljournal.core.entries.links import resolve_links as resolve_links
from mljournal.core.entries.links import wikilinks_as_markdown as wikilinks_as_markdown
