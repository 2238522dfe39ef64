"""Ctrl-C during a merge: how long `broadsheet index` takes to exit once interrupted mid-merge.

    .venv/bin/python bench/ctrl_c.py                                  # this checkout, 100k corpus
    .venv/bin/python bench/ctrl_c.py --code /tmp/old-checkout         # another commit, same corpus

Starts a first build of the synthetic corpus (built by ``bench/run.py``), samples the indexer with
py-spy every 2 s until its commit thread is inside a block merge (index/merge.py), sends SIGINT,
and times the exit. Prints one line and adds a row (one per commit) to bench/results/ctrl_c.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index_profile import py_spy_command  # noqa: E402
from bench.rows import stamp  # noqa: E402


def merge_in_flight(py_spy: str, pid: int) -> bool:
    dump = subprocess.run(
        [py_spy, "dump", "--pid", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if '"broadsheet-commit"' not in dump:
        return False
    thread = dump.split('"broadsheet-commit"')[1].split("Thread ")[0]
    return "BlockMerge" in thread


def main() -> None:
    parser = argparse.ArgumentParser(description="Ctrl-C during a merge")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose tui and index run")
    work = Path(tempfile.gettempdir()) / "broadsheet-bench"
    parser.add_argument("--corpus", type=Path, default=work / "syn-100000")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ctrl_c.json")
    args = parser.parse_args()
    py_spy = py_spy_command()
    index_dir = Path(tempfile.mkdtemp(prefix="broadsheet-ctrl-c-"))
    git = ["git", "-C", str(args.code), "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()
    options = ["--index-dir", str(index_dir), "--no-entities"]
    try:
        indexer = subprocess.Popen(
            [sys.executable, "-m", "tui", "index", str(args.corpus), *options],
            cwd=args.code,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        started = time.monotonic()
        while not merge_in_flight(py_spy, indexer.pid):
            if indexer.poll() is not None or time.monotonic() - started > 1800:
                raise SystemExit("the build ended before a merge was caught in flight")
            time.sleep(2)
        caught = time.monotonic() - started
        sent = time.monotonic()
        indexer.send_signal(signal.SIGINT)
        _, stderr = indexer.communicate(timeout=3600)
        exit_seconds = time.monotonic() - sent
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    row = stamp(
        {
            "corpus": args.corpus.name,
            "code": commit,
            "merge_caught_after_s": caught,
            "exit_after_sigint_s": exit_seconds,
            "exit_code": indexer.returncode,
            "last_line": (stderr.strip().splitlines() or [""])[-1],
        }
    )
    print(
        f"{commit}: merge caught at {caught:.0f} s; "
        f"exit {indexer.returncode}, {exit_seconds:.2f} s after SIGINT"
    )
    previous = json.loads(args.out.read_text())["results"] if args.out.exists() else []
    rows = [r for r in previous if r.get("code") != commit] + [row]
    args.out.write_text(json.dumps({"results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
