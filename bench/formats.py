"""Articles per second for each file format, beside the same articles as plain text.

    .venv/bin/python bench/formats.py          # 1,000 each of .txt, .pdf, .docx; one .mbox of 10,000 messages
    .venv/bin/python bench/formats.py --articles 100 --messages 1000 --formats pdf,mbox --out /tmp/f.json

Makes synthetic BBC-like articles (``bench/corpus.py``) in a temporary folder, never in the
repository, and writes them in each format asked for, always beside the same texts as ``.txt`` (the
reference):

- ``.pdf``, one per article: one to three pages of Helvetica, 90 characters a line, title, author
  and date in the document information, written by ``tests/pdf_support.py`` (the tests' files);
- ``.docx``, one per article (python-docx): a Title paragraph, the body paragraphs, author and date
  in the core properties;
- ``.mbox``: every article a message of one mailbox (the standard library's ``mailbox`` writer),
  BBC-length (10,000 make about 30 MB; a mailbox is read a message at a time, up to its own cap);
  ``--message-chars N`` keeps only the paragraphs of each message's (and its ``.txt`` reference's)
  first N characters, 1,500 as a long e-mail has.

Then for each corpus:

- **read**: ``discover`` + ``read_file`` of every file in this process, on one core, best of
  ``--repeats`` (the first read also imports the reader and its libraries): what the format's
  reader costs;
- **index**: a first ``Library.sync`` into a fresh index folder (text only, no entities), with the
  segment workers a build of that size uses: what a user waits for;
- for a format that holds the whole corpus in one file (the mailbox), the peak of Python
  allocations while reading it (tracemalloc), beside the file's size.

A new format is one entry in ``FORMATS``. Prints a table and writes bench/results/formats.json
(one row per corpus).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.message
import email.policy
import mailbox
import random
import sys
import tempfile
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import BBC_DIR, load_bbc, synthetic_article  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402
from index import Library  # noqa: E402
from index.ingest import discover, read_file  # noqa: E402
from index.models import Skip  # noqa: E402
from tests.pdf_support import write_pdf  # noqa: E402

OUT = ROOT / "bench" / "results" / "formats.json"
AUTHOR = "Bench Reporter"
PDF_LINE_CHARS = 90
PDF_LINES_PER_PAGE = 50

Article = tuple[str, dt.date, list[str]]
"""(title, date, paragraphs)"""
CorpusWriter = Callable[[Path, list[Article]], None]
"""Writes every article given into the (new) folder given, in one format."""


def published(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(9), dt.timezone.utc)


def write_txt(path: Path, article: Article) -> None:
    title, date, paragraphs = article
    text = f"{title}\n\n{date:%B} {date.day}, {date.year}\n\n" + "\n\n".join(paragraphs) + "\n"
    path.write_text(text, encoding="utf-8")


def write_pdf_article(path: Path, article: Article) -> None:
    title, date, paragraphs = article
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, PDF_LINE_CHARS), ""]
    pages = [lines[start : start + PDF_LINES_PER_PAGE] for start in range(0, len(lines), PDF_LINES_PER_PAGE)]
    write_pdf(path, pages, title=title, author=AUTHOR, created=published(date))


def write_docx(path: Path, article: Article) -> None:
    title, date, paragraphs = article
    document = docx.Document()
    document.core_properties.author = AUTHOR
    document.core_properties.created = published(date)
    document.add_heading(title, level=0)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))


def one_file_each(write_article: Callable[[Path, Article], None], extension: str) -> CorpusWriter:
    """A corpus writer that writes each article into a file of its own."""

    def write(folder: Path, articles: list[Article]) -> None:
        folder.mkdir(parents=True)
        for number, article in enumerate(articles):
            write_article(folder / f"{number:05d}.{extension}", article)

    return write


def write_mbox(folder: Path, articles: list[Article]) -> None:
    folder.mkdir(parents=True)
    box = mailbox.mbox(folder / "desk.mbox")
    box.lock()
    try:
        for title, date, paragraphs in articles:
            message = email.message.EmailMessage(policy=email.policy.default)
            message["From"] = f"{AUTHOR} <reporter@example.org>"
            message["To"] = "desk@example.org"
            message["Subject"] = title
            message["Date"] = published(date)
            message.set_content("\n\n".join(paragraphs))
            box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()


@dataclass(frozen=True)
class Format:
    write: CorpusWriter
    one_file: bool = False
    """The whole corpus is one file (a mailbox): ``--messages`` articles, and its read's peak memory."""


FORMATS = {
    "txt": Format(one_file_each(write_txt, "txt")),
    "pdf": Format(one_file_each(write_pdf_article, "pdf")),
    "docx": Format(one_file_each(write_docx, "docx")),
    "mbox": Format(write_mbox, one_file=True),
}
"""Format (the files' extension) -> how to write a corpus in it."""


def synthetic_articles(count: int, bbc_dir: Path, seed: int = 2005) -> list[Article]:
    bbc = load_bbc(bbc_dir)
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        title, date_line, *paragraphs = synthetic_article(rng, bbc, count).strip().split("\n\n")
        made.append((title, dt.datetime.strptime(date_line, "%B %d, %Y").date(), paragraphs))
    return made


