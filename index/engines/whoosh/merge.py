"""Merging Whoosh segments block by block instead of posting by posting.

When a commit merges small segments, Whoosh's ``SegmentWriter.add_reader`` feeds every posting of
every merged segment, one Python tuple at a time, into the writer's external sorting pool, which
pickles them to run files and sorts them again, although each segment's postings are already in
order. That cost more than indexing the articles in the first place (75 CPU-seconds to merge
10,000 articles), and it runs in the committing process while the segment workers wait.

``BlockMerge`` keeps the segments being merged open instead, and when the writer flushes its
segment it walks their term tables side by side (each is sorted by field, then term) and copies
each term's postings a decoded block at a time, renumbered, into the writer's postings writer.
Stored fields and columns are copied by Whoosh's own ``write_per_doc``. The result is the segment
Whoosh would have written, posting for posting (``tests/test_merge.py`` compares).

This reaches into Whoosh 2.7's W3 codec (``W3PostingsWriter``'s block buffers and
``W3LeafMatcher``'s block reads): the version is pinned, and the test above fails if they change.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import SegmentReader

Block = tuple[Any, Any, Any]
"""One run of a term's postings: (docnums, weights, values), values None for formats without."""

PoolPosting = tuple[str, bytes, int, float, bytes]
"""A row of the writer's own pool: (field, term, docnum, weight, value)."""

TermPostings = tuple[str, bytes, int, Callable[[], list[Block]]]
"""(field, term, source number, read): one term of one source, ``read`` giving its blocks."""

CHECK_EVERY = 256
"""Terms (or stored documents) copied between two looks at the stop flag."""


class MergeStopped(Exception):
    """A merge was told to stop; the writer is abandoned and the last commit stays as it was."""


class BlockMerge:
    """The segments merged into one writer, and the copying of their postings at flush time.

    A merge of a few hundred thousand articles takes minutes; setting ``stop`` makes it raise
    ``MergeStopped`` within ``CHECK_EVERY`` terms or documents, so an interrupted sync need not
    wait for it.
    """

    def __init__(self) -> None:
        self._sources: list[tuple[SegmentReader, int, dict[int, int] | None]] = []
        self.stop = threading.Event()

    def __bool__(self) -> bool:
        return bool(self._sources)

    def add(self, writer: Any, reader: SegmentReader) -> None:
        """Copy the stored fields of ``reader``'s live documents now; its postings at ``write``."""
        if reader.doc_count() == 0:
            return  # every article of the segment was deleted: nothing to copy, it simply goes
        own = SegmentReader(writer.storage, writer.schema, reader.segment())
        every_doc = own.iter_docs
        own.iter_docs = lambda: self._checked(every_doc())
        names = set(writer.schema.names()) | {n for n in own.indexed_field_names() if n in writer.schema}
        base = writer.docnum
        docmap = writer.write_per_doc(names, own)
        self._sources.append((own, base, docmap))

    def write(self, writer: Any, pool_postings: Iterable[PoolPosting]) -> None:
        """Write every term of the writer's own pool and of the merged segments, in term order."""
        schema = writer.schema
        fieldwriter = writer.fieldwriter
        streams = [_pool_terms(pool_postings)]
        streams += [_segment_terms(number, *source) for number, source in enumerate(self._sources, 1)]
        current_field = None
        terms = itertools.groupby(heapq.merge(*streams), key=_term_of)
        for (fieldname, btext), group in self._checked(terms):
            if fieldname not in schema:
                continue
            blocks = [block for _, _, _, read in group for block in read() if len(block[0])]
            if not blocks:
                continue  # every posting of the term belonged to a deleted article
            if fieldname != current_field:
                if current_field is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                current_field = fieldname
            fieldwriter.start_term(btext)
            _copy_blocks(fieldwriter._postwriter, blocks)
            fieldwriter.finish_term()
        if current_field is not None:
            fieldwriter.finish_field()

    def _checked(self, items: Iterable[Any]) -> Iterator[Any]:
        """``items``, raising ``MergeStopped`` once ``stop`` is set."""
        for count, item in enumerate(items):
            if count % CHECK_EVERY == 0 and self.stop.is_set():
                raise MergeStopped("the merge was stopped")
            yield item

    def close(self) -> None:
        for reader, _, _ in self._sources:
            reader.close()
        self._sources = []


def _term_of(entry: PoolPosting | TermPostings) -> tuple[str, bytes]:
    return entry[0], entry[1]


def _pool_terms(postings: Iterable[PoolPosting]) -> Iterator[TermPostings]:
    """The pool's sorted (field, term, docnum, weight, value) postings grouped by term."""
    live = (posting for posting in postings if posting[2] != -1)  # -1: Whoosh's spelling-only rows
    for (fieldname, btext), group in itertools.groupby(live, key=_term_of):
        rows = list(group)
        block = (array("I", (row[2] for row in rows)), [row[3] for row in rows], [row[4] for row in rows])

        def read(block: Block = block) -> list[Block]:
            return [block]

        yield fieldname, btext, 0, read


def _segment_terms(
    order: int, reader: SegmentReader, base: int, docmap: dict[int, int] | None
) -> Iterator[TermPostings]:
    """One merged segment's terms in order, each with a function that reads its renumbered blocks."""
    terms = reader._terms
    postfile = terms._postfile
    codec = terms._codec
    for (fieldname, btext), terminfo in terms.items():
        if fieldname not in reader.schema:
            continue
        fmt = reader.schema[fieldname].format

        def read(terminfo: W3TermInfo = terminfo, fmt: Any = fmt) -> list[Block]:
            matcher = codec.postings_reader(postfile, terminfo, fmt)
            return [_renumber(block, base, docmap) for block in _blocks(matcher, terminfo)]

        yield fieldname, btext, order, read


def _blocks(matcher: Any, terminfo: W3TermInfo) -> Iterator[Block]:
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        yield ids, weights, values
        return
    while not matcher._atend:
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values
        matcher._next_block()


def _renumber(block: Block, base: int, docmap: dict[int, int] | None) -> Block:
    ids, weights, values = block
    if docmap is None:
        return array("I", (docnum + base for docnum in ids)), weights, values
    keep = [i for i, docnum in enumerate(ids) if docnum in docmap]
    if len(keep) == len(ids):
        return array("I", (docmap[docnum] for docnum in ids)), weights, values
    return (
        array("I", (docmap[ids[i]] for i in keep)),
        [weights[i] for i in keep],
        None if values is None else [values[i] for i in keep],
    )


def _copy_blocks(postwriter: Any, blocks: list[Block]) -> None:
    """Append postings to ``postwriter``'s block buffer, writing each block as it fills.

    Equivalent to ``add_posting`` for every posting with no field length (Broadsheet's codec
    keeps no length statistics), without a Python call per posting.
    """
    limit = postwriter._blocklimit
    for ids, weights, values in blocks:
        start = 0
        while start < len(ids):
            if len(postwriter._ids) >= limit:
                postwriter._write_block()
            end = start + limit - len(postwriter._ids)
            chunk_weights = weights[start:end]
            postwriter._ids.extend(ids[start:end])
            postwriter._weights.extend(chunk_weights)
            postwriter._maxweight = max(postwriter._maxweight, max(chunk_weights))
            if values is not None:
                postwriter._values.extend(value for value in values[start:end] if value)
            start = end
