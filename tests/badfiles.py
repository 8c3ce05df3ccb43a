"""Bad input files, built in the test: each is a kind of file a batch ingest meets in the wild."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS_PDF
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def text_pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    y = 800
    for line in lines:
        c.drawString(72, y, line)
        y -= 14
    c.showPage()
    c.save()
    return path


def not_a_pdf(path: Path) -> Path:
    path.write_text("Detta är ingen PDF utan en textfil.\n", encoding="utf-8")
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated_pdf(path: Path) -> Path:
    data = (CORPUS_PDF / "socialnamnden-vp-2017.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(path: Path) -> Path:
    return text_pdf(path, ["Hemlig verksamhetsplan"], encrypt="hemligt")


def zero_page_pdf(path: Path) -> Path:
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    )
    xref_at = len(body)
    body += (
        b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
        b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n" + str(xref_at).encode() + b"\n%%EOF\n"
    )
    path.write_bytes(body)
    return path


def image_only_pdf(path: Path, tmp: Path) -> Path:
    image = tmp / "scan.png"
    Image.new("RGB", (400, 560), "white").save(image)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(str(image), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path
