"""How the explorer turns what the user typed, the chosen entity filters and the sort into a search."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from index.entities.labels import ENTITY_FIELDS
from index.models import SortOrder


def entity_filter(label: str, canonical: str) -> str:
    """A query clause that keeps articles mentioning one entity, e.g. ``person:"Alexei Navalny"``."""
    field_name = ENTITY_FIELDS.get(label, "entity")
    name = " ".join(canonical.replace('"', " ").split())
    return f'{field_name}:"{name}"'


@dataclass(frozen=True, slots=True)
class SearchState:
    """Everything that decides the result list; the explorer keeps a history of them for "back"."""

    text: str = ""
    filters: tuple[str, ...] = ()
    sort: SortOrder = SortOrder.RELEVANCE
    like_id: str | None = None
    like_title: str | None = field(default=None, compare=False)

    @property
    def query(self) -> str:
        """The text and the filters combined into one query string."""
        text = self.text.strip()
        if text and self.filters:
            text = f"({text})"
        return " AND ".join(part for part in (text, *self.filters) if part)

    def with_text(self, text: str) -> SearchState:
        return replace(self, text=text, like_id=None, like_title=None)

    def with_filter(self, clause: str) -> SearchState:
        if clause in self.filters:
            return self
        return replace(self, filters=(*self.filters, clause), like_id=None, like_title=None)

    def without_filter(self, clause: str) -> SearchState:
        return replace(self, filters=tuple(f for f in self.filters if f != clause))

    def with_next_sort(self) -> SearchState:
        order = list(SortOrder)
        return replace(self, sort=order[(order.index(self.sort) + 1) % len(order)])

    def like(self, article_id: str, title: str) -> SearchState:
        return replace(self, like_id=article_id, like_title=title)
