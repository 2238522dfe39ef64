"""Whoosh files read in place from a memory map (index.engines.whoosh.mapped) give what Whoosh's own give."""

from __future__ import annotations

import io
import mmap
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.util.varints import varint

from index.engines.whoosh.mapped import MappedFile, MappedStorage
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.search import run_search

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(0, 80), st.sampled_from([0, 1, 2])),
        st.tuples(st.just("tell")),
    ),
    max_size=20,
)


@given(data=st.binary(max_size=60).map(lambda b: b.replace(b"\x00", b"\n")), operations=OPERATIONS)
def test_reads_like_a_bytes_file(data: bytes, operations: list[tuple]) -> None:
    mapped, expected = MappedFile(memoryview(data)), io.BytesIO(data)
    for name, *arguments in operations:
        if name == "seek":
            offset, whence = arguments
            arguments = [offset if whence == 0 else offset - 40, whence]
            if arguments[0] + (0 if whence == 0 else expected.tell() if whence == 1 else len(data)) < 0:
                continue  # BytesIO refuses a negative position
        assert getattr(mapped, name)(*arguments) == getattr(expected, name)(*arguments)


@given(values=st.lists(st.integers(0, 2**63), max_size=20))
def test_varints_and_bytes_decode_in_place(values: list[int]) -> None:
    mapped = MappedFile(memoryview(b"".join(varint(value) for value in values) + b"\x2a"))
    assert [mapped.read_varint() for _ in values] == values
    assert mapped.read_byte() == 42
    with pytest.raises(EOFError):
        mapped.read_byte()


def test_pickles_and_subsets_read_from_the_same_map() -> None:
    data = b"head" + pickle.dumps({"terms": [1, 2, 3]}) + b"tail"
    mapped = MappedFile(memoryview(data))
    mapped.seek(4)
    assert mapped.read_pickle() == {"terms": [1, 2, 3]}
    part = mapped.subset(len(data) - 4, 4)
    assert part.read() == b"tail" and part.get(1, 2) == b"ai"
    assert part._buf.obj is data  # a view of the same buffer, not a copy


@pytest.fixture(scope="module")
def whoosh_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mapped-index")
    ix = whoosh_index.create_in(folder, build_schema())
    words = ["film", "award", "house", "price", "market", "bank", "said", "year"]
    for batch in range(3):  # three segments
        with ix.writer() as writer:
            for number in range(batch * 400, (batch + 1) * 400):
                body = " ".join(words[(number * k) % len(words)] for k in range(1, 30))
                writer.add_document(id=str(number), path=str(number), title=words[number % 8], body=body)
    return folder


@pytest.mark.parametrize("query", ["film", "house price", '"bank said"', "mark*", "biank~", "film NOT award"])
def test_search_results_match_whooshs_own_files(whoosh_dir: Path, query: str) -> None:
    results = []
    for storage in (FileStorage(str(whoosh_dir)), MappedStorage(str(whoosh_dir))):
        with storage.open_index(schema=build_schema()).searcher() as searcher:
            result = run_search(searcher, searcher.schema, query, limit=20)
            results.append((result.total, [(hit.id, hit.score, hit.highlights) for hit in result.hits]))
    assert results[0] == results[1]
    assert results[0][0] > 0


def test_segment_files_are_views_of_a_map_not_copies(whoosh_dir: Path) -> None:
    ix = MappedStorage(str(whoosh_dir)).open_index(schema=build_schema())
    with ix.searcher() as searcher:
        segments = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        assert len(segments) == 3
        for segment in segments:
            postings = segment._storage.open_file(segment._segment.make_filename(".pst"))
            assert isinstance(postings, MappedFile)
            assert isinstance(postings._buf.obj, mmap.mmap)


def test_an_empty_file_opens_without_a_map(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    opened = MappedStorage(str(tmp_path)).open_file("empty")
    assert opened.read() == b""


PICKLABLE = st.recursive(
    st.none() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.binary(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=8) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner)
    ),
    max_leaves=40,
)


@given(
    objects=st.lists(st.tuples(PICKLABLE, st.integers(0, 5000)), min_size=1, max_size=6),
    protocol=st.sampled_from([2, pickle.HIGHEST_PROTOCOL]),
)
def test_pickles_read_in_place_like_from_a_file(objects: list[tuple[object, int]], protocol: int) -> None:
    # A pickle longer than the first window, or followed by anything, ends where it ends.
    data = b"".join(pickle.dumps(value, protocol) + b"\x00" * padding for value, padding in objects)
    mapped, expected = MappedFile(memoryview(data)), StructFile(io.BytesIO(data))
    for value, padding in objects:
        assert mapped.read_pickle() == expected.read_pickle() == value
        assert mapped.tell() == expected.tell()
        mapped.seek(padding, 1)
        expected.seek(padding, 1)


def test_a_truncated_pickle_is_an_error_not_a_wrong_value() -> None:
    data = pickle.dumps(list(range(2000)), 2)
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        MappedFile(memoryview(data[:-1])).read_pickle()
