"""The viewer's table of contents: the entry's headings as a tree docked beside the body."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Markdown, Tree
from textual.widgets.markdown import MarkdownTableOfContents, TableOfContentsType
from textual.widgets.tree import TreeNode

from mljournal.tui.keys import CONTENTS_KEYS
from mljournal.tui.text import one_line

HEADING_NUMERALS = ("", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ")


class ContentsTree(Tree[dict[str, str | None] | None]):
    """The headings of the entry, with `j`/`k` and `escape`/`c` to close (focus goes back to the body)."""

    BINDINGS: ClassVar[list[BindingType]] = CONTENTS_KEYS.bindings()

    def action_close(self) -> None:
        """Hide the table of contents and give the focus back to the entry."""
        contents = next((node for node in self.ancestors if isinstance(node, EntryContents)), None)
        if contents is not None:
            contents.close()


class EntryContents(MarkdownTableOfContents):
    """Textual's table of contents with a labelled root (the entry's title) and no placeholder nodes.

    Textual's own fills a missing heading level with a node named after the level (`▼ Ⅱ` above an entry
    whose headings start at `##`); here each heading hangs under the nearest heading above it of a
    higher level, or under the root.
    """

    title = "Contents"
    """The root's label: the entry's title once one is shown."""

    def __init__(self, markdown: Markdown, *, hide: Callable[[], None]) -> None:
        """`hide` hides the table (the widget that docks it knows how); the tree's `escape` and `c` call it."""
        super().__init__(markdown)
        self._hide = hide

    def close(self) -> None:
        """Hide the table of contents and give the focus back to the entry."""
        self._hide()

    def compose(self) -> ComposeResult:
        tree: ContentsTree = ContentsTree("Contents")
        tree.show_root = True
        tree.show_guides = True
        tree.guide_depth = 3
        tree.auto_expand = False
        yield tree

    def rebuild_table_of_contents(self, table_of_contents: TableOfContentsType) -> None:
        tree = self.query_one(ContentsTree)
        tree.clear()
        tree.root.set_label(Text(one_line(self.title, 80) or "Contents", style="bold"))
        tree.root.expand()
        stack: list[tuple[int, TreeNode[dict[str, str | None] | None]]] = []
        for level, name, block_id in table_of_contents:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else tree.root
            label = Text.assemble((f"{HEADING_NUMERALS[min(level, 6)]} ", "dim"), one_line(name, 200))
            # A heading with subheadings can fold; one without shows no fold icon.
            parent.allow_expand = True
            node = parent.add(label, {"block_id": block_id}, expand=True, allow_expand=False)
            stack.append((level, node))
