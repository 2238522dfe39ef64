"""The Broadsheet Textual app: app-wide keys, styles and the explorer screen.

Deliberately thin: opening the library, searching and reading live in ``ExplorerScreen`` and its
widgets. Nothing heavy (Whoosh, spaCy) is imported before the first frame; the library is opened
in a worker thread.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.indexer import ChildProcessIndexer, Indexer, InProcessIndexer
from tui.keymap import binding_scopes, keymap_path, load_keymap
from tui.keys import BindingCommands, key_help
from tui.saved_search_commands import SavedSearchCommands
from tui.screens.explorer import ExplorerScreen
from tui.screens.help import HelpScreen

if TYPE_CHECKING:
    from index.api import LibraryAPI
    from index.library import Library


def library_opener(
    corpus: Path | None, index_dir: Path | None, engine: str | None = None
) -> Callable[[], Library]:
    """A callable that opens (and imports) the library when a worker calls it, not before."""

    def open_library() -> Library:
        from index.library import Library

        return Library.open(corpus, index_dir=index_dir, engine=engine)

    return open_library


def child_indexer(library: LibraryAPI) -> ChildProcessIndexer:
    return ChildProcessIndexer(library.corpus, library.index_dir, library.engine_name)


class BroadsheetApp(App[int]):
    """Search, read and pivot on entities in a folder of news articles."""

    TITLE = "Broadsheet"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {BindingCommands, SavedSearchCommands}
    # Textual annotates it "ClassVar[list[tuple[int, str]]] | None", which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]  # type: ignore[misc]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.command-palette"),
    ]

    def __init__(
        self,
        corpus: Path | None = None,
        index_dir: Path | None = None,
        *,
        engine: str | None = None,
        opener: Callable[[], LibraryAPI] | None = None,
        indexer: Callable[[LibraryAPI], Indexer] | None = None,
        show_timing: bool = True,
    ) -> None:
        """``opener`` replaces the real library (tests), which is then indexed in this process unless
        ``indexer`` says how (benchmarks pass one that does nothing). ``engine`` is the engine a new
        index is built with (an existing one is opened with its own)."""
        super().__init__()
        self._opener = opener or library_opener(corpus, index_dir, engine)
        self._indexer_factory = indexer or (InProcessIndexer if opener else child_indexer)
        self._show_timing = show_timing

    def on_mount(self) -> None:
        # SIGTERM would otherwise end the process where it stands, leaving the terminal in raw mode
        # on the alternate screen; quitting as q does restores it (and ends the indexer child).
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminated)
        self._load_keymap()

    def _load_keymap(self) -> None:
        """The user's keys (a small file, read once); each mistake in it is one line of a notice."""
        path = keymap_path()
        loaded = load_keymap(path, binding_scopes())
        self.set_keymap(loaded.keymap)
        if loaded.problems:
            lines = [str(problem) for problem in loaded.problems]
            self.notify(
                "\n".join(lines), title=f"Keymap {path}", severity="warning", timeout=20, markup=False
            )

    def _terminated(self) -> None:
        self.exit(return_code=128 + signal.SIGTERM)

    def get_default_screen(self) -> Screen:
        return ExplorerScreen(self._opener, self._indexer_factory, show_timing=self._show_timing)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_help(self.screen)))


def run_app(corpus: Path | None, index_dir: Path | None, engine: str | None = None) -> int:
    """Run the TUI on ``corpus`` (``None``: the bundled seeds) until the user quits; the exit code."""
    app = BroadsheetApp(corpus, index_dir, engine=engine)
    app.run()
    return app.return_code or 0
