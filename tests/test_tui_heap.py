"""The explorer's collector settings: the start-up heap frozen, collections held during a search."""

from __future__ import annotations

import gc

from tui.heap import YOUNG_THRESHOLD, QuietCollector


def test_the_collector_is_held_during_a_search_and_everything_is_undone_on_close() -> None:
    before = gc.get_threshold()
    collector = QuietCollector()
    try:
        collector.settle()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        collector.hold()
        assert not gc.isenabled()
        collector.release()
        assert gc.isenabled()
        collector.hold()
    finally:
        collector.restore()
    assert gc.isenabled(), "closing the app lets collections run again, even mid-search"
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
