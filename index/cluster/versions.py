"""What must be the same on the caller and on every worker for a cluster run to be exact: the
Broadsheet code (its version and a digest of its source), Python's minor version, spaCy and the
entity model. A worker running other code would read, analyse or extract differently, and its
results would differ from a run without a cluster."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sys
from pathlib import Path

from index.errors import ClusterError

Fingerprint = tuple[tuple[str, str], ...]
"""(what, its version) pairs, in a fixed order."""

_INDEX_PACKAGE = Path(__file__).resolve().parent.parent


def fingerprint(model_name: str) -> Fingerprint:
    """This process's versions of everything a worker's results depend on (``model_name`` being the
    entity model the caller uses)."""
    return (
        ("Broadsheet", f"{_installed('broadsheet')} ({source_digest()[:12]})"),
        ("Python", f"{sys.version_info.major}.{sys.version_info.minor}"),
        ("spaCy", _installed("spacy")),
        (model_name, _model_version(model_name)),
    )


@functools.lru_cache(maxsize=1)
def source_digest() -> str:
    """A digest of the ``index`` package's source: two checkouts of the same version may differ."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(_INDEX_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_INDEX_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_worker(expected: Fingerprint, model_name: str) -> None:
    """Raise ClusterError in a worker whose versions are not ``expected`` (run before each task, so a
    worker that joins after the check at the start is refused too)."""
    found = _cached_fingerprint(model_name)
    if found != expected:
        raise ClusterError(mismatch(os.uname().nodename, expected, found))


def mismatch(worker: str, expected: Fingerprint, found: Fingerprint) -> str:
    """The one sentence for a worker whose versions differ from the caller's."""
    differing = [
        f"{name} {theirs} there, {ours} here"
        for (name, ours), (_, theirs) in zip(expected, found, strict=True)
        if ours != theirs
    ]
    return (
        f"The Dask worker {worker} runs other versions than this Broadsheet ({'; '.join(differing)}); "
        "install the same versions on every worker."
    )


@functools.lru_cache(maxsize=2)
def _cached_fingerprint(model_name: str) -> Fingerprint:
    return fingerprint(model_name)


def _installed(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _model_version(model_name: str) -> str:
    """The model package's version; for a model folder, a digest of its meta.json."""
    meta = Path(model_name) / "meta.json"
    if meta.is_file():
        return hashlib.blake2b(meta.read_bytes(), digest_size=8).hexdigest()
    return _installed(model_name)
