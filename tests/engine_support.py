"""A generated news corpus for the engine tests: the same words in many forms (so that stems,
prefixes, wildcards and fuzzy terms have something to find), dated and undated articles, sources
and authors, and entities to give the entity fields."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from index.models import EntityRef

WORDS = (
    "regulator", "regulators", "regulation", "regulate", "regulated", "government", "governments",
    "governor", "govern", "election", "elections", "elect", "elected", "protest", "protests",
    "protesters", "protesting", "market", "markets", "marketing", "rally", "rallied", "rallies",
    "minister", "ministers", "ministry", "prime", "text", "test", "tent", "toast", "taste",
    "labour", "labor", "brown", "blair", "the", "of", "a", "in", "on", "to", "and", "growth",
    "grow", "grown", "growing", "share", "shares", "shared", "bank", "banks", "banking", "court",
    "courts", "trial", "trials", "storm", "storms", "strike", "striking", "film", "films", "award",
    "awards", "music", "musical", "net", "network", "networks", "networking", "social", "policy",
)  # fmt: skip
SOURCES = ("BBC News", "The Herald", "Daily Post", "Reuters")
AUTHORS = ("Ann Lee", "Tom Brown", "Maria Kovacs")
PEOPLE = ("Tony Blair", "Gordon Brown", "Maria Kovacs", "Ann Lee")
PLACES = ("Lisbon", "Glasgow", "New York")


def write_corpus(folder: Path, count: int, *, seed: int = 12) -> dict[str, list[EntityRef]]:
    """``count`` articles in ``folder`` (a JSON Lines file and plain-text files); returns the
    entities to give each article's id."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    records, entities = [], {}
    for n in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
        body = ". ".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
            for _ in range(rng.randint(2, 6))
        )
        record: dict[str, str] = {"title": title, "body": body + "."}
        if rng.random() < 0.8:
            day = dt.date(2003, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365))
            record["date"] = day.isoformat()
        if rng.random() < 0.7:
            record["source"] = rng.choice(SOURCES)
        if rng.random() < 0.5:
            record["author"] = rng.choice(AUTHORS)
        if n % 5 == 4:
            (folder / f"story{n}.txt").write_text(f"{title}\n\n{body}.\n", encoding="utf-8")
            article_id = f"story{n}.txt"
        else:
            records.append(record)
            article_id = f"feed.jsonl#{len(records)}"
        refs = [
            EntityRef(name, "PERSON", rng.randint(1, 4)) for name in rng.sample(PEOPLE, rng.randint(0, 2))
        ]
        refs += [EntityRef(name, "PLACE", 1) for name in rng.sample(PLACES, rng.randint(0, 1))]
        entities[article_id] = refs
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return entities
