"""``broadsheet export`` and ``Library.export`` over small corpora, once per engine: every hit, in the
order ``search`` gives, read back with the ``csv`` and ``json`` parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from index.export import ExportFormat, write_export
from index.export.spreadsheet import BOM
from index.models import Query, SortOrder
from index.notebook.curation import CurationOp, Operation
from tests.search_support import fixture_library, generated_library, write_fixture_corpus
from tui.cli import cli

pytestmark = pytest.mark.engines

MANY = 18
"""The seed of a generated corpus of 571 articles: several pages of an export."""


@pytest.fixture(scope="module")
def corpus(engine: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seven search fixture articles and an index of them, built once per engine."""
    folder = tmp_path_factory.mktemp(f"export-{engine}")
    write_fixture_corpus(folder / "corpus")
    assert run_in(folder / "corpus", folder / "index", "search", "said").exit_code == 0
    return folder / "corpus", folder / "index"


def run_in(corpus: Path, index_dir: Path, *args: str) -> Result:
    command = [args[0], *args[1:], "--corpus", str(corpus), "--index-dir", str(index_dir)]
    return CliRunner().invoke(cli, command, prog_name="broadsheet")


def searched(corpus: tuple[Path, Path], query: str, *options: str) -> list[tuple[str, str]]:
    result = run_in(*corpus, "search", query, "--json", "--limit", "1000", *options)
    assert result.exit_code == 0, result.output
    return [(hit["id"], hit["title"]) for hit in json.loads(result.stdout)["hits"]]


@pytest.mark.parametrize(
    ("query", "options"),
    [("said", ()), ("rates OR networks OR russia", ()), ("*", ()), ("said", ("--sort", "date"))],
)
def test_csv_and_json_exports_list_what_search_lists_in_its_order(
    corpus: tuple[Path, Path], tmp_path: Path, query: str, options: tuple[str, ...]
) -> None:
    expected = searched(corpus, query, *options)
    assert expected
    out = tmp_path / "hits.csv"
    assert run_in(*corpus, "export", query, "--out", str(out), *options).exit_code == 0
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["id"], row["title"]) for row in rows] == expected
    as_json = run_in(*corpus, "export", query, "--format", "json", *options)
    assert as_json.exit_code == 0, as_json.output
    assert [(record["id"], record["title"]) for record in json.loads(as_json.stdout)] == expected
    lines = run_in(*corpus, "export", query, "--format", "jsonl", *options).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [id_ for id_, _ in expected]


def test_rows_carry_the_stored_fields_of_each_article(corpus: tuple[Path, Path]) -> None:
    result = run_in(*corpus, "export", "tiktok", "--format", "jsonl")
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "russia/tiktok.json"
    assert record["path"] == "russia/tiktok.json"
    assert (record["source"], record["author"]) == ("DW", "Mark Weber")
    assert record["url"] == "https://example.org/russia/tiktok"
    assert record["date"].startswith("2021-01-21")
    assert record["score"] > 0 and record["tags"] == []
    assert "entities" not in record and "notes" not in record


def test_an_export_that_finds_nothing_is_still_a_valid_file(corpus: tuple[Path, Path]) -> None:
    assert json.loads(run_in(*corpus, "export", "zebra", "--format", "json").stdout) == []
    assert run_in(*corpus, "export", "zebra").stdout.splitlines() == [
        "id,path,title,source,author,date,url,score,tags"
    ]


