"""The explorer on the real ``Library``: the fixture corpus is indexed, searched, read and filtered."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_support import write_pdf

from tests.tui_support import FIXTURE_CORPUS, screen_text, settle
from tui.app import BroadsheetApp
from tui.openers import PDF_VIEWER_VARIABLE
from tui.widgets.article_header import ArticleHeader
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.filter_bar import FilterChip
from tui.widgets.reader import ArticleView
from tui.widgets.results import ResultsList

SIZE = (120, 40)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, folder)
    return folder


async def wait_for_library(pilot, timeout: float = 120.0) -> None:
    """Wait until the first sync and the entity phase are over (spaCy loads in the second)."""
    await settle(pilot, timeout=timeout)


async def test_a_new_corpus_is_indexed_then_searched_and_read(corpus: Path):
    app = BroadsheetApp(corpus, None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_library(pilot)
        assert "8 articles" in screen_text(app)
        await pilot.press("slash", *"pumps", "enter")
        await settle(pilot)
        hits = app.screen.query_one(ResultsList).hits
        assert {hit.title for hit in hits} >= {"Flood pumps fail as storm hits Veldt"}
        await pilot.press("escape", "enter")
        await settle(pilot)
        reader = app.screen.query_one(ArticleView)
        assert reader.hit_count >= 1
        start, end = hits[0].highlights[0]
        assert reader.body[start:end].lower().startswith("pump")
        assert f"hit 1/{reader.hit_count}" in str(app.screen.query_one(ArticleHeader).render())


async def test_an_entity_from_the_sidebar_filters_the_search(corpus: Path):
    app = BroadsheetApp(corpus, None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_library(pilot)
        await pilot.press("slash", *"storm", "enter")
        await settle(pilot)
        before = len(app.screen.query_one(ResultsList).hits)
        panel = app.screen.query_one(EntityPanel)
        if panel.option_count < 2:
            pytest.skip("the entity phase found no entities in the fixture article")
        panel.focus()
        await pilot.press("home", "enter")
        await settle(pilot)
        chips = [chip.filter.shown for chip in app.screen.query(FilterChip)]
        assert len(chips) == 1 and ":" in chips[0]
        assert 0 < len(app.screen.query_one(ResultsList).hits) <= before
        await pilot.press("backspace")
        await settle(pilot)
        assert len(app.screen.query_one(ResultsList).hits) == before


async def test_markup_and_escapes_in_a_real_article_show_literally(corpus: Path):
    app = BroadsheetApp(corpus, None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_library(pilot)
        await pilot.press("slash", *"literally", "enter")
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold red]x[/]" in text
        assert "[link=https://evil.example]click[/link]" in text
        assert "\x1b" not in app.screen.query_one(ArticleView).body


async def test_a_hit_inside_a_bold_markdown_word_highlights_exactly_that_word(corpus: Path):
    shutil.copy(Path(__file__).parent / "data" / "ingest" / "styled.md", corpus / "keepers-log.md")
    app = BroadsheetApp(corpus, None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_library(pilot)
        await pilot.press("slash", *"lantern", "enter")
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)
        reader = app.screen.query_one(ArticleView)
        assert reader.hit_count == 2
        assert current_hit_text(reader) == "lantern"
        text = screen_text(app)
        assert "The old keeper climbed to the lantern" in text
        assert "• The fog horn and its compressor" in text


def current_hit_text(reader: ArticleView) -> str:
    """The characters the reader paints in the current hit's style (bold, as nothing else is)."""
    return "".join(
        segment.text
        for y in range(reader.size.height)
        for segment in reader.render_line(y)
        if segment.style and segment.style.bold
    )


async def test_a_missing_folder_shows_the_library_s_sentence(tmp_path: Path):
    app = BroadsheetApp(tmp_path / "nowhere", None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "does not exist" in screen_text(app)


async def test_a_hit_in_a_pdf_names_its_page_and_o_opens_the_viewer_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(PDF_VIEWER_VARIABLE, "zathura")
    report = write_pdf(
        tmp_path / "corpus" / "report.pdf",
        [
            ["Harbour wall opens in Dover", "The sea wall opened on Monday."],
            ["Fishermen welcomed the breakwater."],
        ],
    )
    app = BroadsheetApp(tmp_path / "corpus", None, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_library(pilot)
        await pilot.press("slash", *"breakwater", "enter")
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert "hit 1/1 · page 2" in str(app.screen.query_one(ArticleHeader).render())
        started: list[list[str]] = []  # the viewer is not started; the indexer was, before
        monkeypatch.setattr(subprocess, "Popen", lambda command, **_: started.append(command))
        await pilot.press("o")
        assert started == [["zathura", "--page=2", str(report)]]
