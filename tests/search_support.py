"""The search tests' corpora: tests/data/search/articles.json and generated ones, indexed through
``Library`` with a chosen engine."""

from __future__ import annotations

import json
import random
from pathlib import Path

from index.library import Library
from index.models import EntityRef

ARTICLES: list[dict] = json.loads(
    (Path(__file__).parent / "data" / "search" / "articles.json").read_text("utf-8")
)
"""Seven articles; each id is the path of the ``.json`` file ``write_fixture_corpus`` writes it to."""

WORDS = ["film", "award", "house", "price", "market", "bank", "said", "year"]


def write_fixture_corpus(corpus: Path) -> None:
    """One ``.json`` file per article, at the path its id names (the entities are written apart)."""
    for article in ARTICLES:
        path = corpus / article["id"]
        path.parent.mkdir(parents=True, exist_ok=True)
        fields = {key: value for key, value in article.items() if key not in ("id", "entities")}
        path.write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")


def fixture_library(folder: Path, engine: str) -> Library:
    """The fixture articles indexed by ``engine`` in ``folder``, with their entities.

    Every article is given its entities (none for some), as the entity phase does: an engine keeps
    a rewritten document's old words in its statistics until a merge, and rewriting only some
    articles would tilt the "more like this" weights of a corpus this small."""
    write_fixture_corpus(folder / "corpus")
    library = Library.open(folder / "corpus", index_dir=folder / "index", engine=engine)
    library.sync()
    library.engine.write_entities(
        {
            article["id"]: [
                EntityRef(name, label, mentions) for name, label, mentions in article.get("entities", [])
            ]
            for article in ARTICLES
        }
    )
    return library


def generated_articles(seed: int) -> list[tuple[str, str]]:
    """Hundreds of (title, body) over eight words: enough for an engine's matchers to cross block
    boundaries. Seeds 3 and 14 made Whoosh's default collector drop matches of ``film NOT award``."""
    rng = random.Random(seed)
    articles = []
    for _ in range(rng.randrange(200, 1500)):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 40)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4)))
        articles.append((title, body))
    return articles


def generated_library(folder: Path, seed: int, engine: str) -> tuple[Library, dict[str, set[str]]]:
    """The generated articles of ``seed`` as one JSON Lines file, indexed by ``engine``, and the words
    of each article by its id (``generated.jsonl#N``)."""
    articles = generated_articles(seed)
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    lines = [json.dumps({"title": title, "body": body}) for title, body in articles]
    (corpus / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = Library.open(corpus, index_dir=folder / "index", engine=engine)
    library.sync()
    words = {
        f"generated.jsonl#{number}": {*title.split(), *body.split()}
        for number, (title, body) in enumerate(articles, start=1)
    }
    return library, words
