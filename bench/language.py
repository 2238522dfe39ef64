"""Language detection and pattern entities at ingest: their speed on the BBC articles, and their share.

    .venv/bin/python bench/language.py              # --repeats 5; --no-build skips the index build

Over every BBC article (``../shared/corpora/bbc``), each stage a median of ``--repeats`` runs on one
core, in one process; stages compared with each other run in turn within each repeat:

- **read**: ``discover`` + ``read_file`` of every file, which includes detecting its language: what
  ingest costs before anything is indexed; and the same with detection switched off, the reference;
- **detect**: ``index.language.detect_language`` alone over the same articles (title and the first
  1,000 characters), and the model's load in a fresh process;
- **patterns**: ``index.entities.patterns.pattern_matches`` over the bodies (the pattern entities
  the entity phase adds to every article);
- **reference**: ``py3langid`` (the pure-Python alternative: numpy and a 4.6 MB model, in the bench
  extra only) over the same samples;
- **build**: a first ``Library.sync`` of the corpus into a fresh index folder (text only, no entities,
  two segment workers): what a user waits for, of which detection is a part;
- **model** (``--model-articles N``): the spaCy model over N articles beside what the entity phase
  now adds to each (the language gate's detection and the pattern entities), on the same articles.

Prints a table and writes bench/results/language.json (one row per corpus).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import index.ingest.reading as reading  # noqa: E402
from bench.corpus import BBC_DIR  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402
from index import Library  # noqa: E402
from index.entities.patterns import pattern_matches  # noqa: E402
from index.ingest import discover, read_file  # noqa: E402
from index.language import SAMPLE_CHARS, detect_language  # noqa: E402
from index.models import Article, Skip  # noqa: E402

OUT = ROOT / "bench" / "results" / "language.json"
LOAD_SCRIPT = (
    "import time; t = time.perf_counter(); from index.language import _model; _model();"
    "print(time.perf_counter() - t)"
)


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    [seconds] = interleaved([work], repeats)
    return seconds


def interleaved(works: list[Callable[[], object]], repeats: int) -> list[float]:
    """The median time of each of ``works``, run in turn in every repeat, so that a burst of load
    on the shared machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for work, taken in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in times]


def read_all(folder: Path) -> list[Article]:
    articles = []
    for found in discover(folder):
        if not isinstance(found, Skip):
            articles.extend(read_file(found).articles)
    return articles


def read_without_detection(folder: Path) -> list[Article]:
    detect = reading.detect_language
    reading.detect_language = lambda title, body: None
    try:
        return read_all(folder)
    finally:
        reading.detect_language = detect


def model_load_seconds(repeats: int) -> float:
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", LOAD_SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def reference_seconds(articles: list[Article], repeats: int) -> tuple[float, float]:
    """py3langid over the same samples: (median seconds, model load seconds)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    start = time.perf_counter()
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    load = time.perf_counter() - start
    samples = [f"{a.title}\n{a.body}"[:SAMPLE_CHARS] for a in articles]
    return median_seconds(lambda: [identifier.classify(sample) for sample in samples], repeats), load


def model_seconds(articles: list[Article], repeats: int) -> tuple[float, float]:
    """(spaCy, the language gate and pattern entities) over the bodies of ``articles``, medians."""
    from index.entities.extractor import english_or_unknown
    from index.entities.spacy_model import SpacyExtractor

    bodies = [article.body for article in articles]
    model = SpacyExtractor()
    list(model.extract(bodies[:10]))  # loads the model
    spacy, added = interleaved(
        [
            lambda: list(model.extract(bodies)),
            lambda: [(english_or_unknown(body), pattern_matches(body, "GB")) for body in bodies],
        ],
        repeats,
    )
    return spacy, added


def build_seconds(folder: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as scratch:
        start = time.perf_counter()
        with Library.open(folder, index_dir=Path(scratch) / "index") as library:
            library.sync()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="skip the first index build")
    parser.add_argument("--model-articles", type=int, default=0, help="time spaCy on this many articles")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()

    articles = read_all(BBC_DIR)  # warms the readers' imports and the model
    count = len(articles)
    read, plain_read, detect = interleaved(
        [
            lambda: read_all(BBC_DIR),
            lambda: read_without_detection(BBC_DIR),
            lambda: [detect_language(a.title, a.body) for a in articles],
        ],
        options.repeats,
    )
    patterns = median_seconds(lambda: [pattern_matches(a.body, "GB") for a in articles], options.repeats)
    load = model_load_seconds(options.repeats)
    reference = reference_seconds(articles, options.repeats)
    build = None if options.no_build else build_seconds(BBC_DIR)
    step = max(1, count // options.model_articles) if options.model_articles else 0
    sample = articles[::step][: options.model_articles] if step else []
    model = model_seconds(sample, options.repeats) if sample else None
    languages = Counter(a.language or "none" for a in articles)

    row = {
        "corpus": "bbc",
        "articles": count,
        "languages": dict(languages.most_common()),
        "read_s": round(read, 3),
        "read_without_detection_s": round(plain_read, 3),
        "detect_s": round(detect, 3),
        "detect_articles_per_s": round(count / detect),
        "detect_share_of_read": round(detect / read, 3),
        "model_load_s": round(load, 3),
        "patterns_s": round(patterns, 3),
        "patterns_articles_per_s": round(count / patterns),
        "build_s": None if build is None else round(build, 2),
        "detect_share_of_build": None if build is None else round(detect / build, 3),
        "py3langid_s": round(reference[0], 3),
        "py3langid_load_s": round(reference[1], 3),
        "model_articles": len(sample),
        "model_s": None if model is None else round(model[0], 3),
        "gate_and_patterns_s": None if model is None else round(model[1], 3),
    }
    save_rows(options.out, [stamp(row)], repeats=options.repeats)

    table = Table(title=f"Language detection and pattern entities, {count:,} BBC articles (medians)")
    for column in ("stage", "seconds", "articles/s", "note"):
        table.add_column(column, justify="left" if column in ("stage", "note") else "right")
    table.add_row("read (with detection)", f"{read:.2f}", f"{count / read:,.0f}", "discover + read_file")
    table.add_row("read, no detection", f"{plain_read:.2f}", f"{count / plain_read:,.0f}", "the reference")
    table.add_row("detect", f"{detect:.2f}", f"{count / detect:,.0f}", f"{detect / read:.0%} of reading")
    table.add_row("model load", f"{load:.3f}", "", "once per process")
    table.add_row("patterns", f"{patterns:.2f}", f"{count / patterns:,.0f}", "pattern_matches over bodies")
    seconds, ref_load = reference
    table.add_row(
        "py3langid (reference)", f"{seconds:.2f}", f"{count / seconds:,.0f}", f"load {ref_load:.2f} s"
    )
    if build is not None:
        table.add_row(
            "first build", f"{build:.2f}", f"{count / build:,.0f}", f"detection {detect / build:.0%} of it"
        )
    if model is not None:
        spacy, added = model
        n = len(sample)
        table.add_row(f"spaCy, {n} articles", f"{spacy:.2f}", f"{n / spacy:,.0f}", "the entity model")
        share = f"{added / spacy:.1%} of spaCy"
        table.add_row(f"gate + patterns, {n} articles", f"{added:.2f}", f"{n / added:,.0f}", share)
    Console().print(table)
    Console().print(f"languages: {dict(languages.most_common())}")


if __name__ == "__main__":
    main()
