"""``broadsheet entity``, ``batch`` and ``notebook export/import``: what they print, their exit
statuses, and their one-sentence errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from notebook_support import ok, run, tagged_corpus, use_tagged_extractor

from index.notebook.location import notebook_path


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_tagged_extractor(monkeypatch)
    return tagged_corpus(tmp_path / "corpus")


def one_sentence_error(result: Result, status: int, fragment: str) -> None:
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def _entities(corpus: Path) -> dict[str, int]:
    rows = json.loads(ok("entities", "--corpus", corpus, "--json").stdout)
    return {f"{row['canonical']}/{row['label']}": row["articles"] for row in rows}


def _total(corpus: Path, query: str) -> int:
    return int(json.loads(ok("search", query, "--corpus", corpus, "--json").stdout)["total"])


def test_merge_hide_rename_relabel_show_in_entities_and_search_and_undo_reverts(corpus: Path) -> None:
    assert (
        "Merged" not in ok("entity", "merge", "harbour board", "Harbour Council", "--corpus", corpus).stdout
    )
    ok("entity", "hide", "Friday", "--corpus", corpus)
    ok("entity", "rename", "Veldt", "Veldt Lowlands", "--corpus", corpus)
    ok("entity", "relabel", "Port Amsel", "org", "--corpus", corpus)
    entities = _entities(corpus)
    assert entities["Harbour Council/ORG"] == 2
    assert "Harbour Board/ORG" not in entities and "Friday/PERSON" not in entities
    assert entities["Veldt Lowlands/PLACE"] == 1 and entities["Port Amsel/ORG"] == 2
    assert _total(corpus, 'org:"harbour board"') == 2

    listed = json.loads(ok("entity", "list", "--corpus", corpus, "--json").stdout)
    assert [entry["operation"] for entry in listed] == ["merge", "hide", "rename", "relabel"]
    assert listed[0] | {"made": None} == {
        "operation": "merge",
        "name": "Harbour Board",
        "label": "ORG",
        "new_name": "Harbour Council",
        "new_label": "ORG",
        "made": None,
    }
    assert listed[1]["new_name"] is None and listed[1]["new_label"] is None
    assert "4. relabel 'Port Amsel' (PLACE) as ORG" in ok("entity", "list", "--corpus", corpus).stdout

    assert "Undone: relabel" in ok("entity", "undo", "--corpus", corpus).stdout
    assert _entities(corpus)["Port Amsel/PLACE"] == 2
    for _ in range(3):
        ok("entity", "undo", "--corpus", corpus)
    one_sentence_error(run("entity", "undo", "--corpus", corpus), 1, "no entity change to undo")
    assert "No entity changes." in ok("entity", "list", "--corpus", corpus).stdout


def test_a_name_that_matches_no_entity_is_an_error_that_suggests_the_nearest(corpus: Path) -> None:
    result = run("entity", "hide", "Harbor Counsil", "--corpus", corpus)
    one_sentence_error(result, 1, "No entity is named 'Harbor Counsil'; did you mean 'Harbour Council'")
    one_sentence_error(
        run("entity", "merge", "Quell", "Zzyzx", "--corpus", corpus), 1, "did you mean 'Mara Quell'"
    )
    one_sentence_error(
        run("entity", "hide", "Veldt", "--label", "person", "--corpus", corpus), 1, "No PERSON entity"
    )
    assert json.loads(ok("entity", "list", "--corpus", corpus, "--json").stdout) == []


def test_a_name_two_labels_share_needs_the_label(corpus: Path) -> None:
    ok("entity", "relabel", "Mara Quell", "PLACE", "--corpus", corpus)
    ok("entity", "rename", "Veldt", "Mara Quell", "--corpus", corpus)
    ok("entity", "relabel", "Mara Quell", "ORG", "--corpus", corpus, "--label", "place")
    assert _entities(corpus)["Mara Quell/ORG"] == 2
    ok("entity", "rename", "Jonas Brisk", "Mara Quell", "--corpus", corpus)
    one_sentence_error(
        run("entity", "hide", "mara quell", "--corpus", corpus),
        1,
        "is both ORG and PERSON; say which with --label",
    )


def test_hostile_names_are_stored_as_typed_and_printed_without_escapes_or_markup(corpus: Path) -> None:
    hostile = "[bold]Evil[/bold] \x1b[31mCorp\x1b]0;pwned\x07"
    ok("entity", "rename", "Harbour Council", hostile, "--corpus", corpus)
    listed = json.loads(ok("entity", "list", "--corpus", corpus, "--json").stdout)
    assert listed[0]["new_name"] == hostile
    for command in (["entity", "list"], ["entities"], ["entity", "undo"]):
        printed = ok(*command, "--corpus", corpus).stdout
        assert "\x1b" not in printed and "\x07" not in printed
        assert "[bold]Evil[/bold]" in printed


def test_batch_counts_every_query_and_reports_bad_lines_with_their_number(
    corpus: Path, tmp_path: Path
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text('# my questions\n\nport\n"unclosed\n\n  meet  \nperson:quell\n', encoding="utf-8")
    ok("index", corpus)  # the entity phase too, for person:
    result = ok("batch", queries, "--corpus", corpus, "--json")
    assert json.loads(result.stdout) == [
        {"line": 3, "query": "port", "total": 2, "ids": ["a.txt", "b.txt"]},
        {
            "line": 4,
            "query": '"unclosed',
            "error": 'The query has an unclosed quote: every phrase needs a closing ".',
        },
        {"line": 6, "query": "meet", "total": 1, "ids": ["b.txt"]},
        {"line": 7, "query": "person:quell", "total": 1, "ids": ["a.txt"]},
    ]
    assert "line 4: The query has an unclosed quote" in result.stderr

    table = ok("batch", queries, "--corpus", corpus).stdout
    assert "port" in table and "unclosed quote" in table and "person:quell" in table
    rows = [line for line in table.splitlines() if "│" in line]
    assert any("3" in row.split("│")[1] and "2" in row.split("│")[3] for row in rows)


def test_batch_writes_to_out_and_a_merge_widens_its_entity_queries(corpus: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text('org:"harbour board"\n', encoding="utf-8")
    out = tmp_path / "answers.json"
    ok("entity", "merge", "Harbour Board", "Harbour Council", "--corpus", corpus)
    assert ok("batch", queries, "--corpus", corpus, "--json", "--out", out).stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))[0]["total"] == 2


def test_batch_of_a_file_it_cannot_read_is_one_sentence(corpus: Path, tmp_path: Path) -> None:
    one_sentence_error(
        run("batch", tmp_path / "missing.txt", "--corpus", corpus), 1, "Cannot read the queries file"
    )
    binary = tmp_path / "queries.bin"
    binary.write_bytes(b"\xff\xfe\xfa query")
    one_sentence_error(run("batch", binary, "--corpus", corpus), 1, "is not UTF-8 text")


def test_batch_prints_a_hostile_query_without_its_escapes(corpus: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("port \x1b[2J[red]x[/red]\n", encoding="utf-8")
    result = ok("batch", queries, "--corpus", corpus)
    assert "\x1b" not in result.stdout and "[red]x[/red]" in result.stdout


def test_export_then_import_into_another_corpus_merges_without_repeating(
    corpus: Path, tmp_path: Path
) -> None:
    ok("entity", "merge", "Harbour Board", "Harbour Council", "--corpus", corpus)
    ok("entity", "hide", "Friday", "--corpus", corpus)
    exported = tmp_path / "notebook.json"
    assert (
        "Wrote 2 entity changes, 0 noted articles and 0 saved searches"
        in ok("notebook", "export", exported, "--corpus", corpus).stdout
    )
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "broadsheet-notebook" and data["version"] == 2

    copy = tagged_corpus(tmp_path / "copy")
    ok("entity", "rename", "Veldt", "Veldt Lowlands", "--corpus", copy)
    assert (
        "Imported 2 entity changes (0 already held)"
        in ok("notebook", "import", exported, "--corpus", copy).stdout
    )
    assert (
        "Imported 0 entity changes (2 already held)"
        in ok("notebook", "import", exported, "--corpus", copy).stdout
    )
    listed = json.loads(ok("entity", "list", "--corpus", copy, "--json").stdout)
    assert [entry["operation"] for entry in listed] == ["rename", "merge", "hide"]
    assert _entities(copy)["Harbour Council/ORG"] == 2


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "it is not JSON"),
        ('{"format": "something-else", "version": 1}', "lacks the format"),
        ('{"format": "broadsheet-notebook", "version": 99, "curation": []}', "newer Broadsheet (version 99)"),
        ('{"format": "broadsheet-notebook", "version": "1"}', "version is missing or not a number"),
        (
            '{"format": "broadsheet-notebook", "version": 1, "curation": {}}',
            "curation, articles or saved searches are not a list",
        ),
        (
            '{"format": "broadsheet-notebook", "version": 1, "curation": [{"operation": "hide", "name": "A",'
            ' "label": "ORG", "made": "2026-01-01T00:00:00+00:00"}, {"operation": "explode", "name": "B",'
            ' "label": "ORG", "made": "2026-01-01T00:00:00+00:00"}]}',
            "curation entry 2 lacks an operation",
        ),
        (
            '{"format": "broadsheet-notebook", "version": 1, "articles": [{"id": "a.txt", "body_hash": "x",'
            ' "noted": "2026-01-01T00:00:00+00:00", "tags": ["two words"]}]}',
            "article entry 1: A tag is one word",
        ),
        (
            '{"format": "broadsheet-notebook", "version": 1, "curation": [{"operation": "merge", "name": "A",'
            ' "label": "ORG", "new_name": "B", "new_label": "SHIP", "made": "2026-01-01T00:00:00+00:00"}]}',
            "needs a new name and a known new label",
        ),
        (
            '{"format": "broadsheet-notebook", "version": 2, "saved_searches": [{"name": "rain",'
            ' "text": "rain", "sort": "sideways", "saved": "2026-01-01T00:00:00+00:00"}]}',
            "saved search 1 lacks a name, a query, a sort",
        ),
    ],
    ids=[
        "not-json",
        "not-ours",
        "newer",
        "bad-version",
        "bad-curation",
        "bad-operation",
        "bad-tag",
        "bad-label",
        "bad-saved-search",
    ],
)
def test_a_malformed_or_newer_import_is_refused_and_changes_nothing(
    corpus: Path, tmp_path: Path, content: str, fragment: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    one_sentence_error(run("notebook", "import", bad, "--corpus", corpus), 1, fragment)
    assert not notebook_path(corpus).exists(), "not even an empty notebook was created"
    ok("entity", "hide", "Friday", "--corpus", corpus)
    one_sentence_error(run("notebook", "import", bad, "--corpus", corpus), 1, fragment)
    assert len(json.loads(ok("entity", "list", "--corpus", corpus, "--json").stdout)) == 1


def test_each_entity_command_takes_the_index_dir(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "elsewhere"
    ok("entity", "hide", "Friday", "--corpus", corpus, "--index-dir", index_dir)
    assert (index_dir / "broadsheet-index.json").is_file()
    rows = json.loads(ok("entities", "--corpus", corpus, "--index-dir", index_dir, "--json").stdout)
    assert "Friday" not in {row["canonical"] for row in rows}
