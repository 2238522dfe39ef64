"""The reader's word wrap: offsets that cover the body exactly, never wider than the line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.wrap import wrap_offsets

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
