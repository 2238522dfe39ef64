"""Bringing the index up to date from the command line: progress on stderr, and the refresh that
every query runs first."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import click

from index import IndexBusyError, Progress

if TYPE_CHECKING:
    from index.library import Library


def refresh(library: Library, *, entities: bool = False) -> None:
    """Bring the index up to date before a query, the entity phase too if asked, with a progress bar
    on a terminal and nothing said otherwise; an index busy elsewhere is used as it is."""
    try:
        with progress_reporter() if sys.stderr.isatty() else nullcontext() as progress:
            library.update(entities=entities, progress=progress)
    except IndexBusyError:
        if not library.is_indexed:
            raise
        click.echo(
            "broadsheet: the index is being updated by another process; results may be partial.", err=True
        )


@contextmanager
def progress_reporter() -> Iterator[TerminalProgress | PlainProgress]:
    """A rich progress bar on a terminal, plain lines otherwise, on stderr."""
    if not sys.stderr.isatty():
        yield PlainProgress()
        return
    bar = TerminalProgress()
    try:
        yield bar
    finally:
        bar.clear()


class TerminalProgress:
    """A transient rich bar on stderr with a line per phase, shown until cleared."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, report: Progress) -> None:
        if self._bar is None:
            self._bar = _transient_bar()
            self._bar.start()
            self._tasks = {}
        if report.phase not in self._tasks:
            self._tasks[report.phase] = self._bar.add_task(report.phase, total=report.total)
        self._bar.update(self._tasks[report.phase], completed=report.done, total=report.total)

    def clear(self) -> None:
        """Take the bar off the terminal before something else is printed; a next report starts a new one."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _transient_bar() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    return Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


class PlainProgress:
    """One stderr line every few seconds, and one at the end of each phase."""

    interval = 2.0

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, report: Progress) -> None:
        now = time.monotonic()
        finished = report.total is not None and report.done >= report.total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        of_total = f"/{report.total}" if report.total is not None else ""
        click.echo(f"{report.phase}: {report.done}{of_total}", err=True)

    def clear(self) -> None:
        """Nothing to take away: the lines stay, and what is printed next follows them."""
