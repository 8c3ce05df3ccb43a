"""Characters off a pypdfium2 text page, with boxes computed as pdfminer computes them (pdfplumber's reference).

pdfminer's box of a glyph runs from its origin over the glyph's advance, and from the font's descent to
descent + font size: not the glyph's ink (pdfium's tight box) nor pdfium's loose box. We take the origin from
pdfium and the advance and descent from the font, cached per font, so that words match pdfplumber's.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pypdfium2.raw as pdfium_c

from .pdfium_fonts import FontFacts

# pdfium's own marks: a line-end hyphen it recognised, and text it generated (spaces, line breaks).
PDFIUM_HYPHEN = "\x02"
# This pdfium marks a hyphen at a line end with U+FFFE; pdfplumber shows the hyphen the file has.
SPECIAL = frozenset((PDFIUM_HYPHEN, "\ufffe"))
Matrix = tuple[float, float, float, float, float, float]


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    fontname: str
    size: float
    upright: bool
    font: int  # the font object's identity: pdfplumber starts a new word where the font changes


@dataclass
class _Run:
    """What every character of one text object shares."""

    font: Any
    font_id: int
    fontname: str
    size: float  # the Tf size
    matrix: tuple[float, float, float, float]  # the character matrix without translation
    descent: float  # per unit of font size
    upright: bool
    widths: dict[str, float]
    true_widths: dict[str, float] | None  # pdfminer's, where the font's /Widths have fractions
    linear: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 1.0)  # glyph space → top-left page space
    corners: tuple[tuple[float, float], ...] = field(default=())  # (x, y) offsets of the box's low/high edge
    straight: bool = False  # glyph x runs along page x and glyph y along page y
    span: tuple[float, float] = (0.0, 0.0)  # with straight: the box's top and bottom offsets from the origin

    def box(self, px: float, py: float, advance: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of the glyph whose origin is (px, py) in top-left page space."""
        a, b, c, d = self.linear
        (lx, ly), (hx, hy) = self.corners
        ax, ay = a * advance * self.size, b * advance * self.size
        xs = (px + lx, px + lx + ax, px + hx, px + hx + ax)
        ys = (py + ly, py + ly + ay, py + hy, py + hy + ay)
        return min(xs), max(xs), min(ys), max(ys)


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _font_name(font: Any) -> str:
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


class RunCache:
    """Text-object and font facts, looked up once per object and font."""

    def __init__(self, page: Matrix, fonts: FontFacts) -> None:
        self.page = page
        self.descents = fonts.descents
        self.true_widths = fonts.widths
        self.fonts: dict[int, tuple[str, float, dict[str, float], dict[str, float] | None]] = {}
        self.runs: dict[int, _Run] = {}
        self._matrix = pdfium_c.FS_MATRIX()
        self._float = ctypes.c_float()

    def run(self, textpage: Any, index: int, obj: Any, key: int) -> _Run:
        found = self.runs.get(key)
        if found is not None:
            return found
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        font_id = _address(font)
        facts = self.fonts.get(font_id)
        if facts is None:
            name = _font_name(font)
            known = self.descents.get(name)
            if known is None:
                ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(self._float))
                known = self._float.value / 1000.0 if ok else 0.0
            facts = (name, known, {}, self.true_widths.get(name))
            self.fonts[font_id] = facts
        m = self._matrix
        if not pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(m)):
            m.a, m.b, m.c, m.d = 1.0, 0.0, 0.0, 1.0
        size = pdfium_c.FPDFText_GetFontSize(textpage, index)
        # pdfminer's test, on the character matrix with the page's rotation (our page matrix without the flip)
        pa, pb, pc, pd = self.page[0], -self.page[1], self.page[2], -self.page[3]
        ua, ub, uc, ud = m.a * pa + m.b * pc, m.a * pb + m.b * pd, m.c * pa + m.d * pc, m.c * pb + m.d * pd
        upright = ua * ud > 0 and ub * uc <= 0
        run = _Run(font, font_id, facts[0], size, (m.a, m.b, m.c, m.d), min(facts[1], 0.0), upright, facts[2], facts[3])
        _place(run, self.page)
        self.runs[key] = run
        return run

    def width(self, run: _Run, text: str) -> float:
        """The glyph's advance per unit of font size (pdfium maps the code point back to the glyph)."""
        found = run.widths.get(text)
        if found is None:
            found = 0.0
            unit = ctypes.c_float(1.0)
            if len(text) == 1 and pdfium_c.FPDFFont_GetGlyphWidth(run.font, ord(text), unit, ctypes.byref(self._float)):
                found = self._float.value
            run.widths[text] = found
        return found


