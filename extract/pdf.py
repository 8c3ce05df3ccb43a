"""The PDF reader facade: a PDF file in, our page model out, by pypdfium2 (the default) or pdfplumber.

Both readers give the same words, rules and boxes (tests hold them equal). A file the chosen reader cannot
open is retried with the other one, and the pages then carry a reader_fallback note that becomes a warning.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ..schemas.errors import PdfError
from . import pdfium, plumber
from .files import inspect_pdf_file
from .furniture import strip_furniture
from .lines import space_ratio
from .model import Page, PdfDocument, ReaderNote
from .settings import READERS, ExtractSettings

log = logging.getLogger(__name__)
_MODULES = {"pdfium": pdfium, "pdfplumber": plumber}


def _order(settings: ExtractSettings) -> list[str]:
    return [settings.reader, *(name for name in READERS if name != settings.reader)]


def _reason(errors: dict[str, PdfError]) -> PdfError:
    """The error to give when no reader could: pdfplumber's, whose reasons are classified (pdfium's error code
    can be left over from an earlier file), else the first."""
    return errors.get("pdfplumber") or next(iter(errors.values()))


def count_pages(path: str | Path, settings: ExtractSettings | None = None) -> int:
    """Number of pages, raising PdfError for a file that neither reader can open."""
    path = Path(path)
    errors: dict[str, PdfError] = {}
    for name in _order(settings or ExtractSettings()):
        try:
            return int(_MODULES[name].count_pages(path))
        except PdfError as exc:
            errors[name] = exc
    raise _reason(errors)


def read_raw_pages(
    path: str | Path, start: int = 0, stop: int | None = None, settings: ExtractSettings | None = None
) -> list[Page]:
    """Pages start..stop-1 (0-based) with furniture not yet stripped, each page closed after use."""
    settings = settings or ExtractSettings()
    path = Path(path)
    chosen, *others = _order(settings)
    errors: dict[str, PdfError] = {}
    try:
        return _MODULES[chosen].read_raw_pages(path, start, stop, settings)
    except PdfError as exc:
        errors[chosen] = exc
    for other in others:
        try:
            pages = _MODULES[other].read_raw_pages(path, start, stop, settings)
        except PdfError as exc:
            errors[other] = exc
            continue
        note = ReaderNote("reader_fallback", f"{path}: read with {other} ({chosen} failed: {errors[chosen]})")
        return [replace(pages[0], notes=(note,)), *pages[1:]] if pages else pages
    raise _reason(errors)


def assemble_document(
    path: str | Path, sha256: str, raw_pages: list[Page], settings: ExtractSettings | None = None
) -> PdfDocument:
    """A document from its raw pages: running heads and footers moved out of the body, word space measured."""
    settings = settings or ExtractSettings()
    raw_pages = sorted(raw_pages, key=lambda page: page.number)
    notes = tuple(dict.fromkeys(note for page in raw_pages for note in page.notes))
    space = space_ratio(line for page in raw_pages for line in page.lines)
    pages = [replace(page, space=space, notes=()) for page in strip_furniture(raw_pages, settings)]
    return PdfDocument(path=str(path), sha256=sha256, pages=tuple(pages), warnings=notes)


def read_pdf(path: str | Path, settings: ExtractSettings | None = None) -> PdfDocument:
    """Read a PDF into our page model with page furniture separated from the body text."""
    settings = settings or ExtractSettings()
    path = Path(path)
    sha = inspect_pdf_file(path).sha256  # checked and hashed in one pass
    return assemble_document(path, sha, read_raw_pages(path, settings=settings), settings)
