"""End to end: the real `broadsheet` in tmux keeps the user's stars, tags and notes in the data folder,
through quitting, deleting the index cache and being killed while a note is typed."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from index.entities.extractor import MODEL_ENV
from index.notebook.store import Notebook
from tests.test_e2e_tmux import Tmux, open_in_tmux
from tests.tui_support import FIXTURE_CORPUS

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

NOTE_HINT = "Esc closes"
"""The notes editor's border once the note is loaded and takes keys."""


def open_explorer(corpus: Path, cache: Path, data: Path) -> Tmux:
    """The program on ``corpus``, its notebook in ``data``; entities by the rules alone (no model)."""
    environment = {"BROADSHEET_DATA_DIR": str(data), MODEL_ENV: "no-such-model"}
    return open_in_tmux(corpus, cache, width=200, **environment)


def quit_program(terminal: Tmux) -> None:
    terminal.keys("q")
    deadline = time.monotonic() + 30
    while terminal.alive():
        assert time.monotonic() < deadline, f"q did not quit; the screen was:\n{terminal.screen()}"
        time.sleep(0.2)


def search(terminal: Tmux, query: str, expect: str) -> str:
    terminal.keys("/")
    terminal.keys("C-u")
    terminal.keys(query, literal=True)
    terminal.keys("Enter")
    return terminal.wait_for(expect)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, folder)
    return folder


@pytest.mark.timeout(180)
def test_star_tag_and_note_survive_quitting_and_deleting_the_index_cache(
    corpus: Path, tmp_path: Path, tmp_data: Path
):
    cache = tmp_path / "cache"
    terminal = open_explorer(corpus, cache, tmp_data)
    try:
        terminal.wait_for("8 articles")
        search(terminal, "sea wall", "hit 1/")
        terminal.keys("*")
        terminal.wait_for("★ starred")
        terminal.keys("t")
        terminal.wait_for("Tags of")
        terminal.keys("flood-risk", literal=True)
        terminal.keys("Enter")
        terminal.wait_for("#flood-risk")
        terminal.keys("a")
        terminal.wait_for(NOTE_HINT)
        terminal.keys("Ask the council [bold]why[/bold]", literal=True)
        terminal.wait_for("✎ Ask the council [bold]why[/bold]")
        terminal.keys("Escape")
        time.sleep(0.3)
        quit_program(terminal)

        for reopening in ("the same index", "a rebuilt index"):
            if reopening == "a rebuilt index":
                shutil.rmtree(cache)
            terminal = open_explorer(corpus, cache, tmp_data)
            terminal.wait_for("8 articles")
            search(terminal, "starred:yes AND tag:flood-risk AND note:council", "1 article")
            screen = terminal.wait_for("★ starred  #flood-risk  ✎ Ask the council [bold]why[/bold]")
            assert "★ Harbour Council approves" in screen, reopening
            quit_program(terminal)
    finally:
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)


@pytest.mark.timeout(120)
def test_killing_the_program_while_a_note_is_typed_loses_at_most_the_last_keystroke(
    corpus: Path, tmp_path: Path, tmp_data: Path
):
    typed = "Pumps fail at dawn"
    terminal = open_explorer(corpus, tmp_path / "cache", tmp_data)
    tree: list[psutil.Process] = []
    try:
        terminal.wait_for("8 articles")
        terminal.keys("a")
        terminal.wait_for(NOTE_HINT)
        for key in typed:
            terminal.keys(key, literal=True)
            time.sleep(0.05)
        terminal.wait_for(typed)
        program = terminal.program()
        tree = [program, *program.children(recursive=True)]
        program.send_signal(signal.SIGKILL)
        program.wait(timeout=10)
    finally:
        for process in tree:
            if process.is_running():
                process.kill()
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)

    notebook = Notebook.existing(corpus)
    assert notebook is not None
    with notebook:
        [noted] = notebook.noted_articles()
    assert typed.startswith(noted.note) and len(noted.note) >= len(typed) - 1, noted.note
