"""Linking an entry to roadmap topics (`o`): the roadmap as a tree of check marks, with a filter box.

```python
from mljournal.tui.notes import TopicPicker, TopicsChanged

def action_link_topics(self) -> None:
    self.app.push_screen(TopicPicker(journal, row.path, roadmap), self._entry_changed)

def _entry_changed(self, result: TopicsChanged | None) -> None:
    if result is not None:  # the file and the index are updated; reload the list and the navigator
        self.reload_and_select(result.path)
```

The picker reads the entry's links from the file (the truth), writes through `core.entries.set_topics` (only
the `topics` field changes) and refreshes the index before it dismisses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from mljournal.core.entries.store import StoreError, read_entry
from mljournal.core.entries.tagging import set_topics
from mljournal.core.frontmatter.read import parse_document
from mljournal.core.journal import Journal
from mljournal.core.roadmap import Roadmap, Topic
from mljournal.core.text.tags import labels_from_value
from mljournal.tui.dialogs.refresh import refresh_index
from mljournal.tui.dialogs.styles import PICKER_CSS
from mljournal.tui.results import EntryWritten
from mljournal.tui.text import one_line


@dataclass(frozen=True)
class TopicsChanged(EntryWritten):
    """The entry's topic links after `TopicPicker` saved them."""

    topics: tuple[str, ...]


def topics_of(metadata: dict[str, Any]) -> list[str]:
    """The topic ids an entry's front-matter links, read as the index reads them (so the picker shows the
    links that `topic:` search and `roadmap move` see)."""
    return labels_from_value(metadata.get("topics"))


