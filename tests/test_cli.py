"""The ``broadsheet`` command line: its output contract, exit codes and one-sentence errors, once per
engine (commands run in this process and in children build their index with it)."""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result
from conftest import REPO, write_article

import tui.app
from index import Library
from index.paths import default_index_dir
from tests.tui_support import screen_text, settle
from tui.app import BroadsheetApp
from tui.cli import cli

pytestmark = pytest.mark.engines

DW = "001_3b75d46e5ed62af3.txt"


class EngineModules(NamedTuple):
    file_reader: str
    """Where its indexing reads a corpus file (a test makes reading one fail)."""
    searching: str
    """The module a search loads."""
    writing: tuple[str, ...]
    """The modules only writing the index needs, which a search must not load."""


ENGINE_MODULES = {
    "whoosh": EngineModules(
        file_reader="index.engines.whoosh.segment_workers.read_file",
        searching="index.engines.whoosh.search",
        writing=(
            "index.engines.whoosh.segment_workers",
            "index.engines.whoosh.merge",
            "index.engines.whoosh.codec",
        ),
    ),
    "tantivy": EngineModules(
        file_reader="index.ingest.reading.read_file",  # imported where a file is read, in this process
        searching="index.engines.tantivy.reading",
        writing=("index.engines.tantivy.workers",),
    ),
}
"""Where each engine does what these tests watch: an engine merged later adds its line."""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="broadsheet")


def assert_one_sentence_error(result: Result, status: int, fragment: str) -> None:
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_index_prints_a_summary_and_a_second_run_is_all_unchanged(small_corpus: Path) -> None:
    (small_corpus / "empty.txt").write_bytes(b"")
    first = run("index", str(small_corpus), "--no-entities")
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated, 0 removed, 0 unchanged, 1 skipped" in first.stdout
    assert "empty.txt" in first.stdout

    write_article(small_corpus, "a.txt", "Protest in Moscow", "Police broke up the protest.")
    second = run("index", str(small_corpus), "--no-entities")
    assert "0 added, 1 updated, 0 removed, 2 unchanged, 1 skipped" in second.stdout


def test_every_file_the_walk_sees_is_read_or_skipped_with_a_reason(tmp_path: Path) -> None:
    write_article(tmp_path, "story.txt", "Harbour wall opens", "The new sea wall opened on Monday.")
    (tmp_path / "scan.xyz").write_bytes(b"whatever this is")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    summary = run("index", str(tmp_path), "--no-entities")
    report = json.loads(run("index", str(tmp_path), "--no-entities", "--json").stdout)

    assert "1 added, 0 updated, 0 removed, 0 unchanged, 2 skipped" in summary.stdout
    assert "skipped (unsupported format): 1: scan.xyz" in summary.stdout
    assert "skipped (binary): 1: photo.txt" in summary.stdout
    assert (report["unchanged"], report["articles"]) == (1, 1)
    assert sorted((skip["path"], skip["reason"]) for skip in report["skipped"]) == [
        ("photo.txt", "binary"),
        ("scan.xyz", "unsupported format"),
    ]
    assert report["skipped"][0]["detail"]


def test_one_article_is_counted_as_one_article_not_one_articles(tmp_path: Path, engine: str) -> None:
    write_article(tmp_path, "only.txt", "Harbour wall opens", "The new sea wall opened on Monday.")
    result = run("index", str(tmp_path), "--no-entities")
    assert result.exit_code == 0, result.output
    assert f"; 1 article in the index ({engine})." in result.stdout
    assert run("search", "wall", "--corpus", str(tmp_path)).stdout.startswith("1 hit for 'wall'")


def test_a_query_echoed_back_loses_its_bidi_override(seeds_dir: Path) -> None:
    """The CLI had its own control-character filter, which let U+202E (it makes a line display in
    another order) through; it now uses the one ingest uses."""
    query = "tiktok \u202egniht\u202c"
    assert json.loads(run("search", query, "--json").stdout)["query"] == "tiktok gniht"
    result = run("search", query)
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout


def test_search_json_has_the_documented_shape(seeds_dir: Path) -> None:
    result = run("search", "tiktok", "--json", "--sort", "date", "--limit", "1")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["query"] == "tiktok"
    assert payload["total"] == 2
    [hit] = payload["hits"]
    assert {"id", "path", "title", "source", "date", "score", "snippet", "highlights", "entities"} <= set(hit)
    assert hit["id"] == DW
    assert hit["date"] == "2021-01-22T00:00:00"
    body = json.loads(run("show", DW, "--json").stdout)["body"]
    assert hit["highlights"]
    assert all(body[start:end].lower() == "tiktok" for start, end in hit["highlights"])


