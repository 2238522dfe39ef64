"""Hostile and malformed input: nasty files, escape sequences and markup in articles, arbitrary
queries, and paths that try to lead the indexer out of the corpus or into someone else's index.

Whatever the archive holds, indexing never crashes (bad files are counted skips), every good file
is searchable, and nothing an article contains can take over the terminal. Once per engine.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO, write_article
from fault_support import assert_terminal_safe, json_safe, load_json, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import IndexUnusable, Library, Query, QueryError, SearchResult, SortOrder
from index.paths import MARKER_NAME
from tui.cli import cli

pytestmark = pytest.mark.engines

NASTY = REPO / "tests" / "data" / "nasty"
BIG_LINE_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 1_200_000

# A distinctive word of every good file (and of the files made at test time), found by search.
SEARCHABLE = {
    "nested-divs.html": "lighthouse",
    "broken-lines.jsonl#1": "ferry",
    "broken-lines.jsonl#4": "glacier",
    "broken-lines.jsonl#7": "orchard",
    "latin1.txt": "façade",
    "cp1251.txt": "избиратели",
    "utf16.txt": "typhoon",
    "rtl-combining.txt": "quarry",
    "emoji.txt": "volunteers",
    "zero-width.txt": "towpath",
    "escapes.txt": "borough",
    "markup.txt": "aqueduct",
    "escapes.json": "bridge",
    "lone-surrogate.json": "viaduct",
    "long-line.txt": "monorail",
    "nul-bytes.txt": "harbour",  # stray NULs are dropped, not taken for a binary file
}
MARKUP = (
    "[bold red]Mayor[/]",
    "[link=file:///etc/passwd]now[/link]",
    "[$accent]council[/]",
    "[@click=app.quit]quit[/]",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="broadsheet")


def build_nasty_corpus(folder: Path) -> Path:
    """The committed nasty files plus those git cannot hold portably or that are too big to commit."""
    shutil.copytree(NASTY, folder)
    with (folder / "huge-line.txt").open("wb") as out:
        out.write(b"Huge line\n\n")
        chunk = b"overflowing " * 87_382
        while out.tell() < BIG_LINE_BYTES:
            out.write(chunk)
    words = "the tram depot on the corner opened early and the crowd waited " * (LONG_LINE_BYTES // 64)
    (folder / "long-line.txt").write_text(f"Long line\n\nmonorail {words} monorail\n", encoding="utf-8")
    (folder / "news\nline.txt").write_text("Newline in name\n\nThe gondola story.\n", encoding="utf-8")
    (folder / os.fsdecode(b"bad-\xff\xfe-name.txt")).write_text(
        "Undecodable name\n\nThe funicular story.\n", encoding="utf-8"
    )
    (folder / "\x1b]0;pwned\x07\x1b[2Jname.txt").write_text("Escapes in name\n\nThe zeppelin story.\n")
    secret = folder.parent / "secret.txt"
    secret.write_text("Private notes\n\nzanzibarsecret lives outside the corpus.\n", encoding="utf-8")
    (folder / "escape-link.txt").symlink_to(secret)
    (folder / "escape-dir").symlink_to(folder.parent, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self-loop.txt").symlink_to(folder / "self-loop.txt")
    return folder


@pytest.fixture(scope="module")
def nasty(
    tmp_path_factory: pytest.TempPathFactory, engine: str
) -> tuple[Path, Path, subprocess.CompletedProcess[bytes]]:
    """The nasty corpus, indexed (both phases) by ``broadsheet index`` in a child process."""
    base = tmp_path_factory.mktemp("nasty")
    corpus = build_nasty_corpus(base / "corpus")
    done = run_cli(["index", str(corpus), "--index-dir", str(base / "index")], base / "cache", timeout=150)
    return corpus, base / "index", done


@pytest.mark.timeout(200)
def test_a_corpus_of_nasty_files_indexes_with_counted_skips_and_every_good_file_searchable(
    nasty: tuple[Path, Path, subprocess.CompletedProcess[bytes]],
) -> None:
    corpus, index_dir, done = nasty
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    summary = assert_terminal_safe(done.stdout)
    assert "Traceback" not in done.stderr.decode(errors="replace")
    for reason, path in [
        ("too large", "huge-line.txt"),
        ("binary", "binary.txt"),
        ("empty", "empty.txt"),
        ("malformed", "broken-lines.jsonl"),
        ("outside corpus", "escape-link.txt"),
        ("symlink loop", "loop"),
    ]:
        line = next((text for text in summary.splitlines() if f"skipped ({reason})" in text), "")
        assert path in line, (reason, summary)

    with Library.open(corpus, index_dir=index_dir) as library:
        for article_id, word in SEARCHABLE.items():
            ids = {hit.id for hit in library.search(word, limit=50).hits}
            assert article_id in ids, (article_id, word, ids)
        assert library.search("gondola").total == library.search("funicular").total == 1
        assert library.search("zeppelin").total == 1
        assert library.search("zanzibarsecret").total == 0
        assert library.search("overflowing").total == 0
        titles = {hit.id: hit.title for hit in library.search("*", limit=100).hits}
    assert titles["shift-jis.txt"] == "台風が接近"
    assert titles["cp1251.txt"] == "Выборы в Новосибирске"
    assert titles["latin1.txt"] == "Café owners protest"


def all_ids(corpus: Path, index_dir: Path) -> list[str]:
    with Library.open(corpus, index_dir=index_dir) as library:
        return [hit.id for hit in library.search("*", limit=1000).hits]


def test_show_of_every_nasty_article_is_clean_json_and_clean_text(
    nasty: tuple[Path, Path, subprocess.CompletedProcess[bytes]],
) -> None:
    corpus, index_dir, _ = nasty
    ids = all_ids(corpus, index_dir)
    assert len(ids) >= len(SEARCHABLE) + 3
    where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]
    for article_id in ids:
        shown = run("show", article_id, *where, "--json")
        assert shown.exit_code == 0, (article_id, shown.output)
        article = load_json(shown.stdout_bytes)
        assert article["id"] == article_id
        assert article["title"] and article["body"]
        human = run("show", article_id, *where)
        assert human.exit_code == 0, (article_id, human.output)
        assert_terminal_safe(human.stdout_bytes)


def test_search_output_of_every_nasty_article_is_terminal_safe(
    nasty: tuple[Path, Path, subprocess.CompletedProcess[bytes]],
) -> None:
    corpus, index_dir, _ = nasty
    where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]
    human = run("search", "*", "--limit", "100", *where)
    assert human.exit_code == 0, human.output
    text = assert_terminal_safe(human.stdout_bytes)
    assert "Election results" in text
    payload = load_json(run("search", "*", "--limit", "100", "--json", *where).stdout_bytes)
    assert payload["total"] == len(payload["hits"]) >= len(SEARCHABLE)
    facets = run("entities", "--json", *where)
    assert facets.exit_code == 0, facets.output
    load_json(facets.stdout_bytes)
    assert_terminal_safe(run("entities", *where).stdout_bytes)


# --- terminal safety: escape sequences and markup show literally ------------------------------


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    for name in ("escapes.txt", "markup.txt", "escapes.json"):
        shutil.copy(NASTY / name, corpus / name)
    return corpus


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_escape_sequences_never_reach_the_terminal_and_markup_shows_literally(
    hostile_corpus: Path, as_json: bool
) -> None:
    flags = ["--corpus", str(hostile_corpus), *(["--json"] if as_json else [])]
    outputs = [
        run("search", "mayor OR borough OR bridge", *flags),
        run("show", "markup.txt", *flags),
        run("show", "escapes.txt", *flags),
        run("show", "escapes.json", *flags),
    ]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert b"\x1b" not in result.stdout_bytes and b"\x07" not in result.stdout_bytes
        assert b"\xc2\x9b" not in result.stdout_bytes  # C1 CSI
        if as_json:
            load_json(result.stdout_bytes)
        else:
            assert_terminal_safe(result.stdout_bytes)
    searched, markup, escapes, escapes_json = (result.stdout for result in outputs)
    assert "[bold red]Mayor[/]" in searched
    for literal in MARKUP:
        assert literal in markup or literal in markup.replace("\\/", "/"), literal
    assert "pwned" not in escapes and "owned" not in escapes_json
    if not as_json:
        assert escapes.splitlines()[0] == "Election results"
        assert "Counting finished in the borough overnight." in escapes


# --- arbitrary queries through the library ----------------------------------------------------

QUERY_PIECES = st.sampled_from(
    [
        "protest", "moscow", " ", "AND", "OR", "NOT", "(", ")", '"', "*", "?", "~", "~2", "^", ":",
        "title:", "date:", "person:", "entity:", "[", "]", "{", "}", "to", "2021-01-01", "-", "+",
        "\\", "/", "'", "\x00", "\x1b[31m", "é", "🌊", "\u200b", "\u202e", "NOT NOT", "date:[", "<", ">",
    ]
)  # fmt: skip


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Library:
    corpus = tmp_path_factory.mktemp("queries") / "corpus"
    write_article(
        corpus, "a.txt", "Protest in Moscow", "Thousands joined a protest in Moscow on January 23, 2021."
    )
    write_article(corpus, "b.txt", "Markets rally", "Shares rose as markets rallied on Friday.")
    library = Library.open(corpus, index_dir=corpus.parent / "index")
    library.sync()
    yield library
    library.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.one_of(st.text(max_size=50), st.lists(QUERY_PIECES, max_size=10).map("".join)),
    sort=st.sampled_from(list(SortOrder)),
)
def test_any_query_through_the_library_gives_a_result_or_a_clear_query_error(
    small_library: Library, query: str, sort: SortOrder
) -> None:
    try:
        result = small_library.search(Query(query, sort=sort), limit=5)
        histogram = small_library.date_histogram(query)
        facets = small_library.facets(query)
    except QueryError as error:
        message = str(error)
        assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    else:
        assert isinstance(result, SearchResult)
        assert 0 <= len(result.hits) <= min(result.total, 5)
        assert sum(count for _, count in histogram) <= result.total
        assert isinstance(facets, list)


@pytest.mark.parametrize(
    "query",
    [
        "protest " * 5000,
        "(" * 5000 + "moscow" + ")" * 5000,
        "mos~2 " * 2000,
        '"' + "the " * 5000 + '"',
        "*" * 5000,
        "NOT " * 5000 + "moscow",
        "title:" * 3000 + "x",
        "date:[" * 2000,
        "a*" * 2000,
    ],
    ids=["words", "parens", "fuzzy", "phrase", "stars", "nots", "fields", "ranges", "wildcards"],
)
@pytest.mark.timeout(30)  # a query that goes exponential hangs; its speed is not measured here
def test_a_pathological_query_answers_or_fails_clearly_without_hanging(
    small_library: Library, query: str
) -> None:
    try:
        small_library.search(query, limit=5)
    except QueryError as error:
        assert str(error).endswith(".")


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> list[str]:
    """``--corpus`` and ``--index-dir`` options for the bundled seeds, indexed once."""
    where = ["--corpus", str(REPO / "seeds"), "--index-dir", str(tmp_path_factory.mktemp("seeds") / "index")]
    assert run("search", "navalny", *where).exit_code == 0
    return where


@settings(max_examples=40, deadline=None)
@given(query=st.lists(QUERY_PIECES, min_size=1, max_size=8).map("".join))
def test_any_query_on_the_command_line_exits_0_or_2_with_one_sentence(
    seeds_index: list[str], query: str
) -> None:
    result = run("search", "--json", *seeds_index, "--", query)
    assert result.exit_code in (0, 2), (query, result.output, result.exception)
    if result.exit_code == 0:
        json_safe(load_json(result.stdout_bytes))
    else:
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert_terminal_safe(result.stderr_bytes)


FILE_BYTES = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
    st.lists(
        st.sampled_from(
            ['{"title": "', '"text": "', '"}', "\n", "<div>", "</p>", "\x1b[2J", "\x1b]0;x\x07", "[b]",
             "\u202e", "\x00", "\xff", "Naval\u00adny", "word ", "é"]
        ),
        max_size=40,
    ).map("".join).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
)  # fmt: skip


@pytest.fixture(scope="module")
def arbitrary_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("arbitrary")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(
        st.tuples(st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]), FILE_BYTES), max_size=4
    )
)
def test_arbitrary_files_index_end_to_end_and_every_article_shows_as_clean_json(
    arbitrary_corpus: Path, files: list[tuple[str, bytes]]
) -> None:
    # A fresh folder per example: Hypothesis seeds ``random``, from which Whoosh draws segment
    # names, so examples sharing one index would reuse segment names.
    example = Path(tempfile.mkdtemp(dir=arbitrary_corpus))
    corpus, index_dir = example / "corpus", example / "index"
    corpus.mkdir()
    for n, (suffix, data) in enumerate(files):
        (corpus / f"file{n}{suffix}").write_bytes(data)
    with Library.open(corpus, index_dir=index_dir) as library:
        report = library.sync()
        ids = [hit.id for hit in library.search("*", limit=1000).hits]
    assert report.added + report.updated + report.unchanged == len(ids) == len(set(ids))
    reported = {skip.path.partition("#")[0] for skip in report.skipped} | {i.partition("#")[0] for i in ids}
    assert reported >= {f"file{n}{suffix}" for n, (suffix, _) in enumerate(files)}
    for article_id in ids:
        shown = run("show", article_id, "--corpus", str(corpus), "--index-dir", str(index_dir), "--json")
        assert shown.exit_code == 0, shown.output
        assert load_json(shown.stdout_bytes)["id"] == article_id


# --- paths: the corpus root, private index folders, folders Broadsheet did not make ---------------


def test_nothing_outside_the_corpus_is_read_through_symlinks(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "inside.txt", "Inside", "The harbour wall was repaired.")
    outside = tmp_path / "outside"
    write_article(outside, "private.txt", "Private", "The zanzibarsecret must stay private.")
    (corpus / "link.txt").symlink_to(outside / "private.txt")
    (corpus / "folder").symlink_to(outside, target_is_directory=True)
    (corpus / "up").symlink_to("..", target_is_directory=True)
    (corpus / "abs").symlink_to("/etc", target_is_directory=True)
    with Library.open(corpus) as library:
        report = library.sync()
        assert library.count() == 1
        assert library.search("zanzibarsecret").total == 0
    assert {skip.reason.value for skip in report.skipped} == {"outside corpus"}
    assert {skip.path for skip in report.skipped} == {"link.txt", "folder", "up", "abs"}


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_index_folders_and_files_are_private_whatever_the_umask(
    tmp_path: Path, tmp_cache: Path, umask: int
) -> None:
    """Every folder is 0700 and no file grants anything to group or others, whatever the umask."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest in Moscow", "Lyubov Sobol joined the protest in Moscow.")
    old_umask = os.umask(umask)
    try:
        assert run("index", str(corpus)).exit_code == 0
    finally:
        os.umask(old_umask)
    with Library.open(corpus) as library:
        folder = library.index_dir
    assert folder.parent == tmp_cache
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        assert info.st_uid == os.getuid()
        if stat.S_ISDIR(info.st_mode):
            assert info.st_mode & 0o777 == 0o700, (path, oct(info.st_mode))
        else:
            assert not info.st_mode & 0o077, (path, oct(info.st_mode))


