"""Links between entries as the index holds them, resolved when asked: outgoing, backlinks, broken ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mljournal.core.index.connection import IndexConnection

if TYPE_CHECKING:
    from mljournal.core.entries.links import Link, LinkResolver, ResolvedLinks


class IndexLinks(IndexConnection):
    """Questions about links between entries, answered against the entries indexed now."""

    def link_resolver(self, links: Iterable[tuple[str, Link]] | None = None) -> LinkResolver:
        """A resolver over the entries as indexed now: all of them, or those `links` may resolve to.

        `links` are (linking entry's path, link) pairs. Resolution only ever picks an entry sharing a key with
        the link (`link_keys`), so a resolver over those few answers these links exactly as one over every
        entry would; that one costs about 40 ms to build at 10,000 entries, too much for each entry shown.
        """
        from mljournal.core.entries.links import LinkResolver, link_keys

        if links is None:
            return LinkResolver(self.conn.execute("SELECT path, title FROM entries"))
        keys = list(dict.fromkeys(key for source, link in links for key in link_keys(source, link)))
        rows: list[tuple[str, str]] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows.extend(
                self.conn.execute(
                    "SELECT path, title FROM entries WHERE id IN"
                    f" (SELECT entry_id FROM entry_keys WHERE key IN ({','.join('?' * len(chunk))}))",
                    chunk,
                )
            )
        return LinkResolver(rows)

    def _stored_links(self, where: str, values: Sequence[Any]) -> list[tuple[str, Link]]:
        from mljournal.core.entries.links import Link

        return [
            (path, Link(kind, target, text, heading, line))
            for path, kind, target, heading, text, line in self.conn.execute(
                "SELECT e.path, l.kind, l.target, l.heading, l.text, l.line FROM entry_links l"
                f" JOIN entries e ON e.id = l.entry_id WHERE {where} ORDER BY e.path, l.seq",
                values,
            )
        ]

    def links_from(self, relpath: str) -> ResolvedLinks:
        """The links of the entry at `relpath`, resolved against the entries indexed now.

        Each link's `line` is a line of the file.
        """
        from mljournal.core.entries.links import sort_links

        stored = self._stored_links("e.path = ?", (relpath,))
        return sort_links(self.link_resolver(stored), stored)

    def backlinks(self, relpath: str) -> list[str]:
        """The paths of the other entries with a link that resolves to the entry at `relpath`, sorted."""
        from mljournal.core.entries.links import entry_keys

        row = self.conn.execute("SELECT title FROM entries WHERE path = ?", (relpath,)).fetchone()
        if row is None:
            return []
        keys = entry_keys(relpath, row[0])
        candidates = [
            entry_id
            for (entry_id,) in self.conn.execute(
                f"SELECT DISTINCT entry_id FROM entry_link_keys WHERE key IN ({','.join('?' * len(keys))})",
                keys,
            )
        ]
        stored: list[tuple[str, Link]] = []
        for start in range(0, len(candidates), 500):
            chunk = candidates[start : start + 500]
            stored.extend(self._stored_links(f"l.entry_id IN ({','.join('?' * len(chunk))})", chunk))
        resolver = self.link_resolver(stored)
        return sorted(
            {
                source
                for source, link in stored
                if source != relpath and resolver.resolve(source, link) == relpath
            }
        )

    def broken_links(self) -> list[tuple[str, Link]]:
        """Every link meant for an entry that resolves to none, by path and line."""
        resolver = self.link_resolver()
        return [
            (source, link)
            for source, link in self._stored_links("1", ())
            if resolver.resolve(source, link) is None and resolver.is_entry_link(link)
        ]
