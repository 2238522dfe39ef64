"""Terminal safety and boilerplate removal, line by line."""

from __future__ import annotations

import pytest

from index.cleaning import is_credit, is_furniture, paragraphs, sanitize, strip_boilerplate


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("\x1b[1;31mred\x1b[0m", "red"),
        ("a\x1b]0;window title\x07b", "ab"),
        ("a\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
        ("a\x1b(Bb\x1bcc\x1b7d", "abcd"),
        ("bell\x07 nul\x00 del\x7f bs\x08 ff\x0c", "bell nul del bs ff"),
        ("c1\x9b31m \x85next", "c131m next"),
        ("dos\r\nmac\runix\n", "dos\nmac\nunix\n"),
        ("tab\tkept", "tab\tkept"),
        ("trailing escape\x1b", "trailing escape"),
        ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_sanitize_strips_what_a_terminal_would_obey(dirty: str, clean: str) -> None:
    assert sanitize(dirty) == clean


@pytest.mark.parametrize(
    "text",
    [
        "[bold]markup[/bold] and [link=x]y[/]",
        "עברית and العربية",
        "e\u0301 combining, \u200bzero\u200dwidth, \u200fRLM mark",
        "emoji 🗞️👩🏽‍💻 and CJK 中文",
        "plain text, nothing to do",
    ],
)
def test_sanitize_keeps_text(text: str) -> None:
    assert sanitize(text) == text


def test_unterminated_osc_stops_at_the_line_end() -> None:
    assert sanitize("a\x1b]0;title with no end\nnext line") == "a\nnext line"


@pytest.mark.parametrize(
    "line",
    [
        "Skip to content",
        "  2. Skip to main menu",
        "3. Skip to more DW sites",
        "Find Us",
        "Share this articleComments",
        "Share this articleClose Button",
        "Published on Updated",
        "Share on Facebook",
        "Advertisement",
        "Read more: Navalny returns to Russia",
        "Copyright 2023 The Associated Press. All Rights Reserved.",
        "© 2021 Deutsche Welle",
    ],
)
def test_page_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply on Monday.",
        "Comments from the minister angered the opposition.",
        "Search and rescue teams arrived overnight.",
        "Find us a better deal, the unions told the company.",
        "Updated figures show growth of 2%.",
        "Copyright law changed in 2019, the minister said.",
        "Copyright holders sued the website last year.",
    ],
)
def test_sentences_that_start_like_navigation_are_text(line: str) -> None:
    assert not is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Copyright\u00a0AP Photo/Mstyslav Chernov",
        "Alexei Navalny pictured in Berlin. Copyright\u00a0AP Photo/Mstyslav Chernov",
        "Navalny's arrest has sparked calls for protestsImage: Sergei Bobylev/ITAR-TASS/imago images",
        "Photo: Reuters",
        "© Getty Images",
    ],
)
def test_credit_lines(line: str) -> None:
    assert is_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "The Copyright Act protects the work.",
        "Photo: the minister at the summit, which ended without a deal.",
        "He said the image: was false.",
        "Copyright holders sued the website last year.",
    ],
)
def test_sentences_about_copyright_or_photos_are_text(line: str) -> None:
    assert not is_credit(line)


def test_related_links_list_at_the_end_is_cut() -> None:
    lines = [
        "Title",
        "",
        "Story paragraph.",
        "",
        "You might also like",
        "",
        "Other headline",
        "",
        "Another one",
    ]
    cleaned = strip_boilerplate(lines)
    assert [line for line in cleaned.lines if line] == ["Title", "Story paragraph."]
    assert cleaned.furniture == []


def test_related_heading_followed_by_long_paragraphs_is_kept() -> None:
    story = "A long paragraph of the story that goes on. " * 6
    lines = ["Title", "", "Read more", "", story, "", story]
    assert strip_boilerplate(lines).lines == lines


def test_a_caption_keeps_its_text_without_the_credit_and_a_bare_credit_goes() -> None:
    lines = [
        "Title",
        "",
        "Alt text of the photo",
        "A caption Image: Jane Roe/AFP",
        "",
        "First line of",
        "a paragraph.",
        "Photo: Reuters",
    ]
    cleaned = strip_boilerplate(lines)
    assert cleaned.lines == [
        "Title",
        "",
        "Alt text of the photo",
        "A caption",
        "",
        "First line of",
        "a paragraph.",
    ]


def test_paragraph_above_a_bare_credit_is_kept() -> None:
    lines = [
        "Title",
        "",
        "Story.",
        "",
        "Officials said there were no casualties.",
        "Photo: AP Photo/Efrem Lukatsky",
    ]
    assert strip_boilerplate(lines).lines == lines[:-1]


def test_a_caption_repeated_in_the_credit_line_is_kept_once() -> None:
    lines = ["Title", "", "Mayor opens bridge.", "Mayor opens bridge. Copyright Jane Roe", "", "Story."]
    assert strip_boilerplate(lines).lines == ["Title", "", "Mayor opens bridge.", "", "Story."]


def test_wire_sign_off_as_last_line_is_cut() -> None:
    lines = ["Title", "", "Story.", "", "rs, kmm/sms (AFP, dpa, Interfax)", ""]
    assert [line for line in strip_boilerplate(lines).lines if line] == ["Title", "Story."]


def test_initials_mid_article_are_not_a_sign_off() -> None:
    lines = ["Title", "", "ab, cd", "", "Story."]
    assert strip_boilerplate(lines).lines == lines


def test_furniture_is_reported_for_publisher_detection() -> None:
    lines = ["Skip to more DW sites", "Title", "", "Story.", "Image: Reuters", "© 2021 Deutsche Welle"]
    assert strip_boilerplate(lines).furniture == ["Skip to more DW sites", "© 2021 Deutsche Welle"]


def test_paragraphs_join_lines_and_collapse_blank_runs() -> None:
    assert paragraphs(["", "one", "two  ", "", "", "", "three", ""]) == "one\ntwo\n\nthree"
