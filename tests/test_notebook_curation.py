"""Entity curation: hide, merge, rename, relabel and undo, as the library applies them to mentions,
facets, hits and entity queries, and as they survive a re-index and a deleted cache."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article
from notebook_support import tagged_corpus, use_tagged_extractor

from index import query_tree as qt
from index.engines.whoosh.language import language_schema, read
from index.errors import NotebookError
from index.library import Library
from index.models import EntityFilter, EntityRef, Mention, Query
from index.notebook.curation import Curation, CurationOp, Operation, hide, merge, relabel, rename

COUNCIL = ("Harbour Council", "ORG")
BOARD = ("Harbour Board", "ORG")
FRIDAY = ("Friday", "PERSON")


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    use_tagged_extractor(monkeypatch)
    with Library.open(tagged_corpus(tmp_path / "corpus")) as opened:
        opened.update()
        yield opened


def _facets(library: Library, query: str | Query = "*") -> dict[tuple[str, str], int]:
    return {(f.canonical, f.label): f.articles for f in library.facets(query)}


def _ids(library: Library, query: str | Query) -> set[str]:
    return {hit.id for hit in library.search(query).hits}


def test_a_rename_then_a_merge_of_the_new_name_both_apply_in_order() -> None:
    curation = Curation(
        (rename(BOARD, "Board of the Harbour"), merge(("Board of the Harbour", "ORG"), COUNCIL))
    )
    assert curation.shown(*BOARD) == COUNCIL
    assert curation.shown("Board of the Harbour", "ORG") == COUNCIL
    assert curation.shown(*COUNCIL) == COUNCIL
    assert curation.shown("Veldt", "PLACE") == ("Veldt", "PLACE")


def test_an_operation_on_a_name_applies_only_to_what_bears_it_at_that_point() -> None:
    """Renaming A to B and later hiding B hides A too; hiding B first and then renaming A to B does not."""
    first = Curation((rename(("A", "ORG"), "B"), hide(("B", "ORG"))))
    later = Curation((hide(("B", "ORG")), rename(("A", "ORG"), "B")))
    assert first.shown("A", "ORG") is None
    assert later.shown("A", "ORG") == ("B", "ORG")
    assert later.shown("B", "ORG") is None


def test_merged_refs_count_once_with_their_mentions_summed_and_hidden_ones_dropped() -> None:
    curation = Curation((merge(BOARD, COUNCIL), hide(FRIDAY)))
    refs = (
        EntityRef("Harbour Council", "ORG", 2),
        EntityRef("Harbour Board", "ORG", 3),
        EntityRef("Friday", "PERSON"),
    )
    assert curation.refs(refs) == (EntityRef("Harbour Council", "ORG", 5),)


def test_the_operations_refuse_what_would_change_nothing() -> None:
    with pytest.raises(NotebookError, match="into itself"):
        merge(COUNCIL, COUNCIL)
    with pytest.raises(NotebookError, match="not a space"):
        rename(COUNCIL, "   ")
    with pytest.raises(NotebookError, match="already labelled"):
        relabel(COUNCIL, "org")
    with pytest.raises(NotebookError, match="no entity label"):
        relabel(COUNCIL, "SHIP")


def test_facets_count_a_merged_entity_once_per_article_and_leave_hidden_ones_out(library: Library) -> None:
    library.notebook().curate(merge(BOARD, COUNCIL))
    library.notebook().curate(hide(FRIDAY))
    facets = _facets(library)
    assert facets[COUNCIL] == 2
    assert BOARD not in facets and FRIDAY not in facets
    assert _facets(library, "meet")[COUNCIL] == 1


def test_an_article_s_mentions_and_a_hit_s_entities_show_the_curation(library: Library) -> None:
    library.notebook().curate(rename(("Jonas Brisk", "PERSON"), "Jonas Q. Brisk"))
    library.notebook().curate(relabel(("Port Amsel", "PLACE"), "ORG"))
    mentions = library.article_entities("b.txt")
    assert [(m.text, m.canonical, m.label) for m in mentions][:1] == [
        ("Jonas Brisk", "Jonas Q. Brisk", "PERSON")
    ]
    assert ("Port Amsel", "ORG") in {(m.canonical, m.label) for m in mentions}
    [hit] = library.search("meet").hits
    assert EntityRef("Jonas Q. Brisk", "PERSON") in hit.entities


def test_a_query_for_the_alias_finds_the_canonical_s_articles_and_the_other_way_round(
    library: Library,
) -> None:
    assert _ids(library, 'org:"harbour board"') == {"b.txt"}
    library.notebook().curate(merge(BOARD, COUNCIL))
    assert _ids(library, 'org:"harbour board"') == {"a.txt", "b.txt"}
    assert _ids(library, 'org:"harbour council"') == {"a.txt", "b.txt"}
    assert _ids(library, "entity:council") == {"a.txt", "b.txt"}
    chip = Query(filters=(EntityFilter("ORG", "Harbour Council"),))
    assert _ids(library, chip) == {"a.txt", "b.txt"}
    assert library.matching_ids('org:"harbour board"') == ["a.txt", "b.txt"]
    assert _ids(library, "org:tessaly") == {"c.txt"}, "other entities are untouched"


def test_a_renamed_entity_is_found_by_its_new_name_and_undo_restores_it(library: Library) -> None:
    library.notebook().curate(rename(("Veldt", "PLACE"), "Veldt Lowlands"))
    assert _ids(library, 'place:"veldt lowlands"') == {"c.txt"}
    assert ("Veldt Lowlands", "PLACE") in _facets(library)
    undone = library.notebook().undo()
    assert undone.operation is Operation.RENAME
    assert _ids(library, 'place:"veldt lowlands"') == set()
    assert ("Veldt", "PLACE") in _facets(library)
    with pytest.raises(NotebookError, match="no entity change to undo"):
        library.notebook().undo()


def test_a_relabelled_entity_is_found_in_its_new_label_s_field(library: Library) -> None:
    library.notebook().curate(relabel(FRIDAY, "DATE"))
    assert ("Friday", "DATE") in _facets(library)
    assert _ids(library, "entity:friday") == {"c.txt"}


def test_the_widened_tree_ors_the_other_names_of_the_group_into_each_entity_clause() -> None:
    """Names that hold the clause's words are left out: the clause already finds their articles."""
    aliases = Curation((merge(BOARD, COUNCIL),)).aliases
    tree = read(language_schema(), Query("org:council", aliases=aliases)).tree
    assert tree == qt.Or((qt.Term("org", "council"), qt.Phrase("org", ("harbour", "board"))))
    tree = read(language_schema(), Query("entity:harbour", aliases=aliases)).tree
    assert tree == qt.Term("entity", "harbour")
    assert (
        read(language_schema(), Query("council", aliases=aliases)).tree
        == read(language_schema(), Query("council")).tree
    )


