"""Markdown: a dossier to read or hand on. A heading with the query, how many articles and when;
then per article its title, a line of date, source, author and path, the best snippet with the
matched words in bold, its tags, entities and note.

Article text (and the user's notes) is data, never Markdown: the characters that mean something
inside a line (emphasis, code, links, images, HTML, entities, tables) are escaped with a backslash
wherever they are, those that start a block (lists, quotes, headings) where a line starts, line
breaks are joined (or quoted, in a note) so that no text can make a line of its own, and control
characters are gone (``sanitize``). A title such as ``# [x](javascript:alert(1))`` reads as itself
and links nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from index.cleaning import sanitize
from index.export.header import ExportHeader
from index.export.rows import ExportRow
from index.export.spreadsheet import entity_cell

_INLINE = re.compile(r"([\\`*_\[\]{}<>!|~&#$])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=>])")
_SPACE = re.compile(r"\s+")


def write_dossier(rows: Iterable[ExportRow], out: TextIO, header: ExportHeader) -> int:
    out.write(heading(header))
    written = 0
    for row in rows:
        out.write(article_section(row, header))
        written += 1
    return written


def heading(header: ExportHeader) -> str:
    query = escape(header.query) if header.query.strip() else "every article"
    count = f"{header.total:,} article{'' if header.total == 1 else 's'}"
    when = header.exported_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    return f"# Broadsheet export: {query}\n\n{count}, exported {escape(when)}.\n"


def article_section(row: ExportRow, header: ExportHeader) -> str:
    date = None if row.date is None else row.date.date().isoformat()
    details = " · ".join(escape(part) for part in (date, row.source, row.author, row.path) if part)
    parts = [f"\n---\n\n## {escape(row.title) or 'Untitled'}\n", f"{details}\n"]
    snippet = emphasised(row.snippet, row.snippet_highlights)
    if snippet:
        parts.append(f"{snippet}\n")
    if row.tags:
        parts.append(f"Tags: {escape(', '.join(row.tags))}\n")
    if header.entities and row.entities:
        parts.append(f"Entities: {escape(entity_cell(row.entities))}\n")
    if header.notes and row.notes:
        parts.append("Notes:\n\n" + quoted(row.notes))
    return "\n".join(parts)


def escape(text: str) -> str:
    """``text`` as one line of literal Markdown: control characters removed, runs of white space
    (line breaks too) one space, what Markdown would read as markup backslash-escaped."""
    inline = _INLINE.sub(r"\\\1", _SPACE.sub(" ", sanitize(text)).strip())
    return _BLOCK_START.sub(_escaped_start, inline, count=1)


def _escaped_start(start: re.Match[str]) -> str:
    """``1.`` -> ``1\\.``, ``-`` -> ``\\-``: a line that would start a list, quote or heading."""
    digits, mark, sign = start.groups()
    return f"{digits}\\{mark}" if digits else f"\\{sign}"


def emphasised(snippet: str, highlights: Iterable[tuple[int, int]]) -> str:
    """The snippet escaped, with each highlighted span in ``**bold**``."""
    pieces, position = [], 0
    for start, end in sorted(highlights):
        if start < position or end <= start:
            continue
        pieces.append(_inline(snippet[position:start]))
        word = escape(snippet[start:end])
        pieces.append(f"**{word}**" if word else "")
        position = end
    pieces.append(_inline(snippet[position:]))
    return "".join(pieces).strip()


def _inline(text: str) -> str:
    """A piece of a line: escaped, its outer white space kept as one space (it separates words)."""
    if not text:
        return ""
    lead = " " if text[0].isspace() else ""
    tail = " " if text[-1].isspace() and text.strip() else ""
    return f"{lead}{escape(text)}{tail}"


def quoted(text: str) -> str:
    """A multi-line note as a Markdown block quote, each line escaped (blank lines kept)."""
    lines = sanitize(text).split("\n")
    return "".join(f"> {escape(line)}\n" if line.strip() else ">\n" for line in lines)
