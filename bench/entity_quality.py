"""Entity quality: precision, recall and F1 per label against the hand-annotated BBC samples.

Usage: python bench/entity_quality.py [--corpus ../shared/corpora/bbc]
                                     [--split tuning|heldout|mixed-tuning|mixed-heldout|wire-fresh|all]
                                     [--out FILE]

Five gold files (see tests/data/entities/README.md). BBC: ``tuning``, the sample the normalisation
rules were first developed on, and ``heldout``, annotated later. Mixed (wire copy written for the
project, and other BBC files): ``mixed-tuning``, read while the organisation rules were written, and
``mixed-heldout``, scored only to report. ``wire-fresh``: wire stories written and annotated by
someone who had not read the rules, before anything was run on them. Each is scored on its own, with
names resolved within that file only; a mixed file is also scored per source (wire, bbc). PERSON, ORG
and PLACE are scored two ways: exact (same start, end and label) and lenient (an overlapping span with
the same label; each gold span is matched at most once). Two systems are compared in the same run:
the full pipeline (model + rules + normalisation) and the bare model (spaCy labels mapped to ours,
nothing else). Prints a table per split and writes JSON (bench/results/entity_quality.json).
``--errors`` also prints the pipeline's misses and false positives (exact match), to the terminal
only: the BBC text stays out of the repository, and whoever reads the errors of a held-out file has
tuned on it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.entities.annotate import annotate  # noqa: E402
from index.entities.extractor import CombinedExtractor, Extractor, default_extractor  # noqa: E402
from index.ingest import discover, read_file  # noqa: E402

GOLD_DIR = ROOT / "tests" / "data" / "entities"
SPLITS = {
    "tuning": GOLD_DIR / "gold_bbc.jsonl",
    "heldout": GOLD_DIR / "gold_bbc_heldout.jsonl",
    "mixed-tuning": GOLD_DIR / "gold_mixed_tuning.jsonl",
    "mixed-heldout": GOLD_DIR / "gold_mixed_heldout.jsonl",
    "wire-fresh": GOLD_DIR / "gold_wire_fresh.jsonl",
}
WIRE = "wire"
"""The ``corpus`` of gold entries whose file is one of the wire stories kept beside the gold files
(``wire/`` or ``wire_fresh/``); entries without a ``corpus`` name a file of the BBC corpus."""
LABELS = ("PERSON", "ORG", "PLACE")
Span = tuple[int, int, str]


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    lenient_predicted: int = 0
    lenient_gold: int = 0

    def add(self, gold: set[Span], predicted: set[Span]) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.exact += len(gold & predicted)
        self.lenient_predicted += sum(1 for p in predicted if any(_overlap(p, g) for g in gold))
        self.lenient_gold += sum(1 for g in gold if any(_overlap(p, g) for p in predicted))

    def figures(self) -> dict[str, float]:
        return {
            "exact_p": _ratio(self.exact, self.predicted),
            "exact_r": _ratio(self.exact, self.gold),
            "exact_f1": _f1(_ratio(self.exact, self.predicted), _ratio(self.exact, self.gold)),
            "lenient_p": _ratio(self.lenient_predicted, self.predicted),
            "lenient_r": _ratio(self.lenient_gold, self.gold),
            "lenient_f1": _f1(
                _ratio(self.lenient_predicted, self.predicted), _ratio(self.lenient_gold, self.gold)
            ),
        }


def _overlap(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def span_digest(text: str) -> str:
    """The short hash the gold file keeps of each span's text (the text itself is not kept)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def anchored(body: str, start: int, end: int, digest: str) -> tuple[int, int] | None:
    """The span's offsets in ``body``: as recorded, or, if cleaning has shifted the body, the
    nearest same-length stretch whose hash matches; None when the span cannot be found."""
    length = end - start
    if span_digest(body[start:end]) == digest:
        return start, end
    for shift in range(1, len(body)):
        for candidate in (start - shift, start + shift):
            if (
                0 <= candidate <= len(body) - length
                and span_digest(body[candidate : candidate + length]) == digest
            ):
                return candidate, candidate + length
        if start - shift < 0 and start + shift > len(body) - length:
            break
    return None


def source(entry: dict) -> str:
    """Where a gold entry's file comes from: "wire" (kept in the repository) or "bbc"."""
    return entry.get("corpus", "bbc")


def gold_file(entry: dict, corpus: Path) -> Path:
    return (GOLD_DIR if source(entry) == WIRE else corpus) / entry["file"]


