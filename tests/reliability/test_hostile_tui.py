"""The TUI shows hostile text literally, triggers nothing when it is clicked, and opens no link by itself.

Also: a journal whose state folder cannot be written still opens, shows its entries, and says it is read-only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from reliability_helpers import entry_text, write_files
from textual.pilot import Pilot
from textual.widgets import Markdown

from mljournal.core.journal import Journal
from mljournal.tui.app import MLJournalApp, make_app
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

SIZE = (140, 40)
HOSTILE = "entries/2024-03-20-hostile.md"
HOSTILE_TITLE_YAML = (
    r"[@click=app.quit]click me[/] [bold]b[/bold] [link=file:///etc/passwd]L[/link] \e]0;pwned\a"
)
LINKS_BODY = """\
[passwd](file:///etc/passwd) [js](javascript:alert(1)) [action](app.quit) [up](../../../etc/passwd.md)
[shell]($(touch /tmp/mljournal-pwned)) [data](data:text/html,hi) [ssh](ssh://example.com)
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def hostile_journal(tmp_path: Path) -> Journal:
    return write_files(
        tmp_path / "journal",
        {
            HOSTILE: f'---\ntitle: "{HOSTILE_TITLE_YAML}"\ndate: 2024-03-20\n---\n\n{LINKS_BODY}',
            "entries/2024-03-01-calm.md": entry_text("Calm", "nothing to see"),
        },
    )


def app_for(journal: Journal) -> MLJournalApp:
    return make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)


async def settle(pilot: Pilot[None]) -> MainScreen:
    app = pilot.app
    for _ in range(80):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        busy = any(w.is_running for w in app.workers if not w.group.startswith("watch"))
        if isinstance(screen, MainScreen) and screen.ready and not busy:
            return screen
    raise AssertionError("the main screen never became ready")


async def test_a_click_on_a_hostile_title_triggers_nothing(tmp_path: Path) -> None:
    app = app_for(hostile_journal(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.select_path(HOSTILE)
        await settle(pilot)
        row = "".join(segment.text for segment in entries.render_line(entries.cursor))
        assert "[@click=app.quit]click me" in row  # the narrow list pane cuts the rest with an ellipsis
        card = screen.query_one("#viewer-card")
        card_text = str(card.render())
        assert (
            "[@click=app.quit]click me[/]" in card_text and "[link=file:///etc/passwd]L[/link]" in card_text
        )
        assert "\x1b" not in card_text + row and "\x07" not in card_text + row
        # Hover and click every cell of the title in the card and the row: a live [@click] would quit.
        row_y = entries.cursor - int(entries.scroll_offset.y)
        for x in range(0, 40, 3):
            await pilot.hover(card, offset=(x, 0))
            await pilot.click(card, offset=(x, 0))
            await pilot.hover(entries, offset=(x, row_y))
            await pilot.click(entries, offset=(x, row_y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, MainScreen)


async def test_links_in_an_entry_never_run_or_open_anything(tmp_path: Path) -> None:
    opened: list[str] = []
    app = app_for(hostile_journal(tmp_path))
    app.open_url = lambda url, **_kwargs: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path(HOSTILE)
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        for href in (
            "file:///etc/passwd",
            "javascript:alert(1)",
            "app.quit",
            "../../../etc/passwd.md",
            "$(touch /tmp/mljournal-pwned)",
            "data:text/html,hi",
            "ssh://example.com",
            "/etc/passwd",
        ):
            viewer.markdown.post_message(Markdown.LinkClicked(viewer.markdown, href))
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), f"{href} opened {app.screen!r}"
            assert viewer.rendered_path == HOSTILE, f"{href} navigated away"
        assert opened == []
        assert app.is_running and app.return_code is None
    assert not Path("/tmp/mljournal-pwned").exists()


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Journal:
    journal = hostile_journal(tmp_path)
    journal.state_dir.write_text("not a folder", encoding="utf-8")
    return journal


def test_a_read_only_journal_index_is_shared_by_the_worker_threads(read_only_journal: Journal) -> None:
    """The TUI syncs in one worker thread and queries in others; on a read-only journal both must agree.

    Checked at the data layer with two real threads, since which pool thread runs a Textual worker varies
    (a Pilot test of this passes or fails by luck).
    """
    from concurrent.futures import ThreadPoolExecutor

    from mljournal.tui.data import run_query, thread_index

    with ThreadPoolExecutor(max_workers=1) as syncer, ThreadPoolExecutor(max_workers=1) as reader:
        syncer.submit(lambda: thread_index(read_only_journal).sync()).result()
        page = reader.submit(run_query, read_only_journal, "", 50).result()
    assert page.total == 2


async def test_a_read_only_journal_says_so(read_only_journal: Journal) -> None:
    app = app_for(read_only_journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "read-only" in said.lower() or "cannot be written" in said.lower(), said