def test_search_since_and_until_keep_the_articles_dated_within_those_days(seeds_dir: Path) -> None:
    since = json.loads(run("search", "tiktok", "--since", "2021-01-22", "--json").stdout)
    assert [hit["id"] for hit in since["hits"]] == [DW]  # the other one has no date
    assert since["query"] == "(tiktok) AND date:[2021-01-22 to]"
    until = json.loads(
        run("search", "tiktok", "--since", "2021-01-01", "--until", "2021-01-21", "--json").stdout
    )
    assert until["total"] == 0


def test_search_indexes_a_corpus_given_with_corpus(small_corpus: Path) -> None:
    result = run("search", "protests", "--corpus", str(small_corpus), "--json")
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ["a.txt"]
    assert default_index_dir(small_corpus).is_dir()


def test_search_prints_a_readable_list(seeds_dir: Path) -> None:
    result = run("search", "title:tiktok")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 hit for 'title:tiktok'")
    assert "1. Russia pressures TikTok ahead of pro-Navalny rallies  [DW, 2021-01-22]" in result.stdout
    assert f"id: {DW}" in result.stdout


def test_show_json_has_the_documented_shape(seeds_dir: Path) -> None:
    result = run("show", DW, "--json")
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    assert set(article) == {"id", "path", "title", "source", "author", "date", "url", "lang", "body"}
    assert article["title"] == "Russia pressures TikTok ahead of pro-Navalny rallies"
    assert article["date"] == "2021-01-22T00:00:00"


def test_show_prints_article_text_literally(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "x.txt", "[bold red]Not markup[/]", "Body with [link=http://x]markup[/link].")
    result = run("show", "x.txt", "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    assert "[bold red]Not markup[/]" in result.stdout
    assert "[link=http://x]markup[/link]" in result.stdout


def test_a_missing_corpus_exits_1_with_one_sentence(tmp_path: Path) -> None:
    assert_one_sentence_error(run("index", str(tmp_path / "nowhere")), 1, "does not exist")
    assert_one_sentence_error(run("search", "x", "--corpus", str(tmp_path / "nowhere")), 1, "does not exist")


def test_a_malformed_query_exits_2(seeds_dir: Path) -> None:
    assert_one_sentence_error(run("search", "protests AND ("), 2, "(")


def test_pasted_text_with_a_colon_is_searched_with_a_quiet_note(seeds_dir: Path) -> None:
    note = "'said:' is not a field, so it was searched as a word."
    as_json = run("search", "Navalny said: tiktok", "--json")
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["total"] == 2
    assert payload["notes"] == [note]
    as_text = run("search", "Navalny said: tiktok")
    assert as_text.stdout.splitlines()[1] == note


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("a" * 100_000, "The query is 100,000 characters long; shorten it to 1,000 or fewer."),
        ("(" * 5000 + "tiktok" + ")" * 5000, "The query nests brackets too deeply"),
    ],
)
def test_a_huge_or_deeply_nested_query_exits_2_at_once(seeds_dir: Path, query: str, fragment: str) -> None:
    assert_one_sentence_error(run("search", query), 2, fragment)


