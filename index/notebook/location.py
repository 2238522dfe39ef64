"""Where a corpus's notebook lives, and whether it can be trusted.

What the user made (curation, notes) is kept in the user's *data* folder, one SQLite file per corpus,
never in the cache folder that the README says may be deleted, and never inside the corpus (where a
shared archive could carry a planted one). The folder is private (0700) and the file too (0600),
both owned by the user and writable by nobody else, as the index folder is.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from index.errors import NotebookError
from index.paths import PRIVATE_MODE, cache_root, corpus_key

DATA_ENV = "BROADSHEET_DATA_DIR"
"""Environment variable that moves the data root (tests point it at a temporary folder)."""

SUFFIX = ".notebook.sqlite"


def data_root() -> Path:
    """The folder that holds one notebook per corpus."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("broadsheet")).resolve()


def notebook_path(corpus: Path) -> Path:
    """The notebook file of ``corpus`` (named like its index folder), checked but not created.

    Raises NotebookError if the data folder is inside the corpus or the cache folder, or if the
    folder or the file exists and cannot be trusted.
    """
    root = data_root()
    corpus = corpus.resolve()
    if corpus.is_dir() and root.is_relative_to(corpus):
        raise NotebookError(
            f"The data folder {root} is inside the corpus {corpus}; set {DATA_ENV} elsewhere."
        )
    cache = cache_root()
    if root.is_relative_to(cache):
        raise NotebookError(
            f"The data folder {root} is inside the cache folder {cache}, which may be deleted; "
            f"set {DATA_ENV} elsewhere."
        )
    path = root / f"{corpus_key(corpus)}{SUFFIX}"
    _check_private(root, directory=True)
    _check_private(path, directory=False)
    return path


def create_private(path: Path) -> None:
    """Create the notebook's folder (and missing parents, 0700) and an empty file (0600) if missing."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=PRIVATE_MODE)
                os.chmod(folder, PRIVATE_MODE)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except OSError as error:
        raise NotebookError(f"Cannot create the notebook {path}: {error.strerror}.") from None
    _check_private(path.parent, directory=True)
    _check_private(path, directory=False)


def _check_private(path: Path, *, directory: bool) -> None:
    """Refuse a folder or file that is not what it should be, another user's, or writable by others."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise NotebookError(f"Cannot read {path}: {error.strerror}.") from None
    kind_ok = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    if not kind_ok:
        what = "a folder" if directory else "a regular file"
        raise NotebookError(f"The notebook location {path} is not {what}; refusing to use it.")
    if info.st_uid != os.getuid():
        raise NotebookError(f"The notebook location {path} belongs to another user; refusing to use it.")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise NotebookError(f"The notebook location {path} is writable by other users; refusing to use it.")
