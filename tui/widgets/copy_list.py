"""Where and when each copy of a story appeared, oldest first, the two compared copies marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from index.duplicates import Copy


def copy_rows(copies: Sequence[Copy], left: str, right: str) -> Text:
    """One line per copy: which pane shows it (◀ left, ▶ right), its date, source and path."""
    lines = []
    for copy in copies:
        marker = "◀ " if copy.id == left else "▶ " if copy.id == right else "  "
        line = Text(marker, style="bold")
        line.append(copy.date.strftime("%Y-%m-%d %H:%M") if copy.date else "undated         ")
        line.append("  ")
        line.append(copy.source or "no source", style="italic")
        line.append(f"  {copy.path}", style="dim")
        lines.append(line)
    return Text("\n").join(lines)


class CopyList(Static):
    """The copies of the story being compared."""

    DEFAULT_CSS = """
    CopyList { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary 40%; }
    """

    def show(self, copies: Sequence[Copy], left: str, right: str) -> None:
        self.border_title = f"{len(copies)} copies of this story"
        self.update(copy_rows(copies, left, right))
