"""Following the viewer's links: the back/forward history of places read, the link picker (`f`), and asking
before a web link opens in the browser.

`LinkFollower` is a non-visual widget the main screen mounts. The screen hands it the viewer's link messages
with what the viewer shows now, and a callback that opens a place (an entry's path, or `topic:ID` for a
topic's page) in the panes; nothing here touches a pane.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from mljournal.tui.dialogs.links import ConfirmOpenLink, LinkPicker
from mljournal.tui.places import PlaceHistory


class LinkFollower(Widget):
    """Keeps where links led and asks which link to follow; shows nothing."""

    DEFAULT_CSS = """
    LinkFollower {
        display: none;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.history = PlaceHistory()
        """The places left by following links, and those gone back from."""

    def follow(self, current: str | None, target: str, open_place: Callable[[str], None]) -> None:
        """A link from `current` (what the viewer shows) to `target` was followed: remember it, then open it."""
        if self.history.followed(current, target):
            self.refresh_bindings()  # back/forward show in the footer only while they lead somewhere
        open_place(target)

    def go(self, step: int, current: str | None, open_place: Callable[[str], None]) -> None:
        """Go back (-1) to the place a link was followed from, or forward (1) again, keeping `current`."""
        place = self.history.go(step, current)
        if place is not None:
            open_place(place)
            self.refresh_bindings()

    def can_go(self, step: int) -> bool:
        """Whether there is a place to go back (-1) or forward (1) to."""
        return self.history.can_go(step)

    def pick(self, links: list[tuple[str, str]], follow: Callable[[str], None]) -> None:
        """Offer the entry's (text, href) links; `follow` gets the chosen href."""

        def chosen(href: str | None) -> None:
            if href:
                follow(href)

        self.app.push_screen(LinkPicker(links), chosen)

    def confirm_web_link(self, href: str) -> None:
        """Ask before `href` opens in the browser."""

        def answered(open_it: bool | None) -> None:
            if open_it:
                self.app.open_url(href)

        self.app.push_screen(ConfirmOpenLink(href), answered)
