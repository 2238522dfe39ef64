"""Keeping Python's garbage collector out of the way of a keystroke.

A full collection walks every object the process holds: once the explorer is up, about 100,000
(Textual's widgets, styles and render caches, the modules, the library), which took 70-120 ms on the
2-core benchmark machine, longer than a search of a million articles. Rendering leaves so many
survivors behind that a full collection came about once a second of use, so one often fell between
Enter and the results (``bench/tui_latency.py``). Once the first results are on screen, the objects
made so far, which live as long as the app, are left out of every collection (``gc.freeze``), and a
young collection waits for more allocations, which makes the full ones rarer as well. Rendering
still leaves so much behind that a collection of the middle generation can take tens of
milliseconds, so none runs while a search is on its way: from the moment it starts to its answer on
screen, which is tens of milliseconds at a million articles; the collector catches up after.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
"""Allocations (less deallocations) between young collections; Python's default is 700."""
MIDDLE_THRESHOLD = 20
"""Young collections between collections of the middle generation; Python's default is 10."""


class QuietCollector:
    """Freezes the start-up heap and spaces the collections out, and holds them while a search is
    on its way; ``restore`` undoes all three."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def settle(self) -> None:
        """The start-up heap is built: leave it out of the collections from now on (once)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, self._saved[2])

    def hold(self) -> None:
        """A search is on its way: no automatic collection until its answer is on screen (as
        Textual pauses them while it scrolls), so that none falls between Enter and the results."""
        gc.disable()

    def release(self) -> None:
        """The search's answer is on screen (or it failed): collections may run again."""
        gc.enable()

    def restore(self) -> None:
        """The app is closing: its objects may be collected again, with Python's own pace."""
        gc.enable()
        if self._saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._saved)
            self._saved = None
