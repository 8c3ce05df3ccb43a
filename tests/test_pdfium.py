"""The pypdfium2 reader (the default) against the pdfplumber reader (the reference): the same words with the
same boxes, rules and boxes on every corpus page, every rendering style and a browser-printed PDF; the same
database rows from both; damaged, encrypted and fallback cases."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import duckdb
import pytest
from badfiles import encrypted_pdf, text_pdf
from browserlike import browser_like
from conftest import CORPUS_FILES, CORPUS_GOLD, CORPUS_PDF, REPO, needs_corpus
from render import STYLES, render_document

from malbild.extract import pdfium, plumber
from malbild.extract.model import Page
from malbild.extract.pdf import count_pages, read_pdf, read_raw_pages
from malbild.extract.settings import ExtractSettings
from malbild.load.ingest import ingest_paths
from malbild.schemas.errors import PdfError

TOLERANCE = 0.5  # points
PLUMBER = ExtractSettings(reader="pdfplumber")
PDFIUM = ExtractSettings(reader="pdfium")
RENDERED = ["socialnamnden-vp-2017", "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019"]


def _dbdiff():
    spec = importlib.util.spec_from_file_location("dbdiff", REPO / "bench" / "dbdiff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same_pages(reference: list[Page], pages: list[Page]) -> int:
    """Line by line, word by word: same text, boxes within TOLERANCE; same rules, boxes and image counts."""
    assert len(pages) == len(reference)
    words = 0
    for ref, page in zip(reference, pages, strict=True):
        where = f"page {ref.number}"
        assert (page.number, page.image_count) == (ref.number, ref.image_count), where
        assert abs(page.width - ref.width) < TOLERANCE and abs(page.height - ref.height) < TOLERANCE, where
        assert [line.text for line in page.lines] == [line.text for line in ref.lines], where
        for ref_line, line in zip(ref.lines, page.lines, strict=True):
            for a, b in zip(ref_line.words, line.words, strict=True):
                for side in ("x0", "x1", "top", "bottom"):
                    assert abs(getattr(a, side) - getattr(b, side)) <= TOLERANCE, (where, a, b)
                assert abs(a.size - b.size) < 0.05 and a.bold == b.bold, (where, a, b)
                words += 1
        for kind in ("rules", "boxes"):
            ref_items, items = sorted(getattr(ref, kind), key=repr), sorted(getattr(page, kind), key=repr)
            assert len(items) == len(ref_items), (where, kind)
            for a, b in zip(ref_items, items, strict=True):
                assert all(abs(x - y) <= TOLERANCE for x, y in zip(vars(a).values(), vars(b).values(), strict=True)), (
                    where,
                    a,
                    b,
                )
    return words


BOX = frozenset({"x0", "top", "x1", "bottom"})


def _boxes(con: duckdb.DuckDBPyConnection, table: str, keys: list[str]) -> list[tuple[float, ...]]:
    """Each row's box, in the order of its other columns (which are equal in both databases)."""
    order = ", ".join(f'"{c}"' for c in keys)
    return con.execute(f"SELECT x0, top, x1, bottom FROM {table} ORDER BY {order}, page, top, x0").fetchall()


def assert_same_rows(db_a: Path, db_b: Path) -> None:
    """Every row equal; boxes (the readers round glyph widths a little differently) within TOLERANCE."""
    dbdiff = _dbdiff()
    a, b = duckdb.connect(str(db_a), read_only=True), duckdb.connect(str(db_b), read_only=True)
    try:
        for table in dbdiff.TABLES:
            ra, rb = dbdiff.rows(a, table, BOX), dbdiff.rows(b, table, BOX)
            assert ra == rb, (table, list((ra - rb).elements())[:3], list((rb - ra).elements())[:3])
            columns = [r[0] for r in a.execute(f"DESCRIBE {table}").fetchall()]
            if set(columns) >= BOX:
                keys = [c for c in columns if c not in BOX and c not in dbdiff.VOLATILE]
                for box_a, box_b in zip(_boxes(a, table, keys), _boxes(b, table, keys), strict=True):
                    assert all(
                        (x is None and y is None) or abs(x - y) <= TOLERANCE for x, y in zip(box_a, box_b, strict=True)
                    ), (table, box_a, box_b)
    finally:
        a.close()
        b.close()


def both_readers_ingest(folder: Path, tmp: Path) -> tuple[Path, Path]:
    dbs = []
    for settings in (PLUMBER, PDFIUM):
        db = tmp / f"{settings.reader}.duckdb"
        report = ingest_paths([folder], db, workers=1, settings=settings)
        assert report.ok, report.failures
        assert not [w for w in report.warnings if w.kind in ("reader_fallback", "page_count_mismatch")]
        dbs.append(db)
    return dbs[0], dbs[1]


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_pages_read_the_same_by_both_readers(name):
    path = CORPUS_PDF / name
    words = assert_same_pages(
        plumber.read_raw_pages(path, settings=PLUMBER), pdfium.read_raw_pages(path, 0, None, PDFIUM)
    )
    assert words > 1000


@needs_corpus
def test_corpus_database_rows_are_the_same_with_both_readers(tmp_path):
    assert_same_rows(*both_readers_ingest(CORPUS_PDF, tmp_path))


