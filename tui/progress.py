"""Sentences about the background run: what it is doing, how far it is, and roughly how long is left."""

from __future__ import annotations

import time
from collections.abc import Callable

from index.models import Progress

PHASE_NAMES = {
    "index": "Indexing",
    "duplicates": "Finding copies",
    "entities": "Finding entities",
    "export": "Exporting",
}
"""What each phase of the indexer is called on screen."""
STEADY_SECONDS = 5.0
"""No estimate before the rate has been watched this long: the first batches include start-up costs."""
STEADY_DONE = 50
"""...and before this many items were done since the watch began."""


def phase_name(phase: str) -> str:
    return PHASE_NAMES.get(phase, phase)


class Estimate:
    """Seconds left in the current phase, from its rate so far.

    The watch starts at the phase's first report of finished work, so that loading a model or
    starting workers does not count as slowness.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._phase = ""
        self._start: tuple[float, int] | None = None
        self._latest: Progress | None = None

    def update(self, progress: Progress) -> None:
        latest = self._latest
        if latest is None or progress.phase != latest.phase or progress.done < latest.done:
            self._start = None
        if self._start is None and progress.done > 0:
            self._start = (self._clock(), progress.done)
        self._latest = progress

    def seconds_left(self) -> float | None:
        """None until the rate is steady enough to be worth saying, or when the total is unknown."""
        progress = self._latest
        if progress is None or self._start is None or not progress.total:
            return None
        started, done_then = self._start
        watched, advanced = self._clock() - started, progress.done - done_then
        if watched < STEADY_SECONDS or advanced < STEADY_DONE:
            return None
        return max(0.0, (progress.total - progress.done) * watched / advanced)


def how_long(seconds: float) -> str:
    """A rounded duration: "about 70 s", "about 4 min", "about 2 h 10 min"."""
    if seconds < 90:
        return f"about {max(5, round(seconds / 5) * 5)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60} min"


def describe(progress: Progress, seconds_left: float | None = None) -> str:
    """ "Indexing 1,200 / 2,225…" or "Finding entities 600 / 2,225 · about 70 s left"."""
    text = f"{phase_name(progress.phase)} {progress.done:,}"
    if progress.total:
        text += f" / {progress.total:,}"
        if progress.done == 0:
            return f"{text} · starting…"  # workers starting, the entity model loading: up to a minute
        if progress.done >= progress.total:
            return f"{text} · finishing…"  # the last commit, or writing entities into the index
    if seconds_left is None:
        return text + "…"
    return f"{text} · {how_long(seconds_left)} left"
