"""A "browser-printed" PDF: an existing PDF with thousands of tiny vector objects added to every page.

Browsers print backgrounds, icons and text decorations as many small paths; pdfminer builds an object for each
of them, pdfium only walks them. The dust is smaller than a box or a rule, so the content read stays the same.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def _dust(page: pdfium.PdfPage, count: int, rng: random.Random) -> None:
    width, height = page.get_size()
    for n in range(count):
        x, y = rng.uniform(10, width - 10), rng.uniform(10, height - 10)
        if n % 3:  # a tiny filled square, as for a dotted border or a pixel of an icon
            obj = pdfium_c.FPDFPageObj_CreateNewRect(x, y, 0.6, 0.6)
        else:  # a tiny curved mark, as for a glyph drawn as a path
            obj = pdfium_c.FPDFPageObj_CreateNewPath(x, y)
            pdfium_c.FPDFPath_BezierTo(obj, x + 0.8, y + 0.5, x + 1.2, y - 0.4, x + 1.6, y)
            pdfium_c.FPDFPath_LineTo(obj, x + 0.4, y - 0.9)
            pdfium_c.FPDFPath_Close(obj)
        pdfium_c.FPDFPageObj_SetFillColor(obj, 180, 180, 180, 255)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    if not pdfium_c.FPDFPage_GenerateContent(page.raw):
        raise RuntimeError("pdfium could not write the page content")


def browser_like(source: Path, target: Path, per_page: int = 3000, seed: int = 10) -> Path:
    """`source` with `per_page` tiny paths added to each page, written to `target`."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(source)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                _dust(page, per_page, rng)
            finally:
                page.close()
        pdf.save(target)
    finally:
        pdf.close()
    return target