@pytest.mark.timeout(300)
async def test_the_explorer_shows_the_suggestion_the_cli_prints(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(4):
        write_article(corpus, f"vote{n}.txt", f"Vote {n}", "The government called an election.")
    write_article(corpus, "tutor.txt", "Tutor", "The governess taught French.")
    payload = json.loads(run("search", "goverment", "--corpus", str(corpus), "--json").stdout)
    assert (payload["total"], payload["suggestion"]) == (1, "government")

    app = BroadsheetApp(corpus, None, show_timing=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, timeout=240)
        await pilot.press("slash", *"goverment", "enter")
        await settle(pilot)
        assert f"did you mean {payload['suggestion']}?" in screen_text(app)


def test_an_unknown_id_exits_1(seeds_dir: Path) -> None:
    assert_one_sentence_error(run("show", "no-such-article"), 1, "no-such-article")


def test_an_index_dir_inside_the_corpus_is_refused(small_corpus: Path) -> None:
    result = run("index", str(small_corpus), "--index-dir", str(small_corpus / "idx"))
    assert_one_sentence_error(result, 1, "inside the corpus")
    assert not (small_corpus / "idx").exists()


def test_a_busy_index_exits_1_and_search_still_answers(small_corpus: Path) -> None:
    assert run("index", str(small_corpus), "--no-entities").exit_code == 0
    with Library.open(small_corpus) as writer, writer.engine.writing():
        assert_one_sentence_error(run("index", str(small_corpus)), 1, "another process")
        searched = run("search", "protest", "--corpus", str(small_corpus), "--json")
    assert searched.exit_code == 0
    assert json.loads(searched.stdout)["total"] == 1
    assert "being updated by another process" in searched.stderr


def test_a_path_argument_opens_the_explorer_on_it(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path | None, Path | None, str | None]] = []

    def run_app(corpus: Path | None, index_dir: Path | None, engine: str | None) -> int:
        calls.append((corpus, index_dir, engine))
        return 0

    monkeypatch.setattr(tui.app, "run_app", run_app)
    assert run(str(small_corpus)).exit_code == 0
    assert run().exit_code == 0
    assert run(str(small_corpus), "--engine", "tantivy").exit_code == 0
    assert run("--engine", "tantivy").exit_code == 0
    assert calls == [
        (small_corpus, None, None),
        (None, None, None),
        (small_corpus, None, "tantivy"),
        (None, None, "tantivy"),
    ]


def test_a_word_that_is_neither_command_nor_path_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.app, "run_app", lambda *_: pytest.fail("the explorer must not start"))
    assert_one_sentence_error(run("serch"), 1, "does not exist")


