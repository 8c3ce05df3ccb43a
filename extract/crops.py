"""Pictures of where records were printed: boxes of PDF pages rendered to PNG with pypdfium2.

The boxes are pdfplumber's (points, origin at the page's top-left); pdfium renders the page with the other
sides cut away. The file is checked against the sha256 stored at ingest first: a picture of another version
of the document would show the auditor the wrong text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from ..schemas.errors import PdfError
from .files import file_sha256
from .where import Where

# Resolution of `malbild show --image`, and of the small crops in the HTML diff report.
DPI = 150
REPORT_DPI = 110
# Points of page shown left and right of a box, and above and below it: little above (the line over it comes
# close), more below (a reader's word box may end at the baseline, above the descenders).
PAD = 4.0
PAD_TOP = 1.0
PAD_BOTTOM = 4.0


def verified_source(paths: Sequence[str], sha256: str) -> Path:
    """The first of paths (a document's source file and aliases) still holding the PDF that was ingested."""
    changed: list[str] = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            continue
        try:
            if file_sha256(path) == sha256:
                return path
        except OSError:
            continue
        changed.append(name)
    if changed:
        raise PdfError(f"{changed[0]}: the file changed since it was ingested (sha256 differs); ingest it again")
    where = paths[0] if paths else "the document"
    raise PdfError(f"{where}: no longer there (moved or deleted); ingest it again from where it is now")


def _crop(page: pdfium.PdfPage, box: Where, pad: float) -> tuple[float, float, float, float]:
    """pdfium's crop (left, bottom, right, top cut away, in points) for a box with some page around it."""
    width, height = page.get_size()
    x0, top = max(0.0, box.x0 - pad), max(0.0, box.top - PAD_TOP)
    x1, bottom = min(width, box.x1 + pad), min(height, box.bottom + PAD_BOTTOM)
    if x1 <= x0 or bottom <= top:
        raise PdfError(f"page {box.page}: box ({box.x0}, {box.top}, {box.x1}, {box.bottom}) is outside the page")
    return (x0, height - bottom, width - x1, top)


def render_boxes(path: Path, boxes: Sequence[Where], dpi: float = DPI, pad: float = PAD) -> list[Image.Image]:
    """Each box of the PDF at path, rendered at dpi with some page around it (the file opened once)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PdfError(f"{path}: cannot be rendered ({exc})") from exc
    try:
        images: list[Image.Image] = []
        for box in boxes:
            if not 1 <= box.page <= len(pdf):
                raise PdfError(f"{path}: has no page {box.page}")
            page = pdf[box.page - 1]
            try:
                bitmap = page.render(scale=dpi / 72, crop=_crop(page, box, pad))
                images.append(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
        return images
    finally:
        pdf.close()


def png_bytes(image: Image.Image, grey: bool = False) -> bytes:
    """The image as PNG (in shades of grey when grey: a third of the bytes for printed text)."""
    out = io.BytesIO()
    (image.convert("L") if grey else image).save(out, format="PNG", optimize=True)
    return out.getvalue()
