"""Every key of the app in one table: the panes' `BINDINGS`, the help screen and the command palette read it.

A `Key` says once what a key does (footer label, help line, palette title); each pane's class takes its
group's `bindings()`, so the footer, `?` and ctrl+p can't drift apart. A leaf module: it imports only
Textual, never a screen or a widget, so the help screen reads the keys without importing the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode


@dataclass(frozen=True)
class Key:
    """One key binding, and how the footer, the help and the palette name it."""

    id: str
    """The `Binding` id ("main.new"), unique in the app: what a user keymap would name."""
    keys: str
    """Textual key names, comma-separated ("alt+left,backspace")."""
    action: str
    """The action, with arguments when it takes any ("history(-1)")."""
    footer: str
    """The footer's short label (`Binding.description`)."""
    help: str = ""
    """The sentence for the help screen and the palette (`Binding.tooltip`)."""
    palette: str | None = None
    """The command palette's title; None keeps the key out of the palette."""
    show: bool = True
    """Shown in the footer."""
    palette_when_enabled: bool = False
    """Listed in the palette only while the owner's `check_action` allows it (undo, with nothing to undo)."""

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.footer, show=self.show, id=self.id, tooltip=self.help)


@dataclass(frozen=True)
class KeyGroup:
    """The keys one pane (or the app, or the screen) owns, under the heading the help gives them."""

    title: str
    """The help screen's heading for the group."""
    owner: str
    """Who runs the actions: "app", "screen", "navigator", "entry_list", "search", "viewer" or "contents"."""
    keys: tuple[Key, ...]
    documented: tuple[Key, ...] = ()
    """Keys Textual binds itself (a tree's enter, an input's enter, ctrl+p): listed in the help only."""

    def bindings(self) -> list[BindingType]:
        """The owner's `BINDINGS`."""
        return [key.binding() for key in self.keys]

    def help_bindings(self) -> list[Binding]:
        """Everything the help lists for the group: its bindings, then the keys Textual binds for it."""
        return [key.binding() for key in (*self.keys, *self.documented)]


KEY_NAMES = {
    "question_mark": "?",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "slash": "/",
    "space": "space",
    "pagedown": "pgdn",
    "pageup": "pgup",
}
"""Textual's key names as a person types them."""


def key_names(keys: str) -> list[str]:
    """`keys` ("alt+left,backspace") as the names a person reads (["alt+left", "backspace"])."""
    return [KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(",") if key.strip()]


APP_KEYS = KeyGroup(
    "Everywhere",
    "app",
    (
        Key("app.quit", "q", "quit", "Quit", "Quit"),
        Key("app.help", "question_mark", "help", "Help", "Show this help"),
    ),
    documented=(Key("app.palette", "ctrl+p", "palette", "Command palette"),),
)

