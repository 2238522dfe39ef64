"""The command line that opens a file in the user's editor, at a line when the editor takes one."""

from __future__ import annotations

import shlex
from pathlib import Path

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
