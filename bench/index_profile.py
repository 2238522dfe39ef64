"""Where indexing time goes: py-spy samples of a first build, across the parent and its workers.

    .venv/bin/python bench/index_profile.py --size 10000 [--top 25]

Builds a fresh index of a synthetic corpus (bench/corpus.py) in a child process under
``py-spy record --subprocesses`` and sums the samples: per process role (the parent, which
plans, commits and merges; the segment workers, which read, analyse and write segments), per
package (Whoosh, Broadsheet, the rest) and per function (own time). Sampling does not slow the
code down much, unlike cProfile. Writes bench/results/index_profile_<corpus>.txt.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as synthetic  # noqa: E402

LINE_NUMBER = re.compile(r":\d+\)$")

BUILD = """
import sys
from pathlib import Path
from index import Library
Library.open(Path(sys.argv[1]), index_dir=Path(sys.argv[2])).sync()
"""


def owner(frame: str) -> str:
    if "whoosh/" in frame:
        return "whoosh"
    if "index/" in frame or "tui/" in frame:
        return "broadsheet"
    return "other"


def summarise(raw: Path, top: int) -> list[str]:
    """Own-time shares from py-spy's raw (collapsed stack) output."""
    roles: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        frames = stack.split(";")
        total += samples
        roles["segment worker" if "segment_workers.py" in stack else "parent"] += samples
        leaf = LINE_NUMBER.sub(")", frames[-1])  # a function's lines together
        packages[owner(leaf)] += samples
        functions[leaf] += samples
    share = lambda n: f"{n / max(total, 1):6.1%}"  # noqa: E731
    lines = [
        f"{total:,} samples",
        "by process: " + ", ".join(f"{k} {share(v)}" for k, v in roles.most_common()),
    ]
    lines.append("own time by package: " + ", ".join(f"{k} {share(v)}" for k, v in packages.most_common()))
    lines.append("own time by function:")
    lines += [f"  {share(v)}  {name}" for name, v in functions.most_common(top)]
    return lines


def py_spy_command() -> str:
    """py-spy from this virtual environment (or the PATH), or exit saying how to install it."""
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")
    return py_spy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    args = parser.parse_args()
    py_spy = py_spy_command()
    corpus = synthetic.build(args.work / f"syn-{args.size}", args.size)
    index_dir = args.work / f"profile-index-{args.size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    raw = args.work / f"index-profile-{args.size}.txt"
    script = args.work / "index_profile_build.py"  # a file: py-spy names processes by command line
    script.write_text(BUILD)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run(
        [py_spy, "record", "--subprocesses", "--rate", "50", "--format", "raw", "--output", str(raw), "--",
         sys.executable, str(script), str(corpus), str(index_dir)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    name = f"syn{args.size // 1000}k"
    header = [
        f"# first build of {name} ({args.size:,} articles) under py-spy: {elapsed:.0f} s wall, "
        f"load average {os.getloadavg()[0]:.1f}, measured {time.strftime('%Y-%m-%d %H:%M')}",
        f"# made by: python bench/index_profile.py --size {args.size}",
    ]
    out = ROOT / "bench" / "results" / f"index_profile_{name}.txt"
    out.write_text("\n".join(header + summarise(raw, args.top)) + "\n")
    print(out.read_text())
    shutil.rmtree(index_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
