"""One line under the search box: how many hits, how fast, in what order, filtered how, and progress."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from index.models import Progress, SearchResult
from tui.plural import plural
from tui.progress import phase_name


def summary_text(
    result: SearchResult | None, filters: Sequence[str], *, show_timing: bool, more_like: str | None = None
) -> Text:
    """The left part of the status line, as plain ``Text``."""
    if result is None:
        return Text("Opening the library…", style="dim")
    text = Text(plural(result.total, "article"), style="bold")
    if show_timing:
        text.append(f" in {result.elapsed * 1000:.0f} ms")
    text.append(f" · by {result.sort.value}", style="dim")
    if more_like:
        text.append(" · like ", style="dim")
        text.append(more_like, style="italic")
    if filters:
        text.append(" · ", style="dim")
        text.append(" ".join(filters), style="italic")
    if result.suggestion and result.hits:
        text.append(" · did you mean ", style="dim")
        text.append(result.suggestion, style="bold")
        text.append("?", style="dim")
    for note in result.notes:
        text.append(f" · {note}", style="dim")
    return text


def progress_label(progress: Progress) -> Text:
    total = f"/{progress.total:,}" if progress.total else ""
    return Text(f"{phase_name(progress.phase)} {progress.done:,}{total} ", style="dim")


class StatusLine(Horizontal):
    """Search summary on the left; a progress bar while indexing or extracting; the engine's name."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    StatusLine > #summary { width: 1fr; height: 1; }
    StatusLine > #progress-label { width: auto; height: 1; margin-left: 2; display: none; }
    StatusLine > ProgressBar { width: 24; height: 1; display: none; }
    StatusLine > #engine { width: auto; height: 1; margin-left: 2; color: $text-muted; }
    StatusLine.-busy > #progress-label { display: block; }
    StatusLine.-busy > ProgressBar { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Static(summary_text(None, (), show_timing=False), id="summary")
        yield Static("", id="progress-label")
        yield ProgressBar(show_eta=False, show_percentage=False, id="progress")
        yield Static("", id="engine")

    def show_engine(self, name: str) -> None:
        """Name the search engine that keeps the index ("whoosh", "tantivy")."""
        self.query_one("#engine", Static).update(Text(name))

    def show_summary(self, text: Text) -> None:
        self.query_one("#summary", Static).update(text)

    def show_progress(self, progress: Progress) -> None:
        self.add_class("-busy")
        self.query_one("#progress-label", Static).update(progress_label(progress))
        self.query_one(ProgressBar).update(total=progress.total, progress=progress.done)

    def hide_progress(self) -> None:
        self.remove_class("-busy")