MAIN_KEYS = KeyGroup(
    "Main screen",
    "screen",
    (
        Key("main.next_pane", "tab", "next_pane", "Next pane", "Focus the next pane", show=False),
        Key(
            "main.previous_pane",
            "shift+tab",
            "previous_pane",
            "Previous pane",
            "Focus the previous pane",
            show=False,
        ),
        Key(
            "main.search",
            "slash",
            "search",
            "Search",
            "Search the journal (results follow as you type)",
            palette="Search",
        ),
        Key(
            "main.clear_filter",
            "x",
            "clear_filter",
            "Show all",
            "Clear the navigator filter and the search: list every entry",
            palette="Show all entries",
        ),
        Key(
            "main.navigator_narrower",
            "less_than_sign",
            "navigator_width(-4)",
            "Narrower navigator",
            "Make the navigator narrower",
            show=False,
        ),
        Key(
            "main.navigator_wider",
            "greater_than_sign",
            "navigator_width(4)",
            "Wider navigator",
            "Make the navigator wider",
            show=False,
        ),
        Key(
            "main.back",
            "alt+left,backspace",
            "history(-1)",
            "Back",
            "Back to the entry you followed a link from",
            palette="Back",
        ),
        Key(
            "main.forward",
            "alt+right",
            "history(1)",
            "Forward",
            "Forward again to the entry a link led to",
            palette="Forward",
        ),
        Key("main.new", "n", "new_entry", "New", "Write a new entry", palette="New entry"),
        Key(
            "main.edit",
            "e",
            "edit_entry",
            "Edit",
            "Edit the entry in the built-in editor",
            palette="Edit entry",
        ),
        Key(
            "main.edit_external",
            "E",
            "edit_external",
            "Edit in $EDITOR",
            "Edit the entry in $VISUAL / $EDITOR",
            palette="Edit in $EDITOR",
            show=False,
        ),
        Key("main.tags", "t", "edit_tags", "Tags", "Edit the entry's tags", palette="Edit tags", show=False),
        Key(
            "main.topics",
            "o",
            "link_topics",
            "Topics",
            "Link the entry to roadmap topics",
            palette="Link topics",
            show=False,
        ),
        Key(
            "main.delete",
            "D",
            "delete_entry",
            "Delete",
            "Delete the entry (moved to .mljournal/trash/, restorable)",
            palette="Delete entry",
            show=False,
        ),
        Key(
            "main.dashboard",
            "s",
            "dashboard",
            "Dashboard",
            "Activity, streaks and progress at a glance",
            palette="Dashboard",
            show=False,
        ),
        Key(
            "main.review",
            "R",
            "review",
            "Review",
            "Finished topics due for review, and topics gone quiet",
            palette="Review",
            show=False,
        ),
        Key(
            "main.undo_delete",
            "u",
            "undo_delete",
            "Undo delete",
            "Restore the entry deleted last (from .mljournal/trash/)",
            palette="Undo delete",
            palette_when_enabled=True,
        ),
        Key(
            "main.resync",
            "ctrl+r",
            "resync",
            "Re-index",
            "Re-read every file into the index",
            palette="Re-index",
            show=False,
        ),
    ),
)

NAVIGATOR_KEYS = KeyGroup(
    "Navigator (roadmap, tags, timeline)",
    "navigator",
    (
        Key("nav.down", "j", "cursor_down", "Down", "Next node", show=False),
        Key("nav.up", "k", "cursor_up", "Up", "Previous node", show=False),
        Key("nav.top", "g,home", "scroll_home", "Top", "First node", show=False),
        Key("nav.bottom", "G,end", "scroll_end", "Bottom", "Last node", show=False),
        Key(
            "nav.open", "right,l", "open_node", "Open", "Open the node, or go to its first child", show=False
        ),
        Key("nav.close", "left,h", "close_node", "Close", "Close the node, or go to its parent", show=False),
        Key(
            "nav.cycle_status",
            "space",
            "cycle_status",
            "Status",
            "Cycle the topic's status: todo → learning → done → skipped",
            palette="Cycle topic status",
        ),
        Key(
            "nav.add_topic",
            "a",
            "add_topic",
            "Add topic",
            "Add a subtopic under the highlighted topic",
            palette="Add topic",
        ),
        Key(
            "nav.rename_topic",
            "r",
            "rename_topic",
            "Rename",
            "Rename the highlighted topic",
            palette="Rename topic",
        ),
        Key(
            "nav.mark_resource",
            "m",
            "mark_resource",
            "Resource done",
            "Mark one of the topic's resources (books, courses) done",
            palette="Mark a resource done",
        ),
    ),
    documented=(Key("nav.toggle", "enter", "toggle", "Expand or collapse"),),
)

ENTRY_LIST_KEYS = KeyGroup(
    "Entry list",
    "entry_list",
    (
        Key("list.down", "j,down", "cursor_down", "Down", "Next entry", show=False),
        Key("list.up", "k,up", "cursor_up", "Up", "Previous entry", show=False),
        Key("list.top", "g,home,ctrl+home", "first", "Top", "First entry", show=False),
        Key("list.bottom", "G,end,ctrl+end", "last", "Bottom", "Last entry", show=False),
        Key("list.page_down", "pagedown", "page_down", "Page down", "A screen down", show=False),
        Key("list.page_up", "pageup", "page_up", "Page up", "A screen up", show=False),
        Key("list.open", "enter", "open", "Open", "Open the entry in the viewer"),
    ),
)

