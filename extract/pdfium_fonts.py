"""Font descents as pdfminer (pdfplumber's reference) takes them, by base font name.

pdfminer's glyph box runs from the font descriptor's /Descent (or the standard-14 metrics) up by the font
size; pdfium replaces a zero ascent and descent by glyph extents, which moves boxes by a point or two. The
font dictionaries are small, so reading them with pdfminer costs milliseconds per document, not per page.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

MAX_DEPTH = 4
SUBSET = re.compile(r"^[A-Z]{6}\+")


def _fonts_of(resources: Any, found: dict[str, float], manager: Any, depth: int) -> None:
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
        found[key] = float(manager.get_font(None, spec).get_descent())
    if depth < MAX_DEPTH:
        for xobject in dict_value(resources.get("XObject", {})).values():
            inner = stream_value(xobject)
            if str(getattr(inner.get("Subtype"), "name", "")) == "Form" and "Resources" in inner:
                _fonts_of(inner["Resources"], found, manager, depth + 1)


def _read(path: Path, rescan: bool) -> dict[str, float]:
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    found: dict[str, float] = {}
    with open(path, "rb") as handle:
        parser = PDFParser(handle)
        document = PDFDocument(parser)
        if rescan:  # the cross-reference table lies (pdfium repaired it): find the objects by scanning
            xref = PDFXRefFallback()
            xref.load(parser)
            document.xrefs = [xref]
            document.catalog = resolve1(xref.get_trailer()["Root"])
        manager = PDFResourceManager(caching=True)
        for page in PDFPage.create_pages(document):
            if page.resources:
                _fonts_of(page.resources, found, manager, 0)
    return found


def pdfminer_descents(path: Path) -> dict[str, float]:
    """Base font name → descent per unit of font size; {} when pdfminer cannot read the file (pdfium's stand)."""
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # damage is pdfium's to report; this is only a lookup
    try:
        for rescan in (False, True):
            try:
                found = _read(path, rescan)
            except Exception:
                continue
            if found:
                return found
        return {}
    finally:
        quiet.setLevel(level)
