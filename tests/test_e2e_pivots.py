"""End to end: the real `broadsheet` in tmux, following a lead (issue 14): find a word in an article,
pivot on an e-mail address however it is spelt, see who appears with it and pivot again, narrow the
results to a month on the date histogram; and a key remapped in the keymap file is the key used."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from index.entities.extractor import MODEL_ENV
from index.notebook.location import DATA_ENV
from tests.test_e2e_notebook import in_sidebar, search, wait_until
from tests.test_e2e_tmux import Tmux, open_in_tmux
from tui.keymap import CONFIG_ENV, KEYMAP_NAME

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

ADDRESS = "tenders@harbour-council.org"
"""The e-mail address as the sidebar shows it: lower-cased, whatever its spelling in the article."""

ARTICLES = {
    "tender.json": (
        "Harbour Council opens tender for the sea wall",
        "2021-01-12",
        "Harbour Council opened a tender for the sea wall on Monday. Ms Mara Quell said that bids go to "
        "tenders@harbour-council.org or by phone on 020 7946 0958. The wall must hold the winter tides, "
        "the engineers of the old wall said, and the wall must be built by May.",
    ),
    "storm.json": (
        "Storm floods the docks",
        "2021-02-08",
        "A storm flooded the docks and the old wall gave way. Nobody was hurt.",
    ),
    "bids.json": (
        "Sea wall bids arrive",
        "2021-03-03",
        "Three firms sent bids to Tenders@Harbour-Council.org before the deadline. Harbour Council "
        "will choose in April, Ms Mara Quell said. Questions: +44 20 7946 0958.",
    ),
    "builder.json": (
        "Council picks a builder for the wall",
        "2021-03-25",
        "Harbour Council picked Nordwind AG to build the sea wall. Complaints about the wall go to "
        "TENDERS@HARBOUR-COUNCIL.ORG, Ms Mara Quell said.",
    ),
    "ferry.json": (
        "Ferry timetable changes",
        "2021-05-17",
        "The ferry to the island runs twice a day from May; the harbour wall path stays closed. "
        "Write to ferries@port-amsel.org.",
    ),
}
"""Five articles from January to May; three cite the address, each in a spelling of its own, with the
council and Ms Quell beside it; two of them give the council's number, in two spellings."""


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, (title, date, text) in ARTICLES.items():
        record = {"title": title, "source": "Veldt Courier", "date": date, "text": text}
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    return folder


def open_explorer(tmp_path: Path) -> Tmux:
    """The program on a corpus of its own; data and config folders in ``tmp_path``; entities by the
    rules alone (no model)."""
    environment = {
        DATA_ENV: str(tmp_path / "data"),
        CONFIG_ENV: str(tmp_path / "config"),
        MODEL_ENV: "no-such-model",
    }
    return open_in_tmux(write_corpus(tmp_path / "corpus"), tmp_path / "cache", **environment)


FIND_COUNTER = re.compile(r"\d+/\d+  \.\* Aa")
"""The find bar's counter, before its regex and case switches ("1/2  .* Aa"), not the header's "hit 1/2"."""
SIDEBAR = "w Who appears with it"
"""The footer while the entity sidebar has the focus."""


def results_column(screen: str) -> str:
    """The results list, left of the reader (which may still show an article the search left out)."""
    return "\n".join(line.partition("▎")[0] for line in screen.splitlines())


@pytest.fixture
def terminal(tmp_path: Path):
    (tmp_path / "config").mkdir()
    tmux = open_explorer(tmp_path)
    yield tmux
    subprocess.run([*tmux.command, "kill-server"], capture_output=True, check=False)


def find_in_the_article(terminal: Tmux, find_key: str = "C-f") -> None:
    """Find "wall" in the article open (it says it twice): the counter reads 1/2, n steps to 2/2,
    Esc closes the find and n/N step through the query's hits again."""
    terminal.keys(find_key)
    terminal.keys("wall", literal=True)
    assert terminal.wait_for_match(FIND_COUNTER).group(0).startswith("1/2")
    terminal.keys("Tab")  # out of the find box (into the sidebar), so that n is a key, not a letter
    terminal.wait_for(SIDEBAR)
    terminal.keys("n")
    terminal.wait_for("2/2  .* Aa")
    terminal.keys("Escape")
    # Waited for before the next key: one sent with it in the same read is taken for Alt+key.
    screen = wait_until(
        terminal,
        lambda screen: FIND_COUNTER.search(screen) is None and SIDEBAR not in screen,
        "closed the find and moved to the reader",
    )
    assert "n/N next/previous hit" in screen


