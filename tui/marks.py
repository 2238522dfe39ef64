"""How the user's star, tags and note on an article read in a line of the results or the header.

Tags and notes are the user's text (or an imported file's): they are stored as given and shown as
plain ``Text``, never as markup, with the characters a terminal would obey instead of print removed.
"""

from __future__ import annotations

from rich.text import Text

from index.cleaning import sanitize
from index.models import ArticleNotes, ArticleStatus

STAR = "★"
NOTE = "✎"
STAR_STYLE = "bold yellow"
TAG_STYLE = "bold cyan"


def star_prefix(notes: ArticleNotes | None) -> Text:
    """A star before a starred article's title, else nothing."""
    return Text(f"{STAR} ", style=STAR_STYLE) if notes is not None and notes.starred else Text()


def tag_text(tag: str) -> Text:
    return Text(f"#{sanitize(tag)}", style=TAG_STYLE)


def marks_text(notes: ArticleNotes | None, *, note_line: bool = False) -> Text:
    """The tags ("#fraud #follow-up") and a note marker (``note_line``: with the note's first line);
    empty when there are none. The star is the title's (``star_prefix``)."""
    text = Text()
    if notes is None:
        return text
    text.append_text(Text(" ").join(tag_text(tag) for tag in notes.tags))
    if notes.note:
        if notes.tags:
            text.append("  ")
        text.append(NOTE, style="bold")
        if note_line:
            first = sanitize(notes.note).strip().split("\n", 1)[0]
            text.append(f" {first}", style="italic")
    return text


def header_marks(notes: ArticleNotes | None) -> Text:
    """The header's line of marks: "★ starred", the tags, the note's first line, and whether the
    text changed since; empty when the article has none."""
    if notes is None:
        return Text()
    parts = [Text(f"{STAR} starred", style=STAR_STYLE)] if notes.starred else []
    if notes.tags or notes.note:
        parts.append(marks_text(notes, note_line=True))
    if notes.status is ArticleStatus.CHANGED:
        parts.append(Text(f"({notes.status.value})", style="dim"))
    return Text("  ").join(parts)
