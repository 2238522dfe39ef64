"""Every process Broadsheet starts ends when Broadsheet ends, however it ends.

The story: the explorer (or ``broadsheet index``) is extracting entities in spaCy worker
processes, about 150 MB each, when the user quits with q, presses Ctrl-C, closes the terminal,
or the program is sent SIGTERM or killed with -9. Each time, no process of the tree Broadsheet
had started at that moment may be left behind: not the indexer child, not a worker, not
multiprocessing's resource tracker. The tree is recorded by walking it (psutil) once the
workers exist, so a survivor is found wherever it was re-parented to.

The program runs on a pty in a process group of its own, as a shell runs a command, but the pty
is not its controlling terminal: a program started from a shell is not the terminal's
controlling process, so its death does not hang the terminal up and take the rest of its
process group with it. Here that would hide a survivor.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from fault_support import cli_env, command_line, is_entity_worker, is_segment_worker, news_corpus

from index.entities.phase import PARALLEL_MIN_ARTICLES, WORKERS_ENV

BROADSHEET = [sys.executable, "-m", "tui"]
WORKERS_START_TIMEOUT = 180.0
"""Seconds to wait for the workers to exist (the machine may be busy)."""
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
"""What a full-screen program writes on its way out, to give the terminal back as it was."""
END_TIMEOUT = 20.0
"""Seconds every recorded process gets to end after the program was told to end."""


@pytest.fixture(scope="module")
def text_indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus big enough for worker processes and a cache holding its text index only, so that
    every run of the program goes straight to the entity phase."""
    folder = tmp_path_factory.mktemp("lifecycle")
    corpus = news_corpus(folder / "corpus", PARALLEL_MIN_ARTICLES + 50)
    cache = folder / "cache"
    subprocess.run(
        [*BROADSHEET, "index", str(corpus), "--no-entities"],
        env=cli_env(cache),
        capture_output=True,
        check=True,
        timeout=300,
    )
    return corpus, cache


@pytest.fixture
def environment(text_indexed: tuple[Path, Path], tmp_path: Path) -> dict[str, str]:
    """A private copy of the text-indexed cache, and the entity phase forced onto workers."""
    cache = shutil.copytree(text_indexed[1], tmp_path / "cache")
    return {**cli_env(cache), WORKERS_ENV: "2", "TERM": "xterm-256color"}


@pytest.fixture
def corpus(text_indexed: tuple[Path, Path]) -> Path:
    return text_indexed[0]


class Terminal:
    """A pty of 120x40 whose output is read as fast as the program writes it (its tail is kept)."""

    TAIL = 65536

    def __init__(self) -> None:
        self.output = bytearray()
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self._reader = threading.Thread(target=self._drain, daemon=True)

    def start(self) -> None:
        os.close(self.slave)
        self._reader.start()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        os.close(self.master)

    def _drain(self) -> None:
        try:
            while chunk := os.read(self.master, 65536):
                self.output = (self.output + chunk)[-self.TAIL :]
        except OSError:
            pass


@pytest.fixture
def processes() -> Iterator[list[psutil.Process]]:
    """The recorded process tree of a test; whatever a failing test leaves alive is killed."""
    recorded: list[psutil.Process] = []
    yield recorded
    for process in recorded:
        if alive(process):
            process.kill()


