"""Articles per second for each document format, beside the same articles as plain text.

    .venv/bin/python bench/formats.py                          # 1,000 .docx, one .mbox of 10,000 messages
    .venv/bin/python bench/formats.py --docx 200 --messages 2000 --repeats 1

Makes synthetic BBC-like articles (``bench/corpus.py``) in a temporary folder, never in the
repository, and writes each set in three shapes: one ``.txt`` per article (the reference), one
``.docx`` per article (python-docx: a Title paragraph, body paragraphs, author and date in the core
properties), and every article as a message of one ``.mbox`` mailbox (the standard library's
``mailbox`` writer). A mailbox is one file, and a file over the 20 MB limit is skipped: 10,000
BBC-length messages make 25 MB, so the messages (and their text reference) keep the paragraphs of
their first ``--message-chars`` characters, about 1,500 as a short e-mail has. Then for each shape:

- read: ``discover`` + ``read_file`` of every file in this process, the reader's own cost
  (best of ``--repeats``);
- index: a first ``Library.sync`` (the text phase, with its segment workers) into a fresh index;
- for the mailbox, the peak of Python allocations while reading it (tracemalloc), beside the
  file's size: the messages are parsed one at a time, so the peak is the file and its articles.

Writes bench/results/formats.json and prints a table.
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
import time
import tracemalloc
from pathlib import Path

import docx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import load_bbc, synthetic_article  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402
from index import Library  # noqa: E402
from index.ingest import discover, read_file  # noqa: E402
from index.models import Skip  # noqa: E402

OUT = ROOT / "bench" / "results" / "formats.json"


def articles(count: int, seed: int = 2005) -> list[tuple[str, dt.date, list[str]]]:
    """(title, date, paragraphs) of ``count`` synthetic articles."""
    bbc = load_bbc()
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        title, date_line, *paragraphs = synthetic_article(rng, bbc, count).strip().split("\n\n")
        made.append((title, dt.datetime.strptime(date_line, "%B %d, %Y").date(), paragraphs))
    return made


def shortened(paragraphs: list[str], chars: int) -> list[str]:
    """The first paragraphs, as many as fit in ``chars`` (at least one)."""
    kept = paragraphs[:1]
    for paragraph in paragraphs[1:]:
        if sum(map(len, kept)) + len(paragraph) > chars:
            break
        kept.append(paragraph)
    return kept


def write_text(folder: Path, made: list[tuple[str, dt.date, list[str]]]) -> None:
    folder.mkdir(parents=True)
    for number, (title, date, paragraphs) in enumerate(made):
        text = f"{title}\n\n{date:%B} {date.day}, {date.year}\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")


def write_docx(folder: Path, made: list[tuple[str, dt.date, list[str]]]) -> None:
    folder.mkdir(parents=True)
    for number, (title, date, paragraphs) in enumerate(made):
        document = docx.Document()
        document.core_properties.author = "Bench Reporter"
        document.core_properties.created = dt.datetime.combine(date, dt.time(9), dt.timezone.utc)
        document.add_heading(title, level=0)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        document.save(str(folder / f"{number:05d}.docx"))


def write_mbox(folder: Path, made: list[tuple[str, dt.date, list[str]]]) -> None:
    folder.mkdir(parents=True)
    box = mailbox.mbox(folder / "desk.mbox")
    box.lock()
    try:
        for title, date, paragraphs in made:
            message = email.message.EmailMessage(policy=email.policy.default)
            message["From"] = "Bench Reporter <reporter@example.org>"
            message["To"] = "desk@example.org"
            message["Subject"] = title
            message["Date"] = dt.datetime.combine(date, dt.time(9), dt.timezone.utc)
            message.set_content("\n\n".join(paragraphs))
            box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()


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


def first_index(folder: Path, index_dir: Path) -> float:
    started = time.perf_counter()
    with Library.open(folder, index_dir=index_dir) as library:
        report = library.sync()
    if report.skipped:
        raise SystemExit(f"{folder}: skipped {report.skipped[:3]}")
    return time.perf_counter() - started


def peak_while_reading(folder: Path) -> int:
    tracemalloc.start()
    try:
        read_all(folder)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docx", type=int, default=1000, help="Word documents to make (default 1,000)")
    parser.add_argument("--messages", type=int, default=10_000, help="messages in the mailbox (10,000)")
    parser.add_argument(
        "--message-chars", type=int, default=1500, help="paragraphs kept in each message (1,500 characters)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="reads of each folder; the best counts")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-formats-") as temporary:
        work = Path(temporary)
        made = articles(max(options.docx, options.messages))
        short = [
            (title, date, shortened(paragraphs, options.message_chars)) for title, date, paragraphs in made
        ]
        shapes = {
            f"txt ({options.docx:,} files)": (write_text, made[: options.docx]),
            f"docx ({options.docx:,} files)": (write_docx, made[: options.docx]),
            f"txt ({options.messages:,} short files)": (write_text, short[: options.messages]),
            f"mbox (1 file, {options.messages:,} messages)": (write_mbox, short[: options.messages]),
        }
        for number, (name, (write, subset)) in enumerate(shapes.items()):
            folder = work / f"corpus-{number}"
            write(folder, subset)
            count, read_seconds = best_read(folder, options.repeats)
            index_seconds = first_index(folder, work / f"index-{number}")
            size = sum(path.stat().st_size for path in folder.iterdir())
            row = {
                "corpus": name,
                "articles": count,
                "bytes": size,
                "read_seconds": round(read_seconds, 3),
                "read_per_second": round(count / read_seconds),
                "index_seconds": round(index_seconds, 2),
                "index_per_second": round(count / index_seconds),
            }
            if write is write_mbox:
                row["read_peak_bytes"] = peak_while_reading(folder)
            rows.append(stamp(row))
            save_rows(options.out, rows, script="bench/formats.py")
            print(f"{name}: {row}", file=sys.stderr)

    table = Table(title="Articles per second, by format (read: the reader alone; index: a first sync)")
    for column in ("corpus", "articles", "size", "read/s", "index/s", "read peak (Python)"):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    for row in rows:
        peak = row.get("read_peak_bytes")
        table.add_row(
            row["corpus"],
            f"{row['articles']:,}",
            f"{row['bytes'] / 1e6:.1f} MB",
            f"{row['read_per_second']:,}",
            f"{row['index_per_second']:,}",
            f"{peak / 1e6:.1f} MB" if peak else "",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
