"""Your own keys: keymap.toml in the config folder remaps bindings by id; mistakes are reported by line
and cost only the key they name; the footer, help, palette, header and `broadsheet keys` follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.app import App

from tests.tui_support import FakeLibrary, screen_text, settle
from tui.app import BroadsheetApp
from tui.cli import cli
from tui.keymap import KEYMAP_NAME, Problem, binding_scopes, is_key, key_rows, parse_keymap
from tui.keys import live_keymap
from tui.widgets.article_header import ArticleHeader
from tui.widgets.reader import ArticleView

SIZE = (120, 40)


def parse(text: str) -> tuple[dict[str, str], list[str]]:
    loaded = parse_keymap(text, binding_scopes())
    return loaded.keymap, [str(problem) for problem in loaded.problems]


def make_app() -> BroadsheetApp:
    library = FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False)


def write_keymap(config: Path, text: str) -> Path:
    path = config / KEYMAP_NAME
    path.write_text(text, encoding="utf-8")
    return path


# Reading the file ----------------------------------------------------------------------------


def test_a_remap_takes_a_key_or_a_list_written_as_characters_or_names():
    keymap, problems = parse(
        '"explorer.next-hit" = "j"\n'
        '"explorer.find" = ["ctrl+g", "f4"]\n'
        '"app.help" = "h,?"\n'
        "reader.top = 't'  # a bare dotted key is a table in TOML\n"
        "[results]\n"
        'first = "<"\n'
    )
    assert problems == []
    assert keymap == {
        "explorer.next-hit": "j",
        "explorer.find": "ctrl+g,f4",
        "app.help": "h,question_mark",
        "reader.top": "t",
        "results.first": "less_than_sign",
    }


def test_an_unknown_id_a_malformed_key_and_a_wrong_value_are_reported_by_line_and_ignored():
    keymap, problems = parse(
        "# my keys\n"
        '"explorer.nxt-hit" = "j"\n'
        '"explorer.find" = "ctrl+"\n'
        '"explorer.open" = ["hyperspace"]\n'
        '"explorer.copy" = 3\n'
        '"explorer.back" = []\n'
        '"explorer.cycle-sort" = "S"\n'
    )
    assert keymap == {"explorer.cycle-sort": "S"}
    assert problems == [
        'line 2: "explorer.nxt-hit" is not a binding id (did you mean "explorer.next-hit"?); '
        "`broadsheet keys` lists them.",
        'line 3: "ctrl+" for explorer.find is not a key Broadsheet knows; kept ctrl+f.',
        'line 4: "hyperspace" for explorer.open is not a key Broadsheet knows; kept o.',
        "line 5: explorer.copy takes a key or a list of keys, in quotes; kept y.",
        "line 6: explorer.back has no key; kept backspace.",
    ]


def test_a_clash_in_one_scope_keeps_the_default_and_the_first_of_two_remaps():
    keymap, problems = parse(
        '"explorer.next-hit" = "s"\n'  # the explorer's sort key
        '"explorer.find" = "ctrl+g"\n'
        '"explorer.back" = "ctrl+g"\n'  # the key line 2 took
        '"explorer.leave" = "?"\n'  # Help's key in the app, not on the explorer: no clash
        '"reader.top" = "n"\n'  # another scope than the explorer's n: no clash
        '"explorer.toggle-sidebar" = "+"\n'  # the key of explorer.toggle-copies
    )
    assert keymap == {"explorer.find": "ctrl+g", "explorer.leave": "question_mark", "reader.top": "n"}
    assert problems == [
        'line 1: "s" for explorer.next-hit clashes with explorer.cycle-sort (Explorer); kept n.',
        'line 3: "ctrl+g" for explorer.back clashes with explorer.find (Explorer); kept backspace.',
        'line 6: "+" for explorer.toggle-sidebar clashes with explorer.toggle-copies (Explorer); kept v.',
    ]


def test_swapping_two_keys_is_no_clash_and_a_dropped_remap_can_take_another_with_it():
    keymap, problems = parse('"explorer.next-hit" = "N"\n"explorer.previous-hit" = "n"\n')
    assert (keymap, problems) == ({"explorer.next-hit": "N", "explorer.previous-hit": "n"}, [])
    keymap, problems = parse(
        '"explorer.cycle-sort" = "f"\n'  # fine while facets move to e ...
        '"explorer.toggle-facets" = "e"\n'  # ... which entity marks keep: facets stay on f
    )
    assert keymap == {}
    assert [problem.partition(":")[0] for problem in problems] == ["line 1", "line 2"]


def test_malformed_toml_is_reported_with_its_line_and_every_default_kept():
    keymap, problems = parse('"app.help" = "h"\n\n"explorer.find" = [ "ctrl+g"\n')
    assert keymap == {}
    assert problems == ["line 3: not valid TOML (Unclosed array); default keys used."]
    _, problems = parse('"app.help" = "h"\n"app.quit" = = "x"\n\n')
    assert problems == ["line 2: not valid TOML (Invalid value); default keys used."]


def test_a_problem_quotes_the_file_without_its_control_characters():
    assert str(Problem(1, '"\x1b[31mred\nline" is not a key')) == 'line 1: "red line" is not a key'


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("n", True),
        ("N", True),
        ("?", True),
        ("+", True),
        ("question_mark", True),
        ("ctrl+shift+f3", True),
        ("pagedown", True),
        ("right_square_bracket", True),
        ("ctrl+", False),
        ("", False),
        ("cmd+x", False),
        ("f99", False),
    ],
)
def test_what_counts_as_a_key(key, valid):
    assert is_key(key) is valid


def test_every_binding_with_an_id_is_listed_once_with_where_it_works():
    rows = key_rows(binding_scopes(), {})
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids))
    where = {row.id: (row.keys, row.where) for row in rows}
    assert where["explorer.find"] == (("ctrl+f",), "Explorer")
    assert where["find.toggle-regex"] == (("ctrl+r",), "Find")
    assert where["reader.down"] == (("j", "down"), "Reader")
    assert where["app.help"] == (("?",), "App")
    assert where["help.close"][1] == "Help"


async def test_textual_keeps_the_keymap_where_live_keymap_reads_it():
    app = App()
    async with app.run_test():
        app.set_keymap({"explorer.find": "?"})
        assert live_keymap(app) == {"explorer.find": "question_mark"}


# In the explorer and on the command line -------------------------------------------------------


async def test_a_keymap_file_moves_keys_and_the_footer_help_palette_and_header_follow(tmp_config):
    write_keymap(
        tmp_config,
        '"explorer.next-hit" = "ctrl+n"\n'
        '"explorer.previous-hit" = "ctrl+b"\n'
        '"explorer.find" = "ctrl+g"\n'
        '"reader.top" = "t"\n'
        '"find.toggle-regex" = "ctrl+t"\n',
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"wall", "enter")
        await settle(pilot)
        assert not app._notifications
        footer = screen_text(app).splitlines()[-1]
        assert "^n Next hit" in footer
        hints = str(app.screen.query_one(ArticleHeader).render()).splitlines()[-1]
        assert hints.endswith("^n/^b next/previous hit  ^g find")
        await pilot.press("ctrl+n")
        assert app.screen.query_one(ArticleView).current_hit == 1
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.description: row.keys for row in app.screen.rows}
        assert rows["Next hit"] == "^n"
        assert rows["Find in article"] == "^g"
        assert rows["Top"] == "t"  # a pane's keys too, focused or not
        assert rows["Regex"] == "^t"
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Find in")
        await pilot.pause(0.3)
        assert "Key: ^g" in screen_text(app)


async def test_mistakes_in_the_keymap_are_a_notice_with_line_numbers_and_the_defaults_stay(tmp_config):
    path = write_keymap(
        tmp_config,
        '"explorer.next-hit" = "s"\n"explorer.nxt-hit" = "j"\n"explorer.find" = "ctrl+"\n',
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [notice] = app._notifications
        assert notice.title == f"Keymap {path}"
        assert [line.partition(":")[0] for line in notice.message.splitlines()] == [
            "line 1",
            "line 2",
            "line 3",
        ]
        await pilot.press("slash", *"wall", "enter")
        await settle(pilot)
        await pilot.press("n")
        assert app.screen.query_one(ArticleView).current_hit == 1
        hints = str(app.screen.query_one(ArticleHeader).render()).splitlines()[-1]
        assert hints.endswith("n/N next/previous hit  ^f find")


def test_broadsheet_keys_prints_the_map_after_the_keymap_and_its_mistakes_on_stderr(tmp_config):
    path = write_keymap(tmp_config, '"explorer.next-hit" = "j"\n\n"nothing.here" = "x"\n')
    result = CliRunner().invoke(cli, ["keys", "--json"], prog_name="broadsheet")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["explorer.next-hit"] == {
        "id": "explorer.next-hit",
        "keys": ["j"],
        "description": "Next hit",
        "where": "Explorer",
    }
    assert rows["explorer.find"]["keys"] == ["ctrl+f"]
    assert (
        result.stderr
        == f'broadsheet: {path} line 3: "nothing.here" is not a binding id; `broadsheet keys` lists them.\n'
    )
    text = CliRunner().invoke(cli, ["keys"], prog_name="broadsheet")
    assert text.stdout.splitlines()[0].split() == ["ID", "KEYS", "DESCRIPTION", "WHERE"]
    assert any(line.split()[:2] == ["explorer.next-hit", "j"] for line in text.stdout.splitlines())