def test_an_index_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest", "A protest.")
    folder = tmp_path / "index"
    assert run("index", str(corpus), "--no-entities", "--index-dir", str(folder)).exit_code == 0
    os.chown(folder, 65534, 65534)
    result = run("search", "protest", "--corpus", str(corpus), "--index-dir", str(folder))
    assert result.exit_code == 1 and "another user" in result.stderr
    os.chown(folder, 0, 0)
    os.chown(folder / MARKER_NAME, 65534, 65534)
    with pytest.raises(IndexUnusable, match="another user"):
        Library.open(corpus, index_dir=folder)


def test_an_index_folder_not_made_by_broadsheet_is_refused_and_left_alone(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest", "A protest.")
    folder = tmp_path / "photos"
    folder.mkdir(mode=0o700)
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8not really")
    result = run("index", str(corpus), "--index-dir", str(folder))
    assert result.exit_code == 1 and "not created by Broadsheet" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["holiday.jpg"]


@pytest.mark.parametrize("inside", ["idx", "sub/deeper/idx", "."])
def test_an_index_folder_inside_the_corpus_is_refused(tmp_path: Path, inside: str) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "sub/a.txt", "Protest", "A protest.")
    result = run("index", str(corpus), "--index-dir", str(corpus / inside))
    assert result.exit_code == 1 and "inside the corpus" in result.stderr
    assert sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*")) == ["sub", "sub/a.txt"]


def test_an_index_folder_reached_through_a_symlink_into_the_corpus_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest", "A protest.")
    (tmp_path / "sneaky").symlink_to(corpus, target_is_directory=True)
    result = run("index", str(corpus), "--index-dir", str(tmp_path / "sneaky" / "idx"))
    assert result.exit_code == 1 and "inside the corpus" in result.stderr
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_invisible_characters_inside_a_word_do_not_hide_it_from_search(tmp_path: Path) -> None:
    """A soft hyphen or a zero-width space inside a word (common in text pasted from the web) is
    invisible in the reader, so a search for the word as shown must find it. The HTML reader
    drops them; plain text and JSON keep them in the body, so the analyser must see through them."""
    corpus = tmp_path / "corpus"
    write_article(
        corpus,
        "a.txt",
        "Rally",
        "Supporters of Alexei Naval\u00adny rallied in Mos\u200bcow and Ber\u2060lin.",
    )
    with Library.open(corpus) as library:
        library.sync()
        assert library.search("navalny").total == 1
        assert library.search("moscow").total == 1
        assert library.search("berlin").total == 1
