"""The pypdfium2 reader (the default): a PDF file in, our page model out, as pdfplumber would give it.

pdfium is ~20× faster than pdfminer and repairs broken cross-reference tables. Words, rules and boxes
follow pdfplumber's geometry (top-left origin, pdfminer's glyph boxes and path classes: see
pdfium_chars, pdfium_words, pdfium_paths) so that the readers are interchangeable; tests hold them equal.
Each page and text page is closed right after use, so memory stays flat on long documents.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..schemas.errors import PdfError
from .lines import words_to_lines
from .model import Page
from .pdfium_chars import Matrix, read_chars
from .pdfium_fonts import FontFacts, pdfminer_fonts
from .pdfium_paths import page_objects
from .pdfium_words import chars_to_words
from .settings import ExtractSettings

READER = "pdfium"


def _open_error(path: Path, exc: BaseException) -> PdfError:
    text = str(exc).lower()
    if "password" in text or "security" in text:
        return PdfError(f"{path}: encrypted PDF (password required)")
    if "format" in text or "damaged" in text or "file" in text:
        return PdfError(f"{path}: damaged or truncated PDF ({exc})")
    return PdfError(f"{path}: cannot be opened as a PDF ({type(exc).__name__}: {exc})")


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    try:
        pdf = pdfium.PdfDocument(path)
    except Exception as exc:  # PdfiumError, or OSError for an unreadable file
        raise _open_error(path, exc) from exc
    try:
        if len(pdf) < 1:
            raise PdfError(f"{path}: the PDF has no pages")
        yield pdf
    finally:
        pdf.close()


def _to_top_left(page: Any) -> tuple[Matrix, float, float]:
    """pdfminer's page space (mediabox origin, /Rotate applied) with the y axis flipped, and the page's size."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in (left, bottom, right, top))):
        left.value, bottom.value = 0.0, 0.0
        right.value, top.value = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    x0, y0, x1, y1 = (
        min(left.value, right.value),
        min(bottom.value, top.value),
        max(left.value, right.value),
        max(bottom.value, top.value),
    )
    rotation = pdfium_c.FPDFPage_GetRotation(page) % 4
    ctm: Matrix
    if rotation == 1:
        ctm, width, height = (0, -1, 1, 0, -y0, x1), y1 - y0, x1 - x0
    elif rotation == 2:
        ctm, width, height = (-1, 0, 0, -1, x1, y1), x1 - x0, y1 - y0
    elif rotation == 3:
        ctm, width, height = (0, 1, -1, 0, y1, -x0), y1 - y0, x1 - x0
    else:
        ctm, width, height = (1, 0, 0, 1, -x0, -y0), x1 - x0, y1 - y0
    a, b, c, d, e, f = ctm
    return (a, -b, c, -d, e, height - f), width, height


def read_page(pdf: pdfium.PdfDocument, index: int, settings: ExtractSettings, path: Path, fonts: FontFacts) -> Page:
    """Page index (0-based) in our page model, furniture not yet stripped."""
    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise PdfError(f"{path}: page {index + 1} cannot be loaded")
    try:
        to_page, width, height = _to_top_left(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        try:
            chars = read_chars(textpage, to_page, fonts) if textpage else []
        finally:
            if textpage:
                pdfium_c.FPDFText_ClosePage(textpage)
        objects = page_objects(page, to_page)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    number = index + 1
    return Page(
        number=number,
        width=width,
        height=height,
        lines=tuple(words_to_lines(chars_to_words(chars), number, settings)),
        rules=tuple(objects.rules),
        boxes=tuple(objects.boxes),
        image_count=objects.images,
    )


def count_pages(path: Path) -> int:
    with open_pdf(path) as pdf:
        return len(pdf)


def read_raw_pages(path: Path, start: int, stop: int | None, settings: ExtractSettings) -> list[Page]:
    result: list[Page] = []
    with open_pdf(path) as pdf:
        total = len(pdf)
        fonts = pdfminer_fonts(path, start, stop)
        for index in range(start, min(stop if stop is not None else total, total)):
            try:
                result.append(read_page(pdf, index, settings, path, fonts))
            except PdfError:
                raise
            except Exception as exc:
                raise PdfError(f"{path}: page {index + 1} cannot be read ({type(exc).__name__}: {exc})") from exc
    return result
