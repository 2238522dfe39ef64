"""``Notebook``: one corpus's notebook file and the questions and changes it takes.

Every change is one transaction that also bumps the ``revision`` in ``meta`` (but for saved searches
and the history of searches, which no answer of the library depends on), so a reader in another
process (the explorer while the command line curates) sees a change at its next question and
nothing half-done. Reads never create the file: a corpus nobody curated has none.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import NotebookError
from index.models import ArticleNotes, DateFilter, MarkedArticles, Query, SortOrder
from index.notebook import location
from index.notebook.curation import Curation, CurationOp, Operation
from index.notebook.database import connect, transaction
from index.notebook.searches import HISTORY_LIMIT, SavedSearch, filters_of


class Notebook:
    """The notebook of one corpus. Create with ``Notebook.open`` (or ``existing``); close when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path)
        self._lock = threading.Lock()
        self._curation: tuple[int, Curation] | None = None
        self._marked: tuple[int, MarkedArticles] | None = None

    @classmethod
    def open(cls, corpus: Path) -> Notebook:
        """The notebook of ``corpus``, created (private) if it does not exist yet."""
        path = location.notebook_path(corpus)
        location.create_private(path)
        return cls(path)

    @classmethod
    def existing(cls, corpus: Path) -> Notebook | None:
        """The notebook of ``corpus`` if one was ever written, else None (nothing is created)."""
        path = location.notebook_path(corpus)
        return cls(path) if path.is_file() else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def revision(self) -> int:
        """Changes with every change to the notebook, by this process or another."""
        with self._lock:
            return self._revision()

    def curation(self) -> Curation:
        """The curation as it stands, read again only after a change; the same object while its
        operations are the same (a star leaves it, and what was worked out from it, alone)."""
        with self._lock:
            revision, held = self._revision(), self._curation
            if held is None or held[0] != revision:
                rows = self._conn.execute(
                    "SELECT operation, name, label, new_name, new_label, made FROM curation ORDER BY seq"
                ).fetchall()
                ops = tuple(_op(*row) for row in rows)
                held = (revision, held[1] if held is not None and held[1].ops == ops else Curation(ops))
                self._curation = held
            return held[1]

    def curate(self, op: CurationOp) -> None:
        """Add an operation at the end of the log."""
        self.add_operations([op])

    def add_operations(
        self,
        ops: Iterable[CurationOp],
        articles: Iterable[ArticleNotes] = (),
        searches: Iterable[SavedSearch] = (),
    ) -> None:
        """Add operations at the end of the log, in order, and put these articles' notes and these
        saved searches in place of what it holds of them, all in one transaction (an import)."""
        with self._writing() as conn:
            self._save_searches(conn, searches)
            conn.executemany(
                "INSERT INTO curation (operation, name, label, new_name, new_label, made) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [_row(op) for op in ops],
            )
            for noted in articles:
                conn.execute(
                    "INSERT OR REPLACE INTO articles (id, body_hash, starred, note, noted) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        noted.article_id,
                        noted.body_hash,
                        int(noted.starred),
                        noted.note,
                        noted.noted.isoformat(),
                    ),
                )
                conn.execute("DELETE FROM tags WHERE article_id = ?", (noted.article_id,))
                conn.executemany(
                    "INSERT INTO tags (article_id, tag) VALUES (?, ?)",
                    [(noted.article_id, checked_tag(tag)) for tag in noted.tags],
                )

    def undo(self) -> CurationOp:
        """Drop the last operation and return it. Raises NotebookError if there is none."""
        with self._writing() as conn:
            row = conn.execute(
                "SELECT seq, operation, name, label, new_name, new_label, made FROM curation "
                "ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if row is None:
                raise NotebookError("There is no entity change to undo.")
            conn.execute("DELETE FROM curation WHERE seq = ?", (row[0],))
        return _op(*row[1:])

    def annotate(
        self,
        article_id: str,
        body_hash: str,
        *,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
    ) -> ArticleNotes | None:
        """Star or unstar an article, add or remove tags, replace its note (None: leave as it is),
        on the body whose hash is ``body_hash``; returns what it now holds (None once nothing:
        an article without a star, tag or note is forgotten)."""
        added = [checked_tag(tag) for tag in add_tags]
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO articles (id, body_hash, noted) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET body_hash = excluded.body_hash, noted = excluded.noted",
                (article_id, body_hash, now),
            )
            if starred is not None:
                conn.execute("UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id))
            if note is not None:
                conn.execute("UPDATE articles SET note = ? WHERE id = ?", (note, article_id))
            conn.executemany(
                "INSERT OR IGNORE INTO tags (article_id, tag) VALUES (?, ?)",
                [(article_id, tag) for tag in added],
            )
            conn.executemany(
                "DELETE FROM tags WHERE article_id = ? AND tag = ?",
                [(article_id, tag) for tag in remove_tags],
            )
            conn.execute(
                "DELETE FROM articles WHERE id = ? AND starred = 0 AND note = '' "
                "AND NOT EXISTS (SELECT 1 FROM tags WHERE article_id = ?)",
                (article_id, article_id),
            )
        return self.article_notes(article_id)

    def article_notes(self, article_id: str) -> ArticleNotes | None:
        """The star, tags and note of one article (status ``CURRENT``: the library compares), or None."""
        found = self._noted("WHERE a.id = ?", (article_id,))
        return found[0] if found else None

    def notes_of(self, article_ids: Iterable[str]) -> dict[str, ArticleNotes]:
        """The star, tags and note of each of these articles that has any, by id (status ``CURRENT``)."""
        ids = json.dumps(list(article_ids))  # one parameter, however many ids
        found = self._noted("WHERE a.id IN (SELECT value FROM json_each(?))", (ids,))
        return {noted.article_id: noted for noted in found}

    def noted_articles(self) -> list[ArticleNotes]:
        """Every article with a star, a tag or a note, by id (status ``CURRENT``: the library compares)."""
        return self._noted("", ())

    def marked(self) -> MarkedArticles:
        """Stars, tags and notes as queries read them, made again only after a change."""
        with self._lock:
            revision = self._revision()
            if self._marked is None or self._marked[0] != revision:
                self._marked = (revision, _marked(self._conn))
            return self._marked[1]

    def _noted(self, where: str, values: tuple[str, ...]) -> list[ArticleNotes]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT a.id, a.body_hash, a.noted, a.starred, a.note, (SELECT json_group_array(tag) "
                "FROM (SELECT tag FROM tags WHERE article_id = a.id ORDER BY tag)) "
                f"FROM articles a {where} ORDER BY a.id",
                values,
            ).fetchall()
        return [
            ArticleNotes(
                article_id,
                body_hash,
                dt.datetime.fromisoformat(noted),
                starred=bool(starred),
                tags=tuple(json.loads(tags)),
                note=note,
            )
            for article_id, body_hash, noted, starred, note, tags in rows
        ]

    # Saved searches and the history of searches --------------------------------------------------

    def save_searches(self, searches: Iterable[SavedSearch]) -> None:
        """Keep these searches, each in place of any saved under its name, in one transaction."""
        with self._writing(revised=False) as conn:
            self._save_searches(conn, searches)

    @staticmethod
    def _save_searches(conn: sqlite3.Connection, searches: Iterable[SavedSearch]) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO saved_searches "
            "(name, text, filters, first_day, last_day, sort, collapse, saved) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [_saved_row(search) for search in searches],
        )

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, by name (ignoring case)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT name, text, filters, first_day, last_day, sort, collapse, saved FROM saved_searches"
            ).fetchall()
        searches = [_saved(*row) for row in rows]
        return sorted(searches, key=lambda search: (search.name.casefold(), search.name))

    def delete_saved_search(self, name: str) -> bool:
        """Forget the search saved as ``name`` (exactly); whether there was one."""
        with self._writing(revised=False) as conn:
            return conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0

    def record_search(self, text: str) -> None:
        """Add a query text to the history, unless it is the latest there; the oldest beyond
        ``HISTORY_LIMIT`` are forgotten."""
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        with self._writing(revised=False) as conn:
            latest = conn.execute("SELECT text FROM search_history ORDER BY seq DESC LIMIT 1").fetchone()
            if latest is not None and latest[0] == text:
                return
            conn.execute("INSERT INTO search_history (text, searched) VALUES (?, ?)", (text, now))
            conn.execute(
                "DELETE FROM search_history WHERE seq <= (SELECT MAX(seq) FROM search_history) - ?",
                (HISTORY_LIMIT,),
            )

    def search_history(self) -> list[str]:
        """The query texts searched, oldest first."""
        with self._lock:
            return [row[0] for row in self._conn.execute("SELECT text FROM search_history ORDER BY seq")]

    def _revision(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'revision'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def _writing(self, *, revised: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock, that also bumps the revision if ``revised``."""
        with self._lock:
            try:
                with transaction(self._conn) as conn:
                    yield conn
                    if revised:
                        conn.execute(
                            "INSERT INTO meta (name, value) VALUES ('revision', '1') ON CONFLICT(name) "
                            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                        )
            except sqlite3.Error as error:
                raise NotebookError(f"Cannot write the notebook {self.path}: {error}.") from None


def _row(op: CurationOp) -> tuple[str, str, str, str | None, str | None, str]:
    new_name, new_label = op.becomes if op.becomes is not None else (None, None)
    return (op.operation.value, op.name, op.label, new_name, new_label, op.made.isoformat())


def _op(
    operation: str, name: str, label: str, new_name: str | None, new_label: str | None, made: str
) -> CurationOp:
    becomes = None if new_name is None or new_label is None else (new_name, new_label)
    return CurationOp(Operation(operation), name, label, becomes, dt.datetime.fromisoformat(made))


def _saved_row(search: SavedSearch) -> tuple[object, ...]:
    query = search.query
    dates = query.dates or DateFilter()
    return (
        search.name,
        query.text,
        json.dumps([[entity.label, entity.canonical] for entity in query.filters], ensure_ascii=False),
        dates.first.isoformat() if dates.first else None,
        dates.last.isoformat() if dates.last else None,
        query.sort.value,
        int(search.collapse),
        search.saved.isoformat(),
    )


def _saved(
    name: str,
    text: str,
    filters: str,
    first_day: str | None,
    last_day: str | None,
    sort: str,
    collapse: int,
    saved: str,
) -> SavedSearch:
    first = dt.date.fromisoformat(first_day) if first_day else None
    last = dt.date.fromisoformat(last_day) if last_day else None
    dates = DateFilter(first, last) if first or last else None
    query = Query(text, filters_of(json.loads(filters)), dates, SortOrder(sort))
    return SavedSearch(name, query, bool(collapse), dt.datetime.fromisoformat(saved))


MAX_TAG = 100
"""The longest tag: a word or a few, not a note."""


def checked_tag(tag: str) -> str:
    """``tag`` without the spaces around it; raises NotebookError for an empty one, one with spaces
    inside (``tag:`` finds whole tags, which a query cannot hold with a space) or an overlong one."""
    tag = tag.strip()
    if not tag or any(char.isspace() for char in tag):
        raise NotebookError(f"A tag is one word (no spaces): {tag!r} is not.")
    if len(tag) > MAX_TAG:
        raise NotebookError(f"A tag can be at most {MAX_TAG} characters long.")
    return tag


def _marked(conn: sqlite3.Connection) -> MarkedArticles:
    starred = frozenset(row[0] for row in conn.execute("SELECT id FROM articles WHERE starred"))
    tags: dict[str, set[str]] = {}
    for article_id, tag in conn.execute("SELECT article_id, tag FROM tags"):
        tags.setdefault(tag.casefold(), set()).add(article_id)
    notes = dict(conn.execute("SELECT id, note FROM articles WHERE note != ''").fetchall())
    return MarkedArticles(starred, {tag: frozenset(ids) for tag, ids in tags.items()}, notes)
