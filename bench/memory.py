"""Peak memory of a benchmark child, split into private and file-backed pages.

``ru_maxrss`` counts every resident page, including the pages of memory-mapped index files,
which belong to the kernel's page cache: shared between processes and dropped under memory
pressure. What a process really costs the machine is its private (anonymous) memory, so the
benchmarks sample ``RssAnon`` from /proc (Linux) as well as the usual maximum RSS.
"""

from __future__ import annotations

import resource
import threading
import time
from pathlib import Path

STATUS = Path("/proc/self/status")


class PeakMemory:
    """Samples this process's private memory every ``interval`` seconds in a daemon thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self._interval = interval
        self._private_kb = 0
        if STATUS.exists():
            threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            for line in STATUS.read_text().splitlines():
                if line.startswith("RssAnon:"):
                    self._private_kb = max(self._private_kb, int(line.split()[1]))
            time.sleep(self._interval)

    def private_mb(self) -> int | None:
        """Peak private memory so far in MB, or None where /proc is not there."""
        return self._private_kb // 1024 if self._private_kb else None

    @staticmethod
    def total_mb() -> int:
        """Peak resident memory in MB, mapped file pages included (``ru_maxrss``)."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
