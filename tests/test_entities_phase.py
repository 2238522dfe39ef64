"""The entity phase over a library: resume, no re-analysis, index fields, facets and the CLI, once per
engine."""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import write_article
from entities_support import TaggedExtractor

from index.entities.phase import run_entity_phase
from index.entities.store import DB_NAME, EntityDB
from index.library import Library
from index.models import Progress

pytestmark = pytest.mark.engines

ARTICLES = {
    "a.txt": "[Alexei Navalny|PERSON] flew to [Moscow|PLACE]. [Navalny|ORG]'s allies met [TikTok|ORG].",
    "b.txt": "[Roskomnadzor|ORG] warned [TikTok|ORG] and [VKontakte|PERSON] in [Moscow|PLACE].",
    "c.txt": "[Roskomnadzor|PERSON] fined [VKontakte|ORG]; the social network [VKontakte|PERSON] paid.",
    "d.txt": "[Lyubov Sobol|PERSON] was detained in [Moscow|PLACE] on Thursday.",
    "e.txt": "Nothing to see here, only weather in [Berlin|PLACE], says [Roskomnadzor|ORG].",
}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    corpus = tmp_path / "corpus"
    for name, body in ARTICLES.items():
        write_article(corpus, name, f"Story {name}", body)
    library = Library.open(corpus, index_dir=tmp_path / "index")
    library.sync()
    yield library
    library.close()


def analyse(library: Library, **options: Any) -> int:
    """The entity phase over the library's text index and entity database, as
    ``Library.extract_entities`` runs it, with the test's extractor."""
    return run_entity_phase(library.engine, library.index_dir / DB_NAME, **options)


def test_every_article_is_analysed_once_and_labels_follow_the_majority(library: Library) -> None:
    extractor = TaggedExtractor()
    assert analyse(library, extractor=extractor) == len(ARTICLES)
    assert len(extractor.seen) == len(ARTICLES)
    mentions = library.article_entities("c.txt")
    assert {(m.canonical, m.label) for m in mentions} == {("Roskomnadzor", "ORG"), ("VKontakte", "ORG")}
    assert all(library.article("c.txt").body[m.start : m.end] == m.text for m in mentions)
    assert {(m.text, m.canonical) for m in library.article_entities("a.txt") if m.label == "PERSON"} == {
        ("Alexei Navalny", "Alexei Navalny"),
        ("Navalny", "Alexei Navalny"),
    }


def test_a_second_run_analyses_nothing_and_a_changed_article_alone_is_analysed_again(
    library: Library, tmp_path: Path
) -> None:
    analyse(library, extractor=TaggedExtractor())
    again = TaggedExtractor()
    assert analyse(library, extractor=again) == 0
    assert again.seen == []

    write_article(tmp_path / "corpus", "e.txt", "Story e.txt", "Rain in [Paris|PLACE] and [Berlin|PLACE].")
    library.sync()
    changed = TaggedExtractor()
    assert analyse(library, extractor=changed) == 1
    assert len(changed.seen) == 1
    assert library.search("place:paris").total == 1


