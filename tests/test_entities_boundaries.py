"""The entity code is handed the narrow parts of the index it needs (a source of articles, the
matching articles of a query, the path of its database): it never imports Whoosh, nor names the
``Library`` that wires those parts together, so that a second search engine leaves it alone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ENTITIES = Path(__file__).resolve().parents[1] / "index" / "entities"
FORBIDDEN_MODULES = ("whoosh", "index.library", "index.engines.whoosh.store", "index.engines.whoosh.search")
"""Whoosh, the library, and the Whoosh-backed store and search that the library hands parts of."""


def _imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            modules.add(node.module)
    return modules


def _is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN_MODULES)


def test_no_entity_module_imports_whoosh_or_the_library() -> None:
    sources = {path.name: path.read_text() for path in sorted(ENTITIES.glob("*.py"))}
    assert "facets.py" in sources and "phase.py" in sources
    offending = {
        name: sorted(module for module in _imported_modules(source) if _is_forbidden(module))
        for name, source in sources.items()
    }
    assert {name: modules for name, modules in offending.items() if modules} == {}


def test_no_entity_module_names_the_library() -> None:
    paths = sorted(ENTITIES.glob("*.py"))
    assert paths
    naming = [path.name for path in paths if re.search(r"\bLibrary\b", path.read_text())]
    assert naming == []
