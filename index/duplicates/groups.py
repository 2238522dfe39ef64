"""Groups of copies at a threshold: articles of one clean body, joined with the near-copy pairs at
or above the threshold (a chain of near copies is one group: a story edited twice over stays one
story), each group oldest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from index.duplicates.models import DuplicateGroup
from index.duplicates.store import Stored


class _Components:
    """Union-find over article ids."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self._parent.setdefault(item, item)
        while parent != item:
            grandparent = self._parent[parent]
            self._parent[item] = grandparent
            item, parent = parent, self._parent[grandparent]
        return item

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def members(self) -> Iterable[list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for item in self._parent:
            groups[self.find(item)].append(item)
        return groups.values()


def group(articles: Iterable[Stored], pairs: Iterable[tuple[str, str]]) -> list[DuplicateGroup]:
    """The groups of two or more copies, ordered by their oldest member (see ``oldest_first``)."""
    stored = {article.article_id: article for article in articles}
    components = _Components()
    first_of_body: dict[str, str] = {}
    for article in stored.values():
        first = first_of_body.setdefault(article.digest, article.article_id)
        if first != article.article_id:
            components.join(first, article.article_id)
    for first, second in pairs:
        components.join(first, second)
    groups = [
        DuplicateGroup(
            tuple(sorted(ids, key=lambda i: oldest_first(stored[i]))),
            exact=len({stored[i].digest for i in ids}) == 1,
        )
        for ids in components.members()
        if len(ids) > 1
    ]
    groups.sort(key=lambda g: oldest_first(stored[g.ids[0]]))
    return groups


def oldest_first(article: Stored) -> tuple[bool, str, str]:
    """Sort key: dated articles by date, then the undated; ties by id."""
    return (article.date is None, article.date or "", article.article_id)
