"""Small corpora of wire copies for the duplicates tests: stories of made-up words and their edits."""

from __future__ import annotations

import json
import random
from pathlib import Path

_VOCABULARY = [f"{a}{b}{c}" for a in "bcdfgklmnprstv" for b in "aeiou" for c in ("n", "r", "st", "l", "sh")]


def story(seed: int, sentences: int = 12) -> list[str]:
    """Sentences of made-up words: two stories share next to no word shingles."""
    pick = random.Random(seed)
    return [
        " ".join(pick.choice(_VOCABULARY) for _ in range(pick.randint(12, 20))).capitalize() + "."
        for _ in range(sentences)
    ]


def body(sentences: list[str]) -> str:
    """Paragraphs of three sentences."""
    return "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def write(corpus: Path, name: str, text: str, *, title: str = "A story", date: str | None = None) -> None:
    record: dict[str, str] = {"title": title, "text": text}
    if date is not None:
        record["date"] = date
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / name).write_text(json.dumps(record), encoding="utf-8")


def copies_corpus(folder: Path) -> Path:
    """Story 1 three times (the third with another headline, one undated), story 2 with four near
    copies (sentences dropped, paragraphs reordered, a paragraph added, a byline), story 3 alone."""
    one, two = story(1), story(2)
    write(folder, "one-late.json", body(one), date="2021-03-02")
    write(folder, "one-early.json", body(one), date="2021-03-01")
    write(folder, "one-undated.json", body(one), title="Another headline")
    write(folder, "two.json", body(two), date="2021-04-01")
    write(folder, "two-dropped.json", body(two[:4] + two[6:]), date="2021-04-02")
    paragraphs = body(two).split("\n\n")
    write(
        folder,
        "two-reordered.json",
        "\n\n".join([paragraphs[2], paragraphs[0], paragraphs[3], paragraphs[1]]),
    )
    write(folder, "two-added.json", body(two) + "\n\n" + body(story(4, 3)), date="2021-04-03")
    write(folder, "two-byline.json", "By Ada Lovelace, Staff Reporter\n\n" + body(two), date="2021-04-01")
    write(folder, "three.json", body(story(3)), date="2021-01-01")
    return folder
