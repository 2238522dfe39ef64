"""Find in the article (Ctrl+F): any word or phrase, smart case, regular expressions, its own marks
beside the query's hits, a counter, and a 1 MB article searched off the UI thread."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from textual.widgets import Input

from index.models import Article
from tests.test_tui import type_in_one_burst
from tests.tui_support import FakeLibrary, screen_text, settle
from tui import find as find_module
from tui.app import BroadsheetApp
from tui.find import MATCH_LIMIT, FindError, case_sensitive, find_all, find_pattern
from tui.widgets.article_header import ArticleHeader
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.find_bar import FindBar, FindInput
from tui.widgets.reader import CURRENT_MATCH, HIT, MATCH, ArticleView

SIZE = (120, 40)
SEA_WALL = "Harbour Council approves new sea wall for Port Amsel"


def make_app(library: FakeLibrary | None = None) -> BroadsheetApp:
    library = library or FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False)


def reader(app: BroadsheetApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


def bar(app: BroadsheetApp) -> FindBar:
    return app.screen.query_one(FindBar)


def header(app: BroadsheetApp) -> str:
    return str(app.screen.query_one(ArticleHeader).render())


async def open_sea_wall(pilot) -> None:
    """Search "wall" and open the sea wall article, whose two hits are "wall"."""
    await settle(pilot)
    await pilot.press("slash", *"wall", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert header(pilot.app).startswith(SEA_WALL)


async def find(pilot, text: str) -> None:
    """Ctrl+F, replace the bar's text with ``text``, and wait for the matches."""
    await pilot.press("ctrl+f")
    pilot.app.screen.query_one(FindInput).value = ""
    await pilot.press(*text)
    await settle(pilot)


def matched(app: BroadsheetApp) -> list[str]:
    view = reader(app)
    return [view.body[start:end] for start, end in view._matches.spans]


async def test_ctrl_f_finds_any_word_or_phrase_and_a_capital_makes_it_case_sensitive():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sea_wall(pilot)
        assert header(app).endswith("n/N next/previous hit  ^f find")
        await pilot.press("slash")  # from the search box too, which keeps its query
        await find(pilot, "council")
        assert app.screen.query_one("#query", Input).value == "wall"
        assert isinstance(app.focused, FindInput)
        assert matched(app) == ["Council", "council", "council"]
        assert "1/3" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ Next match" in footer and "^r Regex" in footer
        await find(pilot, "Council")
        assert matched(app) == ["Council"]
        assert "1/1" in screen_text(app)
        await find(pilot, "new   sea wall")
        assert matched(app) == ["new sea wall"]
        await find(pilot, "Veldt")
        assert matched(app) == []
        assert "no match" in screen_text(app)
        reader(app).focus()
        for _ in range(3):  # the find follows to the next articles
            await pilot.press("right_square_bracket")
            await settle(pilot)
            if matched(app):
                break
        assert set(matched(app)) == {"Veldt"}


async def test_ctrl_r_finds_a_regular_expression_and_a_malformed_one_is_one_sentence():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sea_wall(pilot)
        await find(pilot, r"\bw\w+")
        assert matched(app) == []  # literally "\bw\w+": nowhere
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert bar(app).regex
        assert matched(app) == ["wall", "wall", "would", "winter", "We", "wait", "will"]
        await pilot.press("(")
        await settle(pilot)
        message = str(app.screen.query_one("#find-error").render())
        assert message == "Not a valid regular expression: missing ), unterminated subpattern at position 6."
        text = screen_text(app)
        assert "Not a valid regular expression" in text and "Traceback" not in text
        assert reader(app).match_count == 0
        assert app.is_running
        await pilot.press("backspace")
        await settle(pilot)
        assert "Not a valid regular expression" not in screen_text(app)
        assert reader(app).match_count == 7


async def test_enter_f3_and_n_step_through_the_matches_and_escape_returns_to_the_query_hits():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sea_wall(pilot)
        await find(pilot, "the")
        total = reader(app).match_count
        assert total > 3
        assert f"1/{total}" in screen_text(app)
        assert "n/N next/previous match" in header(app)
        await pilot.press("enter", "enter")
        assert reader(app).current_match == 2
        await settle(pilot)
        assert f"3/{total}" in screen_text(app)
        await pilot.press("shift+enter", "shift+enter", "shift+enter")
        assert reader(app).current_match == total - 1
        await pilot.press("f3")
        assert reader(app).current_match == 0
        await pilot.press("shift+f3")
        await settle(pilot)
        assert f"{total}/{total}" in screen_text(app)
        reader(app).focus()
        await pilot.press("n", "n")
        assert reader(app).current_match == 1
        await pilot.press("N")
        assert (reader(app).current_match, reader(app).current_hit) == (0, 0)
        await pilot.press("escape")  # in the reader: closes the find first
        await settle(pilot)
        assert not bar(app).is_open and reader(app).match_count == 0
        assert app.focused is reader(app)
        assert "n/N next/previous hit" in header(app)
        await pilot.press("n")
        assert reader(app).current_hit == 1
        await pilot.press("ctrl+f", "escape")  # and in the bar
        assert not bar(app).is_open and app.focused is reader(app)
        await pilot.press("escape")
        assert app.focused is not reader(app)


