"""End to end: the real `broadsheet` in a real terminal (tmux), typed at, read back with its colours."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import psutil
import pytest

from index.entities.phase import WORKERS_ENV
from tests.fault_support import is_entity_worker
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

    def wait_for_match(self, pattern: re.Pattern[str], timeout: float = 60.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = pattern.search(self.screen())
            if match:
                return match
            time.sleep(0.2)
        raise AssertionError(f"{pattern.pattern!r} never matched; the screen was:\n{self.screen()}")

    def program(self) -> psutil.Process:
        """The program running in the pane (the pane's shell exec'd it)."""
        return psutil.Process(int(self.run("display-message", "-p", "-t", self.session, "#{pane_pid}")))

    def alive(self) -> bool:
        return (
            subprocess.run([*self.command, "has-session", "-t", self.session], capture_output=True).returncode
            == 0
        )


def open_in_tmux(corpus: Path, cache: Path, *, width: int = 120, height: int = 40, **extra: str) -> Tmux:
    """The real program on ``corpus`` in a tmux session of its own, with a private cache."""
    session = f"broadsheet-e2e-{uuid.uuid4().hex[:8]}"
    environment = {
        "BROADSHEET_CACHE_DIR": str(cache),
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
        **extra,
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
            str(width),
            "-y",
            str(height),
            f"cd {REPO} && exec env {command}",
        ],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    return Tmux(session)


@pytest.fixture
def terminal(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    tmux = open_in_tmux(corpus, tmp_path / "cache")
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


LAST_OF_ALL = re.compile(r"(\d[\d,]*) / \1\b")
"""The results list's position when the cursor is on the last result: "2,225 / 2,225"."""
QUIT_TIMEOUT = 30.0
"""Seconds every process of the program's tree gets to end after q (the machine may be busy)."""


def test_a_newcomers_first_hour_on_bbc(bbc_dir: Path, tmp_path: Path):
    """The journey of issue 18 on the real BBC corpus, opened for the first time: Enter moves on to
    the results so that `n` steps through hits instead of landing in the query; End reaches the last
    of 2,000-odd results at once and says where it is; q in the middle of the entity phase ends the
    program and every process it started."""
    terminal = open_in_tmux(bbc_dir, tmp_path / "cache", width=160, height=48, **{WORKERS_ENV: "2"})
    tree: list[psutil.Process] = []
    try:
        terminal.wait_for("2,225 articles", timeout=300)

        terminal.keys("/")
        terminal.keys("blair AND election", literal=True)
        terminal.keys("Enter")
        terminal.wait_for("hit 1/", timeout=60)
        terminal.keys("n")
        screen = terminal.wait_for("hit 2/", timeout=30)
        assert "electionn" not in screen

        terminal.keys("/")
        terminal.keys("C-u")
        terminal.keys("the", literal=True)
        terminal.keys("Enter")
        terminal.wait_for("hit 1/", timeout=60)
        terminal.keys("End")
        last = terminal.wait_for_match(LAST_OF_ALL, timeout=60)
        assert int(last.group(1).replace(",", "")) > 2000

        program = terminal.program()
        deadline = time.monotonic() + 300
        while sum(map(is_entity_worker, program.children(recursive=True))) < 2:
            assert time.monotonic() < deadline, f"no entity workers; the screen was:\n{terminal.screen()}"
            time.sleep(0.5)
        tree = [program, *program.children(recursive=True)]

        terminal.keys("q")
        _, survivors = psutil.wait_procs(tree, timeout=QUIT_TIMEOUT)
        assert not survivors, f"still running {QUIT_TIMEOUT:.0f} s after q: {survivors}"
    finally:
        for process in tree:
            if process.is_running():
                process.kill()
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)


def copies_corpus(folder: Path) -> Path:
    """A story about floodgates run by a paper, copied word for word by a wire agency, then edited
    by another paper (a word changed, a paragraph added); and a story of its own."""
    from tests.duplicates_support import body, story

    sentences = ["Floodgates failed at the Veldt docks on Sunday.", *story(1)]
    edited = [sentences[0].replace("Sunday", "Monday"), *sentences[1:]]
    records = {
        "courier.json": ("Veldt Courier", "2021-04-01", body(sentences)),
        "wire.json": ("Wire Agency", "2021-04-02", body(sentences)),
        "times.json": ("Tessaly Times", "2021-04-03", body(edited) + "\n\nMore to follow tonight."),
        "other.json": ("Amsel Gazette", "2021-04-04", body(story(2))),
    }
    folder.mkdir(parents=True)
    for name, (source, date, text) in records.items():
        record = {"title": "Docks closed", "source": source, "date": date, "text": text}
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_copies_of_a_story_fold_into_one_result_and_compare_side_by_side(tmp_path: Path):
    """Issue 15's journey: c folds the three copies into one line ("+2 similar"), + lists them
    oldest first with their sources and dates, d compares two copies side by side with the
    differing words marked in colours of their own, n moves on to the next pair, Esc returns."""
    terminal = open_in_tmux(copies_corpus(tmp_path / "corpus"), tmp_path / "cache")
    try:
        terminal.wait_for("4 articles")
        terminal.keys("/")
        terminal.keys("floodgates", literal=True)
        terminal.keys("Enter")
        terminal.wait_for("hit 1/")
        terminal.wait_for("mentions")  # the entity phase, which runs after the duplicates phase
        terminal.keys("c")
        terminal.wait_for("+2 similar")
        terminal.wait_for("1 article")
        terminal.keys("+")
        screen = terminal.wait_for("2021-04-03  Tessaly Times")
        rows = [
            screen.index(row) for row in ("Veldt Courier  cour", "Wire Agency  wire", "Tessaly Times  time")
        ]
        assert rows == sorted(rows), screen

        terminal.keys("d")
        screen = terminal.wait_for("3 copies of this story")
        screen = terminal.wait_for("The two copies have the same words.")
        assert "Veldt Courier · 2021-04-01" in screen and "Wire Agency · 2021-04-02" in screen
        terminal.keys("n")
        screen = terminal.wait_for("Tessaly Times · 2021-04-03")
        screen = terminal.wait_for("only in the newer")
        assert "More to follow tonight." in screen
        coloured = terminal.screen(colours=True)
        marks = {
            word: BACKGROUND.findall(";".join(SGR.findall(coloured.partition(word)[0][-40:])))
            for word in ("Sunday", "Monday")
        }
        assert marks["Sunday"] and marks["Monday"] and marks["Sunday"][-1] != marks["Monday"][-1], marks
        assert "Traceback" not in screen

        terminal.keys("Escape")
        terminal.wait_for("+2 similar")
    finally:
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)
