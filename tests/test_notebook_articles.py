"""Stars, tags and notes on articles: kept in the notebook by article id and body hash, found with
``starred:``, ``tag:`` and ``note:``, marked when the text changed or the file went away."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article
from notebook_support import tagged_corpus

from index.errors import ArticleNotFound, NotebookError, QueryError
from index.library import Library
from index.models import ArticleStatus, Query
from index.notebook.curation import hide
from index.notebook.exchange import export, merge_in, read_file


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tagged_corpus(tmp_path / "corpus")) as opened:
        opened.sync()
        yield opened


def _ids(library: Library, query: str | Query) -> set[str]:
    return {hit.id for hit in library.search(query).hits}


def test_starred_tag_and_note_find_what_the_user_marked(library: Library) -> None:
    library.annotate("a.txt", starred=True, add_tags=["Urgent", "harbour"])
    library.annotate(
        "b.txt", add_tags=["urgent"], note="The protests at the harbour were\nlarger than reported."
    )
    library.annotate("c.txt", note="Check the board's minutes.")
    assert _ids(library, "starred:yes") == {"a.txt"}
    assert _ids(library, "starred:no") == {"b.txt", "c.txt"}
    assert _ids(library, "tag:URGENT") == {"a.txt", "b.txt"}
    assert _ids(library, "tag:harb*") == {"a.txt"}
    assert _ids(library, "tag:*") == {"a.txt", "b.txt"}
    assert _ids(library, "note:protest") == {"b.txt"}, "notes are stemmed as the body is"
    assert _ids(library, 'note:"larger than reported"') == {"b.txt"}
    assert _ids(library, "note:minute*") == {"c.txt"}
    assert _ids(library, "port AND tag:urgent AND NOT starred:yes") == {"b.txt"}
    assert library.matching_ids("tag:urgent OR note:minutes") == ["a.txt", "b.txt", "c.txt"]


def test_a_star_keeps_the_order_of_the_hits_it_keeps(library: Library) -> None:
    library.annotate("a.txt", starred=True)
    library.annotate("b.txt", starred=True)
    plain = [hit.id for hit in library.search("port").hits]
    starred = [hit.id for hit in library.search("port AND starred:yes").hits]
    assert starred == plain and len(plain) == 2


def test_without_a_notebook_the_fields_find_nothing_and_create_nothing(
    library: Library, tmp_data: Path
) -> None:
    assert _ids(library, "tag:urgent") == set()
    assert _ids(library, "starred:no") == {"a.txt", "b.txt", "c.txt"}
    assert not any(tmp_data.iterdir())


def test_an_article_with_nothing_left_is_forgotten(library: Library) -> None:
    library.annotate("a.txt", starred=True, add_tags=["x"])
    noted = library.article_notes("a.txt")
    assert noted is not None and noted.starred and noted.tags == ("x",)
    assert library.annotate("a.txt", starred=False, remove_tags=["x"]) is None
    assert library.article_notes("a.txt") is None and library.noted_articles() == []


def test_notes_and_tags_are_kept_as_typed_hostile_ones_too(library: Library) -> None:
    note = "[bold red]not markup[/]\n\x1b[2J\x1b]0;title\x07 kept"
    library.annotate("a.txt", note=note, add_tags=["\x1b[31mred[/]"])
    noted = library.article_notes("a.txt")
    assert noted is not None and noted.note == note and noted.tags == ("\x1b[31mred[/]",)


def test_what_cannot_be_noted_is_one_sentence(library: Library) -> None:
    with pytest.raises(NotebookError, match="one word"):
        library.annotate("a.txt", add_tags=["two words"])
    with pytest.raises(ArticleNotFound):
        library.annotate("nowhere.txt", starred=True)
    with pytest.raises(QueryError, match="yes or no"):
        library.search("starred:maybe")
    with pytest.raises(QueryError, match="not ranges or fuzzy"):
        library.search("tag:[a TO c]")


def test_notes_survive_edits_removals_and_a_deleted_cache_marked_changed_or_orphaned(
    library: Library, tmp_cache: Path
) -> None:
    for article in ("a.txt", "b.txt", "c.txt"):
        library.annotate(article, note=f"about {article}")
    corpus = library.corpus
    library.close()
    write_article(corpus, "b.txt", "Board meets", "The board met again on Tuesday.")
    (corpus / "c.txt").unlink()
    shutil.rmtree(tmp_cache)
    with Library.open(corpus) as reopened:
        reopened.sync()
        statuses = {noted.article_id: noted.status for noted in reopened.noted_articles()}
        assert statuses == {
            "a.txt": ArticleStatus.CURRENT,
            "b.txt": ArticleStatus.CHANGED,
            "c.txt": ArticleStatus.ORPHANED,
        }
        assert _ids(reopened, "note:about") == {"a.txt", "b.txt"}, "an orphan's id matches no article"
        reopened.annotate("b.txt", note="seen the new text")
        noted = reopened.article_notes("b.txt")
        assert noted is not None and noted.status is ArticleStatus.CURRENT
        write_article(corpus, "c.txt", "Water", "Back again.")
        reopened.sync()
        back = reopened.article_notes("c.txt")
        assert back is not None and back.note == "about c.txt" and back.status is ArticleStatus.CHANGED


def test_an_import_merges_stars_tags_and_notes(library: Library, tmp_path: Path) -> None:
    library.annotate("a.txt", starred=True, add_tags=["one"], note="first thoughts")
    exported = tmp_path / "notebook.json"
    export(library.notebook(), library.corpus, exported)
    library.annotate("a.txt", starred=False, add_tags=["two"], note="second thoughts")
    library.annotate("b.txt", note="only here")
    report = merge_in(library.notebook(), read_file(exported))
    assert report.articles == 1
    noted = library.article_notes("a.txt")
    assert noted is not None
    assert noted.starred and noted.tags == ("one", "two")
    assert noted.note == "second thoughts\n\nfirst thoughts"
    merge_in(library.notebook(), read_file(exported))
    again = library.article_notes("a.txt")
    assert again is not None and again.note == noted.note, "importing twice adds nothing"
    assert _ids(library, "note:only") == {"b.txt"}


def test_a_star_leaves_the_curation_and_the_facets_worked_out_from_it_alone(library: Library) -> None:
    library.notebook().curate(hide(("Veldt", "PLACE")))
    before = library.curation()
    library.annotate("a.txt", starred=True)
    assert library.curation() is before
    library.notebook().undo()
    assert library.curation() is not before and not library.curation()


def test_notes_of_a_page_of_hits_gives_those_that_have_any(library: Library) -> None:
    assert library.notes_of(["a.txt", "b.txt"]) == {}, "no notebook yet"
    library.annotate("a.txt", starred=True, add_tags=["urgent"])
    library.annotate("c.txt", note="Check the minutes.")
    found = library.notes_of(["a.txt", "b.txt", "c.txt", "gone.txt"])
    assert {key: (n.starred, n.tags, n.note) for key, n in found.items()} == {
        "a.txt": (True, ("urgent",), ""),
        "c.txt": (False, (), "Check the minutes."),
    }