def test_curation_survives_a_reindex_after_edits_and_a_deleted_cache(
    library: Library, tmp_cache: Path, tmp_data: Path
) -> None:
    library.notebook().curate(merge(BOARD, COUNCIL))
    corpus = library.corpus
    library.close()
    write_article(corpus, "b.txt", "Board meets again", "The [Harbour Board|ORG] met once more.")
    (corpus / "c.txt").unlink()
    write_article(corpus, "d.txt", "Back", "The [Harbour Board|ORG] is back in [Veldt|PLACE].")
    shutil.rmtree(tmp_cache)
    assert any(tmp_data.iterdir()), "the notebook is in the data folder, not the cache"
    with Library.open(corpus) as reopened:
        reopened.update()
        assert _facets(reopened)[COUNCIL] == 3
        assert _ids(reopened, 'org:"harbour council"') == {"a.txt", "b.txt", "d.txt"}


def test_a_change_made_by_another_process_is_seen_at_the_next_question(library: Library) -> None:
    assert _facets(library)[BOARD] == 1
    with Library.open(library.corpus) as other:
        other.notebook().curate(hide(BOARD))
    assert BOARD not in _facets(library)


def test_hostile_names_are_kept_as_typed(library: Library) -> None:
    hostile = "[bold red]Evil[/] \x1b[31mCorp\x1b[0m"
    library.notebook().curate(rename(COUNCIL, hostile))
    assert (hostile, "ORG") in _facets(library)
    assert library.curation().ops[0].becomes == (hostile, "ORG")


def test_mentions_pass_through_untouched_when_nothing_was_curated(library: Library) -> None:
    assert library.curation().ops == ()
    assert Mention("Mara Quell", "PERSON", 1, 11, "Mara Quell") in library.article_entities("a.txt")


def test_an_operation_keeps_its_time_but_compares_by_what_it_does() -> None:
    made = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    op = CurationOp(Operation.HIDE, "Friday", "PERSON", None, made)
    assert op == hide(FRIDAY) and op.made != hide(FRIDAY).made


def test_the_library_answers_anew_after_a_curation_made_through_it_and_after_its_undo(
    library: Library,
) -> None:
    mara = Query('person:"Mara Quell"')
    assert _ids(library, mara) == {"a.txt"} and _facets(library)[("Mara Quell", "PERSON")] == 1
    library.curate(merge(("Jonas Brisk", "PERSON"), ("Mara Quell", "PERSON")))
    assert _ids(library, mara) == {"a.txt", "b.txt"}
    assert _facets(library)[("Mara Quell", "PERSON")] == 2
    assert library.undo_curation().operation is Operation.MERGE
    assert _ids(library, mara) == {"a.txt"} and ("Jonas Brisk", "PERSON") in _facets(library)
