"""Helpers of the notebook tests: a small corpus whose entities the text spells out, indexed with the
scripted extractor (no model), so that every test knows exactly which entity is in which article."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import write_article
from entities_support import TaggedExtractor

from tui.cli import cli

ARTICLES = {
    "a.txt": (
        "Harbour news",
        "[Mara Quell|PERSON] spoke for the [Harbour Council|ORG] in [Port Amsel|PLACE].",
    ),
    "b.txt": (
        "Board meets",
        "[Jonas Brisk|PERSON] said the [Harbour Board|ORG] would meet in [Port Amsel|PLACE].",
    ),
    "c.txt": ("Water", "The [Tessaly Water Board|ORG] met on [Friday|PERSON] in [Veldt|PLACE]."),
}


def tagged_corpus(folder: Path) -> Path:
    """Three articles: a.txt and b.txt share a place; each names its own organisation and person."""
    for name, (title, body) in ARTICLES.items():
        write_article(folder, name, title, body)
    return folder


def use_tagged_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entity phase finds exactly the ``[name|LABEL]`` spans (no model is loaded)."""
    monkeypatch.setattr("index.entities.phase.default_extractor", lambda: TaggedExtractor())


def run(*args: str | Path) -> Result:
    """``broadsheet ARGS`` in this process."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="broadsheet")


def ok(*args: str | Path) -> Result:
    """``broadsheet ARGS``, which must succeed."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result
