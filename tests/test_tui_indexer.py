"""The background indexer's events survive the trip from the child process to the TUI."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from index import Library
from index.engines.folder import LOCK_NAME
from index.models import IndexReport, Progress, Skip, SkipReason
from tests.tui_support import FIXTURE_CORPUS
from tui.indexer import (
    ChildProcessIndexer,
    EntitiesDone,
    IndexEvent,
    IndexFailed,
    InProcessIndexer,
    decode_event,
    encode_event,
)


def test_every_event_round_trips_through_a_json_line():
    events = [
        Progress("indexing", 3, 10, "a.txt"),
        Progress("entities", 1, None),
        IndexReport(
            added=2, updated=1, removed=0, unchanged=5, skipped=(Skip("b.bin", SkipReason.BINARY, "NUL"),)
        ),
        EntitiesDone(7),
        IndexFailed("The index is busy.", busy=True),
    ]
    for event in events:
        line = encode_event(event)
        assert "\n" not in line
        assert decode_event(line) == event


def test_lines_that_are_not_events_are_ignored():
    assert decode_event("Loading model...\n") is None
    assert decode_event('{"event": "unknown"}') is None
    assert decode_event("[1, 2]") is None


def test_the_child_process_indexes_a_corpus_and_reports_each_phase(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    events = []
    ChildProcessIndexer(corpus, tmp_path / "index", "whoosh").run(events.append, lambda: False)
    reports = [event for event in events if isinstance(event, IndexReport)]
    assert len(reports) == 1 and reports[0].added == 8
    assert not [event for event in events if isinstance(event, IndexFailed)]
    assert isinstance(events[-1], EntitiesDone)


def test_a_missing_corpus_is_reported_not_raised(tmp_path: Path):
    events = []
    ChildProcessIndexer(tmp_path / "nowhere", tmp_path / "index", "whoosh").run(events.append, lambda: False)
    assert len(events) == 1 and isinstance(events[0], IndexFailed)
    assert "does not exist" in events[0].message


def test_a_search_refreshing_between_the_phases_does_not_make_the_explorer_give_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """``broadsheet search`` in another terminal first refreshes the text index, taking the write lock
    if it is free. Landing between the explorer's text and entity phases, it used to leave the entity
    phase to give up as busy (``broadsheet index`` already held the lock across both phases)."""
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    library = Library.open(corpus, index_dir=tmp_path / "index")
    search_elsewhere = FileLock(library.index_dir / LOCK_NAME)
    events: list[IndexEvent] = []

    def emit(event: IndexEvent) -> None:
        events.append(event)
        if search_elsewhere.is_locked:
            search_elsewhere.release()  # its refresh is over once the indexer is heard from again
        elif isinstance(event, IndexReport):
            with contextlib.suppress(Timeout):  # refused, it uses the index as it is
                search_elsewhere.acquire(timeout=0)

    with library:
        InProcessIndexer(library).run(emit, lambda: False)
    assert not [event for event in events if isinstance(event, IndexFailed)]
    assert isinstance(events[-1], EntitiesDone) and events[-1].analysed == 8