def shortened(article: Article, chars: int) -> Article:
    """The article with its first paragraphs, as many as fit in ``chars`` (at least one)."""
    title, date, paragraphs = article
    kept = paragraphs[:1]
    for paragraph in paragraphs[1:]:
        if sum(map(len, kept)) + len(paragraph) > chars:
            break
        kept.append(paragraph)
    return title, date, kept


def corpora(formats: list[str], options: argparse.Namespace) -> list[tuple[str, Format, list[Article]]]:
    """(name, format, articles) of each corpus to measure, each format after its ``.txt`` reference."""
    per_file = [name for name in formats if not FORMATS[name].one_file]
    one_file = [name for name in formats if FORMATS[name].one_file]
    needed = max(options.articles if per_file else 0, options.messages if one_file else 0)
    made = synthetic_articles(needed, options.bbc)
    chosen = []
    if per_file:
        full = made[: options.articles]
        for name in ["txt", *(name for name in per_file if name != "txt")]:
            chosen.append((f"{name} ({options.articles:,} files)", FORMATS[name], full))
    if one_file:
        messages = made[: options.messages]
        short = "" if options.message_chars is None else "short "
        if options.message_chars is not None:
            messages = [shortened(article, options.message_chars) for article in messages]
        chosen.append((f"txt ({options.messages:,} {short}files)", FORMATS["txt"], messages))
        for name in one_file:
            chosen.append((f"{name} (1 file, {options.messages:,} {short}messages)", FORMATS[name], messages))
    return chosen


def read_all(folder: Path) -> int:
    read = 0
    for found in discover(folder):
        if isinstance(found, Skip):
            raise SystemExit(f"{folder}: {found}")
        result = read_file(found)
        if result.skips:
            raise SystemExit(f"{folder}: skipped {result.skips[:3]}")
        read += len(result.articles)
    return read


def best_read(folder: Path, repeats: int) -> tuple[int, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        count = read_all(folder)
        times.append(time.perf_counter() - started)
    return count, min(times)


def first_index(folder: Path, index_dir: Path) -> tuple[int, float]:
    with Library.open(folder, index_dir=index_dir) as library:
        started = time.perf_counter()
        report = library.sync()
        seconds = time.perf_counter() - started
    if report.skipped:
        raise SystemExit(f"{folder}: skipped {report.skipped[:3]}")
    return report.added, seconds


def peak_while_reading(folder: Path) -> int:
    tracemalloc.start()
    try:
        read_all(folder)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(folder: Path, index_dir: Path, form: Format, repeats: int) -> dict[str, float | int]:
    count, read_seconds = best_read(folder, repeats)
    indexed, index_seconds = first_index(folder, index_dir)
    row: dict[str, float | int] = {
        "articles": count,
        "bytes": sum(path.stat().st_size for path in folder.iterdir()),
        "read_seconds": round(read_seconds, 3),
        "read_per_second": round(count / read_seconds),
        "indexed": indexed,
        "index_seconds": round(index_seconds, 2),
        "index_per_second": round(indexed / index_seconds),
    }
    if form.one_file:
        row["read_peak_bytes"] = peak_while_reading(folder)
    return row


def print_table(rows: list[dict]) -> None:
    table = Table(title="Articles per second, by format (read: the reader alone; index: a first sync)")
    columns = ("corpus", "articles", "size", "write s", "read/s", "index s", "index/s", "read peak (Python)")
    for column in columns:
        table.add_column(column, justify="left" if column == "corpus" else "right")
    for row in rows:
        peak = row.get("read_peak_bytes")
        table.add_row(
            row["corpus"],
            f"{row['articles']:,}",
            f"{row['bytes'] / 1e6:.1f} MB",
            f"{row['write_seconds']:.1f}",
            f"{row['read_per_second']:,}",
            f"{row['index_seconds']:.1f}",
            f"{row['index_per_second']:,}",
            f"{peak / 1e6:.1f} MB" if peak else "",
        )
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    known = ", ".join(FORMATS)
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {known}")
    parser.add_argument("--articles", type=int, default=1000, help="articles of a file each (default 1,000)")
    parser.add_argument("--messages", type=int, default=10_000, help="messages in the mailbox (10,000)")
    parser.add_argument(
        "--message-chars", type=int, help="keep each message's paragraphs up to this many characters (all)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="reads of each folder; the best counts")
    parser.add_argument("--bbc", type=Path, default=BBC_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    formats = options.formats.split(",")
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        parser.error(f"unknown format {', '.join(unknown)}: choose from {known}")

    rows = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-formats-") as temporary:
        work = Path(temporary)
        for number, (name, form, articles) in enumerate(corpora(formats, options)):
            folder = work / f"corpus-{number}"
            started = time.perf_counter()
            form.write(folder, articles)
            written = round(time.perf_counter() - started, 1)
            row = measure(folder, work / f"index-{number}", form, options.repeats)
            rows.append(stamp({"corpus": name, "write_seconds": written, **row}))
            save_rows(options.out, rows, benchmark="articles per second by format", script="bench/formats.py")
            print(f"{name}: {row}", file=sys.stderr)
    print_table(rows)


if __name__ == "__main__":
    main()