@pytest.mark.parametrize("command", [[], ["index"], ["search"], ["show"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: broadsheet" in result.stdout


def cli_process(
    *args: str, cache: Path, python_options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BROADSHEET_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, *python_options, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_python_dash_m_tui_runs_the_command_line(seeds_dir: Path, tmp_cache: Path) -> None:
    result = cli_process("search", "navalny", "--json", cache=tmp_cache)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 2


@pytest.mark.timeout(600)
def test_bbc_indexes_all_2225_articles_and_a_rerun_reads_no_file(
    bbc_dir: Path, tmp_cache: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    first = cli_process("index", str(bbc_dir), "--no-entities", cache=tmp_cache)
    assert first.returncode == 0, first.stderr
    assert "2225 added" in first.stdout
    assert "2,225 articles in the index" in first.stdout

    second = cli_process("index", str(bbc_dir), "--no-entities", cache=tmp_cache)
    assert "0 added, 0 updated, 0 removed, 2225 unchanged" in second.stdout

    # Unchanged files are known by their stat alone; how fast that is, bench/run.py measures.
    def no_reading(*_: object, **__: object) -> None:
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(ENGINE_MODULES[engine].file_reader, no_reading)
    with Library.open(bbc_dir) as library:
        report = library.sync()
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2225)


@pytest.mark.timeout(300)
def test_ctrl_c_while_indexing_exits_130_and_the_next_run_completes(tmp_path: Path, tmp_cache: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(1200):
        write_article(corpus, f"{n:04}.txt", f"Report {n}", f"Crowds gathered in town {n}. " * 30)
    env = {**os.environ, "PYTHONPATH": str(REPO), "BROADSHEET_CACHE_DIR": str(tmp_cache)}
    indexer = subprocess.Popen(
        [sys.executable, "-m", "tui", "index", str(corpus), "--no-entities"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell without job control starts background commands with SIGINT ignored, and that
        # is inherited: Python would then install no KeyboardInterrupt handler in the child.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Interrupt once indexing has started (its first progress line), not after a fixed pause: on a
    # loaded machine a pause could outlast the whole run.
    assert indexer.stderr is not None
    first = indexer.stderr.readline()
    assert re.fullmatch(r"index: \d+/1200\n", first), first
    indexer.send_signal(signal.SIGINT)
    _, rest = indexer.communicate(timeout=60)
    stderr = first + rest

    assert indexer.returncode == 130
    assert stderr.strip().splitlines()[-1].startswith("broadsheet: Interrupted")
    assert "Traceback" not in stderr
    rerun = cli_process("index", str(corpus), "--no-entities", cache=tmp_cache)
    assert rerun.returncode == 0, rerun.stderr
    assert "1,200 articles in the index" in rerun.stdout


def test_index_dir_given_before_the_command_is_used(small_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-index"
    assert run("--index-dir", str(folder), "index", str(small_corpus), "--no-entities").exit_code == 0
    assert (folder / "broadsheet-index.json").is_file()
    result = run("search", "protest", "--corpus", str(small_corpus), "--index-dir", str(folder), "--json")
    assert json.loads(result.stdout)["total"] == 1
    assert not default_index_dir(small_corpus).exists()


@pytest.mark.parametrize("before_the_command", [True, False], ids=["before", "after"])
@pytest.mark.parametrize(
    "command", [["search", "protest"], ["show", "a.txt"], ["entities"]], ids=lambda c: c[0]
)
def test_every_query_reads_the_index_dir_given_before_or_after_the_command(
    small_corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    before_the_command: bool,
) -> None:
    """``broadsheet --index-dir D entities`` used to ignore D and build a second index in the cache."""
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")
    folder = tmp_path / "my-index"
    assert run("--index-dir", str(folder), "index", str(small_corpus)).exit_code == 0
    query = [*command, "--corpus", str(small_corpus), "--json"]
    index_dir = ["--index-dir", str(folder)]
    result = run(*index_dir, *query) if before_the_command else run(*query, *index_dir)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert not default_index_dir(small_corpus).exists()


def tui_imports() -> dict[str, set[str]]:
    """Each module of ``tui`` and the modules of ``tui`` it imports, at the top or inside a function."""
    modules = {}
    for path in (REPO / "tui").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    imports = {}
    for name, path in modules.items():
        named: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                named.add(node.module)
                named.update(f"{node.module}.{alias.name}" for alias in node.names)
        imports[name] = {other for other in named if other in modules and other != name}
    return imports


def test_no_module_of_the_command_line_imports_itself_back_through_others() -> None:
    """The commands share their options from one module instead of importing each other (as
    ``tui.cli`` and ``tui.cli_entities`` did); a lazy import inside a function counts too."""
    imports = tui_imports()
    command_line = [name for name in imports if name == "tui.cli" or name.startswith("tui.cli.")]
    assert command_line

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        to_visit = list(imports[start])
        while to_visit:
            name = to_visit.pop()
            if name not in seen:
                seen.add(name)
                to_visit.extend(imports[name])
        return seen

    assert [name for name in command_line if name in reachable(name)] == []


def test_extract_prints_a_hostile_file_name_without_its_escapes_or_bidi_controls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name is the user's, not ingested text: extract printed it to the terminal as it was,
    so a name could recolour the terminal or display its letters in another order."""
    name = "red\x1b[31m-\u202etxt.exe\u202c.txt"
    write_article(tmp_path, name, "Harbour wall opens", "The new sea wall opened on Monday.")
    monkeypatch.setattr("index.entities.annotate.annotate", lambda bodies, **_: {key: [] for key in bodies})
    given = str(tmp_path / name)

    table = run("extract", given)
    [entry] = json.loads(run("extract", "--json", given).stdout)

    assert table.exit_code == 0, table.output
    for printed in (table.stdout, entry["path"]):
        assert "\x1b" not in printed and "\u202e" not in printed
    assert entry["path"].endswith("red-txt.exe.txt")


def test_a_search_of_an_indexed_corpus_loads_nothing_it_does_not_use(
    seeds_dir: Path, tmp_cache: Path, engine: str
) -> None:
    """A search is a whole process: what it imports is most of its time (bench/startup.py). The
    explorer, the entity model, the readers and the index's writing machinery are not its business."""
    assert cli_process("search", "navalny", "--json", cache=tmp_cache).returncode == 0  # indexes the seeds

    traced = cli_process("search", "navalny", "--json", cache=tmp_cache, python_options=("-X", "importtime"))

    assert json.loads(traced.stdout)["total"] == 2
    imported = {
        line.split("|")[-1].strip() for line in traced.stderr.splitlines() if line.startswith("import time:")
    }
    unused = {
        *("textual", "tui.app", "rich.table"),  # the explorer
        *("spacy", "numpy", "index.entities.extractor", "index.entities.store", "index.entities.facets"),
        *("markdown_it", "lxml", "justext", "charset_normalizer", "dateparser", "pypdf"),  # readers use
        *("index.ingest.text", "index.ingest.html", "index.ingest.pdf", "index.ingest.dates"),  # the readers
        *ENGINE_MODULES[engine].writing,  # writing the index
        *("tui.cli.entities", "tui.cli.extract", "tui.cli.indexing"),  # the other commands
    }
    assert ENGINE_MODULES[engine].searching in imported
    assert unused & imported == set()
