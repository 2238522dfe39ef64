"""Reference engines measured in the same run as Broadsheet: ripgrep and tantivy.

ripgrep answers the word and phrase queries by scanning the files (what a journalist with
`grep` would do); tantivy (Rust, via its Python package) indexes the same title and body text
and answers the same query set, which shows how far a compiled engine is ahead of Whoosh.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

RG_EQUIVALENTS: dict[str, list[str]] = {
    "single term": ["-i", "-w", "-l", "election"],
    "phrase": ["-i", "-l", "-F", "prime minister"],
    "wildcard": ["-i", "-l", r"\bchampion\w*"],
}
"""The queries of the set that ripgrep can express, as ripgrep arguments (list matching files)."""


def ripgrep_latencies(corpus: Path, repeats: int) -> dict[str, list[float]] | None:
    """Seconds per run of each ripgrep equivalent, or None if ``rg`` is not installed."""
    rg = shutil.which("rg")
    if rg is None:
        return None
    timings: dict[str, list[float]] = {}
    for name, args in RG_EQUIVALENTS.items():
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([rg, *args, str(corpus)], stdout=subprocess.DEVNULL, check=False)
            runs.append(time.perf_counter() - start)
        timings[name] = runs
    return timings


def tantivy_build(docs: Iterable[tuple[str, str, str]], index_dir: Path) -> tuple[object, float, int]:
    """Index ``(id, title, body)`` triples with tantivy; return (index, seconds, article count)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(index_dir))
    start = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    count = 0
    for doc_id, title, body in docs:
        writer.add_document(tantivy.Document(id=doc_id, title=title, body=body))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.perf_counter() - start, count


TANTIVY_EQUIVALENTS: dict[str, str] = {
    "single term": "election",
    "AND": "economy AND growth",
    "phrase": '"prime minister"',
    "NOT": "film AND NOT award",
    "title field": "title:chelsea",
}


def tantivy_latencies(index: object, repeats: int, limit: int = 10) -> dict[str, list[float]]:
    """Seconds per query (parse, search, fetch the top ``limit`` stored docs) for each equivalent."""
    searcher = index.searcher()  # type: ignore[attr-defined]
    timings: dict[str, list[float]] = {}
    for name, text in TANTIVY_EQUIVALENTS.items():
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            query = index.parse_query(text, ["title", "body"])  # type: ignore[attr-defined]
            for _score, address in searcher.search(query, limit).hits:
                searcher.doc(address)
            runs.append(time.perf_counter() - start)
        timings[name] = runs
    return timings
