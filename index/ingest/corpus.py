"""Finding the files of a corpus: a folder walked recursively, or a single file.

Walking uses ``os.scandir`` and one ``stat`` per candidate file, nothing more, because it runs
on every incremental re-index. What is listed, and what is not:

- Every file the walk sees is accounted for: a file whose extension no reader handles is
  reported as UNSUPPORTED (the summary groups skips by reason, so images beside the articles
  make one line of it, not one line each), never dropped without a word.
- Hidden files and folders (a name starting with ".") are not listed.
- A symbolic link is followed only when its target lies inside the corpus root; otherwise it
  is reported as OUTSIDE_CORPUS and nothing behind it is read. A link that points back to a
  folder being walked, or a chain of links that never ends, is a SYMLINK_LOOP. A link to a
  folder elsewhere inside the root is walked, so its files are listed under both paths.
- Files over their format's size cap (``formats.size_cap``) are TOO_LARGE; folders that cannot
  be listed and broken links are UNREADABLE; anything that is not a regular file (a FIFO, a
  device) is UNREADABLE too, as opening one could block or never end.

File names are bytes on POSIX and need not be UTF-8 nor printable. ``CorpusFile.location`` keeps
the exact name (``os.fsdecode``'s surrogate escapes), so the file opens; ``rel``, which becomes
the article id and is shown to users, writes each undecodable byte as ``\\xNN`` and each control
or bidi character as ``\\xNN``/``\\uNNNN``, so that it is valid UTF-8, one line, and can't
drive the terminal. Two names that differ only in such escapes could in principle collide.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.cleaning import BIDI_CONTROLS
from index.errors import CorpusError
from index.ingest.formats import can_read, size_cap
from index.models import Skip, SkipReason

_UNPRINTABLE_IN_NAME = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate file: absolute path, corpus-relative POSIX path, size and mtime (ns).

    The path is kept as a string (``location``; ``path`` makes the ``Path``): a sync holds one of
    these for every new or changed file, and a ``Path`` object costs about 300 bytes more, 300 MB
    on a first build of a million files.
    """

    location: str
    rel: str
    size: int
    mtime_ns: int

    def __post_init__(self) -> None:
        if not isinstance(self.location, str):
            object.__setattr__(self, "location", os.fspath(self.location))

    @property
    def path(self) -> Path:
        return Path(self.location)


def discover(root: Path, max_bytes: int | None = None) -> Iterator[CorpusFile | Skip]:
    """List the readable files under ``root`` (a folder, walked recursively, or one file).

    ``max_bytes``, when given, is the size cap of every format instead of each format's own.
    Raises ``CorpusError`` at once when ``root`` does not exist, cannot be read, or is neither
    a folder nor a file; every problem below the root is yielded as a ``Skip``. Folders are listed in name
    order, so the order is the same on every run.
    """
    try:
        real_root = os.path.realpath(root, strict=True)
        root_stat = os.stat(real_root)
    except OSError as error:
        raise CorpusError(f"The corpus path {printable_name(os.fspath(root))} {_problem(error)}.") from error
    if stat.S_ISDIR(root_stat.st_mode):
        if not os.access(real_root, os.R_OK | os.X_OK):
            raise CorpusError(
                f"The corpus folder {printable_name(os.fspath(root))} cannot be read (permission denied)."
            )
        return _walk(real_root, max_bytes)
    if stat.S_ISREG(root_stat.st_mode):
        return iter([_single_file(Path(real_root), printable_name(Path(root).name), root_stat, max_bytes)])
    raise CorpusError(f"The corpus path {printable_name(os.fspath(root))} is neither a folder nor a file.")


def printable_name(name: str) -> str:
    """``name`` with undecodable bytes and control characters written as escapes."""
    if _UNPRINTABLE_IN_NAME.search(name) is None:
        return name
    return _UNPRINTABLE_IN_NAME.sub(_escape_char, name)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _single_file(path: Path, rel: str, file_stat: os.stat_result, max_bytes: int | None) -> CorpusFile | Skip:
    if not can_read(rel):
        return _unsupported(rel)
    return _candidate(path, rel, file_stat, max_bytes)


def _unsupported(rel: str) -> Skip:
    extension = os.path.splitext(rel)[1]
    return Skip(rel, SkipReason.UNSUPPORTED, f"no reader for {extension or 'files without an extension'}")


def _candidate(
    path: str | Path, rel: str, file_stat: os.stat_result, max_bytes: int | None
) -> CorpusFile | Skip:
    if not stat.S_ISREG(file_stat.st_mode):
        return Skip(rel, SkipReason.UNREADABLE, "not a regular file")
    cap = size_cap(rel) if max_bytes is None else max_bytes
    if file_stat.st_size > cap:
        return Skip(rel, SkipReason.TOO_LARGE, f"{file_stat.st_size:,} bytes, over the {cap:,}-byte limit")
    return CorpusFile(os.fspath(path), rel, file_stat.st_size, file_stat.st_mtime_ns)


def _walk(real_root: str, max_bytes: int | None) -> Iterator[CorpusFile | Skip]:
    inside = real_root.rstrip(os.sep) + os.sep
    # Each pending folder carries the real paths of the folders above it, to catch links back up.
    pending: list[tuple[str, str, tuple[str, ...]]] = [(real_root, "", (real_root,))]
    while pending:
        folder, prefix, chain = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield Skip(prefix.rstrip("/") or ".", SkipReason.UNREADABLE, _problem(error))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + printable_name(entry.name)
            try:
                if entry.is_symlink():
                    found = _follow_link(entry, rel, inside, chain, max_bytes)
                    if isinstance(found, _LinkedFolder):
                        subfolders.append((found.path, rel + "/", (*chain, found.path)))
                    else:
                        yield found
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, rel + "/", (*chain, entry.path)))
                elif can_read(entry.name):
                    yield _candidate(entry.path, rel, entry.stat(follow_symlinks=False), max_bytes)
                else:
                    yield _unsupported(rel)
            except OSError as error:
                yield Skip(rel, SkipReason.UNREADABLE, _problem(error))
        pending.extend(reversed(subfolders))


@dataclass(frozen=True, slots=True)
class _LinkedFolder:
    path: str


def _follow_link(
    entry: os.DirEntry[str], rel: str, inside: str, chain: tuple[str, ...], max_bytes: int | None
) -> _LinkedFolder | CorpusFile | Skip:
    """A link's verdict: a folder to walk, a file, or a skip."""
    try:
        target = os.path.realpath(entry.path, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Skip(rel, SkipReason.SYMLINK_LOOP, "the link leads back to itself")
        return Skip(rel, SkipReason.UNREADABLE, "a broken link")
    target_stat = os.stat(target)
    is_folder = stat.S_ISDIR(target_stat.st_mode)
    if not is_folder and not can_read(entry.name):
        return _unsupported(rel)
    if not (target + os.sep).startswith(inside):
        return Skip(rel, SkipReason.OUTSIDE_CORPUS, "the link leads outside the corpus folder")
    if is_folder:
        if target in chain:
            return Skip(rel, SkipReason.SYMLINK_LOOP, "the link leads back to a folder that contains it")
        return _LinkedFolder(target)
    return _candidate(Path(target), rel, target_stat, max_bytes)


def _problem(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "does not exist"
    if isinstance(error, PermissionError):
        return "cannot be read (permission denied)"
    return f"cannot be read ({error.strerror or error})"
