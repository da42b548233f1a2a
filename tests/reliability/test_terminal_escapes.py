"""Escape sequences in an entry's body never reach the terminal: the app shows them as visible placeholders.

A body holding `ESC[2J`, a cursor move, an OSC 0 window title, an OSC 52 clipboard write, an OSC 8 hyperlink,
C1 controls or bidi overrides is drawn with those characters made visible (`␛]0;…␇`), in paragraphs, code
blocks, tables, link targets, headings (and so the table of contents), the link picker and notifications.
Checked twice: with Pilot, on what the compositor would send to the terminal, and with the real app on a pty.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_helpers import write_files
from rich.console import Console
from test_hostile_tui import app_for, settle
from textual.pilot import Pilot

from mljournal.core.journal import Journal
from mljournal.tui.dialogs.links import LinkPicker
from mljournal.tui.text import one_line, strip_controls
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.viewer import EntryViewer

ESC = "\x1b"
BEL = "\x07"
HOSTILE_PATH = "entries/2024-03-20-escapes.md"
HOSTILE_BODY = (
    f"# Heading {ESC}]0;PWNED-HEADING{BEL} here\n\n"
    f"Wipe{ESC}[2J then move{ESC}[5;5H then title {ESC}]0;PWNED-TITLE{BEL} then clipboard "
    f"{ESC}]52;c;UFdORUQtQ0xJUA=={BEL} then {ESC}]8;;http://evil.example/{ESC}\\hyperlink{ESC}]8;;{ESC}\\ "
    "then C1 \x9b2J and \x9d0;PWNED-C1\x9c and bidi \u202eRLO\u202c \u2066isolate\u2069 NUL\x00 DEL\x7f.\n\n"
    f"[a link](http://example.com/{ESC}]0;PWNED-LINK{BEL})\n\n"
    "| column | other |\n| --- | --- |\n"
    f"| {ESC}]0;PWNED-TABLE{BEL} | {ESC}[31mred |\n\n"
    f"```python\nprint('{ESC}]0;PWNED-CODE{BEL}')  # {ESC}]52;c;Y29kZQ=={BEL}\n```\n"
)
# What must never come out of the app: the payloads as the terminal would obey them.
TERMINAL_COMMANDS = (
    f"{ESC}]0;PWNED",
    f"{ESC}]52;",
    f"{ESC}]8;;http://evil",
    f"Wipe{ESC}[2J",
    f"move{ESC}[5;5H",
    "\x9b2J",
    "\x9d0;PWNED",
    "\u202e",
    "\u2066",
)
# Controls the one filter must never let through (tab and newline are layout, not commands).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_journal(tmp_path: Path) -> Journal:
    front = '---\ntitle: "Escapes"\ndate: 2024-03-20\ntags: [hostile]\n---\n\n'
    return write_files(
        tmp_path / "journal", {HOSTILE_PATH: (front + HOSTILE_BODY).encode("utf-8")}, index=True
    )


# -- the filter ------------------------------------------------------------------------------------------------


def test_the_filter_shows_every_control_as_a_placeholder() -> None:
    shown = strip_controls(HOSTILE_BODY)
    assert not RAW_CONTROL.search(shown)
    assert "␛]0;PWNED-TITLE␇" in shown and "Wipe␛[2J" in shown and "NUL␀ DEL␡" in shown
    assert "\\x9b2J" in shown and "\\u202eRLO\\u202c" in shown and "\\u2066isolate\\u2069" in shown
    assert shown.count("\n") == HOSTILE_BODY.count("\n")  # the layout of the body is kept


@settings(max_examples=300)
@given(st.text())
def test_no_control_survives_the_filter(text: str) -> None:
    assert not RAW_CONTROL.search(strip_controls(text))
    assert not RAW_CONTROL.search(one_line(text)) and "\n" not in one_line(text)


# -- Pilot: what the compositor would write ------------------------------------------------------------------


def screen_output(pilot: Pilot[None]) -> str:
    """The exact text Textual would send to the terminal for a full repaint of the current screen."""
    console = Console(
        force_terminal=True, color_system="truecolor", width=pilot.app.size.width, legacy_windows=False
    )
    update = pilot.app.screen._compositor.render_full_update()
    return update.render_segments(console)


def assert_nothing_hostile(output: str) -> None:
    for command in TERMINAL_COMMANDS:
        assert command not in output, f"{command!r} reached the terminal"


pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_hostile_body_is_drawn_with_visible_placeholders(tmp_path: Path) -> None:
    app = app_for(hostile_journal(tmp_path))
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await settle(pilot)
        assert screen.query_one(EntryList).select_path(HOSTILE_PATH)
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert viewer.rendered_path == HOSTILE_PATH
        output = screen_output(pilot)
        assert_nothing_hostile(output)
        # Everything the Markdown widget builds (paragraphs, table cells, code, link targets) comes from this.
        assert not RAW_CONTROL.search(viewer.markdown.source)
        assert "PWNED-TITLE" in output and "␛]0;" in output  # shown, not obeyed
        assert "PWNED-TABLE" in output and "PWNED-CODE" in output

        # The table of contents, built from the headings.
        viewer.focus()
        await pilot.press("c")
        await settle(pilot)
        output = screen_output(pilot)
        assert "PWNED-HEADING" in output
        assert_nothing_hostile(output)
        await pilot.press("escape")

        # The link picker lists the link's target.
        viewer.show_contents = False
        viewer.focus()
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        output = screen_output(pilot)
        assert "PWNED-LINK" in output
        assert_nothing_hostile(output)
        await pilot.press("escape")
        await settle(pilot)

        # A notification quoting entry text (an unknown link type names the link).
        viewer.follow(f"evil:{ESC}]0;PWNED-NOTE{BEL}")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("PWNED-NOTE" in message for message in messages)
        assert not any(RAW_CONTROL.search(message) for message in messages)
        assert_nothing_hostile(screen_output(pilot))


async def test_the_editor_keeps_the_controls_but_draws_placeholders(tmp_path: Path) -> None:
    from mljournal.tui.notes.editor import EditorScreen

    journal = hostile_journal(tmp_path)
    app = app_for(journal)
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await settle(pilot)
        assert screen.query_one(EntryList).select_path(HOSTILE_PATH)
        await settle(pilot)
        screen.query_one(EntryList).focus()
        await pilot.press("e")
        for _ in range(100):
            await pilot.pause()
            editor = app.screen
            if isinstance(editor, EditorScreen) and not editor.text_area.read_only:
                break
        else:
            raise AssertionError("the editor never loaded")
        # The text to edit is the file's, controls and all: saving must not rewrite them.
        assert f"{ESC}]0;PWNED-TITLE{BEL}" in editor.text_area.text
        output = screen_output(pilot)
        assert_nothing_hostile(output)
        assert "␛]0;PWNED-TITLE␇" in output and "NUL␀ DEL␡" in output


# -- a real terminal: the app on a pty -------------------------------------------------------------------------


def read_for(fd: int, seconds: float, until: bytes | None = None) -> bytes:
    """Everything the app writes to the pty for up to `seconds` (sooner once `until` has been seen)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the pty
            break
        if not data:
            break
        chunks.append(data)
        if until is not None and until in b"".join(chunks[-4:]):
            break
    return b"".join(chunks)


