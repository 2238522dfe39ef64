"""Faults seen from the explorer: its corpus vanishes while it is open, and another process
indexes the corpus while it browses. It must keep answering from the index and never crash."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_article
from fault_support import KILLABLE_CLI, cli_env, news_corpus

from index import BroadsheetError, Library
from tests.tui_support import screen_text, settle, total_shown
from tui.app import BroadsheetApp
from tui.widgets.reader import ArticleView
from tui.widgets.results import ResultsList

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def rules_only_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    """The explorer's own indexer extracts entities with the rules alone: no seconds spent loading
    spaCy in a test about something else."""
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")


async def search(pilot, query: str) -> ResultsList:
    await pilot.press("slash")
    pilot.app.screen.query_one("Input").value = ""
    await pilot.press(*query, "enter")
    await settle(pilot, timeout=60)
    return pilot.app.screen.query_one(ResultsList)


@pytest.mark.timeout(120)
async def test_the_explorer_keeps_answering_from_the_index_when_its_corpus_disappears(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest in Moscow", "Thousands joined a protest in Moscow on Saturday.")
    write_article(corpus, "b.txt", "Markets rally", "Shares rose as markets rallied on Friday.")
    index_dir = tmp_path / "index"
    with Library.open(corpus, index_dir=index_dir) as library:
        library.sync()
    app = BroadsheetApp(corpus, index_dir, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, timeout=90)
        shutil.rmtree(corpus)
        results = await search(pilot, "markets")
        assert [hit.title for hit in results.hits] == ["Markets rally"]
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert "Shares rose as markets rallied" in app.screen.query_one(ArticleView).body
        assert app.is_running
        assert "Traceback" not in screen_text(app)


@pytest.mark.timeout(150)
async def test_the_explorer_browses_while_another_process_indexes_the_corpus(tmp_path: Path):
    corpus = news_corpus(tmp_path / "corpus", 240)
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    indexer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLABLE_CLI,
            "10000",
            "--step-delay=0.05",
            "index",
            str(corpus),
            "--index-dir",
            str(index_dir),
            "--no-entities",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=cli_env(cache),
    )
    try:
        await first_commit(corpus, index_dir, deadline=time.monotonic() + 60)
        app = BroadsheetApp(corpus, index_dir, show_timing=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, timeout=90)
            seen, while_indexing = [], 0
            while True:
                finished = indexer.poll() is not None
                # Two queries that match every story, alternated so that each search is a new one.
                results = await search(pilot, ("residents", "officials")[len(seen) % 2])
                seen.append(total_shown(results))
                while_indexing += indexer.poll() is None
                assert app.is_running
                if finished:
                    break
            assert seen == sorted(seen), seen
            assert while_indexing >= 2, seen
            assert indexer.returncode == 0
            assert total_shown(await search(pilot, "residents")) == 240
            assert total_shown(await search(pilot, "officials")) == 240
            assert "Traceback" not in screen_text(app)
    finally:
        indexer.kill()
        indexer.wait()


async def first_commit(corpus: Path, index_dir: Path, deadline: float) -> None:
    """Wait until the other process holds the index and has committed its first batch, so that the
    explorer opens while it indexes (if the explorer's own indexer won the race, it would index
    everything itself and there would be nothing left to browse meanwhile)."""
    while time.monotonic() < deadline:
        try:
            with Library.open(corpus, index_dir=index_dir) as library:
                if library.count() > 0:
                    return
        except BroadsheetError:
            pass  # the index folder is not made yet
        await asyncio.sleep(0.05)
    raise TimeoutError("the indexing process committed nothing")


@pytest.mark.timeout(120)
async def test_pressing_enter_again_shows_what_another_process_has_indexed_since(tmp_path: Path):
    """Another process indexes new files; Enter on the unchanged query must show them (there is
    no other way to refresh the list short of editing the query)."""
    corpus = news_corpus(tmp_path / "corpus", 10)
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    with Library.open(corpus, index_dir=index_dir) as library:
        library.sync()
    app = BroadsheetApp(corpus, index_dir, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, timeout=90)
        assert total_shown(await search(pilot, "residents")) == 10
        news_corpus(tmp_path / "corpus", 30)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tui",
                "index",
                str(corpus),
                "--index-dir",
                str(index_dir),
                "--no-entities",
            ],
            capture_output=True,
            env=cli_env(cache),
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        box = app.screen.query_one("Input")
        box.focus()
        await pilot.pause()
        assert box.value == "residents"
        await pilot.press("enter")
        await settle(pilot)
        assert total_shown(app.screen.query_one(ResultsList)) == 30