@needs_corpus
@pytest.mark.parametrize("style", sorted(STYLES))
def test_rendered_styles_read_and_stored_the_same_by_both_readers(tmp_path, style):
    folder = tmp_path / "pdf"
    folder.mkdir()
    for name in RENDERED:
        gold = json.loads((CORPUS_GOLD / f"{name}.json").read_text(encoding="utf-8"))
        path = render_document(gold, folder / f"{name}.pdf", style)
        assert_same_pages(plumber.read_raw_pages(path, settings=PLUMBER), pdfium.read_raw_pages(path, 0, None, PDFIUM))
    assert_same_rows(*both_readers_ingest(folder, tmp_path))


@needs_corpus
def test_browser_printed_pdf_reads_like_the_original(tmp_path):
    source = CORPUS_PDF / "socialnamnden-vp-2017.pdf"
    dusty = browser_like(source, tmp_path / "browser.pdf", per_page=3000)
    pages = pdfium.read_raw_pages(dusty, 0, None, PDFIUM)
    # the dust neither adds words, rules or boxes nor hides any, and pdfplumber agrees
    assert_same_pages(pdfium.read_raw_pages(source, 0, None, PDFIUM), pages)
    assert_same_pages(plumber.read_raw_pages(dusty, 0, 3, PLUMBER), pages[:3])
    assert any(page.rules for page in pages) and any(page.boxes for page in pages)


def test_rotated_and_scaled_text_is_read_like_pdfplumber(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, 800, "Mål 1: Stockholm är en stad för alla")
    c.saveState()
    c.translate(40, 300)
    c.rotate(90)
    c.drawString(0, 0, "Bilaga till verksamhetsplan 2019")
    c.restoreState()
    c.saveState()
    c.scale(1.5, 1.5)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(60, 400, "Indikator Utfall Mål")
    c.restoreState()
    c.line(72, 500, 400, 500)
    c.rect(72, 520, 200, 40, fill=1)
    c.showPage()
    c.setPageRotation(90)
    c.drawString(72, 700, "En liggande sida med text")
    c.showPage()
    c.save()
    reference = plumber.read_raw_pages(path, settings=PLUMBER)
    assert_same_pages(reference, pdfium.read_raw_pages(path, 0, None, PDFIUM))
    scaled = [line for line in reference[0].lines if line.text == "Indikator Utfall Mål"]
    assert scaled and scaled[0].size == 15.0 and scaled[0].bold
    assert len(reference[0].lines) > 3 and reference[1].lines  # the rotated text, cut as pdfplumber cuts it
    assert reference[0].rules and reference[0].boxes


def _shuffle_xref(data: bytes) -> bytes:
    """The cross-reference table's offsets moved between objects (the file's bytes otherwise intact)."""
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    head, table = data[:start], data[start:]
    entries = list(re.finditer(rb"(\d{10}) (\d{5}) n", table))
    offsets = [m.group(1) for m in entries]
    shuffled = offsets[1:] + offsets[:1]
    out = bytearray(table)
    for m, offset in zip(entries, shuffled, strict=True):
        out[m.start(1) : m.end(1)] = offset
    return head + bytes(out)


@needs_corpus
def test_shuffled_xref_is_repaired_and_every_page_read(tmp_path):
    source = CORPUS_PDF / "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"
    broken = tmp_path / "shuffled.pdf"
    broken.write_bytes(_shuffle_xref(source.read_bytes()))
    expected = len(pdfium.read_raw_pages(source, 0, None, PDFIUM))
    assert count_pages(broken) == expected
    assert_same_pages(pdfium.read_raw_pages(source, 0, None, PDFIUM), pdfium.read_raw_pages(broken, 0, None, PDFIUM))
    # pdfplumber alone cannot read it; asked for, it hands over to pdfium, and the document says so
    with pytest.raises(PdfError):
        plumber.read_raw_pages(broken, settings=PLUMBER)
    document = read_pdf(broken, PLUMBER)
    assert document.page_count == expected
    assert [note.kind for note in document.warnings] == ["reader_fallback"]
    assert "pdfium" in document.warnings[0].message


@needs_corpus
def test_fallback_becomes_a_warning_row_and_all_pages_are_stored(tmp_path):
    source = CORPUS_PDF / "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"
    folder = tmp_path / "pdf"
    folder.mkdir()
    (folder / "shuffled.pdf").write_bytes(_shuffle_xref(source.read_bytes()))
    report = ingest_paths([folder], tmp_path / "db.duckdb", workers=1, settings=PLUMBER)
    assert report.stored and report.pages == count_pages(source)
    kinds = [w.kind for w in report.warnings]
    assert "reader_fallback" in kinds and "page_count_mismatch" not in kinds


def test_encrypted_pdf_fails_with_one_line_from_both_readers(tmp_path):
    path = encrypted_pdf(tmp_path / "secret.pdf")
    for settings in (PDFIUM, PLUMBER):
        with pytest.raises(PdfError, match="encrypted PDF"):
            read_raw_pages(path, settings=settings)


def test_pdf_with_an_empty_user_password_is_read(tmp_path):
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("", ownerPassword="ägare", canPrint=1, canCopy=0)
    path = text_pdf(tmp_path / "owner.pdf", ["Verksamhetsplan 2019", "Mål 1: En stad för alla"], encrypt=enc)
    pages = read_raw_pages(path, settings=PDFIUM)
    assert [line.text for line in pages[0].lines] == ["Verksamhetsplan 2019", "Mål 1: En stad för alla"]
    assert_same_pages(plumber.read_raw_pages(path, settings=PLUMBER), pages)


def test_reader_setting_is_validated():
    with pytest.raises(ValueError, match="reader"):
        ExtractSettings(reader="poppler")
    assert ExtractSettings().reader == "pdfium"


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
