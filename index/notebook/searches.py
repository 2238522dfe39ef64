"""Saved searches and the history of searches, as values: a ``SavedSearch`` is a name, the typed
``Query`` it stands for and whether copies of a story were folded; ``find_saved`` finds the one a
user names or says in one sentence which names come nearest. The notebook (``store``) keeps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from index.errors import NotebookError
from index.models import EntityFilter, Query
from index.notebook.names import nearest

HISTORY_LIMIT = 1000
"""Searches kept in the history; the oldest go first."""
MAX_NAME = 100
"""The longest name of a saved search: a few words, not a note."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search the user named: its query (text, entity filters, dates, sort) and folding."""

    name: str
    query: Query
    collapse: bool = False
    saved: dt.datetime = field(default=dt.datetime.min.replace(tzinfo=dt.timezone.utc), compare=False)

    @property
    def shown(self) -> str:
        return query_shown(self.query)


def query_shown(query: Query) -> str:
    """A query in the query language, filters and all (``rain person:"…"``)."""
    parts = [query.text.strip(), *(entity.shown for entity in query.filters)]
    if query.dates is not None:
        parts.append(query.dates.shown)
    return " ".join(part for part in parts if part) or "*"


def saved_search(name: str, query: Query, *, collapse: bool = False) -> SavedSearch:
    """A search to save now under ``name`` (kept as typed, but for the spaces around it); only what
    the user chose of ``query`` is kept (not what the library adds). Raises NotebookError for an
    empty or overlong name."""
    return SavedSearch(
        checked_name(name),
        Query(query.text, query.filters, query.dates, query.sort),
        collapse,
        dt.datetime.now(dt.timezone.utc),
    )


def checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise NotebookError("A saved search needs a name with at least one character that is not a space.")
    if len(name) > MAX_NAME:
        raise NotebookError(f"A saved search's name can be at most {MAX_NAME} characters long.")
    return name


def find_saved(name: str, saved: Iterable[SavedSearch]) -> SavedSearch:
    """The saved search called ``name`` (exactly, else ignoring case). Raises NotebookError naming
    the nearest names when none is."""
    searches, wanted = list(saved), name.strip()
    found = [search for search in searches if search.name == wanted] or [
        search for search in searches if search.name.casefold() == wanted.casefold()
    ]
    if found:
        return found[0]
    if not searches:
        raise NotebookError(f"No search is saved as {name!r}; none is saved yet.")
    by_folded = {search.name.casefold(): search.name for search in searches}
    near = [by_folded[folded] for folded in nearest(name.strip().casefold(), list(by_folded))]
    if not near:
        raise NotebookError(f"No search is saved as {name!r}; `broadsheet searches list` lists them.")
    raise NotebookError(f"No search is saved as {name!r}; did you mean {', '.join(map(repr, near))}?")


def filters_of(pairs: Iterable[Iterable[str]]) -> tuple[EntityFilter, ...]:
    """Entity filters from (label, canonical) pairs, as stored and exported."""
    return tuple(EntityFilter(label, canonical) for label, canonical in pairs)