def default_ctrl_c() -> None:
    """A shell without job control starts background commands with SIGINT ignored, and that is
    inherited: Python would then install no KeyboardInterrupt handler in the program."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_explorer(corpus: Path, environment: dict[str, str], terminal: Terminal) -> subprocess.Popen[bytes]:
    program = subprocess.Popen(
        [*BROADSHEET, str(corpus)],
        stdin=terminal.slave,
        stdout=terminal.slave,
        stderr=terminal.slave,
        env=environment,
        start_new_session=True,
        preexec_fn=default_ctrl_c,
    )
    terminal.start()
    return program


def start_index(corpus: Path, environment: dict[str, str], output: Path) -> subprocess.Popen[bytes]:
    with output.open("wb") as sink:
        return subprocess.Popen(
            [*BROADSHEET, "index", str(corpus)],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            env=environment,
            start_new_session=True,
            preexec_fn=default_ctrl_c,
        )


def tree_once_workers_run(
    program: subprocess.Popen[bytes], is_worker: Callable[[psutil.Process], bool] = is_entity_worker
) -> list[psutil.Process]:
    """The program and every process under it, as soon as two of its workers exist."""
    top = psutil.Process(program.pid)
    deadline = time.monotonic() + WORKERS_START_TIMEOUT
    while time.monotonic() < deadline:
        assert program.poll() is None, f"the program ended (status {program.returncode}) before its workers"
        descendants = top.children(recursive=True)
        if sum(map(is_worker, descendants)) >= 2:
            return [top, *descendants]
        time.sleep(0.1)
    raise AssertionError(f"no two {is_worker.__name__} processes after {WORKERS_START_TIMEOUT:.0f} s")


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def survivors(program: subprocess.Popen[bytes], tree: list[psutil.Process]) -> list[str]:
    """The recorded processes still running once all have ended or END_TIMEOUT has passed."""
    deadline = time.monotonic() + END_TIMEOUT
    while time.monotonic() < deadline:
        program.poll()  # reap the top process: it is this test's child
        running = [process for process in tree if alive(process)]
        if not running:
            return []
        time.sleep(0.1)
    return [f"{process.pid} {command_line(process)[:100]}" for process in tree if alive(process)]


def send(signum: signal.Signals) -> Callable[[subprocess.Popen[bytes], Terminal], None]:
    return lambda program, _terminal: os.kill(program.pid, signum)


def close_terminal(program: subprocess.Popen[bytes], terminal: Terminal) -> None:
    """What closing a terminal window does: the pty goes away and the foreground group gets SIGHUP."""
    terminal.close()
    os.killpg(program.pid, signal.SIGHUP)


EXPLORER_ENDINGS = {
    "q": lambda program, terminal: terminal.type(b"q"),
    # In the explorer the terminal is in raw mode, where Ctrl-C is a key: SIGINT comes from kill.
    "ctrl-c": send(signal.SIGINT),
    "sigterm": send(signal.SIGTERM),
    "terminal-closed": close_terminal,
    "kill-9": send(signal.SIGKILL),
}


@pytest.mark.parametrize("ending", EXPLORER_ENDINGS)
def test_ending_the_explorer_during_the_entity_phase_ends_every_process_it_started(
    ending: str, corpus: Path, environment: dict[str, str], processes: list[psutil.Process]
):
    terminal = Terminal()
    program = start_explorer(corpus, environment, terminal)
    try:
        processes.extend(tree_once_workers_run(program))
        EXPLORER_ENDINGS[ending](program, terminal)
        assert survivors(program, processes) == []
    finally:
        if ending != "terminal-closed":
            terminal.close()


def test_sigterm_ends_the_explorer_as_q_does_and_gives_the_terminal_back(
    corpus: Path, environment: dict[str, str], processes: list[psutil.Process]
):
    """Killed by SIGTERM, the explorer used to leave the terminal in raw mode on the alternate screen."""
    terminal = Terminal()
    program = start_explorer(corpus, environment, terminal)
    try:
        processes.extend(tree_once_workers_run(program))
        os.kill(program.pid, signal.SIGTERM)
        assert survivors(program, processes) == []
        assert program.wait(timeout=END_TIMEOUT) == 128 + signal.SIGTERM
        deadline = time.monotonic() + END_TIMEOUT  # the drain thread reads what was written last
        while LEAVE_ALTERNATE_SCREEN not in terminal.output and time.monotonic() < deadline:
            time.sleep(0.1)
        assert LEAVE_ALTERNATE_SCREEN in terminal.output
    finally:
        terminal.close()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the text index is built in workers only with 2 cores")
def test_killing_the_explorer_while_it_builds_the_text_index_ends_every_process_it_started(
    corpus: Path, tmp_path: Path, processes: list[psutil.Process]
):
    terminal = Terminal()
    program = start_explorer(corpus, {**cli_env(tmp_path / "cache"), "TERM": "xterm-256color"}, terminal)
    try:
        processes.extend(tree_once_workers_run(program, is_segment_worker))
        os.kill(program.pid, signal.SIGKILL)
        assert survivors(program, processes) == []
    finally:
        terminal.close()


def press_ctrl_c(program: subprocess.Popen[bytes]) -> None:
    """A terminal's Ctrl-C: SIGINT to the whole foreground process group."""
    os.killpg(program.pid, signal.SIGINT)


INDEX_ENDINGS: dict[str, Callable[[subprocess.Popen[bytes]], None]] = {
    "ctrl-c": press_ctrl_c,
    "sigterm": lambda program: os.kill(program.pid, signal.SIGTERM),
    "kill-9": lambda program: os.kill(program.pid, signal.SIGKILL),
}


@pytest.mark.parametrize("ending", INDEX_ENDINGS)
def test_ending_broadsheet_index_during_the_entity_phase_ends_every_process_it_started(
    ending: str, corpus: Path, environment: dict[str, str], processes: list[psutil.Process], tmp_path: Path
):
    output = tmp_path / "output.txt"
    program = start_index(corpus, environment, output)
    processes.extend(tree_once_workers_run(program))
    INDEX_ENDINGS[ending](program)
    assert survivors(program, processes) == []
    if ending == "ctrl-c":
        said = output.read_text(encoding="utf-8", errors="replace")
        assert program.returncode == 130
        assert "Interrupted; everything committed so far is kept" in said
        assert "Traceback" not in said


STALLS_ON_EXIT = """
import sys, threading
import tui.cli

@tui.cli.cli.command("stall")
def stall() -> None:
    threading.Thread(target=threading.Event().wait).start()  # exit waits for it, forever
    raise KeyboardInterrupt

sys.argv = ["broadsheet", "stall"]
tui.cli.main()
"""
"""A command that is interrupted and then cannot exit, as a worker thread at exit once made it."""


def test_a_second_ctrl_c_while_exit_waits_ends_the_program_without_a_traceback(tmp_path: Path):
    program = subprocess.Popen(
        [sys.executable, "-c", STALLS_ON_EXIT],
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(tmp_path / "cache"),
        preexec_fn=default_ctrl_c,
    )
    assert program.stderr is not None
    assert program.stderr.readline().startswith("broadsheet: Interrupted")
    program.send_signal(signal.SIGINT)
    _, rest = program.communicate(timeout=END_TIMEOUT)
    assert "Traceback" not in rest
    assert program.returncode == -signal.SIGINT  # what a shell reports as 130
