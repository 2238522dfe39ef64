"""Small PDFs written by hand for the tests: a text layer of given lines per page, in Helvetica.

pypdf reads PDFs well but lays out no text, so the pages are written as raw content streams; the
metadata and the encryption are then added with pypdf's writer.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter


def pdf_bytes(pages: list[list[str]], *, extra_objects: dict[int, bytes] | None = None) -> bytes:
    """A PDF of one page per item of ``pages``, each page the given lines top to bottom (a page of
    no lines has no text layer, as a scan has none). ``extra_objects`` adds raw objects by number
    (after the ones written here) for tests that build hostile structures."""
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: _FONT}
    kids = []
    for index, lines in enumerate(pages):
        page_number, content_number = 4 + 2 * index, 5 + 2 * index
        kids.append(f"{page_number} 0 R".encode())
        objects[page_number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents " + f"{content_number} 0 R".encode() + b" >>"
        )
        objects[content_number] = _stream(_text_operators(lines))
    count = str(len(pages)).encode()
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count " + count + b" >>"
    objects.update(extra_objects or {})
    return _assemble(objects)


def write_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
    user_password: str | None = None,
) -> Path:
    """Write a PDF of ``pages`` to ``path``, with the document information and password given."""
    data = pdf_bytes(pages)
    if title or author or created or user_password is not None:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        info = {"/Title": title, "/Author": author}
        if created is not None:
            info["/CreationDate"] = created.strftime("D:%Y%m%d%H%M%S+00'00'")
        writer.add_metadata({key: value for key, value in info.items() if value is not None})
        if user_password is not None:
            writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _text_operators(lines: list[str]) -> bytes:
    if not lines:
        return b""
    shown = b" T* ".join(b"(" + _escaped(line) + b") Tj" for line in lines)
    return b"BT /F1 11 Tf 14 TL 72 740 Td " + shown + b" ET"


def _escaped(line: str) -> bytes:
    encoded = line.encode("cp1252", errors="replace")  # Helvetica's WinAnsi encoding
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _stream(content: bytes) -> bytes:
    return b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream"


def _assemble(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        if number in offsets:
            out += f"{offsets[number]:010d} 00000 n \n".encode()
        else:
            out += b"0000000000 65535 f \n"
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