def test_a_run_over_an_unchanged_index_reads_no_article(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyse(library, extractor=TaggedExtractor())
    library.sync()  # nothing changed: no commit

    def no_reading() -> None:
        raise AssertionError("the index did not change, so no article needs reading")

    with monkeypatch.context() as patched:
        patched.setattr(type(library.engine), "articles", no_reading)
        assert analyse(library, extractor=TaggedExtractor()) == 0

    (tmp_path / "corpus" / "e.txt").unlink()
    library.sync()
    assert analyse(library, extractor=TaggedExtractor()) == 0
    assert [f.canonical for f in library.facets("*", label="PLACE")] == ["Moscow"]


def test_articles_the_rules_alone_analysed_are_analysed_again_by_the_model(library: Library) -> None:
    from index.entities.rules import RuleExtractor

    analyse(library, extractor=RuleExtractor())
    model = TaggedExtractor()
    assert analyse(library, extractor=model) == len(ARTICLES)
    assert len(model.seen) == len(ARTICLES)


def test_progress_counts_each_article_as_it_is_analysed_before_its_batch_is_saved(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[int | str] = []
    save = EntityDB.save
    monkeypatch.setattr(EntityDB, "save", lambda db, batch: (events.append("saved"), save(db, batch)))
    analyse(
        library,
        extractor=TaggedExtractor(),
        batch_articles=len(ARTICLES),
        progress=lambda progress: events.append(progress.done),
    )
    assert events[: events.index("saved")] == [0, 1, 2, 3, 4, 5]


def test_a_stopped_run_resumes_with_the_articles_it_had_not_done(library: Library) -> None:
    first = TaggedExtractor()
    reports: list[Progress] = []
    done = analyse(
        library, extractor=first, batch_articles=2, should_stop=lambda: True, progress=reports.append
    )
    assert done == 2
    assert reports[-1] == Progress("entities", 2, len(ARTICLES), reports[-1].current)

    rest = TaggedExtractor()
    assert analyse(library, extractor=rest, batch_articles=2) == len(ARTICLES) - 2
    assert len(rest.seen) == len(ARTICLES) - 2
    assert not set(first.seen) & set(rest.seen)
    assert library.search('entity:"Lyubov Sobol"').total == 1


def test_a_run_stopped_after_its_last_batch_resolves_entities_on_the_next_run(library: Library) -> None:
    assert analyse(library, extractor=TaggedExtractor(), should_stop=lambda: True) == len(ARTICLES)
    assert library.search("person:navalny").total == 0
    assert analyse(library, extractor=TaggedExtractor()) == 0
    assert library.search("person:navalny").total == 1


def test_a_run_killed_by_an_error_keeps_its_committed_batches(library: Library) -> None:
    class Exploding(TaggedExtractor):
        def extract(self, texts):  # type: ignore[no-untyped-def]
            for count, spans in enumerate(super().extract(texts)):
                if count == 3:
                    raise RuntimeError("killed")
                yield spans

    with pytest.raises(RuntimeError):
        analyse(library, extractor=Exploding(), batch_articles=2)
    rest = TaggedExtractor()
    assert analyse(library, extractor=rest, batch_articles=2) == len(ARTICLES) - 2


def test_entity_queries_find_articles_after_the_phase(library: Library) -> None:
    analyse(library, extractor=TaggedExtractor())
    assert library.search("person:navalny").total == 1
    assert library.search("org:tiktok").total == 2
    assert library.search("place:moscow").total == 3
    assert library.search('entity:"Alexei Navalny" AND place:moscow').total == 1


@pytest.mark.parametrize("query", ["*", "moscow", "tiktok OR berlin"])
def test_facet_counts_match_an_independent_count(library: Library, query: str) -> None:
    analyse(library, extractor=TaggedExtractor())
    ids = [hit.id for hit in library.search(query, limit=100).hits]
    articles: Counter[tuple[str, str]] = Counter()
    mentions: Counter[tuple[str, str]] = Counter()
    for article_id in ids:
        per_article = Counter((m.canonical, m.label) for m in library.article_entities(article_id))
        articles.update(per_article.keys())
        mentions.update(per_article)
    facets = library.facets(query, limit=100)
    assert {(f.canonical, f.label): (f.articles, f.mentions) for f in facets} == {
        key: (articles[key], mentions[key]) for key in articles
    }
    only_people = library.facets(query, label="PERSON", limit=1)
    assert all(f.label == "PERSON" for f in only_people) and len(only_people) <= 1


def test_an_entity_database_from_before_the_key_counts_gets_them_and_the_same_facets(
    library: Library,
) -> None:
    import sqlite3

    analyse(library, extractor=TaggedExtractor())
    expected = library.facets("*", limit=100)
    with sqlite3.connect(library.index_dir / "entities.sqlite") as conn:
        conn.execute("DROP INDEX articles_without_keys")
        conn.execute("ALTER TABLE articles DROP COLUMN keys")
        conn.execute("ALTER TABLE articles DROP COLUMN counts")
        conn.execute("DROP TABLE key_numbers")
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'generation'")
    with Library.open(library.corpus, index_dir=library.index_dir) as reopened:
        assert reopened.facets("*", limit=100) == expected
        assert reopened.facets("moscow", limit=100) == library.facets("moscow", limit=100)


def test_an_article_saved_without_key_counts_gets_them_at_the_next_open_which_scans_nothing(
    library: Library,
) -> None:
    import sqlite3

    analyse(library, extractor=TaggedExtractor())
    expected = library.facets("*", limit=100)
    path = library.index_dir / "entities.sqlite"
    with sqlite3.connect(path) as conn:
        # What a version without key counts writes into this database: the columns left empty.
        conn.execute("UPDATE articles SET keys = NULL, counts = NULL WHERE id = 'b.txt'")
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'generation'")
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT 1 FROM articles WHERE keys IS NULL LIMIT 1").fetchall()
    assert "articles_without_keys" in str(plan)  # a lookup, not a scan of every article
    with Library.open(library.corpus, index_dir=library.index_dir) as reopened:
        assert reopened.facets("*", limit=100) == expected


def test_facets_follow_a_new_run(library: Library, tmp_path: Path) -> None:
    analyse(library, extractor=TaggedExtractor())
    assert ("Moscow", 3) in {(f.canonical, f.articles) for f in library.facets("*")}
    (tmp_path / "corpus" / "d.txt").unlink()
    library.sync()
    analyse(library, extractor=TaggedExtractor())
    assert ("Moscow", 2) in {(f.canonical, f.articles) for f in library.facets("*")}


def test_facets_of_a_query_follow_a_sync_that_renumbers_the_articles(
    library: Library, tmp_path: Path
) -> None:
    analyse(library, extractor=TaggedExtractor())
    assert {(f.canonical, f.articles) for f in library.facets("moscow", label="PLACE")} == {("Moscow", 3)}
    corpus = tmp_path / "corpus"
    # A rewritten article gets a new number in the index; the entity phase has not run since.
    write_article(corpus, "a.txt", "Story a.txt", ARTICLES["a.txt"] + " More to follow.")
    (corpus / "d.txt").unlink()
    library.sync()
    assert {(f.canonical, f.articles) for f in library.facets("moscow", label="PLACE")} == {("Moscow", 2)}


def test_facets_of_every_article_are_counted_once_per_database_change(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.entities import facets

    analyse(library, extractor=TaggedExtractor())
    first = library.facets("*")
    counted = []
    original = facets.FacetIndex.count

    def counting(self: facets.FacetIndex, rows: object) -> object:
        counted.append(1)
        return original(self, rows)

    monkeypatch.setattr(facets.FacetIndex, "count", counting)
    assert library.facets("") == first and library.facets("*") == first
    assert counted == []
    library.facets("*", label="PLACE")
    library.facets("moscow")
    assert len(counted) == 2


def test_entities_command_prints_facets_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index.entities import phase
    from tui.cli import cli

    corpus = tmp_path / "corpus"
    for name, body in ARTICLES.items():
        write_article(corpus, name, f"Story {name}", body)
    monkeypatch.setattr(phase, "default_extractor", TaggedExtractor)
    args = ["entities", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--json"]
    result = CliRunner().invoke(cli, [*args, "--label", "place", "--query", "moscow"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"canonical": "Moscow", "label": "PLACE", "articles": 3, "mentions": 3}
    ]

    bad = CliRunner().invoke(cli, [*args, "--query", "title:("])
    assert bad.exit_code == 2


def test_only_a_large_run_goes_to_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from index.entities import phase
    from index.entities.extractor import CombinedExtractor
    from index.entities.parallel import ParallelExtractor
    from index.entities.rules import RuleExtractor

    combined = CombinedExtractor(TaggedExtractor(), RuleExtractor())
    monkeypatch.setenv(phase.WORKERS_ENV, "2")
    assert isinstance(phase._parallel_if_worth_it(combined, phase.PARALLEL_MIN_ARTICLES), ParallelExtractor)
    assert phase._parallel_if_worth_it(combined, 10) is combined
    assert phase._parallel_if_worth_it(RuleExtractor(), 10**6).name == "rules"
    monkeypatch.setenv(phase.WORKERS_ENV, "1")
    assert phase._parallel_if_worth_it(combined, 10**6) is combined


def test_a_new_extraction_version_analyses_everything_again(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.entities import store

    analyse(library, extractor=TaggedExtractor())
    monkeypatch.setattr(store, "ENTITY_VERSION", store.ENTITY_VERSION + 1)
    again = TaggedExtractor()
    assert analyse(library, extractor=again) == len(ARTICLES)
    assert library.search("person:navalny").total == 1


def test_an_unreadable_entity_database_is_one_clear_error(library: Library) -> None:
    from index.entities.store import DB_NAME
    from index.errors import IndexUnusable

    (library.index_dir / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnusable, match="entity database"):
        library.facets("*")


def test_the_entity_database_is_private_whatever_the_umask(library: Library) -> None:
    previous = os.umask(0o022)
    try:
        analyse(library, extractor=TaggedExtractor())
    finally:
        os.umask(previous)
    files = sorted(library.index_dir.glob("entities.sqlite*"))
    assert files, "the entity phase should have written its database"
    assert {path.name: stat.S_IMODE(path.stat().st_mode) & 0o077 for path in files} == {
        path.name: 0 for path in files
    }
