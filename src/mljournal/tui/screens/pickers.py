"""Editing an entry's tags (`t`) and linking it to roadmap topics (`o`), each in a small modal; and picking
the roadmap resource that `m` marks done.

```python
from mljournal.tui.screens.pickers import TagEditor, TagsChanged, TopicPicker, TopicsChanged

def action_edit_tags(self) -> None:
    # Tag completions come from the index unless `existing_tags` is given.
    self.app.push_screen(TagEditor(journal, row.path), self._entry_changed)

def action_link_topics(self) -> None:
    self.app.push_screen(TopicPicker(journal, row.path, roadmap), self._entry_changed)

def _entry_changed(self, result: TagsChanged | TopicsChanged | None) -> None:
    if result is not None:  # the file and the index are updated; reload the list and the navigator
        self.reload_and_select(result.path)
```

Both read the entry's current values from the file (the truth), write through `core.store` (only that one
front-matter field changes) and refresh the index before they dismiss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from mljournal.core import store
from mljournal.core.document import parse_document
from mljournal.core.index import Index
from mljournal.core.inline_tags import inline_tags
from mljournal.core.journal import Journal
from mljournal.core.roadmap import Roadmap, Topic
from mljournal.tui.screens.dialogs import refresh_index
from mljournal.tui.text import one_line

RESOURCE_MARKS = {"todo": "○", "learning": "◐", "done": "●", "skipped": "⊘"}

PICKER_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 80%;
    max-width: 100;
    height: auto;
    max-height: 90%;
    border: thick $primary;
    background: $panel;
    padding: 1 2;
}}
{name} .picker-title {{
    text-style: bold;
    margin-bottom: 1;
}}
{name} .picker-hint {{
    color: $text-muted;
    margin-top: 1;
}}
{name} .picker-error {{
    color: $error;
}}
"""


def known_tags(journal: Journal) -> list[str]:
    """Every tag in the index, most used first (blocking: call it from a thread worker); [] on failure."""
    try:
        with Index(journal) as index:
            return [tag for tag, _count in index.tag_counts()]
    except Exception:
        return []


def split_tags(text: str) -> list[str]:
    """Tags typed as `a, b, #c`: split on commas, strip spaces and `#`, drop empties and repeats."""
    seen: set[str] = set()
    tags: list[str] = []
    for part in text.split(","):
        tag = part.strip().lstrip("#").strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class TagSuggester(Suggester):
    """Completes the tag being typed after the last comma from known tags (given most used first)."""

    def __init__(self, tags: Iterable[str]) -> None:
        # Case-sensitive so the text already typed keeps its case; the matching below ignores case.
        super().__init__(use_cache=True, case_sensitive=True)
        self._tags = list(dict.fromkeys(map(one_line, tags)))

    def set_tags(self, tags: Iterable[str]) -> None:
        """Replace the known tags (when they arrive from the index after the screen opened)."""
        self._tags = list(dict.fromkeys(map(one_line, tags)))
        if self.cache is not None:
            self.cache.clear()

    async def get_suggestion(self, value: str) -> str | None:
        """`value` completed with the first known tag that starts with its last comma-separated part."""
        head, _comma, last = value.rpartition(",")
        prefix = last.lstrip().lstrip("#")
        if not prefix:
            return None
        typed = {tag.casefold() for tag in split_tags(head)}
        folded = prefix.casefold()
        for tag in self._tags:
            if tag.casefold().startswith(folded) and tag.casefold() not in typed and len(tag) > len(prefix):
                return value + tag[len(prefix) :]
        return None


@dataclass(frozen=True)
class TagsChanged:
    """The entry's tags after `TagEditor` saved them."""

    path: str
    tags: tuple[str, ...]


