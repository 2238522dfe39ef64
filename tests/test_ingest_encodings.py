"""Bytes in any common encoding become the right text; bad bytes are replaced, never fatal."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from index.ingest import CorpusFile, read_file
from index.ingest.decoding import decode

DATA = Path(__file__).resolve().parent / "data" / "ingest"


def read_body(name: str) -> tuple[str, str]:
    path = DATA / name
    (article,) = read_file(CorpusFile(path, name, path.stat().st_size, 0)).articles
    return article.title, article.body


@pytest.mark.parametrize(
    ("name", "title", "body_part"),
    [
        ("utf8-bom.txt", "Zürich tram news", "The Zürich tram runs again."),
        ("utf16.txt", "Ελληνικά news", "Η Αθήνα είναι η πρωτεύουσα."),
        ("cp1252.txt", "Café owners protest", "raised prices by 5 € this week, “too much” said one élève."),
        ("cp1251.txt", "Новости Москвы", "В Москве прошёл сильный снегопад"),
        ("mixed.txt", "Mixed encodings", "The price was £5 and then £10 on Monday."),
    ],
)
def test_encoded_fixture_decodes_to_the_right_text(name: str, title: str, body_part: str) -> None:
    read_title, body = read_body(name)
    assert read_title == title
    assert body_part in body
    assert "\ufeff" not in read_title


def test_latin1_pound_sign_in_bbc_sport_199_decodes(bbc_dir: Path) -> None:
    path = bbc_dir / "sport" / "199.txt"
    (article,) = read_file(CorpusFile(path, "sport/199.txt", path.stat().st_size, 0)).articles
    assert "a £15.8m signing" in article.body
    assert "\ufffd" not in article.body


@pytest.mark.parametrize(
    "text",
    ["Größe und Maße", "Ça coûte 3 €, déjà payé", "naïve café – “quoted”", "Smørrebrød på Nørrebro"],
)
def test_western_single_byte_text_reads_back(text: str) -> None:
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("В Москве прошёл сильный снегопад, движение затруднено.", "cp1251"),
        ("東京で大雪が降り、交通が混乱しています。東京の天気は悪いです。", "shift_jis"),
    ],
)
def test_other_encodings_are_detected(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "utf-32"),
        (b"", "utf-8-sig"),
    ],
)
def test_byte_order_mark_names_the_encoding(bom: bytes, encoding: str) -> None:
    assert decode(bom + "naïve ελληνικά".encode(encoding)) == "naïve ελληνικά"


def test_stray_bytes_in_utf8_text_do_not_spoil_the_rest() -> None:
    text = decode("Новости: снегопад в Москве, ".encode() + b"\xff\xfe" + "движение затруднено.".encode())
    assert text is not None
    assert text.startswith("Новости: снегопад в Москве, ")
    assert text.endswith("движение затруднено.")


@pytest.mark.parametrize(
    "start",
    [
        b"GIF89a\x00\x01\x02",
        bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + bytes(range(256)) * 20,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(255, -1, -1)) * 20,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\nstream\n" + bytes(range(256)) * 20,
    ],
)
def test_nul_bytes_in_binary_formats_mean_binary(start: bytes) -> None:
    assert decode(start) is None


def _read(tmp_path: Path, data: bytes) -> tuple[str, str]:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    (article,) = read_file(CorpusFile(path, path.name, len(data), 0)).articles
    return article.title, article.body


def test_a_few_stray_nul_bytes_do_not_make_a_story_binary(tmp_path: Path) -> None:
    title, body = _read(tmp_path, b"Flood warning\n\nRivers rose\x00 overnight in the north.\x00\n" * 2)
    assert title == "Flood warning"
    assert "Rivers rose overnight in the north." in body and "\x00" not in body


def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    data = "Flood warning\n\nRivers rose overnight in the north.\n".encode("utf-16-le")
    assert _read(tmp_path, data) == ("Flood warning", "Rivers rose overnight in the north.")


def test_mostly_control_bytes_mean_binary() -> None:
    assert decode(bytes(range(1, 32)) * 10) is None
