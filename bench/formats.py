"""Articles per second for each file format, on the same BBC texts written in each.

    .venv/bin/python bench/formats.py                       # 1,000 articles as .txt and .pdf
    .venv/bin/python bench/formats.py --articles 200 --formats pdf

Writes the first N BBC articles (cycling when N is larger) into a temporary folder once per format,
never into the repository, then measures for each format:

- **read**: ``discover`` and ``read_file`` over the folder in this process, one core, once the
  reader is imported: what the format's reader costs;
- **index**: a first ``Library.sync`` into a temporary index folder (text only, no entities), with
  the worker processes a build of that size uses: what a user waits for.

A PDF is one to three pages of Helvetica, 90 characters a line, written by ``tests/pdf_support.py``
(the files the tests use). A new format is one writer in ``WRITERS``. Prints a table and writes
bench/results/formats.json (one row per format).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import BBC_DIR, load_bbc  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402
from index import Library  # noqa: E402
from index.ingest import CorpusFile, discover, read_file  # noqa: E402
from tests.pdf_support import write_pdf  # noqa: E402

OUT = ROOT / "bench" / "results" / "formats.json"
LINE_CHARS = 90
LINES_PER_PAGE = 50


def write_txt(path: Path, title: str, paragraphs: list[str]) -> None:
    path.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")


def write_pdf_article(path: Path, title: str, paragraphs: list[str]) -> None:
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, LINE_CHARS), ""]
    pages = [lines[start : start + LINES_PER_PAGE] for start in range(0, len(lines), LINES_PER_PAGE)]
    write_pdf(path, pages, title=title, author="BBC")


WRITERS: dict[str, Callable[[Path, str, list[str]], None]] = {"txt": write_txt, "pdf": write_pdf_article}
"""Format (the files' extension) -> how to write one article in it."""


def paragraphs_of(sentences: list[str], per_paragraph: int = 3) -> list[str]:
    return [" ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]


def write_corpus(folder: Path, extension: str, articles: list[tuple[str, list[str]]]) -> int:
    folder.mkdir(parents=True)
    for number, (title, sentences) in enumerate(articles):
        WRITERS[extension](folder / f"{number:05d}.{extension}", title, paragraphs_of(sentences))
    return sum(path.stat().st_size for path in folder.iterdir())


def measure(folder: Path, index_dir: Path) -> dict[str, float | int]:
    files = [found for found in discover(folder) if isinstance(found, CorpusFile)]
    read_file(files[0])  # the reader and its libraries load on first use: not part of the rate
    started = time.perf_counter()
    read = skipped = 0
    for found in discover(folder):
        if isinstance(found, CorpusFile):
            result = read_file(found)
            read += len(result.articles)
            skipped += len(result.skips)
    read_seconds = time.perf_counter() - started
    with Library.open(folder, index_dir=index_dir) as library:
        started = time.perf_counter()
        report = library.sync()
        index_seconds = time.perf_counter() - started
    return {
        "articles": read,
        "skipped": skipped,
        "read_seconds": round(read_seconds, 2),
        "read_per_second": round(read / read_seconds),
        "indexed": report.added,
        "index_seconds": round(index_seconds, 2),
        "index_per_second": round(report.added / index_seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--formats", default="txt,pdf", help=f"comma-separated, of {', '.join(WRITERS)}")
    parser.add_argument("--bbc", type=Path, default=BBC_DIR)
    args = parser.parse_args()
    formats = args.formats.split(",")
    bbc = load_bbc(args.bbc)
    articles = [bbc[number % len(bbc)] for number in range(args.articles)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-formats-") as scratch:
        for extension in formats:
            folder = Path(scratch) / extension
            started = time.perf_counter()
            size = write_corpus(folder, extension, articles)
            written = round(time.perf_counter() - started, 1)
            row = measure(folder, Path(scratch) / f"{extension}-index")
            rows.append(stamp({"corpus": extension, "bytes": size, "write_seconds": written, **row}))
    save_rows(OUT, rows, benchmark="articles per second by format", articles=args.articles)
    table = Table(title=f"{args.articles:,} BBC articles in each format")
    for column in ("format", "MB", "read", "read art/s", "skipped", "index s", "index art/s"):
        table.add_column(column, justify="left" if column == "format" else "right")
    for row in rows:
        table.add_row(
            row["corpus"],
            f"{row['bytes'] / 1e6:.1f}",
            str(row["articles"]),
            f"{row['read_per_second']:,}",
            str(row["skipped"]),
            f"{row['index_seconds']:.1f}",
            f"{row['index_per_second']:,}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
