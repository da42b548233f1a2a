"""The navigator: roadmap topics, tags and the timeline as one tree; the highlighted node filters the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.style import Style
from rich.text import Span, Text
from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from mljournal.core.journal import Journal
from mljournal.core.query import quote_value
from mljournal.core.roadmap import Roadmap
from mljournal.tui.data import NavigatorData
from mljournal.tui.keys import NAVIGATOR_KEYS
from mljournal.tui.text import one_line
from mljournal.tui.widgets.nav_labels import (
    MARKS_LEGEND,
    PROGRESS_LEGEND,
    NavNode,
    fit_label,
    month_label,
    plain_label,
    topic_label,
)
from mljournal.tui.widgets.nav_labels import STATUS_MARKS as STATUS_MARKS
from mljournal.tui.widgets.nav_labels import STATUS_MEANINGS as STATUS_MEANINGS

_TOGGLE = Style.from_meta({"toggle": True})
"""Marks the expand icon as clickable, as Tree's own labels do."""


class Navigator(Tree[NavNode]):
    """Roadmap, tags and timeline. Moving onto a node filters the entry list; the root shows everything.

    | Key | Action |
    | :- | :- |
    | `j` / `k` / arrows | Move |
    | `g` / `G` | First / last node |
    | `enter` | Expand or collapse |
    | `space` | Cycle a topic's status (todo → learning → done → skipped) |
    | `a` | Add a subtopic under the highlighted topic |
    | `r` | Rename the highlighted topic |
    | `m` | Mark one of the topic's resources done |
    """

    BINDINGS: ClassVar[list[BindingType]] = NAVIGATOR_KEYS.bindings()

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        "navigator--todo",
        "navigator--started",
        "navigator--learning",
        "navigator--done",
        "navigator--skipped",
        "navigator--count",
        "navigator--section",
    }

    DEFAULT_CSS = """
    Navigator {
        & > .navigator--todo { color: $text-muted; }
        & > .navigator--started { color: $text-warning; }
        & > .navigator--learning { color: $text-warning; }
        & > .navigator--done { color: $text-success; }
        & > .navigator--skipped { color: $text-disabled; }
        & > .navigator--count { color: $text-muted; }
        & > .navigator--section { text-style: bold; color: $text-accent; }
    }
    """

    @dataclass
    class FilterChanged(Message):
        """A node was highlighted: `filter` is its search-language filter ("" for everything)."""

        navigator: Navigator
        node: NavNode

        @property
        def control(self) -> Navigator:
            return self.navigator

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Navigator.FilterChanged)

    @dataclass
    class TopicActionRequested(Message):
        """`space`, `a`, `r` or `m` on the roadmap: the screen performs the write and refreshes."""

        navigator: Navigator
        action: Literal["cycle", "add", "rename", "resource"]
        topic_id: str | None
        """None for `a` on the Roadmap section itself: add a top-level topic."""
        title: str

        @property
        def control(self) -> Navigator:
            return self.navigator

    def __init__(self, journal: Journal, *, id: str | None = None, classes: str | None = None) -> None:
        root = NavNode("all", "all", "", journal.name)
        super().__init__(Text(one_line(journal.name)), root, id=id, classes=classes)
        self.guide_depth = 3
        self.show_root = True
        self.auto_expand = False
        self._roadmap: Roadmap | None = None
        self._data: NavigatorData | None = None
        self._first_build = True
        self.tooltip = f"Roadmap marks: {MARKS_LEGEND}\n{PROGRESS_LEGEND}"

    @property
    def current(self) -> NavNode | None:
        """The highlighted node's data."""
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def roadmap(self) -> Roadmap | None:
        """The roadmap the tree was last built from."""
        return self._roadmap

    def tag_names(self) -> list[str]:
        """Every tag, most used first (for completion in the note-taking forms)."""
        return [tag for tag, _count in self._data.tags] if self._data is not None else []

    # Building ------------------------------------------------------------------------------------------

    def show_data(self, data: NavigatorData) -> None:
        """Rebuild the tree from fresh data, keeping what was expanded and where the cursor was."""
        self._data = data
        self._roadmap = data.roadmap
        expanded = {node.data.key for node in self._all_nodes() if node.is_expanded and node.data}
        if self._first_build:
            expanded = {"all", "section:roadmap"}
            self._first_build = False
        cursor_key = self.current.key if self.current else "all"
        self.clear()
        root = self.root
        root.set_label(plain_label(self._journal_label(), count=data.total, section=True))
        root.data = NavNode("all", "all", "", "All entries")

        roadmap_node = root.add(
            plain_label("Roadmap", section=True), NavNode("section", "section:roadmap", "", "Roadmap")
        )
        if data.roadmap is None:
            roadmap_node.add_leaf(Text("no roadmap.yaml", style="italic"), NavNode("section", "none", "", ""))
        else:
            self._add_topics(roadmap_node, data.roadmap.roots, data)
        for problem in data.roadmap_problems[:3]:
            roadmap_node.add_leaf(Text("⚠ " + one_line(problem, 80)), NavNode("section", "problem", "", ""))

        tags_node = root.add(
            plain_label("Tags", count=len(data.tags), section=True),
            NavNode("section", "section:tags", "", "Tags"),
        )
        for tag, count in data.tags:
            node = NavNode("tag", f"tag:{tag}", f"tag:{quote_value(tag)}", tag)
            tags_node.add_leaf(plain_label("#" + one_line(tag, 60), count=count), node)

        timeline = root.add(
            plain_label("Timeline", section=True), NavNode("section", "section:timeline", "", "")
        )
        years: dict[str, TreeNode[NavNode]] = {}
        year_totals: dict[str, int] = {}
        for month, count in data.months:
            year_totals[month[:4]] = year_totals.get(month[:4], 0) + count
        for month, count in data.months:
            year = month[:4]
            if year not in years:
                years[year] = timeline.add(
                    plain_label(year, count=year_totals[year]),
                    NavNode("year", f"year:{year}", f"on:{year}", year),
                )
            years[year].add_leaf(
                plain_label(month_label(month), count=count),
                NavNode("month", f"month:{month}", f"on:{month}", month_label(month) + " " + year),
            )

        for tree_node in self._all_nodes():
            if tree_node.data is not None and tree_node.data.key in expanded and tree_node.allow_expand:
                tree_node.expand()
        target = next((n for n in self._all_nodes() if n.data and n.data.key == cursor_key), self.root)
        self.call_after_refresh(self._restore_cursor, target)

    def _restore_cursor(self, target: TreeNode[NavNode]) -> None:
        self.move_cursor(target)
        # A cursor back on its old line highlights nothing new, so the line under the tree is refreshed here.
        if target.data is not None:
            self.border_subtitle = target.data.mark_note

    def _journal_label(self) -> str:
        return "All entries"

    def _add_topics(self, parent: TreeNode[NavNode], topics: Any, data: NavigatorData) -> None:
        for topic in topics:
            label, note = topic_label(topic, data)
            node = NavNode("topic", f"topic:{topic.id}", f"topic:{topic.id}", topic.title, topic.id, note)
            children = list(getattr(topic, "children", ()) or ())
            if children:
                child = parent.add(label, node)
                self._add_topics(child, children, data)
            else:
                parent.add_leaf(label, node)

    def render_label(self, node: TreeNode[NavNode], base_style: Style, style: Style) -> Text:
        """The node's label with its `navigator--*` parts styled now, from the current theme.

        Labels name their component classes instead of holding resolved styles: a style resolved when the
        tree was built would go stale on a theme change (and differ with the timing of the first build).
        """
        source = node._label
        # Figures (progress, counts) are the spans styled `navigator--count`, always at the end of a label.
        figures_at = min(
            (span.start for span in source.spans if span.style == "navigator--count"),
            default=len(source.plain),
        )
        label = source.copy()
        label.spans = [
            Span(span.start, span.end, self._component_style(span.style))
            if isinstance(span.style, str) and span.style.startswith("navigator--")
            else span
            for span in label.spans
        ]
        if node.allow_expand:
            prefix = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, base_style + _TOGGLE)
        else:
            prefix = ("", base_style)
        label = fit_label(label, figures_at, self._room_for_label(node) - len(prefix[0]))
        label.stylize(style)
        return Text.assemble(prefix, label)

    def _room_for_label(self, node: TreeNode[NavNode]) -> int:
        """Cells left for the node's label after the guides: each level of depth takes `guide_depth`."""
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        return self.scrollable_content_region.width - depth * self.guide_depth

    def _component_style(self, component: str) -> Style:
        # Only colour and weight: the tree paints its own background (cursor, hover) behind the label.
        style = self.get_component_rich_style(component)
        return Style(color=style.color, bold=style.bold, italic=style.italic, dim=style.dim)

    def _all_nodes(self) -> list[TreeNode[NavNode]]:
        found: list[TreeNode[NavNode]] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found

    def select_key(self, key: str) -> bool:
        """Move the cursor to the node with `key` (expanding its ancestors); report whether it exists."""
        for node in self._all_nodes():
            if node.data is not None and node.data.key == key:
                parent = node.parent
                while parent is not None:
                    parent.expand()
                    parent = parent.parent
                self.call_after_refresh(self._restore_cursor, node)
                return True
        return False

    # Events and actions --------------------------------------------------------------------------------

    @on(Tree.NodeHighlighted)
    def _node_highlighted(self, event: Tree.NodeHighlighted[NavNode]) -> None:
        event.stop()
        if event.node.data is not None:
            # The mark of the highlighted topic spelled out under the tree: a legend that fits any width.
            self.border_subtitle = event.node.data.mark_note
            self.post_message(self.FilterChanged(self, event.node.data))

    @on(Tree.NodeSelected)
    def _node_selected(self, event: Tree.NodeSelected[NavNode]) -> None:
        # `enter` toggles like a file tree; auto_expand is off so a click on a label does not also toggle.
        event.stop()
        if event.node.allow_expand:
            event.node.toggle()

    def _topic_under_cursor(self) -> NavNode | None:
        node = self.current
        return node if node is not None and node.kind == "topic" else None

    def _explain_not_a_topic(self, what: str) -> None:
        # The keys stay live on every node, so a press on the wrong one says why instead of doing nothing.
        node = self.current
        name = f"“{one_line(node.label, 40)}”" if node is not None and node.label else "This node"
        self.notify(f"{what} works on a roadmap topic; {name} is not one.", timeout=3, markup=False)

    def action_open_node(self) -> None:
        """Open the highlighted node; on an open one, step to its first child (as file trees do)."""
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_close_node(self) -> None:
        """Close the highlighted node; on a closed one (or a leaf), step to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and (node.parent is not self.root or self.show_root):
            self.move_cursor(node.parent)

    def action_cycle_status(self) -> None:
        """Cycle the highlighted topic's status: todo → learning → done → skipped → todo."""
        topic = self._topic_under_cursor()
        if topic is None:
            self._explain_not_a_topic("space (cycle the status)")
            return
        self.post_message(self.TopicActionRequested(self, "cycle", topic.topic_id, topic.label))

    def action_add_topic(self) -> None:
        """Add a subtopic under the highlighted topic (a top-level topic on the Roadmap section)."""
        node = self.current
        # On the Roadmap section (or its "no roadmap.yaml" line) this adds a top-level topic; the first one
        # writes roadmap.yaml.
        if node is None or not (node.kind == "topic" or node.key in ("section:roadmap", "none")):
            self._explain_not_a_topic("a (add a subtopic)")
            return
        parent = node.topic_id if node.kind == "topic" else None
        self.post_message(self.TopicActionRequested(self, "add", parent, node.label))

    def action_rename_topic(self) -> None:
        """Rename the highlighted topic."""
        topic = self._topic_under_cursor()
        if topic is None:
            self._explain_not_a_topic("r (rename)")
            return
        self.post_message(self.TopicActionRequested(self, "rename", topic.topic_id, topic.label))

    def action_mark_resource(self) -> None:
        """Pick one of the highlighted topic's resources and mark it done."""
        topic = self._topic_under_cursor()
        if topic is None:
            self._explain_not_a_topic("m (mark a resource done)")
            return
        self.post_message(self.TopicActionRequested(self, "resource", topic.topic_id, topic.label))
