"""The reader's word wrap: offsets that cover the body exactly, never wider than the line the reader has."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from index.models import Article
from tests.tui_support import FakeLibrary, screen_lines, settle
from tui.app import BroadsheetApp
from tui.widgets.reader import ArticleView
from tui.wrap import wrap_offsets, wraps_taller_than

TEXT = st.text(alphabet=st.sampled_from(list("ab cd\n  éü世界😀-")), max_size=300)


def rebuild(text: str, width: int) -> str:
    """Join the lines back, restoring the newline that ended each paragraph."""
    lines = wrap_offsets(text, width)
    pieces = []
    for (start, end), following in zip(lines, [*lines[1:], None], strict=True):
        pieces.append(text[start:end])
        if following is not None and following[0] == end + 1 and text[end : end + 1] == "\n":
            pieces.append("\n")
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(min_value=2, max_value=40))
def test_lines_cover_the_text_exactly_and_fit_the_width(text: str, width: int):
    lines = wrap_offsets(text, width)
    assert rebuild(text, width) == text
    for start, end in lines:
        assert "\n" not in text[start:end]
        assert cell_len(text[start:end].rstrip(" ")) <= width


def test_words_break_between_words_and_long_words_fold():
    text = "the quick brown fox\n\nsupercalifragilistic"
    assert [text[s:e] for s, e in wrap_offsets(text, 10)] == [
        "the quick ",
        "brown fox",
        "",
        "supercalif",
        "ragilistic",
    ]


def test_wide_characters_count_two_cells():
    text = "世界世界世"
    assert [text[start:end] for start, end in wrap_offsets(text, 4)] == ["世界", "世界", "世"]


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(min_value=1, max_value=40), height=st.integers(min_value=0, max_value=30))
def test_taller_than_agrees_with_the_lines_wrapped(text: str, width: int, height: int):
    assert wraps_taller_than(text, width, height) == (len(wrap_offsets(text, width)) > height)


# In the explorer: every word of an article appears whole, at the width the reader really has, whether
# the article needs a scrollbar or not and whatever the article before it needed.

HARBOUR = (
    "The harbour performance review found that the breakwater held through eleven winter storms, "
    "although the northern revetment lost a third of its armour stones. Engineers recommended "
    "replacing them before the equinoctial tides. Councillors questioned whether the lighthouse "
    "keepers' overtime had been accounted for, and asked for an itemised statement by spring."
)
PONTOONS = (
    "Inspectors examined every pontoon in the marina and found corroded hinges on most of them. "
    "The pontoon walkways flexed alarmingly under load, and two pontoon anchors had dragged. "
    "Boat owners described the pontoon repairs as overdue; the contractor blamed supply delays."
)
FERRY = (
    "Morning ferries to Gull Point now leave at seven instead of half past six, and the evening "
    "crossing gains a second sailing on Fridays throughout the summer timetable."
)
REPAIRS = (
    "Work on the first damaged pontoon starts today; the harbourmaster expects the marina to "
    "reopen fully within three weeks, weather permitting."
)


def _article(slug: str, title: str, body: str, month: int) -> Article:
    return Article(id=slug, path=slug, title=title, body=body, date=dt.datetime(2024, month, 1))


LONG_ALMANAC = _article("almanac.txt", "Harbour almanac", "\n\n".join([HARBOUR] * 8), 6)
SHORT_FERRY = _article("ferry.txt", "Ferry timetable changes", FERRY, 5)
SHORT_REPAIRS = _article("repairs.txt", "Pontoon repairs begin", REPAIRS, 4)
LONG_INQUIRY = _article("inquiry.txt", "Pontoon inquiry report", "\n\n".join([PONTOONS] * 10), 3)


def reader_rows(app: BroadsheetApp) -> list[str]:
    """Every line of the open article as the screen shows it beside the scrollbar, paging from the top."""
    view = app.screen.query_one(ArticleView)
    rows: dict[int, str] = {}
    for top in range(0, view.virtual_size.height, view.scrollable_content_region.height):
        view.scroll_to(y=top, animate=False)
        text = view.scrollable_content_region
        screen = screen_lines(app)
        for row in range(text.height):
            rows[round(view.scroll_y) + row] = screen[text.y + row][text.x : text.right].rstrip()
    return [rows[index] for index in sorted(rows)]


def wrapping_faults(rows: list[str], body: str, width: int) -> list[str]:
    """What a reader of ``rows`` would notice: a cut or missing word, or a word wrapped that had room."""
    faults = []
    shown, written = " ".join(rows).split(), body.split()
    for position, (seen, meant) in enumerate(zip(shown, written, strict=False)):
        if seen != meant:
            faults.append(f"word {position} shows as {seen!r}, not {meant!r}")
            break
    if len(shown) != len(written):
        faults.append(f"{len(shown)} words shown of {len(written)}")
    for row, following in pairwise(rows):
        if row and following and len(row) + 1 + len(following.split()[0]) <= width:
            faults.append(f"{following.split()[0]!r} would have fitted after {row!r}")
            break
    return faults


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (124, 40), (160, 48)])
async def test_every_word_appears_whole_after_each_way_of_opening_an_article(size: tuple[int, int]):
    library = FakeLibrary([LONG_ALMANAC, SHORT_FERRY, SHORT_REPAIRS, LONG_INQUIRY])
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    story = [
        ("on start", (), LONG_ALMANAC),
        ("after ]", ("right_square_bracket",), SHORT_FERRY),
        ("after [", ("left_square_bracket",), LONG_ALMANAC),
        ("after ] again", ("right_square_bracket",), SHORT_FERRY),
        ("after a new search", ("slash", *"pontoon", "enter", "escape"), LONG_INQUIRY),
        ("after s (by date)", ("s",), SHORT_REPAIRS),
        ("after m (more like this)", ("m",), LONG_INQUIRY),
        ("after Backspace", ("backspace",), SHORT_REPAIRS),
    ]
    async with app.run_test(size=size) as pilot:
        for when, keys, article in story:
            await pilot.press(*keys)
            await settle(pilot)
            view = app.screen.query_one(ArticleView)
            assert view.body == article.body, when
            assert view.show_vertical_scrollbar == (article in (LONG_ALMANAC, LONG_INQUIRY)), when
            faults = wrapping_faults(reader_rows(app), article.body, view.scrollable_content_region.width)
            assert not faults, f"{when} at {size}: {faults}"
