"""Running the `git` command line: a fixed argv, never a shell, never a prompt, always a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mljournal.core.journal import JournalError

LOCAL_TIMEOUT = 120.0
NETWORK_TIMEOUT = 120.0
"""Seconds before a git step is given up; generous, since a first push of a big journal takes a while."""


class SyncError(JournalError):
    """Sync could not go on; one sentence for the user. The journal's files are as they were, or committed."""


@dataclass(frozen=True, slots=True)
class GitOutput:
    code: int
    out: bytes
    err: str

    def first_line(self) -> str:
        """The first line of git's complaint, without its `fatal:`/`error:` prefix."""
        for line in self.err.splitlines():
            line = line.strip()
            for prefix in ("fatal:", "error:", "remote:"):
                if line.startswith(prefix):
                    line = line[len(prefix) :].strip()
            if line and not line.startswith("hint:"):
                return line.rstrip(".")
        return f"git stopped with code {self.code}"


class NetworkTrouble(Exception):
    """A fetch or push that could not reach the remote (offline, refused, timed out)."""


class Git:
    """The `git` command line run in the journal's folder, never through a shell, never prompting."""

    def __init__(self, root: Path, executable: str) -> None:
        self.root = root
        self.executable = executable
        self.env = dict(os.environ)
        # No prompt may wait for a user who isn't watching (the app runs sync in a thread).
        self.env.update(GIT_TERMINAL_PROMPT="0", GIT_MERGE_AUTOEDIT="no", GIT_EDITOR="true")
        self.prefix = ""
        """The journal's folder inside the repository (`""` at its top, else ending in `/`)."""

    @classmethod
    def find(cls, root: Path) -> Git:
        executable = shutil.which("git")
        if executable is None:
            raise SyncError("Sync needs git, and git is not installed (or not on PATH).")
        return cls(root, executable)

    def run(self, *args: str, timeout: float = LOCAL_TIMEOUT, check: bool = True) -> GitOutput:
        try:
            completed = subprocess.run(
                [self.executable, *args],
                cwd=self.root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SyncError(f"git {args[0]} took longer than {timeout:.0f} s and was stopped.") from error
        except OSError as error:
            raise SyncError(f"Could not run git: {error.strerror or error}.") from error
        output = GitOutput(
            completed.returncode, completed.stdout, completed.stderr.decode("utf-8", "replace")
        )
        if check and output.code != 0:
            raise SyncError(explain(args[0], output))
        return output

    def network(self, *args: str) -> GitOutput:
        """A step that talks to the remote: failing to reach it is `NetworkTrouble`, not an error."""
        if not any(self.env.get(name) for name in ("GIT_SSH_COMMAND", "GIT_SSH")) and not self.maybe(
            "config", "--get", "core.sshCommand"
        ):
            # ssh asks for a passphrase on /dev/tty, past our closed stdin: batch mode fails instead of waiting
            # (in the app that prompt would land in the middle of the screen).
            self.env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        try:
            output = self.run(*args, timeout=NETWORK_TIMEOUT, check=False)
        except SyncError as error:
            raise NetworkTrouble(str(error)) from error
        if output.code != 0:
            raise NetworkTrouble(output.first_line())
        return output

    def text(self, *args: str) -> str:
        return os.fsdecode(self.run(*args).out).strip()

    def maybe(self, *args: str) -> str | None:
        """The output of a query that may legitimately fail (an unset option, an unborn branch)."""
        output = self.run(*args, check=False)
        return os.fsdecode(output.out).strip() if output.code == 0 else None

    def journal_path(self, repo_path: str) -> str | None:
        """A repository path as a journal-relative path, or None when it lies outside the journal."""
        if not repo_path.startswith(self.prefix):
            return None
        return repo_path[len(self.prefix) :]

    def merging(self) -> bool:
        return self.maybe("rev-parse", "-q", "--verify", "MERGE_HEAD") is not None


def explain(command: str, output: GitOutput) -> str:
    if "Please tell me who you are" in output.err or "user.email" in output.err:
        return (
            'git doesn\'t know who you are yet: run `git config --global user.name "Your Name"` and '
            '`git config --global user.email "you@example.com"`, then sync again.'
        )
    return f"git {command} failed: {output.first_line()}."


def split_z(raw: bytes) -> list[str]:
    return [os.fsdecode(part) for part in raw.split(b"\0") if part]
