"""The Textual app: theme, the main screen, and central handling of worker failures. Kept deliberately thin."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from mljournal.core.config import Config, ConfigWriteError, load_config, remember_setting
from mljournal.core.dates import local_now
from mljournal.core.journal import Journal
from mljournal.tui.keys import APP_KEYS, HasPaletteCommands
from mljournal.tui.text import one_line, strip_controls

READY_EXIT_ENV = "MLJOURNAL_EXIT_WHEN_READY"
"""When set, the app exits as soon as the first screen is usable (the bench times process start to ready)."""


class MLJournalApp(App[None]):
    """mljournal's terminal UI over one journal."""

    TITLE = "mljournal"
    CSS_PATH = "mljournal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = APP_KEYS.bindings()

    def __init__(
        self,
        journal: Journal,
        *,
        clock: Callable[[], datetime] | None = None,
        watch: bool = True,
        watch_debounce_ms: int = 300,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.journal = journal
        self.config = config or Config()
        """Settings from mljournal.toml (theme, external editor, default tags)."""
        self.clock: Callable[[], datetime] = clock or local_now
        """Source of "now" for new entries and relative dates; tests fix it."""
        self.watch_files = watch
        self.watch_debounce_ms = watch_debounce_ms
        self.exit_when_ready = bool(os.environ.get(READY_EXIT_ENV))
        self.sub_title = one_line(journal.name, 60)
        self._theme_applied = False
        """Set once the settings' theme is on: later changes come from the user and are remembered."""

    def on_mount(self) -> None:
        from mljournal.tui.journal_sync import WatchSettings
        from mljournal.tui.screens.main import MainScreen

        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.notify(
                f"Unknown theme {one_line(self.config.theme, 40)!r} in the settings; ctrl+p lists the themes.",
                severity="warning",
            )
        self._theme_applied = True
        watch = WatchSettings(self.watch_files, self.watch_debounce_ms, self.exit_when_ready)
        self.push_screen(MainScreen(self.journal, clock=self.clock, config=self.config, watch=watch))

    def watch_theme(self, theme: str) -> None:
        # A theme picked in the command palette is kept for next time, in the user's settings file.
        if self._theme_applied and theme != self.config.theme:
            self._remember_theme(theme)

    @work(thread=True, exclusive=True, group="remember-theme", exit_on_error=False)
    def _remember_theme(self, theme: str) -> None:
        try:
            path = remember_setting("theme", theme)
        except ConfigWriteError as error:
            self.call_from_thread(
                self.notify, one_line(str(error), 300), title="Theme not remembered", severity="warning"
            )
            return
        self.call_from_thread(self._theme_remembered, theme, str(path))

    def _theme_remembered(self, theme: str, path: str) -> None:
        self.config = replace(self.config, theme=theme)
        self.notify(
            f"Theme {one_line(theme, 40)} remembered in {one_line(path, 200)}.", timeout=3, markup=False
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast, with entry text in it (a title, a path, an error quoting the file) made safe to draw.

        Every notification of every screen and widget comes through here, so none can carry an escape
        sequence to the terminal, whoever built the message.
        """
        super().notify(
            strip_controls(message),
            title=strip_controls(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False, so a failure lands here instead of killing the app.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name!r} failed", error)
            self.notify(
                one_line(f"{type(error).__name__}: {error}", 300),
                title="Something went wrong",
                severity="error",
            )

    async def action_quit(self) -> None:
        """Quit; when a screen holds unsaved work (editor, new-entry form, tag editor), ask first.

        Every quit comes here: ctrl+q, `q`, and the palette's Quit all call this action.
        """
        from mljournal.tui.dialogs.quit import HoldsUnsavedWork, QuitAnswer, QuitDialog, SavesBeforeQuit

        if isinstance(self.screen, QuitDialog):
            return  # already asking; a second ctrl+q must not quit behind the question
        unsaved = [
            screen
            for screen in reversed(self.screen_stack)
            if isinstance(screen, HoldsUnsavedWork) and screen.has_unsaved_changes()
        ]
        if not unsaved:
            self.exit()
            return
        saver = unsaved[0] if len(unsaved) == 1 and isinstance(unsaved[0], SavesBeforeQuit) else None

        def answered(answer: QuitAnswer | None) -> None:
            if answer is None or not answer.quit:
                return
            if answer.save_first and saver is not None:
                saver.save_and_quit()
            else:
                self.exit()

        names = [screen.unsaved_work_name() for screen in unsaved]
        self.push_screen(QuitDialog(names, can_save=saver is not None), answered)

    def action_help(self) -> None:
        """Show every key binding, grouped by pane."""
        from mljournal.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the focused screen in the command palette, then Textual's own (theme, quit...)."""
        if isinstance(screen, HasPaletteCommands):
            yield from screen.palette_commands()
        yield SystemCommand("Help", "Show every key binding, grouped by pane", self.action_help)
        yield from super().get_system_commands(screen)


def make_app(
    journal: Journal,
    *,
    clock: Callable[[], datetime] | None = None,
    watch: bool = True,
    config: Config | None = None,
) -> MLJournalApp:
    """The app for `journal`; shared by the CLI and the tests (which fix `clock` and turn `watch` off)."""
    return MLJournalApp(journal, clock=clock, watch=watch, config=config)


def run_tui(journal: Journal) -> None:
    """Open the full-screen app on `journal` with its settings, and return when the user quits."""
    config, _problems = load_config(journal)  # `mljournal check` reports the problems
    make_app(journal, watch=config.watch, config=config).run()