def test_bom_starts_the_csv_file(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    assert run_in(*corpus, "export", "said", "--bom", "--out", str(out)).exit_code == 0
    assert out.read_bytes().startswith(BOM.encode("utf-8") + b"id,path,")
    wrong = run_in(*corpus, "export", "said", "--bom", "--format", "json")
    assert wrong.exit_code == 2 and "--bom applies only to --format csv" in wrong.stderr


def test_a_malformed_query_is_one_sentence_and_writes_no_file(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "hits.csv"
    result = run_in(*corpus, "export", "said AND", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("broadsheet: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_path_is_one_sentence(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_in(*corpus, "export", "said", "--out", str(tmp_path / "missing" / "hits.csv"))
    assert result.exit_code == 1
    target = tmp_path / "missing" / "hits.csv"
    assert result.stderr == f"broadsheet: Cannot write the export to {target}: No such file or directory.\n"


def test_tags_notes_and_curated_entities_are_exported(engine: str, tmp_path: Path) -> None:
    with fixture_library(tmp_path, engine) as library:
        library.annotate("russia/calls.json", add_tags=["=wire", "russia"], note="Check the date.\nCall DW.")
        made = dt.datetime.now(dt.timezone.utc)
        library.notebook().curate(CurationOp(Operation.HIDE, "Euronews", "ORG", None, made))
        with library.export("protest", entities=True, notes=True) as export:
            out = io.StringIO()
            write_export(export, ExportFormat.JSONL, out)
    records = {record["id"]: record for record in map(json.loads, out.getvalue().splitlines())}
    calls = records["russia/calls.json"]
    assert calls["tags"] == ["=wire", "russia"]
    assert calls["notes"] == "Check the date.\nCall DW."
    assert calls["entities"] == {"PERSON": ["Alexei Navalny"], "PLACE": ["Russia"]}  # Euronews hidden
    assert all(record["notes"] == "" for id_, record in records.items() if id_ != "russia/calls.json")


def test_tagged_rows_stay_guarded_in_csv(engine: str, tmp_path: Path) -> None:
    with fixture_library(tmp_path, engine) as library:
        library.annotate("russia/calls.json", add_tags=["=wire"])
        with library.export("tag:=wire") as export:
            out = io.StringIO()
            write_export(export, ExportFormat.CSV, out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["id"] == "russia/calls.json" and row["tags"] == "'=wire"


@pytest.mark.parametrize("query", [Query("film"), Query("*"), Query("film OR bank", sort=SortOrder.DATE)])
def test_pages_join_without_gaps_or_repeats(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: Query
) -> None:
    monkeypatch.setattr("index.export.PAGE_SIZE", 64)
    if engine == "tantivy":
        monkeypatch.setattr("index.engines.tantivy.reading.RANKED_CHUNK", 100)
    library, _ = generated_library(tmp_path, MANY, engine)
    with library:
        total = library.search(query, limit=1).total
        assert total > 200
        everything = [(hit.id, hit.score) for hit in library.search(query, limit=total).hits]
        with library.export(query) as export:
            assert export.total == total
            exported = [(row.id, row.score) for row in export.rows()]
    assert exported == everything


def test_snippets_are_the_searchs_only_when_asked(engine: str, tmp_path: Path) -> None:
    library, _ = generated_library(tmp_path, MANY, engine)
    with library:
        searched = library.search("film", limit=20).hits
        with library.export("film", snippets=True) as export:
            rows = list(itertools.islice(export.rows(), 20))
        with library.export("film") as export:
            plain = list(itertools.islice(export.rows(), 20))
    assert [(row.snippet, row.snippet_highlights) for row in rows] == [
        (hit.snippet, hit.snippet_highlights) for hit in searched
    ]
    assert all(row.snippet_highlights == () for row in plain)


def test_an_export_reads_its_own_view_while_the_index_changes(engine: str, tmp_path: Path) -> None:
    library, _ = generated_library(tmp_path, MANY, engine)
    with library, library.export("*") as export:
        rows = export.rows()
        first = next(rows)
        (tmp_path / "corpus" / "generated.jsonl").write_text('{"title": "t", "body": "film"}\n')
        library.sync()
        assert library.count() == 1
        rest = [row.id for row in rows]
    assert len({first.id, *rest}) == export.total == 1 + len(rest)


def test_export_reads_the_index_dir_given_before_the_command(corpus: tuple[Path, Path]) -> None:
    folder, index_dir = corpus
    command = ["--index-dir", str(index_dir), "export", "said", "--corpus", str(folder), "--format", "json"]
    result = CliRunner().invoke(cli, command, prog_name="broadsheet")
    assert result.exit_code == 0, result.output
    assert [record["id"] for record in json.loads(result.stdout)] == [
        id_ for id_, _ in searched(corpus, "said")
    ]
