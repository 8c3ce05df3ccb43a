"""Ruling lines and boxes from a pypdfium2 page's path objects, classified as pdfminer classifies paths.

pdfminer (pdfplumber's reference) makes a line of a subpath with one straight segment and a rect of a closed
four-sided axis-aligned subpath; every other path is a curve, which we ignore. Objects inside form XObjects
count too. A path whose page bounds are narrower than a box can be is skipped on its bounds alone, so a
page with thousands of tiny vector objects (a browser-printed page) stays cheap.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pypdfium2.raw as pdfium_c

from .model import MIN_BOX_SIDE, Box, Rule, classify_path
from .pdfium_chars import fast

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
MAX_FORM_DEPTH = 8
EPSILON = 1e-3  # pdfium stores path points as 32-bit floats


_VOID = ctypes.c_void_p
_get_object = fast(pdfium_c.FPDFPage_GetObject, _VOID, _VOID, ctypes.c_int)
_get_type = fast(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, _VOID)
_form_object = fast(pdfium_c.FPDFFormObj_GetObject, _VOID, _VOID, ctypes.c_ulong)
_get_bounds = fast(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, _VOID, _VOID, _VOID, _VOID, _VOID)


def multiply(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _object_matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _painted(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value or stroke.value)


def _subpaths(obj: Any) -> Iterator[list[Point] | None]:
    """Each subpath's points (in the object's space); None for a subpath with a curve."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[Point] = []
    curved = False
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO and points:
            yield None if curved else points
            points, curved = [], False
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        curved = curved or kind == pdfium_c.FPDF_SEGMENT_BEZIERTO
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and not _same(points[-1], points[0]):
            points.append(points[0])
    if points:
        yield None if curved else points


def _same(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) < EPSILON and abs(p[1] - q[1]) < EPSILON


def _shape(points: list[Point]) -> str:
    """'line', 'rect' or '' (a curve to pdfminer), for a subpath in page space."""
    if len(points) == 2 or (len(points) == 3 and _same(points[2], points[0])):
        return "line"
    if len(points) == 5 and _same(points[0], points[4]):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        eq = lambda u, v: abs(u - v) < EPSILON  # noqa: E731
        if (eq(x0, x1) and eq(y1, y2) and eq(x2, x3) and eq(y3, y0)) or (
            eq(y0, y1) and eq(x1, x2) and eq(y2, y3) and eq(x3, x0)
        ):
            return "rect"
    return ""


def _classify(points: list[Point], rules: list[Rule], boxes: list[Box]) -> None:
    shape = _shape(points)
    if not shape:
        return
    used = points[:2] if shape == "line" else points[:4]
    x0, x1 = min(p[0] for p in used), max(p[0] for p in used)
    top, bottom = min(p[1] for p in used), max(p[1] for p in used)
    classify_path(shape, x0, x1, top, bottom, rules, boxes)


class PageObjects:
    """What the page's objects hold for us: rules, boxes and the number of images."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.boxes: list[Box] = []
        self.images = 0
        self._bounds = [ctypes.c_float() for _ in range(4)]
        self._refs = [ctypes.addressof(v) for v in self._bounds]

    def _too_small(self, obj: int, to_page: Matrix) -> bool:
        """True when the object's bounds, in page space, are too narrow for a rule or a box (most dust is)."""
        if not _get_bounds(obj, *self._refs):
            return False
        left, bottom, right, top = (v.value for v in self._bounds)
        a, b, c, d = to_page[:4]
        if b == 0.0 and c == 0.0:
            width = abs(a) * (right - left)
        else:
            xs = [a * x + c * y for x in (left, right) for y in (bottom, top)]
            width = max(xs) - min(xs)
        return width < MIN_BOX_SIDE - EPSILON

    def walk(self, objects: Iterator[int], to_page: Matrix, depth: int = 0) -> None:
        path_kind = pdfium_c.FPDF_PAGEOBJ_PATH
        for address in objects:
            if not address:
                continue
            kind = _get_type(address)
            if kind == path_kind:
                if not self._too_small(address, to_page):
                    self._path(ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT), to_page)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                form = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
                inner = multiply(_object_matrix(form), to_page)
                count = pdfium_c.FPDFFormObj_CountObjects(form)
                self.walk((_form_object(address, i) for i in range(count)), inner, depth + 1)

    def _path(self, obj: Any, to_page: Matrix) -> None:
        if not _painted(obj):
            return
        matrix = multiply(_object_matrix(obj), to_page)
        for points in _subpaths(obj):
            if points is not None:
                _classify([_apply(matrix, x, y) for x, y in points], self.rules, self.boxes)


def page_objects(page: Any, to_page: Matrix) -> PageObjects:
    found = PageObjects()
    count = pdfium_c.FPDFPage_CountObjects(page)
    address = ctypes.cast(page, ctypes.c_void_p).value
    found.walk((_get_object(address, i) for i in range(count)), to_page)
    return found