SEARCH_KEYS = KeyGroup(
    "Search box",
    "search",
    (Key("search.clear", "escape", "clear", "Clear search", "Clear the search and return to the list"),),
    documented=(Key("search.done", "enter", "done", "Go to the results"),),
)

VIEWER_KEYS = KeyGroup(
    "Viewer",
    "viewer",
    (
        Key("viewer.down", "j,down", "scroll_down", "Scroll down", "Scroll down", show=False),
        Key("viewer.up", "k,up", "scroll_up", "Scroll up", "Scroll up", show=False),
        Key("viewer.top", "g,home,ctrl+home", "scroll_home", "Top", "Top of the entry", show=False),
        Key("viewer.bottom", "G,end,ctrl+end", "scroll_end", "Bottom", "End of the entry", show=False),
        Key("viewer.page_down", "space", "page_down", "Page down", "A screen down", show=False),
        Key(
            "viewer.contents",
            "c",
            "toggle_contents",
            "Contents",
            "Show or hide the table of contents",
            palette="Table of contents",
        ),
        Key(
            "viewer.load_all",
            "L",
            "load_all",
            "Load all",
            "Load all of a long entry",
            palette="Load all of the entry",
        ),
        Key("viewer.stop_loading", "escape", "stop_loading", "Stop loading", "Stop loading the entry"),
        Key("viewer.links", "f", "follow_link", "Links", "Follow one of the entry's links"),
    ),
)

CONTENTS_KEYS = KeyGroup(
    "Table of contents",
    "contents",
    (
        Key("contents.down", "j", "cursor_down", "Down", "Next heading", show=False),
        Key("contents.up", "k", "cursor_up", "Up", "Previous heading", show=False),
        Key("contents.close", "escape", "close", "Close", "Close the contents, back to the entry"),
    ),
    documented=(Key("contents.go", "enter", "go", "Go to the heading"),),
)

HELP_GROUPS = (APP_KEYS, MAIN_KEYS, NAVIGATOR_KEYS, ENTRY_LIST_KEYS, SEARCH_KEYS, VIEWER_KEYS, CONTENTS_KEYS)
"""The help screen's sections, in order."""

PALETTE_ONLY = KeyGroup(
    "Palette only",
    "screen",
    (
        Key(
            "main.sync_with_git",
            "",
            "sync_with_git",
            "Sync",
            "Commit, pull and push the journal (mljournal sync)",
            palette="Sync with git",
        ),
        Key(
            "main.focus_navigator",
            "",
            "focus_pane(0)",
            "Navigator",
            "Roadmap, tags and timeline",
            palette="Focus navigator",
        ),
        Key(
            "main.focus_list",
            "",
            "focus_pane(1)",
            "Entries",
            "The entries matching the filter",
            palette="Focus entry list",
        ),
        Key("main.focus_viewer", "", "focus_pane(2)", "Viewer", "The selected entry", palette="Focus viewer"),
    ),
)
"""Main-screen commands with no key of their own: reached from the command palette only."""

PALETTE_GROUPS = (MAIN_KEYS, NAVIGATOR_KEYS, VIEWER_KEYS, PALETTE_ONLY)
"""What the main screen lists in the command palette, in order (each group's owner runs its commands)."""


@runtime_checkable
class HasPaletteCommands(Protocol):
    """A screen that lists its own actions in the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...


def palette_commands(groups: Iterable[KeyGroup], targets: Mapping[str, DOMNode]) -> Iterator[SystemCommand]:
    """A palette command for each key of `groups` with a palette title, run by its group's owner in `targets`.

    The help under the title is the key's help sentence and its keys: "Write a new entry (n)".
    """
    for group in groups:
        target = targets[group.owner]
        for key in group.keys:
            if key.palette is None:
                continue
            _namespace, name, arguments = parse(key.action)
            if key.palette_when_enabled and not target.check_action(name, arguments):
                continue
            names = key_names(key.keys)
            help_text = f"{key.help} ({', '.join(names)})" if names else key.help
            yield SystemCommand(
                key.palette, help_text, partial(getattr(target, f"action_{name}"), *arguments)
            )
