"""Finding corpus files: what is listed, what is skipped and why, and hostile names and links."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from index.errors import CorpusError
from index.ingest import CorpusFile, discover, formats, read_file
from index.models import Skip, SkipReason

ARTICLE = "Headline\n\nBody text of the article.\n"


def write(path: Path, text: str = ARTICLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def listed(root: Path, **kwargs: int) -> tuple[list[str], list[tuple[str, SkipReason]]]:
    files, skips = [], []
    for item in discover(root, **kwargs):
        if isinstance(item, Skip):
            skips.append((item.path, item.reason))
        else:
            files.append(item.rel)
    return files, skips


def test_folder_is_walked_recursively_in_name_order(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.json", "sub/e.jsonl", "Z.TXT"):
        write(tmp_path / rel)
    files, skips = listed(tmp_path)
    assert files == ["Z.TXT", "a.md", "b.txt", "sub/c.html", "sub/e.jsonl", "sub/deeper/d.json"]
    assert skips == []


def test_corpus_file_carries_size_and_mtime(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt")
    (found,) = discover(tmp_path)
    assert found == CorpusFile(path, "a.txt", path.stat().st_size, path.stat().st_mtime_ns)


def test_hidden_files_are_not_listed_and_unsupported_ones_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "keep.txt")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / ".git" / "notes.txt")
    write(tmp_path / "README")
    assert listed(tmp_path) == (
        ["keep.txt"],
        [("README", SkipReason.UNSUPPORTED), ("photo.jpg", SkipReason.UNSUPPORTED)],
    )


def test_a_single_file_is_a_corpus_of_one(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "story.txt")
    assert listed(path) == (["story.txt"], [])


def test_a_single_unsupported_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")
    assert listed(path) == ([], [("photo.png", SkipReason.UNSUPPORTED)])


def test_missing_corpus_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        discover(tmp_path / "nowhere")


def test_unreadable_corpus_folder_raises_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(CorpusError, match="cannot be read"):
        discover(tmp_path)


def test_a_corpus_that_is_neither_folder_nor_file_raises(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(CorpusError, match="neither a folder nor a file"):
        discover(tmp_path / "pipe")


def test_unlistable_subfolder_is_an_unreadable_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ok.txt")
    write(tmp_path / "locked" / "secret.txt")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert listed(tmp_path) == (["ok.txt"], [("locked", SkipReason.UNREADABLE)])


def test_files_over_the_size_cap_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "small.txt", "Small\n\nok\n")
    write(tmp_path / "big.txt", "Big\n\n" + "word " * 100)
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 50)
    assert listed(tmp_path) == (["small.txt"], [("big.txt", SkipReason.TOO_LARGE)])


def test_a_file_that_grew_past_the_cap_after_listing_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "grows.txt", "Title\n\n" + "x" * 100)
    (found,) = discover(tmp_path)
    result = read_file(found, max_bytes=50)
    assert [s.reason for s in result.skips] == [SkipReason.TOO_LARGE]
    assert path.exists()


def test_unreadable_file_is_skipped_when_permissions_apply(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: file permissions do not apply")
        (found,) = discover(tmp_path)
        assert [s.reason for s in read_file(found).skips] == [SkipReason.UNREADABLE]
    finally:
        path.chmod(0o644)


def test_permission_error_at_open_is_an_unreadable_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "secret.txt")
    (found,) = discover(tmp_path)

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    result = read_file(found)
    assert [(s.path, s.reason, s.detail) for s in result.skips] == [
        ("secret.txt", SkipReason.UNREADABLE, "permission denied")
    ]


def test_file_deleted_after_listing_is_an_unreadable_skip(tmp_path: Path) -> None:
    path = write(tmp_path / "gone.txt")
    (found,) = discover(tmp_path)
    path.unlink()
    assert [s.reason for s in read_file(found).skips] == [SkipReason.UNREADABLE]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "real.txt")
    assert listed(tmp_path) == (["real.txt"], [("pipe.txt", SkipReason.UNREADABLE)])


def test_symlink_out_of_the_corpus_is_not_followed(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    write(corpus / "inside.txt")
    write(outside / "private.txt")
    (corpus / "leak.txt").symlink_to(outside / "private.txt")
    (corpus / "leakdir").symlink_to(outside, target_is_directory=True)
    (corpus / "leak.jpg").symlink_to(outside / "private.txt")  # unsupported: not followed either
    files, skips = listed(corpus)
    assert files == ["inside.txt"]
    assert sorted(skips) == [
        ("leak.jpg", SkipReason.UNSUPPORTED),
        ("leak.txt", SkipReason.OUTSIDE_CORPUS),
        ("leakdir", SkipReason.OUTSIDE_CORPUS),
    ]


def test_symlink_inside_the_corpus_is_followed(tmp_path: Path) -> None:
    write(tmp_path / "real" / "story.txt")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real" / "story.txt")
    files, _ = listed(tmp_path)
    assert files == ["alias.txt", "real/story.txt"]


def test_symlink_loops_are_detected(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "story.txt")
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "ping.txt").symlink_to(tmp_path / "pong.txt")
    (tmp_path / "pong.txt").symlink_to(tmp_path / "ping.txt")
    files, skips = listed(tmp_path)
    assert files == ["sub/story.txt"]
    assert sorted(skips) == [
        ("ping.txt", SkipReason.SYMLINK_LOOP),
        ("pong.txt", SkipReason.SYMLINK_LOOP),
        ("self.txt", SkipReason.SYMLINK_LOOP),
        ("sub/up", SkipReason.SYMLINK_LOOP),
    ]


def test_two_folders_linking_to_each_other_end(tmp_path: Path) -> None:
    write(tmp_path / "a" / "one.txt")
    write(tmp_path / "b" / "two.txt")
    (tmp_path / "a" / "to_b").symlink_to(tmp_path / "b", target_is_directory=True)
    (tmp_path / "b" / "to_a").symlink_to(tmp_path / "a", target_is_directory=True)
    files, skips = listed(tmp_path)
    assert "a/to_b/two.txt" in files and "b/to_a/one.txt" in files
    assert ("a/to_b/to_a", SkipReason.SYMLINK_LOOP) in skips


def test_broken_symlink_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    assert listed(tmp_path) == ([], [("dangling.txt", SkipReason.UNREADABLE)])


def test_file_name_with_newline_gets_a_printable_id_and_still_reads(tmp_path: Path) -> None:
    write(tmp_path / "two\nlines.txt")
    (found,) = discover(tmp_path)
    assert found.rel == "two\\x0alines.txt"
    (article,) = read_file(found).articles
    assert article.id == "two\\x0alines.txt"
    assert article.title == "Headline"


def test_file_name_with_non_utf8_bytes_gets_a_printable_id_and_still_reads(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9 \x1b[31m.txt"
    with open(name, "wb") as file:
        file.write(ARTICLE.encode())
    (found,) = discover(tmp_path)
    assert found.rel == "caf\\xe9 \\x1b[31m.txt"
    found.rel.encode("utf-8")  # valid UTF-8: fit for an index and a terminal
    (article,) = read_file(found).articles
    assert article.body == "Body text of the article."


def test_bbc_corpus_is_listed_from_stat_alone(bbc_dir: Path) -> None:
    # Listing runs on every re-index: it must not open files (bench/run.py measures its speed).
    opened: list[str] = []
    listing = True

    def watch(event: str, args: tuple) -> None:
        if listing and event == "open" and isinstance(args[0], (str, bytes)) and os.path.isfile(args[0]):
            opened.append(os.fsdecode(args[0]))

    sys.addaudithook(watch)  # audit hooks cannot be removed: `listing` switches it off
    try:
        files, skips = listed(bbc_dir)
    finally:
        listing = False
    assert len(files) == 2225 and skips == []
    assert opened == []
