"""Build synthetic corpora of any size from the BBC articles, for benchmarks only.

Each synthetic article takes its title from one BBC article and its body from the shuffled
sentences of three, so that term statistics stay news-like; a few invented names per article,
drawn with a Zipf-like skew from a pool that grows with the corpus, make the vocabulary grow the
way a real archive's does (Heaps' law) instead of saturating at the BBC's. Every article gets a
date line between 2004-01-01 and 2005-12-31 so that date queries have something to match.

The output goes wherever the caller says (a temporary folder, never the repository): the BBC
text is licensed for research use only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

BBC_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SYLLABLES = ("ka", "lo", "mi", "ren", "tor", "va", "shi", "dun", "bel", "cor", "ny", "ash", "ov", "ek", "zin")


def bbc_text(path: Path) -> str:
    """A BBC file's text: UTF-8, or cp1252 for the one Latin-1 file."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def load_bbc(bbc_dir: Path = BBC_DIR) -> list[tuple[str, list[str]]]:
    """(title, sentences) of every BBC article."""
    articles = []
    for path in sorted(bbc_dir.rglob("*.txt")):
        title, _, body = bbc_text(path).partition("\n")
        sentences = [s for s in SENTENCE_END.split(" ".join(body.split())) if s]
        articles.append((title.strip(), sentences))
    return articles


def invented_name(rank: int) -> str:
    """A pronounceable, capitalised pseudo-name, unique for each rank."""
    parts = []
    rank += 1
    while rank:
        rank, digit = divmod(rank, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def synthetic_article(rng: random.Random, bbc: list[tuple[str, list[str]]], n_total: int) -> str:
    title, _ = bbc[rng.randrange(len(bbc))]
    sentences: list[str] = []
    for _ in range(3):
        sentences.extend(bbc[rng.randrange(len(bbc))][1])
    rng.shuffle(sentences)
    sentences = sentences[: max(6, len(sentences) // 3)]
    pool = max(1000, n_total // 2)
    for _ in range(3):
        rank = min(pool - 1, int(rng.paretovariate(0.8)) - 1)
        name = invented_name(rank)
        slot = rng.randrange(len(sentences))
        sentences[slot] = f"{sentences[slot]} {name} said so."
    date = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(731))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return f"{title}\n\n{date:%B} {date.day}, {date.year}\n\n" + "\n\n".join(paragraphs) + "\n"


def build(out: Path, count: int, seed: int = 2005) -> Path:
    """Write ``count`` synthetic articles under ``out`` (1,000 per sub-folder); idempotent."""
    marker = out / f".complete-{count}-{seed}"
    if marker.exists():
        return out
    bbc = load_bbc()
    rng = random.Random(seed)
    for i in range(count):
        folder = out / f"{i // 1000:04d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:07d}.txt").write_text(synthetic_article(rng, bbc, count), encoding="utf-8")
    marker.touch()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    build(args.out, args.count)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
