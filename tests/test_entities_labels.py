"""Entity labels are data: every place that knows a label reads it from its entry in ``LABELS``.

Each test here runs over every entry, so that a new label (an e-mail address, a phone number) that
is added as one entry is searched by its own field, coloured in the sidebar and the reader, and
offered by the command line, without another file knowing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from tui_support import screen_lines
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from index.documents import document, entity_fields
from index.engines.whoosh.language import parse_query, read, searchable_fields
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.translate import to_whoosh
from index.entities.labels import FROM_ONTONOTES, LABELS, EntityLabel, user_label
from index.models import Article, EntityFilter, EntityRef, Query
from tui.cli.entities import entities_command
from tui.widgets.entity_panel import EntityPanel, heading_component
from tui.widgets.reader import ArticleView, entity_component

THEME_COLOURS = frozenset({"primary", "secondary", "accent", "warning", "error", "success", "muted"})

NAME = "Zebedee Quarrington"
"""One name given to an entity of every label, one article per label."""


def _label_ids(label: EntityLabel) -> str:
    return label.name


def test_each_label_and_each_query_field_is_named_once() -> None:
    names = Counter(label.name for label in LABELS)
    fields = Counter(label.query_field for label in LABELS if label.query_field)

    assert [name for name, n in names.items() if n > 1] == []
    assert [field for field, n in fields.items() if n > 1] == []
    assert all(name.isupper() for name in names)


def test_no_label_claims_a_model_label_that_another_label_claims() -> None:
    claimed = Counter(model for label in LABELS for model in label.model_labels)

    assert [model for model, n in claimed.items() if n > 1] == []
    assert user_label("GPE") == user_label("LOC") == "PLACE"
    assert user_label("CARDINAL") is None
    assert len(FROM_ONTONOTES) == sum(claimed.values())


def test_label_colours_are_colours_of_the_theme() -> None:
    assert {label.colour for label in LABELS if label.colour} <= THEME_COLOURS


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """An index with one article per label, each mentioning an entity of that label named NAME."""
    ix = whoosh_index.create_in(tmp_path_factory.mktemp("labels-index"), build_schema())
    with ix.writer() as writer:
        for label in LABELS:
            article = Article(id=label.name, path=f"{label.name}.txt", title=label.name, body=NAME)
            writer.add_document(**document(article), **entity_fields([EntityRef(NAME, label.name, 1)]))
    with ix.searcher() as opened:
        yield opened


def _found(searcher: Searcher, query: str) -> set[str]:
    return {hit["id"] for hit in searcher.search(parse_query(searcher.schema, query), limit=None)}


@pytest.mark.parametrize("label", [label for label in LABELS if label.query_field], ids=_label_ids)
def test_a_labels_query_field_finds_its_entities_and_no_other_labels(
    searcher: Searcher, label: EntityLabel
) -> None:
    assert label.query_field in searchable_fields(searcher.schema)
    assert _found(searcher, f'{label.query_field}:"{NAME}"') == {label.name}


def test_entity_finds_the_entities_of_every_label(searcher: Searcher) -> None:
    assert _found(searcher, f'entity:"{NAME}"') == {label.name for label in LABELS}


@pytest.mark.parametrize("label", LABELS, ids=_label_ids)
def test_choosing_an_entity_in_the_sidebar_filters_by_its_labels_field(
    searcher: Searcher, label: EntityLabel
) -> None:
    chosen = EntityFilter(label.name, NAME)
    tree = read(searcher.schema, Query(filters=(chosen,))).tree
    found = {hit["id"] for hit in searcher.search(to_whoosh(tree), limit=None)}

    assert chosen.shown.startswith(f"{label.query_field or 'entity'}:")
    assert label.name in found


def test_the_entities_command_offers_every_label() -> None:
    (label_option,) = [option for option in entities_command.params if option.name == "label"]

    assert list(label_option.type.choices) == [label.name for label in LABELS]


class _Marks(App[None]):
    def compose(self) -> ComposeResult:
        yield EntityPanel()
        yield ArticleView()


class _Sidebar(App[None]):
    CSS = "EntityPanel { border: none; }"

    def compose(self) -> ComposeResult:
        yield EntityPanel()


async def test_sidebar_headings_and_reader_marks_take_each_labels_colour() -> None:
    async with _Marks().run_test() as pilot:
        panel = pilot.app.query_one(EntityPanel)
        reader = pilot.app.query_one(ArticleView)
        headings = {label.name: panel.get_component_styles(heading_component(label.name)) for label in LABELS}
        marks = {label.name: reader.get_component_styles(entity_component(label.name)) for label in LABELS}

        for label in LABELS:
            heading, mark = headings[label.name], marks[label.name]
            assert heading.has_rule("color") == mark.has_rule("color") == (label.colour is not None)
            assert heading.color == mark.color, label.name
            assert "underline" in str(mark.text_style), label.name
        for one in LABELS:
            for other in LABELS:
                if one.colour == other.colour:
                    assert headings[one.name].color == headings[other.name].color, (one.name, other.name)


async def test_the_sidebar_lists_labels_in_the_order_of_the_registry() -> None:
    entries = [(label.name, f"{label.name.title()} Example", 1) for label in reversed(LABELS)]
    async with _Sidebar().run_test(size=(40, 2 * len(LABELS))) as pilot:
        pilot.app.query_one(EntityPanel).show("Entities", entries, empty="None.", unit="articles")
        await pilot.pause()
        first_words = [line.split()[0] for line in screen_lines(pilot.app) if line.strip()]

    assert [word for word in first_words if word.isupper()] == [label.name for label in LABELS]


def test_no_module_but_the_registry_writes_a_labels_field_or_colour_by_hand() -> None:
    """Adding a label is one entry: outside ``index/entities/labels.py``, the query fields and the
    component classes of the labels are derived, never spelt out (as they were in three places)."""
    repo = Path(__file__).resolve().parent.parent
    by_hand = [
        str(path.relative_to(repo))
        for folder in ("index", "tui")
        for path in sorted((repo / folder).rglob("*.py"))
        if path.name != "labels.py"
        and any(
            spelt in path.read_text("utf-8")
            for spelt in ('"person"', "entity-panel--person", "entity-person")
        )
    ]

    assert by_hand == []
