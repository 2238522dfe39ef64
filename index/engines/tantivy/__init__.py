"""The tantivy engine: Broadsheet's index in tantivy (a Rust search library), behind ``Engine``.

``TantivyEngine`` is loaded on first use, so that the analysis workers, which import
``index.engines.tantivy.workers``, do not load the reader and the query parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.engines.tantivy.engine import TantivyEngine


def __getattr__(name: str) -> object:
    if name == "TantivyEngine":
        from index.engines.tantivy.engine import TantivyEngine

        return TantivyEngine
    raise AttributeError(f"module 'index.engines.tantivy' has no attribute {name!r}")


__all__ = ["TantivyEngine"]
