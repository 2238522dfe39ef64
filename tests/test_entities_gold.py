"""The hand-annotated gold samples (BBC, wire copy mixed with other BBC files, fresh wire copy) are
well-formed, still point at the right text, and the pipeline keeps its measured quality on the
held-out ones."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "data" / "entities"
GOLD = GOLD_DIR / "gold_bbc.jsonl"
HELD_OUT = GOLD_DIR / "gold_bbc_heldout.jsonl"
MIXED_TUNING = GOLD_DIR / "gold_mixed_tuning.jsonl"
MIXED_HELD_OUT = GOLD_DIR / "gold_mixed_heldout.jsonl"
WIRE_FRESH = GOLD_DIR / "gold_wire_fresh.jsonl"
FOLDERS = ("business", "entertainment", "politics", "sport", "tech")


def quality_module():
    spec = importlib.util.spec_from_file_location("entity_quality", REPO / "bench" / "entity_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve the module's annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def entries(gold_path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("gold_path", "articles", "bbc_folders"),
    [
        (GOLD, 30, FOLDERS),
        (HELD_OUT, 15, FOLDERS),
        (MIXED_TUNING, 25, FOLDERS),
        (MIXED_HELD_OUT, 25, FOLDERS),
        (WIRE_FRESH, 16, ()),
    ],
)
def test_gold_covers_every_topic_and_holds_no_bbc_text(
    gold_path: Path, articles: int, bbc_folders: tuple[str, ...]
) -> None:
    gold = entries(gold_path)
    assert len(gold) >= articles
    assert {entry["file"].split("/")[0] for entry in gold if "corpus" not in entry} == set(bbc_folders)
    for entry in gold:
        assert set(entry) - {"corpus"} == {"file", "sha256", "body_sha256", "spans"}
        assert entry.get("corpus", "bbc") in {"bbc", "wire"}
        for span in entry["spans"]:
            start, end, label, digest = span
            assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end
            assert label in {"PERSON", "ORG", "PLACE"}
            assert len(digest) == 12
        ordered = sorted(entry["spans"])
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ordered)), entry["file"]


def test_no_article_is_in_two_gold_files() -> None:
    files = [
        entry["file"]
        for path in (GOLD, HELD_OUT, MIXED_TUNING, MIXED_HELD_OUT, WIRE_FRESH)
        for entry in entries(path)
    ]
    assert len(files) == len(set(files))


def test_the_fresh_wire_sample_keeps_every_story_of_its_folder() -> None:
    annotated = {entry["file"] for entry in entries(WIRE_FRESH) if entry.get("corpus") == "wire"}
    assert annotated == {f"wire_fresh/{path.name}" for path in (GOLD_DIR / "wire_fresh").glob("*.txt")}


def test_the_mixed_sample_is_half_wire_stories_and_keeps_every_story_of_the_folder() -> None:
    wire = {
        entry["file"]
        for path in (MIXED_TUNING, MIXED_HELD_OUT)
        for entry in entries(path)
        if "corpus" in entry
    }
    assert wire == {f"wire/{path.name}" for path in (GOLD_DIR / "wire").glob("*.txt")}
    for path in (MIXED_TUNING, MIXED_HELD_OUT):
        assert sum(1 for entry in entries(path) if "corpus" in entry) == 15


@pytest.mark.parametrize("gold_path", [GOLD, HELD_OUT, MIXED_TUNING, MIXED_HELD_OUT, WIRE_FRESH])
def test_gold_offsets_point_at_the_annotated_text_of_the_clean_bodies(gold_path: Path, bbc_dir: Path) -> None:
    from index.ingest import discover, read_file

    quality = quality_module()
    for entry in entries(gold_path):
        path = quality.gold_file(entry, bbc_dir)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["file"]
        body = read_file(next(iter(discover(path)))).articles[0].body
        for start, end, _, digest in entry["spans"]:
            assert end <= len(body)
            assert quality.anchored(body, start, end, digest) is not None, entry["file"]
        if hashlib.sha256(body.encode()).hexdigest() == entry["body_sha256"]:
            assert all(quality.span_digest(body[s:e]) == d for s, e, _, d in entry["spans"])


def test_re_anchoring_follows_a_shifted_body() -> None:
    quality = quality_module()
    body = "Tony Blair met Gordon Brown."
    digest = quality.span_digest("Gordon Brown")
    assert quality.anchored(body, 15, 27, digest) == (15, 27)
    assert quality.anchored("Today " + body, 15, 27, digest) == (21, 33)
    assert quality.anchored("Nobody here at all, nobody.", 15, 27, digest) is None


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_topic_has_people_organisations_or_places(folder: str) -> None:
    labels = {span[2] for entry in entries() if entry["file"].startswith(folder) for span in entry["spans"]}
    assert labels >= {"PERSON", "PLACE"}


HELD_OUT_F1 = 0.838
"""Exact-match micro F1 (PERSON, ORG, PLACE) of the pipeline on the BBC held-out split: 0.808 before
the rules of issue 18 item 9, 0.819 after them, 0.838 after the organisation rules of issue 17
(bench/README.md)."""
MIXED_HELD_OUT_F1 = 0.828
MIXED_HELD_OUT_ORG_F1 = 0.835
"""Exact-match micro F1, and F1 of ORG, on the held-out half of the wire-and-BBC sample, scored once
after the organisation rules of issue 17 were tuned on the other half (0.747 and 0.667 before)."""
WIRE_FRESH_F1 = 0.846
"""Exact-match micro F1 on the fresh wire stories, written and annotated by someone who had not read
the rules and scored once, after the organisation rules of issue 17 (bench/README.md). Its floor is
0.02 under the measure: 0.01 below here and the test's own 0.01."""


@pytest.mark.parametrize(
    ("gold_path", "floors"),
    [
        (HELD_OUT, {"ALL": HELD_OUT_F1}),
        (MIXED_HELD_OUT, {"ALL": MIXED_HELD_OUT_F1, "ORG": MIXED_HELD_OUT_ORG_F1}),
        (WIRE_FRESH, {"ALL": WIRE_FRESH_F1 - 0.01}),
    ],
)
def test_the_pipeline_keeps_its_measured_quality_on_the_held_out_articles(
    gold_path: Path, floors: dict[str, float], bbc_dir: Path
) -> None:
    from index.entities.extractor import CombinedExtractor, default_extractor

    extractor = default_extractor()
    assert isinstance(extractor, CombinedExtractor), "the pinned spaCy model should be installed"
    scores = quality_module().evaluate(extractor, gold_path, bbc_dir)["systems"]["pipeline"]
    for label, floor in floors.items():
        assert scores[label].figures()["exact_f1"] >= floor - 0.01, label
