"""The explorer's tests run over FakeLibrary: it must offer every Library method the explorer calls,
taking the same keywords, or those tests test an API that no longer exists (the explorer's indexer
once called ``Library.update`` while the double had none, and a dozen explorer tests failed for it)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from index.library import Library
from tests.tui_support import FakeLibrary

TUI = Path(__file__).resolve().parents[1] / "tui"


def library_methods_the_explorer_calls() -> set[str]:
    """Names called on anything the TUI's code names ``library`` (``library.search(...)``,
    ``self._library.update(...)``)."""
    called = set()
    for module in TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
                if name.lstrip("_") == "library":  # an instance; ``Library.open`` is the class
                    called.add(node.func.attr)
    return called


CALLED = sorted(library_methods_the_explorer_calls())


def test_the_explorer_calls_the_library_through_known_methods() -> None:
    assert {"search", "article", "update", "facets"} <= set(CALLED)


@pytest.mark.parametrize("name", CALLED)
def test_the_double_offers_each_method_with_the_real_keywords(name: str) -> None:
    real = getattr(Library, name, None)
    assert callable(real), f"the explorer calls Library.{name}, which does not exist"
    double = getattr(FakeLibrary, name, None)
    assert callable(double), f"FakeLibrary has no {name}: the explorer's tests cannot run what it calls"
    wanted = set(inspect.signature(real).parameters) - {"self"}
    offered = set(inspect.signature(double).parameters) - {"self"}
    assert wanted <= offered, f"FakeLibrary.{name} lacks {sorted(wanted - offered)}"
