"""End to end: the real `broadsheet` in tmux keeps what the user made in the data folder (stars, tags,
notes, corrected entities, saved searches, the history of searches) through quitting, deleting the
index cache and being killed while a note is typed; and its export is a CSV file that reads back."""

from __future__ import annotations

import csv
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
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
NOTED = "starred:yes AND tag:flood-risk AND note:council"
"""The search for the article starred, tagged and noted; the last one searched in every run."""


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


def wait_until(terminal: Tmux, holds: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
    """The screen, once ``holds`` is true of it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = terminal.screen()
        if holds(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"never {what}; the screen was:\n{terminal.screen()}")


def in_sidebar(name: str, screen: str) -> bool:
    """Whether the entity sidebar lists ``name``: the name, then its count against the border (a
    notice about the entity, or the article's text, is not a line of the sidebar)."""
    return re.search(rf"│ {re.escape(name)} +\d+ │", screen) is not None


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


def star_tag_and_note(terminal: Tmux) -> None:
    """The article under the results cursor: starred, tagged "flood-risk", a note written."""
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
    wait_until(terminal, lambda screen: NOTE_HINT not in screen, "closed the notes editor")


def curate_from_the_sidebar(terminal: Tmux) -> None:
    """In the sidebar of the article open (back in the results list): its organisation renamed,
    then its sum of money hidden."""
    listed = ("Harbour Council", "€12 million")
    wait_until(terminal, lambda screen: all(in_sidebar(name, screen) for name in listed), "listed both")
    terminal.keys("Tab", "Tab")  # results, reader, sidebar
    terminal.keys("j", "r")
    terminal.wait_for("A new name for 'Harbour Council' (ORG):")
    terminal.keys("C-u")
    terminal.keys("Harbour Board", literal=True)
    terminal.keys("Enter")
    wait_until(terminal, lambda screen: in_sidebar("Harbour Board", screen), "listed the new name")
    terminal.keys("j", "h")
    terminal.wait_for("Done: hide '€12 million' (MONEY)")


def save_search(terminal: Tmux, name: str) -> None:
    terminal.keys("C-s")
    terminal.wait_for("Save 'sea wall' as")
    terminal.keys(name, literal=True)
    terminal.keys("Enter")
    terminal.wait_for(f"Saved '{name}'")


def export_csv(terminal: Tmux, path: Path) -> None:
    terminal.keys("E")
    terminal.wait_for("broadsheet-export-")  # the file offered, in the box that has the focus
    terminal.keys("C-u")
    terminal.keys(str(path), literal=True)
    terminal.keys("Enter")
    terminal.wait_for("Exported 3 articles")


def reopen_saved_search(terminal: Tmux, name: str) -> str:
    """L, then Enter on the saved search: the screen once its first article is open, entities shown."""
    terminal.keys("L")
    terminal.wait_for("Enter reopens")
    terminal.keys("Enter")
    terminal.wait_for(f"Reopened '{name}'")
    return wait_until(
        terminal,
        lambda screen: "3 articles" in screen and "hit 1/3" in screen and in_sidebar("Harbour Board", screen),
        "showed the saved search's first article and its entities",
    )


def recall_last_search(terminal: Tmux) -> str:
    """Up in the search box, then Enter: the screen once the search recalled shows its article."""
    terminal.keys("/")
    terminal.keys("Up")
    terminal.wait_for(NOTED)
    terminal.keys("Enter")
    terminal.wait_for("1 article")
    return terminal.wait_for("★ starred  #flood-risk  ✎ Ask the council [bold]why[/bold]")


def read_export(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as exported:
        return list(csv.DictReader(exported))


@pytest.mark.timeout(240)
def test_a_notebook_journey_survives_quitting_and_deleting_the_index_cache(
    corpus: Path, tmp_path: Path, tmp_data: Path
):
    """Issue 13's journey: search, star, tag, note, rename and hide an entity, save the search,
    export it, quit. Then twice, on the same index and on one rebuilt after the cache folder is
    deleted: L reopens the saved search with the entities as corrected, Up recalls the last search
    and the article is starred, tagged and noted still. The export reads back as CSV."""
    cache, exported = tmp_path / "cache", tmp_path / "walls.csv"
    terminal = open_explorer(corpus, cache, tmp_data)
    try:
        terminal.wait_for("8 articles")
        search(terminal, "sea wall", "hit 1/")
        star_tag_and_note(terminal)
        curate_from_the_sidebar(terminal)
        save_search(terminal, "walls")
        export_csv(terminal, exported)
        search(terminal, NOTED, "1 article")
        quit_program(terminal)

        for reopening in ("the same index", "a rebuilt index"):
            if reopening == "a rebuilt index":
                shutil.rmtree(cache)
            terminal = open_explorer(corpus, cache, tmp_data)
            terminal.wait_for("8 articles")
            screen = reopen_saved_search(terminal, "walls")
            assert not in_sidebar("€12 million", screen), reopening
            assert not in_sidebar("Harbour Council", screen), reopening
            screen = recall_last_search(terminal)
            assert "★ Harbour Council approves" in screen, reopening
            quit_program(terminal)
    finally:
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)

    rows = read_export(exported)
    assert [row["title"] for row in rows] == [
        "Harbour Council approves new sea wall for Port Amsel",
        "Budget vote delayed in Port Amsel",
        "Storm season review published",
    ]
    noted = rows[0]
    assert (noted["tags"], noted["notes"]) == ("flood-risk", "Ask the council [bold]why[/bold]")
    assert [row["entities"].partition(",")[0] for row in rows] == ["ORG: Harbour Board"] * 3


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
