"""What the explorer says about the background run: the phase, how far it is, and how long is left."""

from __future__ import annotations

from index.models import Progress
from tui.progress import Estimate, describe


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_indexing_says_how_far_it_is_with_thousands_separators():
    assert describe(Progress("index", 1200, 2225)) == "Indexing 1,200 / 2,225…"


def test_finding_entities_says_roughly_how_long_is_left():
    assert describe(Progress("entities", 600, 2225), 71.0) == "Finding entities 600 / 2,225 · about 70 s left"
    assert describe(Progress("entities", 600, 100_000), 3 * 3600 + 600) == (
        "Finding entities 600 / 100,000 · about 3 h 10 min left"
    )


def test_a_phase_that_has_done_nothing_yet_says_it_is_starting():
    assert describe(Progress("entities", 0, 2225)) == "Finding entities 0 / 2,225 · starting…"


def test_a_phase_with_every_item_done_says_it_is_finishing():
    assert describe(Progress("entities", 2225, 2225), 0.0) == "Finding entities 2,225 / 2,225 · finishing…"


def test_the_estimate_waits_for_a_steady_rate_and_leaves_out_the_start_up():
    clock = Clock()
    estimate = Estimate(clock)
    estimate.update(Progress("entities", 0, 2225))
    clock.now += 30  # loading the model: not part of the rate
    estimate.update(Progress("entities", 1, 2225))
    clock.now += 1
    estimate.update(Progress("entities", 20, 2225))
    assert estimate.seconds_left() is None  # one second and 19 articles: too early to say
    clock.now += 9
    estimate.update(Progress("entities", 201, 2225))
    assert estimate.seconds_left() == (2225 - 201) * 10 / 200


def test_a_new_phase_starts_a_new_estimate():
    clock = Clock()
    estimate = Estimate(clock)
    estimate.update(Progress("index", 100, 2225))
    clock.now += 10
    estimate.update(Progress("index", 2225, 2225))
    estimate.update(Progress("entities", 0, 2225))
    clock.now += 10
    estimate.update(Progress("entities", 100, 2225))
    assert estimate.seconds_left() is None
