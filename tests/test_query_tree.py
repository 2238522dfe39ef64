"""The typed query: every feature of the query language survives the engine-independent tree.

A query typed in the explorer or on the command line is parsed once into ``index.query_tree`` nodes,
and the Whoosh engine runs the tree, not the parser's own objects. These tests hold that detour to
matching exactly what Whoosh's own parse of the same text matches, feature by feature and for random
queries, and check that the explorer's typed filters mean what the clauses they replaced meant.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from index import query_tree as qt
from index.documents import document, entity_fields
from index.engines.whoosh.expansion import expand_fuzzy, widen_prefixes
from index.engines.whoosh.language import parse_query, read
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.search import matching_docnums, run_search
from index.engines.whoosh.translate import from_whoosh, to_whoosh
from index.errors import QueryError
from index.models import Article, DateFilter, EntityFilter, EntityRef, Query, SortOrder

WORDS = ["house", "prices", "market", "marketing", "bank", "rates", "film", "award", "storm", "river"]
SOURCES = ["BBC News", "Reuters", "The Harbour Gazette"]
AUTHORS = ["Ann Lee", "Tom Brook"]
PEOPLE = ["Mara Quell", "Alexei Navalny", "Ann Lee"]
ORGS = ["Harbour Council", "Bank of England"]
PLACES = ["Veldt", "Moscow"]

SCHEMA = build_schema()

README_AND_TEST_QUERIES = [
    # README, "Query language"
    "protests",
    "storm AND river",
    "storm OR river",
    "storm NOT river",
    '"house prices"',
    "champion*",
    "market*",
    "goverment~",
    "markte~",
    "title:storm",
    "source:bbc",
    "author:lee",
    'person:"Mara Quell"',
    "org:harbour",
    "place:veldt",
    'entity:"Alexei Navalny"',
    "date:[2021-01-01 to 2021-01-31]",
    "Blair said: we will win",
    # tests/test_query.py and tests/test_search.py
    "Prices",
    "house rates",
    'title:"the end of the line"',
    "body:markte~2",
    "body:market~2/3",
    "body:mark*",
    "body:ma?ket",
    "date:>=2021-02",
    "date:2020",
    "date:<2021",
    "date:[2020-06 to]",
    "(((storm)))",
    "https://example.org",
    "house price",
    "film NOT award",
    "film AND NOT award",
    # the rest of Whoosh's syntax
    '"house prices"~3',
    "house^2 river",
    "(storm river)^3 OR bank",
    "storm ANDNOT river",
    "storm ANDMAYBE river",
    "storm REQUIRE river",
    "NOT storm",
    "title:(storm OR film)",
    "title:[award to film]",
    "title:*",
    "m*ket*",
    'storm OR (bank AND NOT rates) OR "film award"',
]


def _articles(seed: int) -> Iterator[tuple[Article, list[EntityRef]]]:
    rng = random.Random(seed)
    for number in range(400):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 30)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4)))
        date = (
            dt.datetime(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 730)) if rng.random() < 0.9 else None
        )
        refs = [EntityRef(name, "PERSON") for name in PEOPLE if rng.random() < 0.3]
        refs += [EntityRef(name, "ORG") for name in ORGS if rng.random() < 0.3]
        refs += [EntityRef(name, "PLACE") for name in PLACES if rng.random() < 0.3]
        article = Article(
            id=f"a{number}",
            path=f"a{number}.txt",
            title=title,
            body=body,
            source=rng.choice(SOURCES),
            author=rng.choice(AUTHORS),
            date=date,
        )
        yield article, refs


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """Four hundred articles over ten words, with sources, authors, dates and entities, in two segments."""
    ix = whoosh_index.create_in(tmp_path_factory.mktemp("tree-index"), SCHEMA)
    articles = list(_articles(seed=7))
    for part in (articles[:250], articles[250:]):
        with ix.writer() as writer:
            for article, refs in part:
                writer.add_document(**document(article), **entity_fields(refs))
    with ix.searcher() as opened:
        yield opened


def as_run(q: wq.Query) -> wq.Query:
    """Whoosh's parse as the Whoosh engine runs it: ``a ANDNOT b`` as ``a AND NOT b``, because
    Whoosh's AndNot matcher lets through articles that hold ``b`` (tests/test_engines_agree.py)."""
    if isinstance(q, wq.AndNot):
        anded = wq.And([as_run(q.a), wq.Not(as_run(q.b))])
        anded.boost = q.boost
        return anded
    return q if q.is_leaf() else q.apply(as_run)


def whoosh_own(searcher: Searcher, text: str) -> list[str]:
    """The ids Whoosh's own parse of ``text`` matches, readied for this index as every search is."""
    reader = searcher.reader()
    q = expand_fuzzy(widen_prefixes(as_run(parse_query(SCHEMA, text)), reader), reader)
    return sorted(searcher.stored_fields(docnum)["id"] for docnum in searcher.docs_for_query(q))


def through_the_tree(searcher: Searcher, query: Query) -> tuple[int, list[str]]:
    """The total of a search of ``query`` and the ids of the articles it matches: both run its tree."""
    total = run_search(searcher, SCHEMA, query, limit=1).total
    return total, sorted(
        searcher.stored_fields(docnum)["id"] for docnum in matching_docnums(searcher, SCHEMA, query)
    )


@pytest.mark.parametrize("text", README_AND_TEST_QUERIES)
def test_every_feature_of_the_language_finds_what_whoosh_itself_finds(searcher: Searcher, text: str) -> None:
    expected = whoosh_own(searcher, text)
    assert through_the_tree(searcher, Query(text)) == (len(expected), expected)
    assert through_the_tree(searcher, Query(text, sort=SortOrder.DATE)) == (len(expected), expected)


