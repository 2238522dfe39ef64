"""Taking an article out of Broadsheet: its file in the user's editor (at its line when the editor
takes one), a PDF in a viewer (at the current hit's page when the viewer takes one), its page in
the browser, its location on the clipboard.

Each says what went wrong in one notification on ``app``, never with a traceback.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from index.models import Article

PLUS_LINE = frozenset(
    {"vi", "vim", "nvim", "gvim", "view", "nano", "pico", "emacs", "emacsclient", "micro", "kak", "joe", "mg"}
)
"""Editors that open a file at line N given ``+N`` before its name."""
PATH_COLON_LINE = frozenset({"hx", "helix", "subl"})
"""Editors that open ``path:N`` at line N."""
PAGE_OPTIONS = {
    "zathura": ("--page={page}",),
    "evince": ("--page-index={page}",),
    "okular": ("--page", "{page}"),
}
"""PDF viewers, in the order they are looked for on the PATH, and the options that open page N."""
PDF_VIEWER_VARIABLE = "BROADSHEET_PDF_VIEWER"
"""The environment variable that names the PDF viewer (command and arguments), before any on the PATH."""


def editor_command(editor: str, path: Path, line: int | None) -> tuple[list[str], bool]:
    """The command that opens ``path`` with ``editor`` (``$VISUAL`` or ``$EDITOR``, arguments and
    all) at ``line`` if given, and whether it does go to that line (an editor not known here is
    handed the file alone)."""
    words = shlex.split(editor)
    name = Path(words[0]).name if words else ""
    if line is None:
        return [*words, str(path)], False
    if name in PLUS_LINE:
        return [*words, f"+{line}", str(path)], True
    if name in PATH_COLON_LINE:
        return [*words, f"{path}:{line}"], True
    return [*words, str(path)], False


def viewer_command(viewer: str, path: Path, page: int | None) -> tuple[list[str], bool]:
    """The command that opens ``path`` with ``viewer`` at ``page`` if given, and whether it does
    go to that page (a viewer not known here is handed the file alone)."""
    words = shlex.split(viewer)
    options = PAGE_OPTIONS.get(Path(words[0]).name if words else "")
    if page is None or not options:
        return [*words, str(path)], False
    return [*words, *(option.format(page=page) for option in options), str(path)], True


def pdf_viewer() -> str | None:
    """The viewer ``$BROADSHEET_PDF_VIEWER`` names, else the first known one on the PATH."""
    chosen = os.environ.get(PDF_VIEWER_VARIABLE)
    if chosen:
        return chosen
    return next((name for name in PAGE_OPTIONS if shutil.which(name)), None)


def system_opener() -> list[str]:
    """The command that opens a file in the application the desktop associates with it."""
    return ["open"] if sys.platform == "darwin" else ["xdg-open"]


def article_file(article: Article, corpus: Path) -> Path:
    """The file that holds ``article``: the corpus itself when the corpus is one file."""
    return corpus / article.path if corpus.is_dir() else corpus


def copy_location(app: App[Any], article: Article, corpus: Path) -> None:
    """Copy the article's url, or else the path of its file."""
    location = article.url or str(article_file(article, corpus))
    app.copy_to_clipboard(location)
    app.notify(f"Copied {location}", timeout=3, markup=False)


DESKTOP_FORMATS = (".docx",)
"""Files no terminal editor can show (a Word document is a zip): the desktop's own opener takes them."""


def open_article(app: App[Any], article: Article, corpus: Path, page: int | None = None) -> None:
    """Open a PDF in a viewer (at ``page`` when it takes one), a Word document with the desktop's
    opener, any other file in ``$VISUAL`` or ``$EDITOR``, or else the article's url in the browser."""
    name = article.path.lower()
    if name.endswith(".pdf"):
        view(app, article_file(article, corpus), page)
        return
    if name.endswith(DESKTOP_FORMATS):
        _start(app, [*system_opener(), str(article_file(article, corpus))])
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        # Heavy to import before the first frame; the library has imported it by now.
        from index.ingest import source_line

        edit(app, editor, article_file(article, corpus), source_line(article))
    elif article.url:
        webbrowser.open(article.url)
    else:
        app.notify("Set $EDITOR to open articles in your editor.", severity="warning")


def edit(app: App[Any], editor: str, path: Path, line: int | None) -> None:
    """Hand the terminal to ``editor`` on ``path``, at ``line`` (of a JSON Lines file) if it takes one."""
    command, at_line = editor_command(editor, path, line)
    try:
        with app.suspend():
            subprocess.run(command, check=False)
    except SuspendNotSupported:
        app.notify("This terminal cannot hand over to an editor.", severity="warning")
    except OSError as error:
        app.notify(f"Cannot run {editor}: {error.strerror}.", severity="error", markup=False)
    else:
        if line is not None and not at_line:
            app.notify(f"This article is line {line:,} of {path.name}.", timeout=8, markup=False)


def view(app: App[Any], path: Path, page: int | None) -> None:
    """Start a PDF viewer on ``path`` beside Broadsheet (it has a window of its own), at ``page`` if
    it takes one; the desktop's own opener when no viewer is known."""
    viewer = pdf_viewer()
    command, at_page = (
        viewer_command(viewer, path, page) if viewer else ([*system_opener(), str(path)], False)
    )
    if _start(app, command) and page is not None and not at_page:
        app.notify(f"The hit is on page {page:,} of {path.name}.", timeout=8, markup=False)


def _start(app: App[Any], command: list[str]) -> bool:
    """Start ``command`` beside Broadsheet, detached from its terminal; False (with a note) if it
    cannot be run."""
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        app.notify(f"Cannot run {command[0]}: {error.strerror}.", severity="error", markup=False)
        return False
    return True
