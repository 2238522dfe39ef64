"""Merging segments block by block writes the segment Whoosh's own merge would have written."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.writing import OPTIMIZE, SegmentWriter

from index.documents import entity_fields
from index.engines.whoosh.codec import writing_codec
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.search import run_search
from index.engines.whoosh.store import _SegmentsWriter
from index.models import EntityRef

WORDS = ["film", "award", "house", "price", "market", "bank", "said", "year", "Blair", "£15m"]
PEOPLE = ["Tony Blair", "Gordon Brown", "Michael Howard"]


def _document(rng: random.Random, number: int) -> dict:
    fields = {
        "id": f"a{number}",
        "path": f"folder/{number}.txt",
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 5))),
        "body": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 60))),
    }
    if rng.random() < 0.7:
        fields["date"] = dt.datetime(2004, 1, 1) + dt.timedelta(days=rng.randrange(700))
    if rng.random() < 0.5:
        fields["source"] = rng.choice(["BBC", "DW", "Euronews"])
    refs = [EntityRef(name, "PERSON", rng.randrange(1, 5)) for name in rng.sample(PEOPLE, rng.randrange(3))]
    return {**fields, **entity_fields(refs)}


def _segmented_index(folder: Path, seed: int, deletions: bool) -> Index:
    """Four segments, big enough for many postings blocks per common word; with ``deletions``,
    some articles of one segment and every article of another are deleted."""
    rng = random.Random(seed)
    folder.mkdir()
    ix = whoosh_index.create_in(folder, build_schema())
    number = 0
    for size in (rng.randrange(300, 700), rng.randrange(1, 50), rng.randrange(300, 700), 1):
        writer = SegmentWriter(ix, codec=writing_codec())
        for _ in range(size):
            writer.add_document(**_document(rng, number))
            number += 1
        writer.commit(merge=False)
    if deletions:
        first, second = ix._segments()[:2]
        writer = SegmentWriter(ix, codec=writing_codec())
        for docnum in rng.sample(range(first.doc_count_all()), first.doc_count_all() // 3):
            writer.delete_document(docnum)
        for docnum in range(second.doc_count_all()):
            writer.delete_document(first.doc_count_all() + docnum)
        writer.commit(merge=False)
    return ix


def _merged(folder: Path, seed: int, deletions: bool, writer_class: type[SegmentWriter]) -> IndexReader:
    ix = _segmented_index(folder, seed, deletions)
    writer = writer_class(ix) if writer_class is _SegmentsWriter else writer_class(ix, codec=writing_codec())
    rng = random.Random(seed + 1)
    for number in range(5):  # articles added in the merging commit itself
        writer.add_document(**_document(rng, 10_000 + number))
    writer.commit(mergetype=OPTIMIZE)
    return ix.reader()


@pytest.fixture(
    scope="module",
    params=[(3, False), (3, True), (14, True)],
    ids=["no deletions", "deletions", "other seed"],
)
def both(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[IndexReader, IndexReader]]:
    seed, deletions = request.param
    tmp_path = tmp_path_factory.mktemp("merge")
    whoosh_made = _merged(tmp_path / "whoosh", seed, deletions, SegmentWriter)
    block_made = _merged(tmp_path / "block", seed, deletions, _SegmentsWriter)
    yield whoosh_made, block_made
    whoosh_made.close()
    block_made.close()


def test_both_merges_leave_one_segment_with_the_same_articles(both) -> None:
    whoosh_made, block_made = both
    assert whoosh_made.is_atomic() and block_made.is_atomic()
    assert block_made.doc_count_all() == whoosh_made.doc_count_all() > 0
    assert list(block_made.iter_docs()) == list(whoosh_made.iter_docs())


def test_block_merge_writes_every_posting_whoosh_writes(both) -> None:
    whoosh_made, block_made = both
    postings = list(whoosh_made.iter_postings())
    assert len({(field, term) for field, term, *_ in postings}) > 50
    assert list(block_made.iter_postings()) == postings


def test_block_merge_writes_the_same_term_table_and_blocks(both) -> None:
    """Term statistics and postings offsets byte for byte: the blocks themselves are identical."""
    whoosh_made, block_made = both
    assert list(block_made._terms._tindex.items()) == list(whoosh_made._terms._tindex.items())


def test_block_merge_keeps_field_lengths_and_columns(both) -> None:
    whoosh_made, block_made = both
    for field in ("title", "body", "person", "entity"):
        assert block_made.field_length(field) == whoosh_made.field_length(field)
        assert [block_made.doc_field_length(d, field) for d in range(block_made.doc_count_all())] == [
            whoosh_made.doc_field_length(d, field) for d in range(whoosh_made.doc_count_all())
        ]
    assert list(block_made.column_reader("date", translate=False)) == list(
        whoosh_made.column_reader("date", translate=False)
    )


@pytest.mark.parametrize(
    "query", ["film", '"house price"', "person:blair", "date:[2004-06-01 to 2004-12-31]"]
)
def test_searches_answer_the_same_after_either_merge(both, query: str) -> None:
    whoosh_made, block_made = both
    schema = build_schema()
    expected = run_search(Searcher(whoosh_made, closereader=False), schema, query, limit=20)
    found = run_search(Searcher(block_made, closereader=False), schema, query, limit=20)
    assert found.total == expected.total > 0
    assert [(hit.id, round(hit.score, 9)) for hit in found.hits] == [
        (hit.id, round(hit.score, 9)) for hit in expected.hits
    ]