@pytest.mark.parametrize("text", README_AND_TEST_QUERIES)
def test_the_tree_gives_back_the_very_query_whoosh_parsed(text: str) -> None:
    parsed = parse_query(SCHEMA, text)
    assert to_whoosh(from_whoosh(parsed)) == as_run(parsed)


def test_the_tree_holds_analysed_words_where_they_were_typed() -> None:
    tree = read(SCHEMA, Query("Prices ANDMAYBE title:storm^2")).tree

    assert tree == qt.AndMaybe(
        qt.Or((qt.Term("title", "price"), qt.Term("body", "price"))), qt.Term("title", "storm", boost=2.0)
    )
    assert isinstance(tree, qt.AndMaybe) and isinstance(tree.required, qt.Or)
    assert [term.typed_at for term in tree.required.children] == [(0, 6), (0, 6)]


def test_a_date_range_reads_as_whole_days() -> None:
    tree = read(SCHEMA, Query("date:[2021-01-01 to 2021-01-31]")).tree

    assert tree == qt.DateRange("date", dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 31, 23, 59, 59, 999999))


@pytest.mark.parametrize(
    ("text", "entities", "clause"),
    [
        ("storm OR river", [("PERSON", "Mara Quell")], 'person:"Mara Quell"'),
        ("", [("ORG", "Harbour Council"), ("PLACE", "Veldt")], 'org:"Harbour Council" AND place:"Veldt"'),
        ("bank", [("MONEY", "Bank of England")], 'entity:"Bank of England"'),
        ("film", [("PERSON", 'Alexei "Lyosha" Navalny')], 'person:"Alexei Lyosha Navalny"'),
    ],
)
def test_an_entity_chip_finds_what_its_clause_found_glued_to_the_text(
    searcher: Searcher, text: str, entities: list[tuple[str, str]], clause: str
) -> None:
    typed = Query(text, tuple(EntityFilter(label, name) for label, name in entities))
    expected = whoosh_own(searcher, f"({text}) AND {clause}" if text else clause)

    assert through_the_tree(searcher, typed) == (len(expected), expected)
    assert expected or "Lyosha" in clause  # the filters do narrow to some articles, not to none


def test_a_date_filter_finds_what_a_date_range_clause_found(searcher: Searcher) -> None:
    typed = Query("storm", dates=DateFilter(dt.date(2020, 3, 1), dt.date(2020, 9, 30)))
    expected = whoosh_own(searcher, "(storm) AND date:[2020-03-01 to 2020-09-30]")

    assert 0 < len(expected) < len(whoosh_own(searcher, "storm"))
    assert through_the_tree(searcher, typed) == (len(expected), expected)
    assert through_the_tree(searcher, Query(dates=DateFilter(last=dt.date(2020, 1, 31)))) == through_the_tree(
        searcher, Query("date:<=2020-01-31")
    )


def test_a_date_filter_that_ends_before_it_starts_is_refused_like_its_clause() -> None:
    backwards = DateFilter(dt.date(2021, 2, 1), dt.date(2021, 1, 1))
    with pytest.raises(QueryError, match="ends before it starts"):
        read(SCHEMA, Query("storm", dates=backwards))
    with pytest.raises(QueryError, match="ends before it starts"):
        read(SCHEMA, Query("storm AND date:[2021-02-01 to 2021-01-01]"))


def test_did_you_mean_respells_the_typed_text_and_keeps_the_chips_apart(searcher: Searcher) -> None:
    """When chips were clauses glued to the text, the suggestion was the glued string, and choosing
    it put ``(storm) AND person:"Mara Quell"`` into the search box."""
    result = run_search(searcher, SCHEMA, Query("stromm", (EntityFilter("PERSON", "Mara Quell"),)))

    assert result.total == 0
    assert result.suggestion == "storm"


def test_an_entity_whose_name_has_no_words_matches_nothing(searcher: Searcher) -> None:
    assert read(SCHEMA, Query(filters=(EntityFilter("MONEY", "€"),))).tree == qt.Nothing()
    assert through_the_tree(searcher, Query("storm", (EntityFilter("MONEY", "€"),))) == (0, [])


LEAVES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda word: f"{word[:4]}*"),
    st.sampled_from(WORDS).map(lambda word: f"{word[0]}?{word[2:]}"),
    st.sampled_from(WORDS).map(lambda word: f"{word[:-1]}~"),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda pair: '"{} {}"'.format(*pair)),
    st.tuples(st.sampled_from(["title", "body"]), st.sampled_from(WORDS)).map(":".join),
    st.sampled_from(["source:bbc", "author:lee", 'person:"Mara Quell"', "org:harbour", "place:moscow"]),
    st.sampled_from(["date:2020", "date:[2020-05 to 2021-02]", "date:>2021-06-15", "title:[film to river]"]),
    st.sampled_from(WORDS).map(lambda word: f"{word}^2"),
)
OPERATORS = st.sampled_from(
    [" ", " AND ", " OR ", " NOT ", " AND NOT ", " ANDNOT ", " ANDMAYBE ", " REQUIRE "]
)


def _joined(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda left, operator, right: f"({left}{operator}{right})", children, OPERATORS, children
    )


QUERIES = st.recursive(LEAVES, _joined, max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERIES)
def test_random_queries_find_through_the_tree_what_whoosh_itself_finds(searcher: Searcher, text: str) -> None:
    try:
        parsed = parse_query(SCHEMA, text)
    except QueryError:
        assume(False)
    assert to_whoosh(from_whoosh(parsed)) == as_run(parsed)
    expected = whoosh_own(searcher, text)
    assert through_the_tree(searcher, Query(text)) == (len(expected), expected)