def load_gold(gold_path: Path, corpus: Path) -> tuple[dict[str, str], dict[str, set[Span]]]:
    """The clean bodies and gold spans, re-anchored if the clean body changed since annotation.

    Exits if an annotated file differs or a span can no longer be found.
    """
    bodies, spans = {}, {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        path = gold_file(entry, corpus)
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            sys.exit(f"{entry['file']} differs from the annotated file")
        body = read_file(next(iter(discover(path)))).articles[0].body
        bodies[entry["file"]] = body
        spans[entry["file"]] = set()
        for start, end, label, digest in entry["spans"]:
            found = anchored(body, start, end, digest)
            if found is None:
                sys.exit(f"a gold span of {entry['file']} is no longer in its clean body")
            spans[entry["file"]].add((*found, label))
    return bodies, spans


def score(gold: dict[str, set[Span]], predicted: dict[str, Iterable[Span]]) -> dict[str, Score]:
    scores = {label: Score() for label in (*LABELS, "ALL")}
    for name, gold_spans in gold.items():
        found = {span for span in predicted[name] if span[2] in LABELS}
        for label in LABELS:
            scores[label].add({s for s in gold_spans if s[2] == label}, {s for s in found if s[2] == label})
        scores["ALL"].add(gold_spans, found)
    return scores


def errors(
    bodies: dict[str, str], gold: dict[str, set[Span]], predicted: dict[str, Iterable[Span]]
) -> list[str]:
    """One line per gold span the pipeline missed and per span it found that the gold lacks."""
    lines = []
    for name, gold_spans in gold.items():
        found = {span for span in predicted[name] if span[2] in LABELS}
        for kind, spans in (("missed", gold_spans - found), ("false", found - gold_spans)):
            for start, end, label in sorted(spans):
                lines.append(f"{name}  {kind:<6} {label:<6} {bodies[name][start:end]!r}")
    return lines


def evaluate(extractor: Extractor, gold_path: Path, corpus: Path) -> dict:
    """The scores of the pipeline (and of the bare model, if there is one) on one gold file, and the
    pipeline's errors."""
    bodies, gold = load_gold(gold_path, corpus)
    started = time.perf_counter()
    pipeline = {
        name: [(m.start, m.end, m.label) for m in mentions]
        for name, mentions in annotate(bodies, extractor).items()
    }
    elapsed = time.perf_counter() - started
    systems = {"pipeline": score(gold, pipeline)}
    sources = {name: ("wire" if name.startswith(f"{WIRE}/") else "bbc") for name in gold}
    if len(set(sources.values())) > 1:
        for kind in sorted(set(sources.values())):
            subset = {name: spans for name, spans in gold.items() if sources[name] == kind}
            systems[f"pipeline ({kind})"] = score(subset, pipeline)
    if isinstance(extractor, CombinedExtractor):
        bare = extractor.model.extract(bodies.values())
        model_only = {
            name: [(s.start, s.end, s.label) for s in spans] for name, spans in zip(bodies, bare, strict=True)
        }
        systems["model only"] = score(gold, model_only)
    return {
        "articles": len(gold),
        "gold_spans": sum(len(s) for s in gold.values()),
        "pipeline_seconds": round(elapsed, 3),
        "systems": systems,
        "errors": errors(bodies, gold, pipeline),
    }


def print_table(split: str, result: dict) -> None:
    print(f"{split}: {result['articles']} articles, {result['gold_spans']} gold spans")
    header = (
        f"{'system':<16} {'label':<7} {'gold':>5} {'pred':>5}  {'P':>5} {'R':>5} {'F1':>5}"
        f"  {'lenient P':>9} {'R':>5} {'F1':>5}"
    )
    print(header)
    print("-" * len(header))
    for system, scores in result["systems"].items():
        for label, s in scores.items():
            f = s.figures()
            exact = f"{f['exact_p']:>5.3f} {f['exact_r']:>5.3f} {f['exact_f1']:>5.3f}"
            lenient = f"{f['lenient_p']:>9.3f} {f['lenient_r']:>5.3f} {f['lenient_f1']:>5.3f}"
            print(f"{system:<16} {label:<7} {s.gold:>5} {s.predicted:>5}  {exact}  {lenient}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_quality.json")
    parser.add_argument(
        "--errors", action="store_true", help="print the pipeline's misses and false positives"
    )
    args = parser.parse_args()

    extractor = default_extractor()
    print(f"extractor {extractor.name}")
    splits = SPLITS if args.split == "all" else {args.split: SPLITS[args.split]}
    results = {split: evaluate(extractor, path, args.corpus) for split, path in splits.items()}
    for split, result in results.items():
        print_table(split, result)
        if args.errors:
            print("\n".join(result["errors"]), end="\n\n")
    document = {
        "extractor": extractor.name,
        "splits": {
            split: {
                **{key: value for key, value in result.items() if key not in {"systems", "errors"}},
                "systems": {
                    system: {
                        label: {"gold": s.gold, "predicted": s.predicted, **s.figures()}
                        for label, s in scores.items()
                    }
                    for system, scores in result["systems"].items()
                },
            }
            for split, result in results.items()
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
