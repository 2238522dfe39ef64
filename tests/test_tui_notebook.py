"""Stars, tags and notes in the explorer: `*` stars, `t` tags, `a` opens the notes editor, and the
results list and the article header show what the notebook holds, never as markup."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import write_article
from textual.widgets import Input

from index import Library
from index.models import ArticleNotes
from tests.tui_support import FakeLibrary, screen_text, settle, wait_until
from tui.app import BroadsheetApp
from tui.note_draft import NoteDraft
from tui.screens.tags import TagsDialog, tag_change, typed_tags
from tui.widgets.article_header import ArticleHeader
from tui.widgets.note_editor import NoteEditor
from tui.widgets.results import ResultsList

SIZE = (120, 40)
FIRST = "articles.jsonl#8"
"""The newest fixture article, the first result of the empty query: "Budget vote delayed in Port Amsel"."""


def header(app: BroadsheetApp) -> str:
    return str(app.screen.query_one(ArticleHeader).render())


def first_result(app: BroadsheetApp) -> str:
    """The lines of the first result as the screen shows them."""
    lines = screen_text(app).splitlines()
    start = next(number for number, line in enumerate(lines) if "Budget vote delayed" in line)
    return "\n".join(lines[start : start + 2])


class NoIndexer:
    """The index of these tests is built before the app opens it."""

    def __init__(self, library: object) -> None:
        pass

    def run(self, emit: object, should_stop: object) -> None:
        pass

    def stop(self) -> None:
        pass


async def test_asterisk_stars_the_article_under_the_cursor_and_again_unstars_it():
    library = FakeLibrary.fixture()
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(ResultsList).current_hit.id == FIRST

        await pilot.press("asterisk")
        await settle(pilot)
        assert library.notes[FIRST].starred
        assert "★ Budget vote delayed" in first_result(app)
        assert "★ starred" in header(app)

        await pilot.press("asterisk")
        await settle(pilot)
        assert FIRST not in library.notes
        assert "★" not in first_result(app) and "★" not in header(app)


async def test_t_adds_and_removes_tags_and_refuses_a_tag_with_a_space_in_one_sentence():
    library = FakeLibrary.fixture()
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsDialog)
        await pilot.press(*"fraud, follow-up", "enter")
        await settle(pilot)
        assert library.notes[FIRST].tags == ("follow-up", "fraud")
        assert "#follow-up #fraud" in first_result(app)
        assert "#follow-up #fraud" in header(app)

        await pilot.press("t")
        await settle(pilot)
        field = app.screen.query_one(Input)
        assert field.value == "follow-up, fraud"  # the current tags, to edit
        field.value = "fraud"
        await pilot.press("enter")
        await settle(pilot)
        assert library.notes[FIRST].tags == ("fraud",)

        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one(Input).value = "fraud, two words"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TagsDialog), "an invalid tag keeps the dialog open"
        assert "A tag is one word (no spaces): 'two words' is not." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TagsDialog)
        assert library.notes[FIRST].tags == ("fraud",)
        assert app.is_running


async def test_a_opens_the_notes_editor_which_saves_as_typed_and_esc_closes_it():
    library = FakeLibrary.fixture()
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        editor = app.screen.query_one(NoteEditor)
        assert editor.is_open and app.focused is editor
        await pilot.press(*"Call the clerk", "enter", *"about /q and t*")
        await settle(pilot)
        assert library.notes[FIRST].note == "Call the clerk\nabout /q and t*"
        assert "✎ Call the clerk" in header(app)
        assert "✎" in first_result(app)

        await pilot.press("escape")
        await settle(pilot)
        assert not editor.is_open
        assert isinstance(app.focused, ResultsList)
        await pilot.press("j", "a")  # the next article's note: empty, and the first one's kept
        await settle(pilot)
        assert editor.text == ""
        await pilot.press(*"second")
        second = app.screen.query_one(ResultsList).current_hit.id
        await pilot.press("tab", "right_square_bracket")  # the note stays open and follows the article
        await settle(pilot)
        assert editor.is_open and editor.text == "" and not editor.read_only
        assert library.notes[FIRST].note == "Call the clerk\nabout /q and t*"
        assert library.notes[second].note == "second"


async def test_keys_typed_right_after_a_while_the_note_is_read_go_after_it():
    library = FakeLibrary.fixture()
    library.annotate(FIRST, note="Old.")
    read = library.article_notes

    def slow_read(article_id: str) -> ArticleNotes | None:
        time.sleep(0.3)
        return read(article_id)

    library.article_notes = slow_read
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *" New.", "enter", "s")
        await settle(pilot)
        assert library.notes[FIRST].note == "Old. New.\ns"
        assert app.screen.query_one(NoteEditor).text == "Old. New.\ns"


async def test_hostile_tags_and_notes_are_kept_as_stored_and_shown_as_plain_text():
    library = FakeLibrary.fixture()
    hostile_note = "\x1b[31mred\x1b[0m [bold]not bold[/bold]\x1b]0;title\x07"
    hostile_tag = "\x1b[2J[b]x[/b]"
    library.annotate(FIRST, note=hostile_note, add_tags=[hostile_tag])
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "#[b]x[/b]" in first_result(app)
        assert "✎ red [bold]not bold[/bold]" in header(app)
        assert "\x1b" not in shown

        await pilot.press("t")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "[b]x[/b]"
        await pilot.press(*", [i]y", "enter")
        await settle(pilot)
        assert library.notes[FIRST].tags == tuple(sorted([hostile_tag, "[i]y"]))

        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one(NoteEditor).text == "red [bold]not bold[/bold]"
        assert library.notes[FIRST].note == hostile_note, "opening the note does not rewrite it"


def test_a_save_under_way_is_waited_for_so_the_latest_edit_is_the_one_kept():
    library = FakeLibrary.fixture()
    written: list[str] = []
    first_write_may_end = threading.Event()

    def annotate(article_id: str, *, note: str) -> ArticleNotes | None:
        written.append(note)
        if len(written) == 1:
            first_write_may_end.wait(5)
        return FakeLibrary.annotate(library, article_id, note=note)

    library.annotate = annotate
    draft = NoteDraft(FIRST, "")
    draft.edit("Pumps")
    slow = threading.Thread(target=draft.save, args=(library,))
    slow.start()
    while not written:
        time.sleep(0.01)
    draft.edit("Pumps fail")  # typed while "Pumps" is being written; then the app quits
    last = threading.Thread(target=draft.save, args=(library,))
    last.start()
    first_write_may_end.set()
    slow.join(5)
    last.join(5)
    assert written == ["Pumps", "Pumps fail"]
    assert library.notes[FIRST].note == "Pumps fail" and draft.is_saved


def test_typed_tags_are_split_on_commas_and_a_kept_tag_is_kept_as_stored():
    assert typed_tags(" fraud,, follow-up ,fraud ") == ("fraud", "follow-up")
    assert tag_change(["\x1b[1mold", "gone"], ["old", "new"]) == (["new"], ["gone"])


@pytest.fixture
def indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Harbour wall", "The council will build a harbour wall.")
    write_article(corpus, "b.txt", "Markets rally", "Shares rose as markets rallied on Friday.")
    index_dir = tmp_path / "index"
    with Library.open(corpus, index_dir=index_dir) as library:
        library.sync()
    return corpus, index_dir


def explorer(corpus: Path, index_dir: Path) -> BroadsheetApp:
    return BroadsheetApp(
        opener=lambda: Library.open(corpus, index_dir=index_dir), indexer=NoIndexer, show_timing=False
    )


async def search(pilot, query: str) -> list[str]:
    await pilot.press("slash")
    pilot.app.screen.query_one(Input).value = query
    await pilot.press("enter")
    await settle(pilot)
    return [hit.title for hit in pilot.app.screen.query_one(ResultsList).hits]


@pytest.mark.timeout(60)
async def test_a_star_is_searchable_at_once_and_a_note_typed_then_quit_is_there_when_reopened(
    indexed, monkeypatch: pytest.MonkeyPatch
):
    corpus, index_dir = indexed
    app = explorer(corpus, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await search(pilot, "harbour") == ["Harbour wall"]
        await pilot.press("asterisk")
        await settle(pilot)
        assert await search(pilot, "starred:yes") == ["Harbour wall"]
        await pilot.press("asterisk")
        await settle(pilot)
        assert await search(pilot, "starred:yes") == [], "the answer kept for the query is out of date"

        await search(pilot, "harbour")
        await pilot.press("a")
        await wait_until(pilot, lambda: not app.screen.query_one(NoteEditor).read_only, what="the note")
        annotate = Library.annotate

        def slow_annotate(library: Library, *args, **kwargs):
            time.sleep(0.2)  # the app quits while a save is under way, and the last edit waits
            return annotate(library, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(Library, "annotate", slow_annotate)
            await pilot.press(*"Ask about the cost", "enter", *"and the tender", "ctrl+q")
    with Library.open(corpus, index_dir=index_dir) as library:
        assert [(n.article_id, n.note) for n in library.noted_articles()] == [
            ("a.txt", "Ask about the cost\nand the tender")
        ]

    app = explorer(corpus, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: not app.screen.query_one(NoteEditor).read_only, what="the note")
        assert app.screen.query_one(NoteEditor).text == "Ask about the cost\nand the tender"
