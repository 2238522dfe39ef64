"""The note being typed in the explorer: its text, how many edits it has had, and how many of them
the notebook holds.

The notes editor saves as the user types: each edit asks for a save at once, and a save writes the
latest text, so edits made while one save runs are carried by the next. A save and the last one when
the app quits may run on two threads at once: a lock makes the later edit the one that stays.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.api import LibraryAPI
    from index.models import ArticleNotes


class NoteDraft:
    """The note of one article as the editor holds it."""

    def __init__(self, article_id: str, text: str) -> None:
        self.article_id = article_id
        self._text = text
        self._edits = 0
        self._saved = 0
        self._editing = threading.Lock()
        """Held while the text and its edit number change or are read together (never for long: the
        UI thread takes it at each keystroke)."""
        self._writing = threading.Lock()
        """Held while a text is written, so that an older text never overwrites a newer one."""

    @property
    def text(self) -> str:
        return self._text

    @property
    def is_saved(self) -> bool:
        return self._saved == self._edits

    def edit(self, text: str) -> bool:
        """The editor holds ``text`` now; False if that is the text already held (no edit)."""
        with self._editing:
            if text == self._text:
                return False
            self._text = text
            self._edits += 1
            return True

    def save(self, library: LibraryAPI) -> tuple[bool, ArticleNotes | None]:
        """Write the latest edit to the notebook if it is not there yet: whether it wrote, and what the
        notebook now holds of the article. Raises what ``annotate`` raises (NotebookError...)."""
        with self._writing:
            with self._editing:
                edits, text = self._edits, self._text
            if edits == self._saved:
                return False, None
            notes = library.annotate(self.article_id, note=text)
            self._saved = edits
            return True, notes
