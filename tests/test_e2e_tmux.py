"""End to end: the real `broadsheet` in a real terminal (tmux), typed at, read back with its colours."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.tui_support import FIXTURE_CORPUS

REPO = Path(__file__).resolve().parents[1]
SGR = re.compile(r"\x1b\[([0-9;]*)m")
SGR_BEFORE_STORM = re.compile(r"\x1b\[([0-9;]*)m(?=storm)")
BACKGROUND = re.compile(r"(?:^|;)(48;(?:5;\d+|2;\d+;\d+;\d+))")

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


def broadsheet_command() -> list[str]:
    installed = Path(sys.executable).with_name("broadsheet")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "tui"]


class Tmux:
    """One session on a tmux server of its own (``-L``), so no other tmux user can disturb it."""

    def __init__(self, session: str) -> None:
        self.session = session
        self.command = ["tmux", "-L", session]

    def run(self, *args: str) -> str:
        return subprocess.run([*self.command, *args], check=True, capture_output=True, text=True).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self, colours: bool = False) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, *(["-e"] if colours else []))

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return (
            subprocess.run([*self.command, "has-session", "-t", self.session], capture_output=True).returncode
            == 0
        )


@pytest.fixture
def terminal(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    session = f"broadsheet-e2e-{uuid.uuid4().hex[:8]}"
    environment = {
        "BROADSHEET_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [*(f"{name}={value}" for name, value in environment.items()), *broadsheet_command(), str(corpus)]
    )
    subprocess.run(
        [
            "tmux",
            "-L",
            session,
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            f"cd {REPO} && {command}",
        ],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    tmux = Tmux(session)
    yield tmux
    subprocess.run([*tmux.command, "kill-server"], capture_output=True, check=False)


def test_typing_a_query_shows_highlighted_results_and_reader(terminal: Tmux):
    terminal.wait_for("8 articles")
    terminal.keys("/")
    time.sleep(0.3)
    terminal.keys("storm", literal=True)
    terminal.wait_for("6 articles")
    terminal.keys("Escape")
    time.sleep(0.3)
    terminal.keys("Enter")
    screen = terminal.wait_for("hit 1/")
    assert "storm" in screen
    assert "Traceback" not in screen

    coloured = terminal.screen(colours=True)
    before_storm = SGR_BEFORE_STORM.findall(coloured)
    assert any("7" in codes.split(";") for codes in before_storm), "results highlight (reverse) missing"
    backgrounds = Counter(match for codes in SGR.findall(coloured) for match in BACKGROUND.findall(codes))
    usual = backgrounds.most_common(1)[0][0]
    marked = {match for codes in before_storm for match in BACKGROUND.findall(codes)}
    assert marked - {usual}, f"no highlighted background before a hit in the reader: {before_storm}"


def test_q_quits_cleanly(terminal: Tmux):
    terminal.wait_for("8 articles")
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive()