@pytest.mark.slow
def test_the_real_app_writes_no_payload_to_the_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    journal = hostile_journal(tmp_path)
    parent, child = pty.openpty()
    os.set_blocking(parent, True)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
    env.pop("MLJOURNAL_EXIT_WHEN_READY", None)
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mljournal", "--journal", str(journal.root)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(child)
    output = b""
    try:
        # The single entry is selected on start and its body shown; wait for its text to arrive.
        output += read_for(parent, 60, until=b"PWNED-TABLE")
        output += read_for(parent, 2)
        os.write(parent, b"e")  # the built-in editor draws the same body
        editor = read_for(parent, 30, until=b"PWNED-TABLE")
        assert b"PWNED-TABLE" in editor, "the editor never drew the body"
        output += editor + read_for(parent, 2)
        os.write(parent, b"\x1b")  # back to the main screen (nothing was changed)
        output += read_for(parent, 3)
        os.write(parent, b"q")
        output += read_for(parent, 20)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        os.close(parent)
    text = output.decode("utf-8", errors="replace")
    assert "PWNED-TITLE" in text, "the entry's body was never drawn"
    for command in TERMINAL_COMMANDS:
        assert command not in text, f"{command!r} reached the terminal"
    assert b"\xc2\x9b" not in output and b"\xc2\x9d" not in output  # C1 controls, UTF-8 encoded


async def test_the_rename_prompt_shows_a_hostile_topic_title_safely(tmp_path: Path) -> None:
    from textual.widgets import Input

    from mljournal.tui.dialogs.prompt import TextPrompt
    from mljournal.tui.widgets.navigator import Navigator

    journal = hostile_journal(tmp_path)
    journal.roadmap_path.write_text(
        'topics:\n  - id: evil\n    title: "Evil \\e]0;PWNED-TOPIC\\a topic"\n', encoding="utf-8"
    )
    before = journal.roadmap_path.read_bytes()
    app = app_for(journal)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await settle(pilot)
        navigator = screen.query_one(Navigator)
        assert navigator.select_key("topic:evil")
        await settle(pilot)
        navigator.focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        value = app.screen.query_one(Input).value
        assert "PWNED-TOPIC" in value and not RAW_CONTROL.search(value)
        assert_nothing_hostile(screen_output(pilot))
        await pilot.press("enter")  # left as shown: nothing to rename
        await settle(pilot)
    assert journal.roadmap_path.read_bytes() == before
