"""Where a corpus's index lives, and whether that folder can be trusted.

Whoosh stores its schema as a pickle, so opening an index folder that someone else wrote would
run their code. Broadsheet therefore only opens folders that it created itself: owned by the
current user, writable by nobody else, holding the marker file written at creation, and never
inside the corpus being indexed (where a shared archive could carry a planted index).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from index.errors import CorpusError, IndexUnusable

CACHE_ENV = "BROADSHEET_CACHE_DIR"
"""Environment variable that moves the cache root (tests point it at a temporary folder)."""

MARKER_NAME = "broadsheet-index.json"
PRIVATE_MODE = 0o700


def seeds_dir() -> Path:
    """The bundled sample articles, found the same way whether installed, editable or run in place.

    ``seeds`` has no ``__init__.py`` (every file in it is an article), so it is a namespace
    package. An editable install adds a path hook, which is not a folder, to its ``__path__``,
    which makes ``importlib.resources.files`` fail: take the first real folder instead.
    """
    import seeds

    for entry in seeds.__path__:
        if Path(entry).is_dir():
            return Path(entry)
    raise CorpusError("The bundled sample articles are missing from this installation.")


def resolve_corpus(corpus: Path | None) -> Path:
    """The absolute corpus path; raises CorpusError if it is missing or unreadable."""
    path = seeds_dir() if corpus is None else Path(corpus).expanduser()
    try:
        path = path.resolve(strict=True)
    except FileNotFoundError:
        raise CorpusError(f"The corpus {corpus} does not exist.") from None
    except (OSError, RuntimeError) as error:
        raise CorpusError(f"The corpus {corpus} cannot be opened: {error}.") from None
    if not (path.is_dir() or path.is_file()):
        raise CorpusError(f"The corpus {corpus} is neither a folder nor a file.")
    if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
        raise CorpusError(f"The corpus {corpus} is not readable.")
    return path


def locate(corpus: Path | None, index_dir: Path | None) -> tuple[Path, Path]:
    """The resolved corpus (None: the seeds) and its checked index folder (``index_dir`` or the default).

    Raises CorpusError or IndexUnusable; creates nothing and loads no index, so it is cheap enough
    to run before the explorer's first frame.
    """
    corpus_path = resolve_corpus(corpus)
    folder = Path(index_dir).expanduser().resolve() if index_dir else default_index_dir(corpus_path)
    inspect(folder, corpus_path)
    return corpus_path, folder


def cache_root() -> Path:
    """The folder that holds one index folder per corpus."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser().resolve()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("broadsheet")).resolve()


def default_index_dir(corpus: Path) -> Path:
    """The per-corpus index folder: a readable slug plus a hash of the resolved corpus path."""
    return cache_root() / corpus_key(corpus)


def corpus_key(corpus: Path) -> str:
    """A corpus's name among others of its kind (index folders, notebooks): a readable slug of its
    folder name plus a hash of its resolved path."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", resolved.name).strip("-.")[:40] or "corpus"
    return f"{slug}-{digest}"


@dataclass(frozen=True, slots=True)
class Marker:
    """The content of the marker file: what Broadsheet wrote when it created the folder."""

    schema_version: int
    corpus: str
    engine: str = "whoosh"
    """The engine that wrote the index (markers written before there was a choice say nothing: Whoosh)."""


def check_outside_corpus(index_dir: Path, corpus: Path) -> None:
    """Refuse an index folder inside the corpus folder: indexing would read the index itself."""
    corpus = corpus.resolve()
    if corpus.is_dir() and index_dir.resolve().is_relative_to(corpus):
        raise IndexUnusable(
            f"The index folder {index_dir} is inside the corpus {corpus}; "
            "choose one outside it with --index-dir."
        )


def check_trusted(index_dir: Path) -> Marker | None:
    """Check an existing index folder; return its marker, or None if the folder is missing or empty.

    Raises IndexUnusable for a folder that Broadsheet must not open.
    """
    info = _lstat(index_dir, "the index folder")
    if info is None:
        return None
    if not stat.S_ISDIR(info.st_mode):
        raise IndexUnusable(f"The index location {index_dir} exists and is not a folder.")
    _check_private(index_dir, info)
    try:
        has_files = any(index_dir.iterdir())
    except OSError as error:
        raise IndexUnusable(f"Cannot read the index folder {index_dir}: {error.strerror}.") from error
    marker = _read_marker(index_dir)
    if marker is None and has_files:
        raise IndexUnusable(
            f"The folder {index_dir} is not empty and was not created by Broadsheet; "
            "refusing to use it as an index."
        )
    return marker


def _check_private(path: Path, info: os.stat_result) -> None:
    if info.st_uid != os.getuid():
        raise IndexUnusable(f"The index folder {path} belongs to another user; refusing to open it.")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise IndexUnusable(f"The index folder {path} is writable by other users; refusing to open it.")


def _lstat(path: Path, what: str) -> os.stat_result | None:
    """``path``'s own status (links not followed), None if it does not exist."""
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexUnusable(f"Cannot read {what} {path}: {error.strerror}.") from error


