"""The pdfplumber reader (the reference, `--reader pdfplumber`): a PDF file in, our page model out."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.page import Page as PlumberPage
from pdfplumber.pdf import PDF

from ..schemas.errors import PdfError
from .lines import words_to_lines
from .model import Box, Page, Rule, Word, classify_path
from .settings import ExtractSettings

log = logging.getLogger(__name__)

ENCRYPTED_WORDS = ("encrypt", "password")
DAMAGED_WORDS = ("eof", "xref", "trailer")


def _page_words(page: PlumberPage) -> list[Word]:
    raw = page.extract_words(
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
        x_tolerance=1.5,
    )
    return [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            fontname=str(w.get("fontname") or ""),
            size=float(w.get("size") or 0.0),
        )
        for w in raw
        if w["text"].strip()
    ]


def _page_rules_and_boxes(page: PlumberPage) -> tuple[list[Rule], list[Box]]:
    rules: list[Rule] = []
    boxes: list[Box] = []
    for shape, objects in (("line", page.lines), ("rect", page.rects)):
        for obj in objects:
            x0, x1, top, bottom = (float(obj[k]) for k in ("x0", "x1", "top", "bottom"))
            classify_path(shape, x0, x1, top, bottom, rules, boxes)
    return rules, boxes


def _read_page(page: PlumberPage, number: int, settings: ExtractSettings) -> Page:
    try:
        words = _page_words(page)
        rules, boxes = _page_rules_and_boxes(page)
        images = len(page.images)
    finally:
        page.close()  # drops pdfplumber's per-page caches: memory stays flat on long documents
    return Page(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=tuple(words_to_lines(words, number, settings)),
        rules=tuple(rules),
        boxes=tuple(boxes),
        image_count=images,
    )


def _open_error(path: Path, exc: BaseException) -> PdfError:
    """Name the reason pdfminer failed; pdfplumber wraps pdfminer's exception in PdfminerException."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    text = f"{type(inner).__name__}: {inner}".lower()
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError) or any(w in text for w in ENCRYPTED_WORDS):
        return PdfError(f"{path}: encrypted PDF (password required)")
    if isinstance(inner, PDFSyntaxError | PSException) or any(w in text for w in DAMAGED_WORDS):
        return PdfError(f"{path}: damaged or truncated PDF ({type(inner).__name__}: {inner})")
    return PdfError(f"{path}: cannot be opened as a PDF ({type(inner).__name__}: {inner})")


def _open(path: Path) -> PDF:
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises a zoo of types for broken files
        raise _open_error(path, exc) from exc


def _pages_of(pdf: PDF, path: Path) -> list[PlumberPage]:
    try:
        pages = pdf.pages
    except Exception as exc:
        raise _open_error(path, exc) from exc
    if not pages:
        raise PdfError(f"{path}: the PDF has no pages")
    return pages


def count_pages(path: str | Path) -> int:
    """Number of pages, raising PdfError for a file that cannot be opened as a PDF."""
    path = Path(path)
    with _open(path) as pdf:
        return len(_pages_of(pdf, path))


def read_raw_pages(
    path: str | Path, start: int = 0, stop: int | None = None, settings: ExtractSettings | None = None
) -> list[Page]:
    """Pages start..stop-1 (0-based) with furniture not yet stripped; each pdfplumber page is closed after use."""
    settings = settings or ExtractSettings()
    path = Path(path)
    result: list[Page] = []
    with _open(path) as pdf:
        pages = _pages_of(pdf, path)
        for index in range(start, min(stop if stop is not None else len(pages), len(pages))):
            try:
                result.append(_read_page(pages[index], index + 1, settings))
            except PdfError:
                raise
            except Exception as exc:
                raise PdfError(f"{path}: page {index + 1} cannot be read ({type(exc).__name__}: {exc})") from exc
    return result
