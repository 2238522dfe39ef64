"""Opening an article outside Broadsheet: which file, and the editor's command line at its line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from index.models import Article
from tui.openers import (
    PDF_VIEWER_VARIABLE,
    article_file,
    editor_command,
    open_article,
    pdf_viewer,
    system_opener,
    viewer_command,
)

STORY = Article(id="a#3", path="2024/storm.txt", title="Storm", body="Wind.")


def test_an_article_of_a_folder_is_its_own_file_and_of_a_one_file_corpus_that_file(tmp_path: Path):
    assert article_file(STORY, tmp_path) == tmp_path / "2024" / "storm.txt"
    single = tmp_path / "news.jsonl"
    single.write_text("{}\n", encoding="utf-8")
    assert article_file(STORY, single) == single


@pytest.mark.parametrize(
    ("editor", "expected", "at_line"),
    [
        ("/usr/bin/vim", ["/usr/bin/vim", "+8", "news.jsonl"], True),
        ("emacsclient -t", ["emacsclient", "-t", "+8", "news.jsonl"], True),
        ("hx", ["hx", "news.jsonl:8"], True),
        ("code --wait", ["code", "--wait", "news.jsonl"], False),  # not known: the file alone
    ],
)
def test_the_editor_opens_a_json_lines_file_at_the_article_s_line_when_it_can(editor, expected, at_line):
    assert editor_command(editor, Path("news.jsonl"), 8) == (expected, at_line)


def test_a_file_of_one_article_opens_at_its_top_in_any_editor():
    assert editor_command("vim", Path("storm.txt"), None) == (["vim", "storm.txt"], False)


@pytest.mark.parametrize(
    ("viewer", "expected", "at_page"),
    [
        ("zathura", ["zathura", "--page=3", "report.pdf"], True),
        ("/usr/bin/evince", ["/usr/bin/evince", "--page-index=3", "report.pdf"], True),
        ("okular --unique", ["okular", "--unique", "--page", "3", "report.pdf"], True),
        ("firefox", ["firefox", "report.pdf"], False),  # not known: the file alone
    ],
)
def test_a_pdf_viewer_opens_at_the_hit_s_page_when_it_can(viewer, expected, at_page):
    assert viewer_command(viewer, Path("report.pdf"), 3) == (expected, at_page)


def test_the_viewer_named_in_the_environment_comes_before_those_on_the_path(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}" if name == "okular" else None)
    monkeypatch.delenv(PDF_VIEWER_VARIABLE, raising=False)
    assert pdf_viewer() == "okular"
    monkeypatch.setenv(PDF_VIEWER_VARIABLE, "zathura --fork")
    assert pdf_viewer() == "zathura --fork"


class _RecordingApp:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def notify(self, message: str, **_: object) -> None:
        self.notes.append(message)


def test_a_pdf_without_a_known_viewer_opens_in_the_desktop_s_viewer_and_names_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, **_: started.append(command))
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv(PDF_VIEWER_VARIABLE, raising=False)
    monkeypatch.setenv("EDITOR", "vim")  # an editor is no place for a PDF
    app = _RecordingApp()
    report = Article(id="papers/report.pdf", path="papers/report.pdf", title="Report", body="Text.")

    open_article(app, report, tmp_path, page=4)  # type: ignore[arg-type]

    assert started == [[*system_opener(), str(tmp_path / "papers" / "report.pdf")]]
    assert app.notes == ["The hit is on page 4 of report.pdf."]


def test_a_word_document_opens_with_the_desktop_s_opener_not_in_the_terminal_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, **_: started.append(command))
    monkeypatch.setattr(subprocess, "run", lambda command, **_: pytest.fail(f"ran {command} in the terminal"))
    monkeypatch.setenv("EDITOR", "vim")  # vim would show the zip's bytes
    app = _RecordingApp()
    notes = Article(id="inquiry/notes.docx", path="inquiry/notes.docx", title="Notes", body="Text.")

    open_article(app, notes, tmp_path)  # type: ignore[arg-type]

    assert started == [[*system_opener(), str(tmp_path / "inquiry" / "notes.docx")]]
    assert app.notes == []