def _read_marker(index_dir: Path) -> Marker | None:
    path = index_dir / MARKER_NAME
    info = _lstat(path, "the index marker")
    if info is None:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise IndexUnusable(f"The index marker {path} is not a regular file; refusing to open the index.")
    _check_private(path, info)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        engine = str(data.get("engine", "whoosh"))
        return Marker(schema_version=int(data["schema_version"]), corpus=str(data["corpus"]), engine=engine)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexUnusable(
            f"The index marker {path} is damaged; delete the folder {index_dir} to rebuild."
        ) from error


def inspect(index_dir: Path, corpus: Path) -> Marker | None:
    """All the checks of an index folder for this corpus; its marker, or None if it is new or empty."""
    check_outside_corpus(index_dir, corpus)
    marker = check_trusted(index_dir)
    if marker is not None and marker.corpus != str(corpus.resolve()):
        raise IndexUnusable(
            f"The index folder {index_dir} holds the index of another corpus ({marker.corpus})."
        )
    return marker


def prepare(index_dir: Path, corpus: Path, engine: str, version: int) -> Marker:
    """Check the index folder, or create it (mode 0700) with a marker; return the marker.

    A marker of another engine or version is returned as it is: the engine sees the mismatch,
    rebuilds the index and then calls ``write_marker``.
    """
    marker = inspect(index_dir, corpus)
    if marker is not None:
        return marker
    _make_private_dir(index_dir)
    return write_marker(index_dir, corpus, engine, version)


def write_marker(index_dir: Path, corpus: Path, engine: str, version: int) -> Marker:
    """Write the marker atomically (a half-written marker would make the folder untrusted)."""
    marker = Marker(schema_version=version, corpus=str(corpus.resolve()), engine=engine)
    temp = index_dir / f".{MARKER_NAME}.{os.getpid()}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"schema_version": version, "corpus": marker.corpus, "engine": engine}, out)
        os.replace(temp, index_dir / MARKER_NAME)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise IndexUnusable(f"Cannot write to the index folder {index_dir}: {error.strerror}.") from error
    return marker


def _make_private_dir(index_dir: Path) -> None:
    """Create the folder and any missing parents with mode 0700 (the umask cannot widen it)."""
    missing = []
    for folder in (index_dir, *index_dir.parents):
        if folder.exists():
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=PRIVATE_MODE)
                os.chmod(folder, PRIVATE_MODE)
    except OSError as error:
        raise IndexUnusable(
            f"Cannot create the index folder {index_dir}: {error.strerror}; "
            "choose another place with --index-dir."
        ) from error
    if not index_dir.is_dir():
        raise IndexUnusable(f"Cannot create the index folder {index_dir}.")
    try:
        os.chmod(index_dir, PRIVATE_MODE)  # an empty folder the user made is adopted: made private
    except OSError as error:
        raise IndexUnusable(f"Cannot make the index folder {index_dir} private: {error.strerror}.") from error