def _page_text(textpage: Any, count: int) -> str:
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    return buffer.raw[: 2 * count].decode("utf-16-le", "replace")


def _texts(textpage: Any, count: int) -> list[str]:
    """Each character's text, in one call (one UTF-16 unit per character unless the page has astral ones)."""
    text = _page_text(textpage, count)
    if len(text) == count and not any("\ud800" <= c <= "\udfff" for c in text):
        return list(text)
    return [chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count)]


def _place(run: _Run, page: Matrix) -> None:
    """The run's glyph-space → top-left transform and its box's low and high edges (descent, descent + size)."""
    a, b, c, d = run.matrix
    pa, pb, pc, pd = page[:4]
    la, lb, lc, ld = a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd
    run.linear = (la, lb, lc, ld)
    lo, hi = run.descent * run.size, (run.descent + 1.0) * run.size
    run.corners = ((lc * lo, ld * lo), (lc * hi, ld * hi))
    run.straight = lb == 0.0 and lc == 0.0
    run.span = (min(ld * lo, ld * hi), max(ld * lo, ld * hi))


def fast(function: Any, restype: Any, *argtypes: Any) -> Any:
    """pdfium's function with plain-address arguments and result: pypdfium2's typed pointers cost ~1 µs a call,
    and a page has thousands of characters (a browser-printed one thousands of objects too)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value or 0)


# The text object of a character as a plain address.
_text_object = fast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)


def read_chars(textpage: Any, page: Matrix, fonts: FontFacts) -> list[Char]:
    """The page's characters in pdfium's order, generated ones left out; `page` maps PDF space to top-left space,
    `fonts` holds pdfminer's font descents and fractional widths by base font name."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    texts = _texts(textpage, count)
    odd = {c for c in set(texts) if c in SPECIAL or c.isspace() or not c}
    cache = RunCache(page, fonts)
    pa, pb, pc, pd, pe, pf = page
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin, generated = pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_IsGenerated
    rox, roy = ctypes.byref(ox), ctypes.byref(oy)
    chars: list[Char] = []
    append = chars.append
    last_key, drift = 0, 0.0  # drift: pdfium's origin error so far in the text object (truncated /Widths)
    run: _Run | None = None
    for index, text in enumerate(texts):
        if text in odd:
            if generated(textpage, index):
                continue
            text = "-" if text in SPECIAL else text
        key = _text_object(textpage, index)
        if key != last_key or run is None:
            if not key:
                continue
            run = cache.runs.get(key) or cache.run(
                textpage, index, pdfium_c.FPDFText_GetTextObject(textpage, index), key
            )
            last_key, drift = key, 0.0
            straight, step, (low, high) = run.straight, run.linear[0] * run.size, run.span
            widths, true_widths = run.widths, run.true_widths if run.straight else None
            fontname, upright, font_id = run.fontname, run.upright, run.font_id
        origin(textpage, index, rox, roy)
        x, y = ox.value, oy.value
        px, py = pa * x + pc * y + pe, pb * x + pd * y + pf
        advance = widths.get(text)
        if advance is None:
            advance = cache.width(run, text)
        if true_widths is not None:
            px += drift
            true = true_widths.get(text, advance)
            drift += (true - advance) * step
            advance = true
        if straight:  # upright, not rotated: the common case, without the general corner arithmetic
            x0, x1 = px, px + step * advance
            if x1 < x0:
                x0, x1 = x1, x0
            top, bottom = py + low, py + high
        else:
            x0, x1, top, bottom = run.box(px, py, advance)
        # pdfminer's size of a horizontally written glyph is its box's height
        append(Char(text, x0, x1, top, bottom, fontname, bottom - top, upright, font_id))
    return chars
