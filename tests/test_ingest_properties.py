"""Any bytes at all, in any supported format, give articles or counted skips and never an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.cleaning import sanitize
from index.ingest import CorpusFile, read_file
from index.models import Article, Skip

SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl")
UNSAFE = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))} | {"\u202e", "\u2066"}

text_like = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
    st.lists(
        st.sampled_from(
            ["\x1b[31m", "<p>", "</div>", '{"title":', '"text": "', "}", "\n", "Skip to content", "£"]
        )
    )
    .map("".join)
    .map(str.encode),
)

records = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["title", "text", "date", "author", "url", "source", "x"]), children, max_size=6
        )
    ),
    max_leaves=20,
)


def read_bytes(data: bytes, suffix: str) -> tuple[list[Article], list[Skip]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        result = read_file(CorpusFile(path, path.name, len(data), 0))
    return result.articles, result.skips


def assert_safe(articles: list[Article], skips: list[Skip]) -> None:
    assert articles or skips
    for article in articles:
        for text in (
            article.title,
            article.body,
            article.original,
            article.source or "",
            article.author or "",
        ):
            assert not UNSAFE & set(text)
            text.encode("utf-8")  # no lone surrogates: storable and printable


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=text_like, suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_raise(data: bytes, suffix: str) -> None:
    assert_safe(*read_bytes(data, suffix))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=records, lines=st.booleans())
def test_arbitrary_json_values_never_raise(value: object, lines: bool) -> None:
    if lines:
        data = "\n".join(
            json.dumps(item) for item in (value if isinstance(value, list) else [value])
        ).encode()
    else:
        data = json.dumps(value).encode()
    assert_safe(*read_bytes(data, ".jsonl" if lines else ".json"))


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_sanitize_output_is_terminal_safe_and_stable(text: str) -> None:
    clean = sanitize(text)
    assert not UNSAFE & set(clean)
    assert "\r" not in clean
    assert sanitize(clean) == clean