class TagEditor(ModalScreen[TagsChanged | None]):
    """The entry's tags in one comma-separated `Input` with completion; `enter` saves, `escape` cancels."""

    DEFAULT_CSS = PICKER_CSS.format(name="TagEditor")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, journal: Journal, relpath: str, *, existing_tags: Sequence[str] | None = None) -> None:
        """`existing_tags` feed the completion, most used first; None reads them from the index."""
        super().__init__()
        self.journal = journal
        self.relpath = relpath
        self._existing = existing_tags
        self._suggester = TagSuggester(existing_tags or ())
        self._current: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Tags of {one_line(self.relpath)}", classes="picker-title", markup=False)
            yield Input(
                placeholder="comma-separated, e.g. numpy, linear algebra",
                suggester=self._suggester,
                id="tags-input",
                # Typing should add a tag, not replace the ones already there.
                select_on_focus=False,
                disabled=True,
            )
            inline_note = Static("", classes="picker-hint", id="tags-inline", markup=False)
            inline_note.display = False  # shown only for an entry with #tags in its text
            yield inline_note
            yield Static("", classes="picker-error", id="tags-error", markup=False)
            yield Static("enter: save · → accepts a completion · escape: cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._read_tags()

    @work(thread=True, exclusive=True, group="notes-tags", exit_on_error=False)
    def _read_tags(self) -> None:
        try:
            raw, _version = store.read_entry(self.journal, self.relpath)
            store.check_tags_editable(self.relpath, raw)
        except store.StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        tags = store.current_tags(raw)
        declared = {tag.casefold() for tag in tags}
        in_body = [tag for tag in inline_tags(parse_document(raw).body) if tag.casefold() not in declared]
        self.app.call_from_thread(self._show_tags, tags, in_body)
        if self._existing is None:
            self._suggester.set_tags(known_tags(self.journal))

    def _show_tags(self, tags: list[str], in_body: list[str] | None = None) -> None:
        self._current = tags
        if in_body:
            # Written in the text as #tag: shown so the entry's tags add up, but not offered for removal.
            note = self.query_one("#tags-inline", Static)
            note.update(
                "Inline in the text (edit the entry to change): "
                + " ".join(f"#{one_line(t, 40)}" for t in in_body)
            )
            note.display = True
        field = self.query_one("#tags-input", Input)
        # Shown through the one filter: a tag holding an escape sequence reads `␛[2J` in the field.
        field.value = ", ".join(one_line(tag) for tag in tags) + (", " if tags else "")
        field.disabled = False
        field.focus()
        field.cursor_position = len(field.value)

    def _failed(self, message: str) -> None:
        self.notify(message, title="Tags not changed", severity="error", markup=False)
        self.dismiss(None)

    def has_unsaved_changes(self) -> bool:
        """True when the typed tags differ from the entry's (quitting now would drop the change)."""
        if self._current is None:
            return False
        typed = {tag.casefold() for tag in split_tags(self.query_one("#tags-input", Input).value)}
        return typed != {tag.casefold() for tag in self._current}

    def unsaved_work_name(self) -> str:
        """How the quit question names this screen's work."""
        return f"the tags of {self.relpath}"

    @on(Input.Submitted, "#tags-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._current is None:
            return
        # A tag left as shown (placeholders and all) is the file's tag, untouched: map it back.
        shown_as = {one_line(tag).casefold(): tag for tag in self._current}
        wanted = list(dict.fromkeys(shown_as.get(tag.casefold(), tag) for tag in split_tags(event.value)))
        wanted_keys = {tag.casefold() for tag in wanted}
        current_keys = {tag.casefold() for tag in self._current}
        add = [tag for tag in wanted if tag.casefold() not in current_keys]
        remove = [tag for tag in self._current if tag.casefold() not in wanted_keys]
        if not add and not remove:
            self.dismiss(None)
            return
        event.input.disabled = True
        self._save(add, remove)

    @work(thread=True, exclusive=True, group="notes-tags", exit_on_error=False)
    def _save(self, add: list[str], remove: list[str]) -> None:
        try:
            tags = store.update_tags(self.journal, self.relpath, add, remove)
        except store.StoreError as error:
            self.app.call_from_thread(self._save_failed, str(error))
            return
        refresh_index(self.journal, [self.relpath])
        self.app.call_from_thread(self.dismiss, TagsChanged(self.relpath, tuple(tags)))

    def _save_failed(self, message: str) -> None:
        self.query_one("#tags-error", Static).update(message)
        field = self.query_one("#tags-input", Input)
        field.disabled = False
        field.focus()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)


@dataclass(frozen=True)
class TopicsChanged:
    """The entry's topic links after `TopicPicker` saved them."""

    path: str
    topics: tuple[str, ...]


def topics_of(metadata: dict[str, Any]) -> list[str]:
    """The topic ids an entry's front-matter links (a list, or a comma-separated string)."""
    value = metadata.get("topics")
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


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
    """Link the entry to roadmap topics; `enter` saves (`store.set_topics`), `escape` cancels."""

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
            raw, _version = store.read_entry(self.journal, self.relpath)
        except store.StoreError as error:
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
            store.set_topics(self.journal, self.relpath, topics)
        except store.StoreError as error:
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


class ResourcePicker(ModalScreen[int | None]):
    """A topic's resources; `enter` dismisses with the chosen one's number (from 1), `escape` with None.

    The screen that opens it writes the status (`core.roadmap.set_resource_status`), in a worker.
    """

    DEFAULT_CSS = (
        PICKER_CSS.format(name="ResourcePicker")
        + """
    ResourcePicker OptionList, ResourcePicker OptionList:focus { height: auto; max-height: 20; border: none; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="resources.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="resources.down", tooltip="Next resource"),
        Binding("k", "move(-1)", "Up", show=False, id="resources.up", tooltip="Previous resource"),
    ]

    def __init__(self, topic_title: str, resources: Sequence[tuple[str, str | None, str]]) -> None:
        """`resources` are (title, url, status), in the roadmap's order."""
        super().__init__()
        self._topic_title = topic_title
        self._resources = list(resources)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"Mark a resource of “{one_line(self._topic_title, 60)}” done"), classes="picker-title"
            )
            options = []
            for title, url, status in self._resources:
                label = Text(f"{RESOURCE_MARKS.get(status, '?')} ", style="bold")
                label.append(one_line(title, 70) or "(untitled)", "bold")
                label.append(f"  {one_line(status, 20)}")
                if url:
                    label.append(f"  {one_line(url, 120)}", "dim")
                options.append(Option(label))
            yield OptionList(*options, id="resources-list")
            yield Static(Text("enter marks it done · escape cancels"), classes="picker-hint")

    @on(OptionList.OptionSelected, "#resources-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index + 1)

    def action_move(self, step: int) -> None:
        """Move the highlight to the next (1) or previous (-1) resource."""
        resources = self.query_one("#resources-list", OptionList)
        if step > 0:
            resources.action_cursor_down()
        else:
            resources.action_cursor_up()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
