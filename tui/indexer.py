"""Keep the index up to date in the background: text phase, then entities.

The real work runs in a child process (``python -m tui.indexer CORPUS INDEX_DIR``) that reports
one JSON line per event: loading spaCy or parsing thousands of files in a thread of the TUI would
hold the GIL for seconds and freeze the screen. Killing the child is safe; the index is built to
survive kill -9 and the next run resumes. Tests drive the same events in-process over a fake.

The child and everything it starts end with the TUI, however the TUI ends. The child sits in a
session of its own, so the terminal's signals reach only the TUI, which terminates it on quitting;
if the TUI dies instead, the child's stdin, a pipe only the TUI holds, closes and the child exits
(index/lifeline.py). Its events go out on a private copy of its stdout, and its stdout proper
becomes its stderr, so that no process it starts (spaCy workers, multiprocessing's resource
tracker) can hold the TUI's end of the event pipe open: the TUI's reading thread sees end-of-file
the moment the child is gone, and quitting never waits for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.errors import BroadsheetError, IndexBusyError
from index.models import IndexReport, Progress, Skip, SkipReason, StopCheck

if TYPE_CHECKING:
    from index.api import LibraryAPI


@dataclass(frozen=True, slots=True)
class EntitiesDone:
    """The entity phase finished; ``analysed`` articles were (re)analysed."""

    analysed: int


@dataclass(frozen=True, slots=True)
class IndexFailed:
    """The background run stopped with a sentence for the user; ``busy``: another process holds the index."""

    message: str
    busy: bool = False


IndexEvent = Progress | IndexReport | EntitiesDone | IndexFailed
EventSink = Callable[[IndexEvent], None]


class Indexer(Protocol):
    def run(self, emit: EventSink, should_stop: StopCheck) -> None:
        """Sync then extract entities, reporting each step to ``emit``; returns when done or stopped."""

    def stop(self) -> None:
        """Stop at once (called from the UI thread when the app quits)."""


class InProcessIndexer:
    """Runs both phases on the calling thread (for libraries that live in this process, e.g. tests)."""

    def __init__(self, library: LibraryAPI) -> None:
        self._library = library
        self._stopped = False

    def run(self, emit: EventSink, should_stop: StopCheck) -> None:
        def stopping() -> bool:
            return self._stopped or should_stop()

        try:
            update = self._library.update(progress=emit, on_synced=emit, should_stop=stopping)
            if update.analysed is not None:
                emit(EntitiesDone(update.analysed))
        except BroadsheetError as error:
            emit(IndexFailed(str(error), busy=isinstance(error, IndexBusyError)))

    def stop(self) -> None:
        self._stopped = True


class ChildProcessIndexer:
    """Runs both phases in ``python -m tui.indexer`` and relays its JSON lines as events."""

    def __init__(self, corpus: Path, index_dir: Path, engine: str) -> None:
        self._command = [sys.executable, "-m", "tui.indexer", str(corpus), str(index_dir), engine]
        self._process: subprocess.Popen[str] | None = None
        self._stopped = False

    def run(self, emit: EventSink, should_stop: StopCheck) -> None:
        if self._stopped or should_stop():
            return
        environment = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[1])
        search_path = [package_root, environment.get("PYTHONPATH", "")]
        environment["PYTHONPATH"] = os.pathsep.join(part for part in search_path if part)
        with (
            tempfile.TemporaryFile(mode="w+") as errors,
            subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,  # the child's lifeline: never written, closed when we end
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                env=environment,
                start_new_session=True,
            ) as self._process,
        ):
            assert self._process.stdout is not None
            for line in self._process.stdout:
                if self._stopped or should_stop():
                    self.stop()
                    return
                event = decode_event(line)
                if event is not None:
                    emit(event)
            if self._process.wait() != 0 and not self._stopped:
                errors.seek(0)
                lines = errors.read().strip().splitlines()
                emit(IndexFailed(f"Background indexing stopped: {lines[-1] if lines else 'unknown error'}."))

    def stop(self) -> None:
        self._stopped = True
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()


def encode_event(event: IndexEvent) -> str:
    """One JSON line for the parent to read."""
    if isinstance(event, Progress):
        payload = {
            "event": "progress",
            "phase": event.phase,
            "done": event.done,
            "total": event.total,
            "current": event.current,
        }
    elif isinstance(event, IndexReport):
        payload = {
            "event": "synced",
            "added": event.added,
            "updated": event.updated,
            "removed": event.removed,
            "unchanged": event.unchanged,
            "elapsed": event.elapsed,
            "skipped": [[skip.path, skip.reason.value, skip.detail] for skip in event.skipped],
        }
    elif isinstance(event, EntitiesDone):
        payload = {"event": "entities", "analysed": event.analysed}
    else:
        payload = {"event": "failed", "message": event.message, "busy": event.busy}
    return json.dumps(payload)


def decode_event(line: str) -> IndexEvent | None:
    """The event of one line from the child; None for anything else (e.g. a library's stray print)."""
    try:
        payload = json.loads(line)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    kind = payload.pop("event", None)
    if kind == "progress":
        return Progress(**payload)
    if kind == "synced":
        skipped = tuple(
            Skip(path, SkipReason(reason), detail) for path, reason, detail in payload.pop("skipped")
        )
        return IndexReport(skipped=skipped, **payload)
    if kind == "entities":
        return EntitiesDone(payload["analysed"])
    if kind == "failed":
        return IndexFailed(payload["message"], payload["busy"])
    return None


def main(argv: list[str]) -> int:
    """The child: open the library and run both phases, printing events as JSON lines."""
    from index.lifeline import exit_when_closed

    exit_when_closed(sys.stdin.fileno())
    events = os.fdopen(os.dup(sys.stdout.fileno()), "w")  # not inherited by what the child starts
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    from index.library import Library

    def emit(event: IndexEvent) -> None:
        print(encode_event(event), file=events, flush=True)

    try:
        library = Library.open(Path(argv[0]), index_dir=Path(argv[1]), engine=argv[2])
    except BroadsheetError as error:
        emit(IndexFailed(str(error)))
        return 0
    InProcessIndexer(library).run(emit, lambda: False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
