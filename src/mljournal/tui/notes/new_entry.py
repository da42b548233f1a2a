"""The new-entry form (`n`): title, tags, topics, date and template, then the built-in editor on it.

One push does the whole flow; the callback gets the saved entry (already indexed) or None:

```python
from mljournal.tui.notes import NewEntryScreen, SavedEntry

def action_new_entry(self) -> None:
    # Tag completions come from the index unless `existing_tags` is given.
    screen = NewEntryScreen(journal, roadmap=roadmap, topic=selected_topic_id, clock=clock)
    self.app.push_screen(screen, self._entry_saved)

def _entry_saved(self, result: SavedEntry | None) -> None:
    if result is not None:
        self.reload_and_select(result.path)
```

`enter` in any field (the title included) accepts the rest as it stands. Nothing is written until the editor
saves, so cancelling at any point leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from mljournal.core.dates import local_now
from mljournal.core.entries.new import entry_template, render_entry
from mljournal.core.entries.store import StoreError
from mljournal.core.entries.templates import EntryTemplate, load_templates
from mljournal.core.journal import Journal
from mljournal.core.roadmap import Roadmap, unknown_topics_message
from mljournal.core.text.tags import split_typed_labels
from mljournal.tui.notes.editor import EditorScreen, NewEntryDraft, SavedEntry
from mljournal.tui.notes.tags import TagSuggester, known_tags

DATE_FORMAT = "%Y-%m-%d %H:%M"
BUILT_IN = "Built-in prompts"
"""The template choice that means no file from templates/: the four learning-note headings."""
_ACCEPTED_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def parse_date_field(text: str, now: datetime) -> datetime | date | None:
    """The form's date: `YYYY-MM-DD`, optionally with `HH:MM[:SS]`, in `now`'s zone; None if unreadable.

    Text equal to `now` shown in `DATE_FORMAT` means "now" and keeps `now`'s seconds.
    """
    text = text.strip()
    if not text or text == now.strftime(DATE_FORMAT):
        return now
    for fmt in _ACCEPTED_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class TemplateSelect(Select[str]):
    """The template choice: `enter` creates the entry, as in every other field of the form.

    Textual's Select opens its list on `enter`; here `space`, `↓` and `↑` still open it, and `enter` picks an
    option while the list is open. Without this, `enter` after picking a template opened the list again.
    """

    BINDINGS = [Binding("enter", "accept_form", "Create", show=False, id="new_entry.template_accept")]

    def action_accept_form(self) -> None:
        """Create the entry (the form checks its fields first)."""
        screen = self.screen
        if isinstance(screen, NewEntryScreen):
            screen.action_accept()


class NewEntryScreen(ModalScreen[SavedEntry | None]):
    """Asks for a new entry's title, tags, topics, date and template, then opens `EditorScreen` on it.

    | Key | Action |
    | --- | --- |
    | `enter` | Accept the form as it stands and open the editor. |
    | `tab` / `shift+tab` | Move between fields; `→` accepts a tag completion. |
    | `escape` | Cancel. |
    """

    DEFAULT_CSS = """
    NewEntryScreen {
        align: center middle;
    }
    NewEntryScreen > Vertical {
        width: 80%;
        max-width: 100;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    NewEntryScreen .form-title {
        text-style: bold;
        margin-bottom: 1;
    }
    NewEntryScreen Grid {
        grid-size: 2;
        grid-columns: 10 1fr;
        grid-rows: 3;
        height: auto;
    }
    NewEntryScreen Grid > Label {
        height: 3;
        content-align: left middle;
    }
    NewEntryScreen #new-error {
        color: $error;
        height: auto;
    }
    NewEntryScreen .form-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_entry.cancel"),
        # Priority, so the app moves the focus as it reads `tab`, before it hands on the keys typed after it.
        # Without it the focused field handles `tab` from its own queue, where the next keys are already
        # waiting: "title<tab>tags" typed in one burst all landed in the title.
        Binding("tab", "next_field", "Next field", show=False, priority=True, id="new_entry.next_field"),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            show=False,
            priority=True,
            id="new_entry.previous_field",
        ),
    ]

    def __init__(
        self,
        journal: Journal,
        *,
        existing_tags: Sequence[str] | None = None,
        roadmap: Roadmap | None = None,
        topic: str | None = None,
        clock: Callable[[], datetime] | None = None,
        highlight: bool | None = None,
        default_tags: Sequence[str] = (),
    ) -> None:
        """`topic` (the roadmap topic selected in the navigator) is the default link; `clock` gives "now".

        `existing_tags` feed the tag completion, most used first; None reads them from the index.
        """
        super().__init__()
        self.journal = journal
        self.existing_tags = existing_tags
        self._tag_suggester = TagSuggester(existing_tags or ())
        self.roadmap = roadmap
        self.topic = topic
        self.clock = clock or local_now
        self.highlight = highlight
        self.default_tags = tuple(default_tags)
        """Tags the form starts with (the `default_tags` setting)."""
        self._now = self.clock()
        self._initial: dict[str, str] = {}
        """Each field's value as the form opened, to tell whether the user has typed anything."""
        self._handed_to_editor = False
        """True once the editor holds the new entry (the form's values live on there)."""
        self._templates: dict[str, EntryTemplate] = {}
        """The journal's templates by name, read in a worker when the form opens."""

    def compose(self) -> ComposeResult:
        topic_ids = [topic.id for topic in self.roadmap.walk()] if self.roadmap is not None else []
        with Vertical():
            yield Static("New entry", classes="form-title")
            with Grid():
                yield Label("Title")
                yield Input(placeholder="What did you learn or work on?", id="new-title")
                yield Label("Tags")
                yield Input(
                    ", ".join(self.default_tags),
                    placeholder="comma-separated",
                    suggester=self._tag_suggester,
                    id="new-tags",
                )
                yield Label("Topics")
                yield Input(
                    self.topic or "",
                    placeholder="roadmap topic ids, comma-separated",
                    suggester=SuggestFromList(topic_ids, case_sensitive=False),
                    id="new-topics",
                )
                yield Label("Date")
                yield Input(self._now.strftime(DATE_FORMAT), placeholder="YYYY-MM-DD HH:MM", id="new-date")
                yield Label("Template")
                yield TemplateSelect([(BUILT_IN, "")], value="", allow_blank=False, id="new-template")
            yield Static("", id="new-error", markup=False)
            yield Static(
                "enter: create and open the editor · tab: next field · escape: cancel", classes="form-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()
        self._initial = {field.id or "": field.value for field in self.query(Input)}
        if self.existing_tags is None:
            self._load_tags()
        self._load_templates()

    def action_next_field(self) -> None:
        """Focus the next field."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """Focus the previous field."""
        self.focus_previous()

    def has_unsaved_changes(self) -> bool:
        """True when a field differs from how the form opened (and the editor doesn't hold the entry yet)."""
        if self._handed_to_editor or not self._initial:
            return False
        return any(field.value != self._initial.get(field.id or "", "") for field in self.query(Input))

    def unsaved_work_name(self) -> str:
        """How the quit question names this screen's work."""
        return "the new entry form"

    @work(thread=True, exclusive=True, group="new-entry-tags", exit_on_error=False)
    def _load_tags(self) -> None:
        self._tag_suggester.set_tags(known_tags(self.journal))

    @work(thread=True, exclusive=True, group="new-entry-templates", exit_on_error=False)
    def _load_templates(self) -> None:
        templates = load_templates(self.journal)
        if templates:
            self.app.call_from_thread(self._templates_loaded, templates)

    def _templates_loaded(self, templates: list[EntryTemplate]) -> None:
        self._templates = {template.name: template for template in templates}
        options = [(BUILT_IN, ""), *((template.name, template.name) for template in templates)]
        self.query_one("#new-template", Select).set_options(options)

    def _error(self, message: str, field: str) -> None:
        self.query_one("#new-error", Static).update(message)
        self.query_one(f"#{field}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        """Check the form and open the editor on the new entry."""
        title = self.query_one("#new-title", Input).value.strip()
        if not title:
            self._error("A title is needed (it also names the file).", "new-title")
            return
        when = parse_date_field(self.query_one("#new-date", Input).value, self._now)
        if when is None:
            self._error("The date should look like 2024-01-15 or 2024-01-15 10:30.", "new-date")
            return
        tags = split_typed_labels(self.query_one("#new-tags", Input).value)
        topics = split_typed_labels(self.query_one("#new-topics", Input).value)
        if self.roadmap is not None:
            unknown = unknown_topics_message(self.roadmap, topics)
            if unknown:
                self._error(unknown, "new-topics")
                return
        template = self._templates.get(str(self.query_one("#new-template", Select).value))
        if template is not None:
            topic_titles = [getattr(self.roadmap and self.roadmap.find(t), "title", t) for t in topics]
            body = template.fill(title=title, when=when, topics=topic_titles)
            tags = [*template.tags, *tags]
        else:
            body = entry_template(title)
        try:
            raw, day = render_entry(title=title, body=body, tags=tags, topics=topics, date=when)
        except StoreError as error:
            self._error(str(error), "new-title")
            return
        draft = NewEntryDraft(raw=raw, day=day, title=title)
        self._handed_to_editor = True
        self.app.push_screen(EditorScreen(self.journal, draft=draft, highlight=self.highlight), self._edited)

    def _edited(self, result: SavedEntry | None) -> None:
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without creating anything."""
        self.dismiss(None)
