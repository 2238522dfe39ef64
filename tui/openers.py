"""Taking an article out of Broadsheet: its file in the user's editor (at its line when the editor
takes one), its page in the browser, its location on the clipboard.

Each says what went wrong in one notification on ``app``, never with a traceback.
"""

from __future__ import annotations

import os
import shlex
import subprocess
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


def article_file(article: Article, corpus: Path) -> Path:
    """The file that holds ``article``: the corpus itself when the corpus is one file."""
    return corpus / article.path if corpus.is_dir() else corpus


def copy_location(app: App[Any], article: Article, corpus: Path) -> None:
    """Copy the article's url, or else the path of its file."""
    location = article.url or str(article_file(article, corpus))
    app.copy_to_clipboard(location)
    app.notify(f"Copied {location}", timeout=3, markup=False)


def open_article(app: App[Any], article: Article, corpus: Path) -> None:
    """Open the article's file in ``$VISUAL`` or ``$EDITOR``, or else its url in the browser."""
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
