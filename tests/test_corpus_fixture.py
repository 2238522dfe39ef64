"""Tests that read the BBC corpus skip on a developer's machine without it, and fail on CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite_without_the_corpus(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Our conftest in a folder with no ``../shared/corpora/bbc`` beside it, and one test that needs it."""
    assert not (pytester.path.parent / "shared").exists()
    shutil.copy(REPO / "tests" / "conftest.py", pytester.path / "conftest.py")
    pytester.makepyfile(test_reads_bbc="def test_reads_bbc(bbc_dir):\n    assert bbc_dir.is_dir()\n")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    return pytester


def test_on_ci_a_missing_bbc_corpus_fails_the_tests_that_need_it(
    suite_without_the_corpus: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    outcome = suite_without_the_corpus.runpytest_subprocess("-p", "no:cacheprovider")
    outcome.assert_outcomes(errors=1)
    outcome.stdout.fnmatch_lines(["*the BBC corpus is not at*CI=true*"])


def test_off_ci_a_missing_bbc_corpus_skips_the_tests_that_need_it(
    suite_without_the_corpus: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    outcome = suite_without_the_corpus.runpytest_subprocess("-p", "no:cacheprovider")
    outcome.assert_outcomes(skipped=1)
