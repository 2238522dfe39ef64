"""The tantivy engine: Broadsheet's index in tantivy (a Rust search library), behind ``Engine``."""

from index.engines.tantivy.engine import TantivyEngine

__all__ = ["TantivyEngine"]