def pivot_on_the_address(terminal: Tmux) -> None:
    """Enter on the e-mail address in the sidebar: a chip, and only the three articles that cite it,
    each in a spelling of its own."""
    terminal.keys("Tab")  # from the reader
    terminal.wait_for(SIDEBAR)
    terminal.keys("End", "Enter")  # the address is the article's last entity
    terminal.wait_for(f'email:"{ADDRESS}"  ✕')
    screen = results_column(terminal.wait_for("3 articles"))
    for title in ("Harbour Council opens tender", "Sea wall bids arrive", "Council picks a builder"):
        assert title in screen
    assert "Storm floods the docks" not in screen and "Ferry timetable" not in screen


def pivot_on_a_co_mention(terminal: Tmux) -> None:
    """w on the address: who is mentioned with it, with counts (the number in two spellings is one
    entity of two articles); Enter on the number pivots to it, a second chip."""
    terminal.keys("w")
    terminal.wait_for(f"{ADDRESS} · EMAIL · 3 articles of the results")
    screen = terminal.wait_for("Mentioned in the same articles")
    counts = dict(re.findall(r"│ (\S.*?\S) {2,}(?:ORG|PERSON|PHONE) +(\d+) │", screen))
    assert counts == {"Harbour Council": "3", "Mara Quell": "3", "+442079460958": "2", "Nordwind AG": "1"}
    terminal.keys("Down", "Down", "Enter")
    terminal.wait_for('phone:"+442079460958"  ✕')
    screen = terminal.wait_for("2 articles")
    assert f'email:"{ADDRESS}"  ✕' in screen and "Council picks a builder" not in results_column(screen)


def filter_to_january(terminal: Tmux) -> None:
    """H points at the histogram's last month; two to the left is January, which Enter makes a
    chip of: one article."""
    terminal.keys("H")
    terminal.wait_for("2021-03: 1")
    terminal.keys("Left", "Left")
    terminal.wait_for("2021-01: 1")
    terminal.keys("Enter")
    terminal.wait_for("date:[2021-01-01 to 2021-01-31]  ✕")
    screen = results_column(terminal.wait_for("1 article "))
    assert "Sea wall bids arrive" not in screen and "Harbour Council opens tender" in screen


@pytest.mark.timeout(90)
def test_find_then_pivot_on_an_address_its_co_mentions_and_a_month(terminal: Tmux):
    """Issue 14's journey: find in the article, pivot on an e-mail address spelt three ways, then on
    the phone number mentioned with it, then on January on the histogram; x takes the month away."""
    terminal.wait_for("5 articles")
    search(terminal, "wall", "hit 1/")
    terminal.wait_for("Council picks a builder for the wall")
    # The entity phase is over when the sidebar lists the address (the results' snippet quotes it
    # before): keys sent to the sidebar earlier act on a list about to be replaced.
    wait_until(terminal, lambda screen: in_sidebar("tenders@harbour-co…", screen), "listed the address")
    find_in_the_article(terminal)
    pivot_on_the_address(terminal)
    pivot_on_a_co_mention(terminal)
    filter_to_january(terminal)

    terminal.keys("x")
    screen = wait_until(terminal, lambda screen: "date:[" not in screen, "removed the date chip")
    screen = terminal.wait_for("2 articles")
    assert "Sea wall bids arrive" in results_column(screen) and 'phone:"+442079460958"  ✕' in screen
    assert "Traceback" not in screen


@pytest.mark.timeout(60)
def test_a_key_remapped_in_the_keymap_file_is_the_key_and_the_header_says_so(tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    (config / KEYMAP_NAME).write_text('"explorer.find" = "ctrl+g"\n', encoding="utf-8")
    terminal = open_explorer(tmp_path)
    try:
        terminal.wait_for("5 articles")
        screen = search(terminal, "wall", "hit 1/")
        screen = terminal.wait_for("n/N next/previous hit  ^g find")
        assert "^f find" not in screen
        find_in_the_article(terminal, find_key="C-g")
    finally:
        subprocess.run([*terminal.command, "kill-server"], capture_output=True, check=False)
