"""The main screen's start-up bookkeeping: loading the navigator's data, and knowing when the screen is ready.

`StartUp` is a non-visual widget the main screen mounts. Its thread worker reads the navigator's tree and
counts (at start-up, and again whenever the files or the roadmap change) and posts `NavigatorLoaded`, which
bubbles up to the screen. The screen is ready once the list has its first results and the navigator its
tree; until then the entry highlighted first waits here. Nothing here touches a pane.
"""

from __future__ import annotations

from textual import work
from textual.widget import Widget

from mljournal.core.journal import Journal
from mljournal.tui.data import load_navigator_data
from mljournal.tui.messages import NavigatorLoaded


class StartUp(Widget):
    """Loads the navigator's data and keeps what the first screen waits for; shows nothing."""

    DEFAULT_CSS = """
    StartUp {
        display: none;
    }
    """

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.ready = False
        """True once the list has its first results and the navigator its tree."""
        self.first_entry: str | None = None
        """The entry highlighted before the screen was ready: the viewer shows it once it is."""
        self._navigator_loaded = False
        self._pending_topic: str | None = None

    def load_navigator(self, topic: str | None = None) -> None:
        """Read the navigator's tree and counts again, in a worker; `topic` gets the cursor once they show."""
        if topic is not None:
            self._pending_topic = topic
        self._load_navigator()

    @work(thread=True, exclusive=True, group="navigator-load", exit_on_error=False)
    def _load_navigator(self) -> None:
        self.post_message(NavigatorLoaded(load_navigator_data(self.journal)))

    def navigator_shown(self) -> str | None:
        """The navigator shows the data loaded: the topic to put its cursor on, if one waits."""
        self._navigator_loaded = True
        topic, self._pending_topic = self._pending_topic, None
        return topic

    def becomes_ready(self, list_loaded: bool) -> bool:
        """Whether the screen is ready just now (and not before): `list_loaded` and the navigator shown."""
        if self.ready or not list_loaded or not self._navigator_loaded:
            return False
        self.ready = True
        return True
