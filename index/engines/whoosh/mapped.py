"""Whoosh index files read straight from a read-only memory map, without Whoosh's copy of each.

Whoosh maps a segment's compound file, then wraps each file inside it in a ``BufferFile``,
whose ``BytesIO(buffer)`` copies it: a searcher over 100,000 articles held the 600 MB of
segments twice, once as mapped pages and once as private memory (1.2 GB RSS in all).
:class:`MappedStorage` gives Whoosh files that read from the map itself, and whose ``subset``
(what the compound file calls when it is not allowed to map) is a slice of the same map. The
pages then belong to the kernel's page cache: shared between processes, reclaimable, and
only those a query touches are ever read.

Segment files are never changed after Whoosh writes them (a commit writes new ones and
deletes the old), so a map cannot see a file shrink under it.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
from collections.abc import Callable
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

PICKLE_WINDOW = 256
"""Bytes copied to decode a pickle at first; a posting block's header takes about 40."""


class MappedFile(BufferFile):
    """A ``BufferFile`` over a slice of a memory map, read in place and never copied whole.

    It is its own file object (``self.file``), so that ``read_pickle`` and the struct readers
    share one position; varints and bytes are decoded from the view without a ``read`` call.
    """

    def __init__(
        self,
        view: memoryview,
        name: str | None = None,
        onclose: Callable[[StructFile], object] | None = None,
    ) -> None:
        # Not BufferFile.__init__: that copies the buffer into a BytesIO.
        self._buf = view
        self._pos = 0
        self._name = name
        self.file = self
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self._buf[position : position + length], name=name or self._name)

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._pos = max(start, end)
        return self._buf[start:end].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        view = self._buf
        end = len(view) if size is None or size < 0 else min(self._pos + size, len(view))
        scan = self._pos
        while scan < end:
            chunk = view[scan : min(scan + 4096, end)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end = scan + newline + 1
                break
            scan += len(chunk)
        return self.read(end - self._pos)

    def read_byte(self) -> int:
        try:
            byte = self._buf[self._pos]
        except IndexError:
            raise EOFError(f"read past the end of {self._name}") from None
        self._pos += 1
        return byte

    def read_varint(self) -> int:
        view, pos = self._buf, self._pos
        try:
            byte = view[pos]
            value, shift = byte & 0x7F, 7
            while byte & 0x80:
                pos += 1
                byte = view[pos]
                value |= (byte & 0x7F) << shift
                shift += 7
        except IndexError:
            raise EOFError(f"read past the end of {self._name}") from None
        self._pos = pos + 1
        return value

    def read_pickle(self) -> object:
        """The pickled object at the current position, decoded from a small copy of the map.

        ``pickle.load`` on this file would call ``read`` once per opcode: about twenty Python
        calls for each posting block's header, a fifth of the CPU of a merge. A pickle ends at
        its STOP opcode whatever follows, so it is decoded from a window of the map, widened
        while the window cuts it short.
        """
        view, start = self._buf, self._pos
        window = PICKLE_WINDOW
        while True:
            chunk = io.BytesIO(view[start : start + window])
            try:
                value = pickle.load(chunk)
            except (EOFError, pickle.UnpicklingError):
                if start + window >= len(view):
                    raise
                window *= 16
                continue
            self._pos = start + chunk.tell()
            return value

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._buf)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        """Read-only: nothing to flush."""

    def close(self) -> None:
        """The map itself closes when the last view of it is dropped."""
        if self.onclose:
            self.onclose(self)
        self.is_closed = True


class MappedStorage(FileStorage):
    """A Whoosh ``FileStorage`` whose files are opened as :class:`MappedFile`.

    ``supports_mmap`` is False so that a compound segment file takes sub-files with ``subset``,
    which here is a zero-copy slice, instead of mapping the file again and copying each part.
    """

    supports_mmap = False

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as handle:
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return MappedFile(memoryview(mapped), name=name, onclose=kwargs.get("onclose"))