def _styles_by_word(view: ArticleView, y: int) -> dict[str, set]:
    """The background of each word painted on row ``y`` of the reader."""
    styles: dict[str, set] = {}
    for segment in view.render_line(y):
        for word in segment.text.split():
            styles.setdefault(word, set()).add(segment.style.bgcolor if segment.style else None)
    return styles


async def test_query_hits_and_find_matches_show_in_styles_of_their_own_on_one_line():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sea_wall(pilot)
        await find(pilot, "sea")
        view = reader(app)
        hit_bg = view.get_component_rich_style(HIT, partial=True).bgcolor
        match_bg = view.get_component_rich_style(MATCH, partial=True).bgcolor
        current_match_bg = view.get_component_rich_style(CURRENT_MATCH, partial=True).bgcolor
        assert len({hit_bg, match_bg, current_match_bg}) == 3
        lines = [_styles_by_word(view, y) for y in range(view.size.height)]
        both = [line for line in lines if "sea" in line and "wall" in line]
        assert both, "no line shows the match and the hit together"
        assert both[0]["sea"] == {current_match_bg}
        assert match_bg not in both[0]["wall"]
        await pilot.press("enter")  # the only match stays current: 1/1
        assert view.current_match == 0


def _huge_article(size: int = 1_000_000) -> Article:
    sentence = "The harbour ledger lists every ship and every cargo that came through the port. "
    paragraphs = "\n\n".join(sentence * 12 for _ in range(size // (len(sentence) * 12)))
    body = paragraphs + "\n\nThe final line of the enormous ledger."
    return Article(
        id="huge.txt", path="huge.txt", title="An enormous ledger", body=body, date=dt.datetime(2022, 1, 1)
    )


async def test_a_1_mb_article_is_searched_in_a_worker_and_its_marks_are_capped(monkeypatch):
    article = _huge_article()
    searched_on: list[threading.Thread] = []

    def recording_find_all(*args, **kwargs):
        searched_on.append(threading.current_thread())
        return find_all(*args, **kwargs)

    monkeypatch.setattr("tui.screens.explorer.find_all", recording_find_all)
    app = make_app(FakeLibrary.fixture(extra=[article]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert header(app).startswith("An enormous ledger")
        await find(pilot, "the")
        assert searched_on and threading.main_thread() not in searched_on
        assert reader(app).match_count == MATCH_LIMIT
        assert f"1/{MATCH_LIMIT:,}+ (first {MATCH_LIMIT:,} marked)" in screen_text(app)
        await find(pilot, "enormous")
        assert matched(app) == ["enormous"]
        assert "The final line of the enormous ledger." in screen_text(app)  # scrolled into view


# The search itself -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "regex", "expected"),
    [
        ("council", False, False),
        ("Council", False, True),
        (r"\S+ville", True, False),  # an escape is no capital
        (r"\bPort\b", True, True),
        ("Ñandú", False, True),
    ],
)
def test_smart_case(text, regex, expected):
    assert case_sensitive(text, regex=regex) is expected


def test_find_stays_on_one_line_and_anchors_at_its_ends():
    body = "red sky\nat night\nred\nsky"
    spans = find_all(body, find_pattern("red sky", regex=False), cancelled=lambda: False).spans
    assert [body[start:end] for start, end in spans] == ["red sky"]
    spans = find_all(body, find_pattern(r"^\w+$", regex=True), cancelled=lambda: False).spans
    assert [body[start:end] for start, end in spans] == ["red", "sky"]
    assert find_all(body, find_pattern(r"sky\s+at", regex=True), cancelled=lambda: False).spans == ()


def test_the_chunks_of_a_long_body_lose_no_match_and_are_where_a_find_can_be_cancelled(monkeypatch):
    monkeypatch.setattr(find_module, "CHUNK", 10)
    body = "alpha beta\ngamma alpha\n" * 50
    pattern = find_pattern("alpha", regex=False)
    found = find_all(body, pattern, cancelled=lambda: False)
    assert found is not None and len(found.spans) == 100 and not found.capped
    assert found.spans == tuple(match.span() for match in re.finditer("alpha", body))
    checks: list[int] = []
    assert find_all(body, pattern, cancelled=lambda: checks.append(1) or len(checks) > 3) is None
    assert len(checks) == 4


def test_marks_are_capped_and_say_so():
    found = find_all("ab " * 50, find_pattern("ab", regex=False), limit=7, cancelled=lambda: False)
    assert found is not None and len(found.spans) == 7 and found.capped


def test_empty_text_finds_nothing_and_a_malformed_expression_is_one_sentence():
    assert find_pattern("  ", regex=True) is None
    with pytest.raises(FindError, match=r"^Not a valid regular expression: .*\.$"):
        find_pattern("[a-", regex=True)
    assert find_pattern("[a-", regex=False).search("x [a- y")


async def test_esc_then_tab_in_one_burst_closes_the_find_and_tab_goes_on_from_the_reader():
    """Esc in the sidebar closes the find and puts the focus in the reader, so the Tab after it goes
    to the sidebar again; typed in one burst (tmux, a fast typist over ssh), the Tab went on from the
    sidebar, to the search box, and the reader took the focus after it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sea_wall(pilot)
        await find(pilot, "wall")
        await pilot.press("tab")
        assert isinstance(app.focused, EntityPanel)
        type_in_one_burst(app, [("escape", None), ("tab", None)])
        await settle(pilot)
        assert not bar(app).is_open
        assert isinstance(app.focused, EntityPanel)
