"""Font descents as pdfminer (pdfplumber's reference) takes them, by base font name.

pdfminer's glyph box runs from the font descriptor's /Descent (or the standard-14 metrics) up by the font
size; pdfium replaces a zero ascent and descent by glyph extents, which moves boxes by a point or two. The
font dictionaries are small, so reading them with pdfminer costs milliseconds per document, not per page.
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path
from typing import Any, NamedTuple

MAX_DEPTH = 4


class FontFacts(NamedTuple):
    descents: dict[str, float]  # base font name → descent per unit of font size
    widths: dict[str, dict[str, float]]  # base font name → text → advance per unit size (fractional /Widths only)


SUBSET = re.compile(r"^[A-Z]{6}\+")


def _fonts_of(
    resources: Any, found: dict[str, float], found_widths: dict[str, dict[str, float]], manager: Any, depth: int
) -> None:
    from pdfminer.pdftypes import dict_value, resolve1, stream_value

    resources = dict_value(resources)
    for spec in dict_value(resources.get("Font", {})).values():
        spec = dict_value(spec)
        name = resolve1(spec.get("BaseFont"))
        key = getattr(name, "name", name)
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if not isinstance(key, str):
            continue
        key = SUBSET.sub("", key)  # pdfium names fonts without the subset tag
        if key in found:
            continue
        font = manager.get_font(None, spec)
        found[key] = float(font.get_descent())
        widths = _fractional_widths(font)
        if widths:
            found_widths[key] = widths
    if depth < MAX_DEPTH:
        for xobject in dict_value(resources.get("XObject", {})).values():
            inner = stream_value(xobject)
            if str(getattr(inner.get("Subtype"), "name", "")) == "Form" and "Resources" in inner:
                _fonts_of(inner["Resources"], found, found_widths, manager, depth + 1)


def _fractional_widths(font: Any) -> dict[str, float]:
    """Text → advance per unit of font size, for a font whose /Widths are not whole numbers (pdfium truncates
    them, so its glyph origins drift from pdfminer's along a line); {} for the usual whole-number widths."""
    widths = getattr(font, "widths", None)
    if not isinstance(widths, dict) or all(float(w or 0).is_integer() for w in widths.values()):
        return {}
    found: dict[str, float] = {}
    for cid in widths:
        if isinstance(cid, int):
            try:
                found.setdefault(font.to_unichr(cid), font.char_width(cid))
            except Exception:  # no unicode for this code
                continue
    return found


def _read(path: Path, rescan: bool, start: int, stop: int | None) -> FontFacts:
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    found: dict[str, float] = {}
    found_widths: dict[str, dict[str, float]] = {}
    with open(path, "rb") as handle:
        parser = PDFParser(handle)
        document = PDFDocument(parser)
        if rescan:  # the cross-reference table lies (pdfium repaired it): find the objects by scanning
            xref = PDFXRefFallback()
            xref.load(parser)
            document.xrefs = [xref]
            document.catalog = resolve1(xref.get_trailer()["Root"])
        manager = PDFResourceManager(caching=True)
        for page in itertools.islice(PDFPage.create_pages(document), start, stop):  # only the pages read
            if page.resources:
                _fonts_of(page.resources, found, found_widths, manager, 0)
    return FontFacts(found, found_widths)


def pdfminer_fonts(path: Path, start: int = 0, stop: int | None = None) -> FontFacts:
    """pdfminer's descents and fractional widths by base font name; empty when pdfminer cannot read the file."""
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # damage is pdfium's to report; this is only a lookup
    try:
        for rescan in (False, True):
            try:
                found = _read(path, rescan, start, stop)
            except Exception:
                continue
            if found.descents:
                return found
        return FontFacts({}, {})
    finally:
        quiet.setLevel(level)