class TopicTree(Tree[str]):
    """The roadmap with a mark per topic; `space` (or a click) links or unlinks, `enter` saves.

    | Key | Action |
    | --- | --- |
    | `space` | Link / unlink the topic under the cursor. |
    | `enter` | Save the links. |
    | `j` / `k` | Move. |
    | `/` or a letter | Filter the topics. |
    """

    BINDINGS = [
        Binding("space", "toggle_mark", "Link/unlink", id="topics.toggle"),
        Binding("enter", "confirm", "Save", id="topics.save"),
        Binding("j", "cursor_down", "Down", show=False, id="topics.down"),
        Binding("k", "cursor_up", "Up", show=False, id="topics.up"),
        Binding("slash", "filter", "Filter", id="topics.filter"),
    ]

    def __init__(self, roadmap: Roadmap, linked: set[str], **kwargs: Any) -> None:
        super().__init__("Roadmap", **kwargs)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self.roadmap = roadmap
        self.linked = linked
        self.filter_text = ""
        """Only topics whose title or id holds this (and their parents) are listed."""

    def on_mount(self) -> None:
        self.show_filtered(self.filter_text)

    def show_filtered(self, text: str) -> None:
        """List the topics matching `text` (case-insensitive, title or id) with their parents; all for ""."""
        self.filter_text = text.strip().casefold()
        self.clear()
        self._add_topics(self.root, self.roadmap.roots)
        self.root.expand_all()
        # Tree starts with no cursor; space should act on a visible row straight away.
        self.cursor_line = 0

    def _matches(self, topic: Topic) -> bool:
        needle = self.filter_text
        return not needle or needle in topic.title.casefold() or needle in topic.id.casefold()

    def _keeps(self, topic: Topic) -> bool:
        return self._matches(topic) or any(self._keeps(child) for child in topic.children)

    def _add_topics(
        self, parent: TreeNode[str], topics: Sequence[Topic], *, everything: bool = False
    ) -> None:
        # A matching topic brings its whole branch: `deep` lists what is under "Deep learning" too.
        for topic in topics:
            if not (everything or self._keeps(topic)):
                continue
            node = parent.add(self._label(topic.id), data=topic.id, allow_expand=bool(topic.children))
            self._add_topics(node, topic.children, everything=everything or self._matches(topic))

    def action_filter(self) -> None:
        """Type to narrow the topics (the picker's filter box takes the focus)."""
        screen = self.screen
        if isinstance(screen, TopicPicker):
            screen.focus_filter("")

    def on_key(self, event: events.Key) -> None:
        # Type-to-filter: a letter no binding uses starts the filter with that letter.
        if (
            event.is_printable
            and event.character
            and event.character.isalnum()
            and event.character not in "jk"
        ):
            screen = self.screen
            if isinstance(screen, TopicPicker):
                event.stop()
                event.prevent_default()
                screen.focus_filter(event.character)

    def _label(self, topic_id: str) -> Text:
        topic = self.roadmap.find(topic_id)
        title = one_line(topic.title if topic is not None else topic_id)
        mark = "☑ " if topic_id in self.linked else "☐ "
        label = Text(mark, style="bold" if topic_id in self.linked else "")
        label.append(title)
        label.append(f"  {one_line(topic_id)}", style="dim")
        return label

    def action_toggle_mark(self) -> None:
        """Link or unlink the topic under the cursor."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        self.linked.symmetric_difference_update({node.data})
        node.set_label(self._label(node.data))

    def action_confirm(self) -> None:
        """Ask the picker to save."""
        screen = self.screen
        if isinstance(screen, TopicPicker):
            screen.action_save()

    @on(Tree.NodeSelected)
    def _clicked(self, event: Tree.NodeSelected[str]) -> None:
        # `enter` is rebound to save, so only a click selects: it toggles the mark, like space.
        event.stop()
        self.action_toggle_mark()


class TopicPicker(ModalScreen[TopicsChanged | None]):
    """Link the entry to roadmap topics; `enter` saves (`set_topics`), `escape` cancels."""

    DEFAULT_CSS = (
        PICKER_CSS.format(name="TopicPicker")
        + """
    TopicPicker > Vertical {
        height: 90%;
    }
    TopicPicker TopicTree {
        height: 1fr;
        overflow-x: hidden;
        background: $panel;
    }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="topics.cancel"),
        Binding("ctrl+s", "save", "Save", id="topics.save_all"),
        # Reaches the screen only from the filter box (the list moves its cursor with ↓ itself).
        Binding("down", "to_list", "To the list", show=False, id="topics.to_list"),
    ]

    def __init__(self, journal: Journal, relpath: str, roadmap: Roadmap) -> None:
        super().__init__()
        self.journal = journal
        self.relpath = relpath
        self.roadmap = roadmap
        self._before: list[str] | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Topics of {one_line(self.relpath)}", classes="picker-title", markup=False)
            # No select-on-focus: type-to-filter puts the first letter in before the focus arrives, and a
            # selection made then would let the next key replace what was typed.
            yield Input(placeholder="type to filter topics", id="topics-filter", select_on_focus=False)
            yield Static("Reading the entry…", id="topics-body", markup=False)
            yield Static("", classes="picker-error", id="topics-error", markup=False)
            yield Static(
                "space: link/unlink · enter: save · type or /: filter · escape: cancel", classes="picker-hint"
            )

    def on_mount(self) -> None:
        self._read_topics()

    @work(thread=True, exclusive=True, group="notes-topics", exit_on_error=False)
    def _read_topics(self) -> None:
        try:
            raw, _version = read_entry(self.journal, self.relpath)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show_topics, topics_of(parse_document(raw).metadata))

    def _show_topics(self, topics: list[str]) -> None:
        self._before = topics
        placeholder = self.query_one("#topics-body", Static)
        if not self.roadmap.roots:
            placeholder.update("The roadmap is empty: add topics to roadmap.yaml first.")
            return
        unknown = [topic for topic in topics if self.roadmap.find(topic) is None]
        if unknown:
            placeholder.update("Also linked, not in the roadmap (kept): " + ", ".join(map(one_line, unknown)))
        else:
            placeholder.display = False
        tree = TopicTree(self.roadmap, set(topics), id="topics-tree")
        tree.filter_text = self.query_one("#topics-filter", Input).value  # typed while the entry was read
        self.query_one(Vertical).mount(tree, before=placeholder)
        tree.focus()

    def focus_filter(self, typed: str) -> None:
        """Put the cursor in the filter box, with `typed` added to what is there."""
        box = self.query_one("#topics-filter", Input)
        box.focus()
        if typed:
            box.insert_text_at_cursor(typed)

    def action_to_list(self) -> None:
        """From the filter box down into the (filtered) list, where space links a topic."""
        trees = self.query(TopicTree)
        if trees:
            trees.first().focus()

    @on(Input.Changed, "#topics-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        trees = self.query(TopicTree)
        if trees:
            trees.first().show_filtered(event.value)

    @on(Input.Submitted, "#topics-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        # enter in the filter goes back to the list (to link with space); a second enter saves.
        event.stop()
        trees = self.query(TopicTree)
        if trees:
            trees.first().focus()

    def _failed(self, message: str) -> None:
        self.notify(message, title="Topics not changed", severity="error", markup=False)
        self.dismiss(None)

    def has_unsaved_changes(self) -> bool:
        """True when topics were linked or unlinked and not saved yet."""
        return self._before is not None and set(self.chosen_topics()) != set(self._before)

    def unsaved_work_name(self) -> str:
        """How the quit question names this screen's work."""
        return f"the topics of {self.relpath}"

    def chosen_topics(self) -> list[str]:
        """The linked ids in roadmap order, then the ids the roadmap doesn't know (kept as they were)."""
        trees = self.query(TopicTree)
        if not trees or self._before is None:
            return list(self._before or [])
        linked = trees.first().linked
        ordered = [topic.id for topic in self.roadmap.walk() if topic.id in linked]
        ordered += [topic for topic in self._before if self.roadmap.find(topic) is None]
        return list(dict.fromkeys(ordered))

    def action_save(self) -> None:
        """Write the links to the entry's `topics` field."""
        if self._before is None or self._saving:
            return
        topics = self.chosen_topics()
        if topics == self._before:
            self.dismiss(None)
            return
        self._saving = True
        self._save(topics)

    @work(thread=True, exclusive=True, group="notes-topics", exit_on_error=False)
    def _save(self, topics: list[str]) -> None:
        try:
            set_topics(self.journal, self.relpath, topics)
        except StoreError as error:
            self.app.call_from_thread(self._save_failed, str(error))
            return
        refresh_index(self.journal, [self.relpath])
        self.app.call_from_thread(self.dismiss, TopicsChanged(self.relpath, tuple(topics)))

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.query_one("#topics-error", Static).update(message)

    def action_cancel(self) -> None:
        """Leave the filter box (emptying it) if it has the focus; otherwise close without changing anything."""
        box = self.query_one("#topics-filter", Input)
        trees = self.query(TopicTree)
        if box.has_focus and trees:
            box.value = ""
            trees.first().focus()
            return
        self.dismiss(None)
