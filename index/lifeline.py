"""Child processes that end when the process that started them ends, however it ends.

Every process Broadsheet starts holds the read end of a pipe, its lifeline, whose write end
only its parent holds, and watches it from a thread. The kernel closes the write end when the
parent exits, whichever way (a return, Ctrl-C, SIGTERM, SIGHUP, kill -9), and the child then
ends at once; its own children follow it the same way, so a whole tree goes down from the top.
A parent may also close the write end itself to end its children on the spot. Linux's
``PR_SET_PDEATHSIG`` would do it without a thread, but only on Linux, and it fires when the
parent *thread* that started the child exits, not the process: the TUI starts its indexer from
a worker thread. Ending a child this abruptly is safe: the index survives kill -9 by design.
"""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection, wait

ORPHANED_EXIT_STATUS = 1


def exit_when_closed(lifeline: Connection | int) -> None:
    """End this process as soon as the write end of the pipe ``lifeline`` (a connection or a file
    descriptor, which nobody writes to) is closed."""

    def watch() -> None:
        wait([lifeline])
        os._exit(ORPHANED_EXIT_STATUS)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
