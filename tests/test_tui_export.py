"""The explorer's export, driven with Pilot over the fake library: E asks for a format and a file,
the file is written in a worker with progress, a notice says where it is, Esc cancels."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from textual.widgets import Input

from tests.test_tui import type_in_one_burst
from tests.tui_support import FakeLibrary, screen_text, settle, wait_until
from tui.app import BroadsheetApp
from tui.screens.export import ExportScreen
from tui.widgets.status_line import StatusLine

SIZE = (120, 40)


def make_app() -> tuple[BroadsheetApp, FakeLibrary]:
    library = FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False), library


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one(Input).value = ""
    await pilot.press(*query, "enter")
    await settle(pilot)


async def choose_path(pilot, path: Path) -> None:
    pilot.app.screen.query_one("#export-path", Input).value = str(path)
    await pilot.press("enter")


def notices(app: BroadsheetApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_export_writes_every_hit_of_the_search_in_the_chosen_format(tmp_path: Path) -> None:
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "storm")
        expected = [hit.id for hit in library.search("storm", limit=100).hits]
        explorer, heard = app.screen, []
        shown = explorer.export_progressed
        explorer.export_progressed = lambda done, total: (heard.append((done, total)), shown(done, total))
        await pilot.press("E")
        assert isinstance(app.screen, ExportScreen)
        await pilot.click("#format-jsonl")
        assert app.screen.query_one("#export-path", Input).value.endswith(".jsonl")
        target = tmp_path / "storm.jsonl"
        await choose_path(pilot, target)
        await settle(pilot)
        await wait_until(pilot, target.exists, what="the export file")
        assert not isinstance(app.screen, ExportScreen)
        assert f"Exported {len(expected)} articles to {target}." in notices(app)
        assert not app.screen.query_one(StatusLine).has_class("-busy")
    assert heard[0] == (0, len(expected)) and heard[-1] == (len(expected), len(expected))
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [record["id"] for record in records] == expected
    assert len(expected) > 2  # more than one of the fake's pages of two
    assert library.exports == ["storm"]


async def test_ctrl_u_and_a_path_typed_in_one_burst_export_to_that_path(tmp_path: Path) -> None:
    """Ctrl+U then a path in one burst (as tmux sends them) asked for a path: Ctrl+U, resolved once
    it had bubbled up, erased the path typed after it."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "storm")
        await pilot.press("E")
        target = tmp_path / "storm.csv"
        typed = [(character, character) for character in str(target)]
        type_in_one_burst(app, [("ctrl+u", None), *typed, ("enter", None)])
        await wait_until(pilot, target.exists, what="the export file")


async def test_at_80x24_the_export_dialog_of_a_long_query_keeps_its_title_and_keys_in_view(
    tmp_path: Path,
) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one(Input).value = " OR ".join(["harbour council"] * 20)
        await pilot.press("enter", "E")
        existing = tmp_path / "there.csv"
        existing.write_text("", encoding="utf-8")
        await choose_path(pilot, existing)
        shown = screen_text(app)
        assert "Export results" in shown and "This file exists." in shown, shown
        assert "Enter: export · Esc: cancel" in shown, shown


async def test_escape_cancels_and_an_existing_file_is_replaced_only_when_asked_twice(tmp_path: Path) -> None:
    app, library = make_app()
    target = tmp_path / "results.csv"
    target.write_text("keep me", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "never.csv")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert library.exports == []
        await pilot.press("E")
        await choose_path(pilot, target)
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "exists. Press Enter again to replace it." in screen_text(app)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await settle(pilot)
        await wait_until(pilot, lambda: target.read_text(encoding="utf-8") != "keep me", what="the export")
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == library.count()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["results.csv"]


async def test_a_file_that_cannot_be_written_is_one_sentence() -> None:
    app, _ = make_app()
    target = Path("/proc/broadsheet-export.md")  # a folder no one may create files in, root or not
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await choose_path(pilot, target)
        await settle(pilot)
        await wait_until(
            pilot, lambda: any("Cannot write" in notice for notice in notices(app)), what="notice"
        )
        assert not app.screen.query_one(StatusLine).has_class("-busy")
    assert f"Cannot write the export to {target}: No such file or directory." in notices(app)
