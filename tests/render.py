"""Render a structured document spec (the gold-JSON shape) to a realistic PDF.

Used by tests and by the robustness bench to check the extraction pipeline on renderings it
has not been tuned on: other fonts, tables without ruling lines, other page furniture.

    from render import render_document, RenderStyle, STYLES
    render_document(spec, "out.pdf", "borderless")

``spec`` follows ``shared/corpus/README.md``: ``{"document", "goals", "indicators",
"activities", "tables", "toc"}``; every key may be missing.  Extra optional keys:
``intro`` (list of ``{"heading", "text"}`` rendered under "Inledning" before the goals),
``decisions`` (list of strings for "Förslag till beslut") and ``toc == "auto"`` (build
a table of contents from the inriktningsmål/KF-mål headings with their real page numbers).

The layout is done by hand on a reportlab canvas so that page breaks are fully under
control: tables repeat their header row on every page, and a table row that does not fit
at the bottom of a page is split there (its first lines on page N, the rest on page N+1
under the repeated header), as in the real documents.  Output is deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from render_style import (  # noqa: F401  (re-exported: `from render import STYLES, RenderStyle` keeps working)
    BASE14,
    FONT_DIR,
    STYLES,
    RenderStyle,
    axes,
    describe,
    get_style,
    random_style,
    with_extras,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

LEVEL_LABELS = {
    "inriktningsmal": "KF:s inriktningsmål:",
    "kf_mal": "KF:s mål för verksamhetsområdet:",
    "namndmal": "Nämndmål:",
    "enhetsmal": "Enhetsmål:",
}
ASSESSMENT_TEXT = {"helt": "Uppfylls helt", "delvis": "Uppfylls delvis", "inte": "Uppfylls inte"}
STATUS_MARK = {"done": "✓", "ongoing": "▶", "cancelled": "✗"}
REPORT_KINDS = {"verksamhetsberattelse", "tertialrapport"}


# --------------------------------------------------------------------------------------------
# fonts


@dataclass
class _Fonts:
    regular: str
    bold: str
    unicode: bool  # False: the style's TTFs are missing and standard Type1 fonts are used
    symbol: str | None = None  # font for characters the main font lacks (✓ in DejaVu Serif)
    _widths: dict = field(default_factory=dict, repr=False)

    def name(self, bold: bool) -> str:
        return self.bold if bold else self.regular

    def segments(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """Split ``text`` into (text, fontname) pieces; characters no font can show are dropped."""
        main = self.name(bold)
        out: list[list[str]] = []
        for ch in text:
            if ch == " " or _has_glyph(main, ch):
                fn = main
            elif self.symbol and _has_glyph(self.symbol, ch):
                fn = self.symbol
            else:
                if self.symbol:
                    DROPPED.add(ch)
                continue
            if out and out[-1][1] == fn:
                out[-1][0] += ch
            else:
                out.append([ch, fn])
        return [(t, fn) for t, fn in out]

    def width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        w = self._widths.get(key)
        if w is None:
            w = sum(pdfmetrics.stringWidth(t, fn, size) for t, fn in self.segments(text, bold))
            if len(text) < 64:  # words and short strings: these repeat
                self._widths[key] = w
        return w

    def clean(self, text: str) -> str:
        text = text.replace("\t", " ").replace("\r", "")
        out = "".join(
            ch
            for ch in text
            if ch in " \n"
            or _has_glyph(self.regular, ch)
            or _has_glyph(self.bold, ch)
            or (self.symbol and _has_glyph(self.symbol, ch))
        )
        if self.symbol and len(out) != len(text):
            DROPPED.update(set(text) - set(out))
        return out


_GLYPHS: dict[tuple[str, str], bool] = {}


def _has_glyph(fontname: str, ch: str) -> bool:
    key = (fontname, ch)
    if key not in _GLYPHS:
        font = pdfmetrics.getFont(fontname)
        cmap = getattr(getattr(font, "face", None), "charToGlyph", None)
        if cmap is not None:
            _GLYPHS[key] = ord(ch) in cmap
        else:  # a standard Type1 font: WinAnsi encoding
            try:
                ch.encode("cp1252")
                _GLYPHS[key] = ch.isprintable()
            except UnicodeEncodeError:
                _GLYPHS[key] = False
    return _GLYPHS[key]


_FONT_CACHE: dict[tuple, _Fonts] = {}
DROPPED: set[str] = set()  # characters no font of a rendering could show (tests assert none)


def _register_ttf(filename: str) -> str | None:
    if filename in BASE14:
        return filename
    path = Path(filename) if Path(filename).is_absolute() else FONT_DIR / filename
    name = path.stem
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if not path.is_file():
        return None
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except Exception:  # a broken or unreadable font file: fall back
        return None
    return name


def _load_family(regular: str, bold: str, fallback_regular: str, fallback_bold: str, symbol_font: str | None) -> _Fonts:
    key = (regular, bold, fallback_regular, fallback_bold, symbol_font)
    if key not in _FONT_CACHE:
        reg, bld = _register_ttf(regular), _register_ttf(bold)
        symbol = _register_ttf(symbol_font) if symbol_font else None
        if reg and bld:
            _FONT_CACHE[key] = _Fonts(reg, bld, reg not in BASE14, symbol)
        else:
            _FONT_CACHE[key] = _Fonts(fallback_regular, fallback_bold, False, symbol)
    return _FONT_CACHE[key]


def load_fonts(style: RenderStyle, heading: bool = False) -> _Fonts:
    """The body fonts of ``style``, or with ``heading`` those of its goal headings."""
    regular, bold = style.regular_font, style.bold_font
    if heading and style.heading_font and style.heading_bold_font:
        regular, bold = style.heading_font, style.heading_bold_font
    return _load_family(regular, bold, style.fallback_regular, style.fallback_bold, style.symbol_font)


# --------------------------------------------------------------------------------------------
# text wrapping

Run = tuple  # (text, bold)
_SPACE = re.compile(r"[ \t\r\n]+")  # not NBSP: a non-breaking space stays inside its word


def _split_long(word: str, bold: bool, size: float, width: float, fonts: _Fonts) -> list[str]:
    if fonts.width(word, bold, size) <= width:
        return [word]
    parts, cur = [], ""
    for ch in word:
        if cur and fonts.width(cur + ch, bold, size) > width:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def wrap_runs(runs: list[Run], width: float, size: float, fonts: _Fonts) -> list[list[Run]]:
    """Greedy word wrap of styled runs; returns lines, each a list of (text, bold) runs.

    Words are joined with real space characters (attached to the end of the previous run)
    so that text extraction sees the spaces.  Words wider than ``width`` are broken.
    """
    words: list[tuple[str, bool]] = []
    for text, bold in runs:
        for w in _SPACE.split(fonts.clean(text or "")):
            if w:
                words.extend((p, bold) for p in _split_long(w, bold, size, width, fonts))
    lines: list[list[tuple[str, bool]]] = []
    cur: list[tuple[str, bool]] = []
    cur_w = 0.0
    for w, bold in words:
        ww = fonts.width(w, bold, size)
        if cur:
            sp = fonts.width(" ", cur[-1][1], size)
            if cur_w + sp + ww > width:
                lines.append(cur)
                cur, cur_w = [(w, bold)], ww
            else:
                cur.append((w, bold))
                cur_w += sp + ww
        else:
            cur, cur_w = [(w, bold)], ww
    if cur:
        lines.append(cur)
    out = []
    for line in lines:
        merged: list[list] = []
        for i, (w, bold) in enumerate(line):
            text = w + (" " if i < len(line) - 1 else "")
            if merged and merged[-1][1] == bold:
                merged[-1][0] += text
            else:
                merged.append([text, bold])
        out.append([(t, b) for t, b in merged])
    return out


def wrap_text(text: str, width: float, size: float, fonts: _Fonts, bold: bool = False) -> list[list[Run]]:
    return wrap_runs([(text, bold)], width, size, fonts)


def _line_text(line: list[Run]) -> str:
    return "".join(t for t, _ in line)


# --------------------------------------------------------------------------------------------
# page layout (display lists, drawn once the page count is known)


@dataclass
class _Op:
    kind: str  # "text" | "line" | "rect"
    args: tuple


@dataclass
class _Cell:
    lines: list  # list of lines, each a list of runs
    x: float  # left edge of the cell (incl. padding)
    width: float
    mark: str | None = None  # status mark drawn in a gutter before the first line
    gutter: float = 0.0


@dataclass
class _Row:
    cells: list[_Cell]
    size: float
    bold: bool = False
    span: bool = False  # one cell spanning the whole table


@dataclass
class _Table:
    x0: float
    x1: float
    col_edges: list[float]
    header: _Row
    rows: list[_Row] = field(default_factory=list)


class _Layout:
    def __init__(self, style: RenderStyle, fonts: _Fonts):
        self.s = style
        self.f = fonts
        self.pages: list[list[_Op]] = []
        self.y = 0.0
        self.page_of: dict[str, int] = {}  # anchor -> page index (for toc="auto")
        self.new_page()

    # --- basics
    @property
    def left(self) -> float:
        return self.s.margin_left

    @property
    def width(self) -> float:
        return self.s.content_width

    @property
    def bottom(self) -> float:
        return self.s.content_bottom

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.s.content_top

    @property
    def at_page_top(self) -> bool:
        return self.y <= self.s.content_top + 0.01

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, h: float) -> None:
        if h > self.room() and not self.at_page_top:
            self.new_page()

    def gap(self, h: float) -> None:
        if not self.at_page_top:
            self.y += h

    def lead(self, size: float) -> float:
        return round(size * self.s.leading, 2)

    def draw_runs(self, x: float, top: float, line: list[Run], size: float, fonts: _Fonts | None = None) -> None:
        """Draw one line of runs whose text box starts at ``top``."""
        base = top + size * 0.82
        for text, bold in line:
            for piece, fontname in (fonts or self.f).segments(text, bold):
                self.pages[-1].append(_Op("text", (x, base, fontname, size, piece)))
                x += pdfmetrics.stringWidth(piece, fontname, size)

    def hline(self, x0: float, x1: float, y: float) -> None:
        self.pages[-1].append(_Op("line", (x0, y, x1, y, 0.5, self.s.rule_gray)))

    def vline(self, x: float, y0: float, y1: float) -> None:
        self.pages[-1].append(_Op("line", (x, y0, x, y1, 0.5, self.s.rule_gray)))

    def rect(self, x0: float, y0: float, x1: float, y1: float, gray: float | None = None) -> None:
        self.pages[-1].append(_Op("rect", (x0, y0, x1, y1, self.s.shade_gray if gray is None else gray)))

    # --- flowing text
    def lines(
        self, lines: list[list[Run]], size: float, x: float | None = None, keep: int = 1, fonts: _Fonts | None = None
    ) -> None:
        """Flow wrapped lines; a page break may fall between any two lines (not before ``keep``)."""
        x = self.left if x is None else x
        ld = self.lead(size)
        self.ensure(min(len(lines), keep) * ld)
        for line in lines:
            if self.y + ld > self.bottom and not self.at_page_top:
                self.new_page()
            self.draw_runs(x, self.y, line, size, fonts)
            self.y += ld

    def paragraph(
        self,
        text: str,
        size: float,
        bold: bool = False,
        keep: int = 2,
        x: float | None = None,
        width: float | None = None,
    ) -> None:
        x = self.left if x is None else x
        width = self.width - (x - self.left) if width is None else width
        wrapped = wrap_text(text, width, size, self.f, bold)
        if wrapped:
            self.lines(wrapped, size, x, keep=keep)

    def heading(self, text: str, size: float, before: float, after: float, keep_after: float = 0.0) -> None:
        wrapped = wrap_text(text, self.width, size, self.f, True)
        self.gap(before)
        self.ensure(len(wrapped) * self.lead(size) + after + keep_after)
        self.lines(wrapped, size, keep=len(wrapped))
        self.y += after

    def text_block(self, text: str) -> None:
        """Body text: paragraphs separated by newlines."""
        size = self.s.body_size
        paras = [p for p in (text or "").split("\n") if p.strip()]
        for i, p in enumerate(paras):
            if i:
                self.gap(self.s.para_gap)
            self.paragraph(p, size)

    # --- tables
    def column_widths(
        self, columns: list[list[tuple[str, bool, float]]], first_share: float = 0.3, cap: float = 90.0
    ) -> list[float]:
        """Widths for columns given their texts [(text, bold, size)]; column 0 is the wide one.

        Each column is at least as wide as its longest word; column 0 gets at least
        ``first_share`` of the width; the others get a share of what is left, up to ``cap``.
        When the longest words cannot all fit, header words (bold) are kept whole and long
        body words get broken, as a word processor does.
        """
        pad = 2 * self.s.cell_padding + 0.5
        total = self.width + 2 * self.s.cell_padding - 3.0  # tables stick out a little, as in Word
        head_min, body_min = [], []
        for col in columns:
            h = b = 0.0
            for text, bold, size in col:
                for w in _SPACE.split(self.f.clean(text or "")):
                    if w:
                        ww = self.f.width(w, bold, size)
                        if bold:
                            h = max(h, ww)
                        else:
                            b = max(b, ww)
            head_min.append(h + pad)
            body_min.append(b + pad)
        need = [max(h, b) for h, b in zip(head_min, body_min, strict=True)]
        n = len(need)
        if n == 1:
            return [total]
        widths = list(need)
        widths[0] = max(need[0], first_share * total)
        if sum(widths) > total and sum(need) <= total:  # every word fits: column 0 gets the rest
            widths = list(need)
            widths[0] += total - sum(need)
            return widths
        if sum(widths) > total:  # keep header words whole, give the rest to the neediest columns
            widths = [max(h, 6 * pad) for h in head_min]
            widths[0] = max(widths[0], 0.12 * total)
            if sum(widths) > total:
                return [w * total / sum(widths) for w in widths]
            spare = total - sum(widths)
            deficit = [max(0.0, nd - w) for nd, w in zip(need, widths, strict=True)]
            scale = min(1.0, spare / sum(deficit)) if sum(deficit) else 0.0
            widths = [w + d * scale for w, d in zip(widths, deficit, strict=True)]
            widths[0] += total - sum(widths)
            return widths
        spare = total - sum(widths)
        # grow the narrow columns towards an even share, then give the rest to column 0
        for i in range(1, n):
            if self.s.column_cap is None:
                want = max(0.0, min(cap, (total - widths[0]) / (n - 1)) - widths[i])
            else:  # narrow columns: as wide as their longest word (headers wrap), plus the slack
                want = max(0.0, min(self.s.column_cap, widths[i]) - widths[i]) + self.s.column_slack
            add = min(want, spare)
            widths[i] += add
            spare -= add
        widths[0] += spare
        return widths

    def make_table(self, header: list[str], widths: list[float], size: float) -> _Table:
        x0 = self.left - self.s.cell_padding
        edges = [x0]
        for w in widths:
            edges.append(edges[-1] + w)
        head = self.make_row(header, edges, size, bold=True)
        return _Table(x0, edges[-1], edges, head)

    def make_row(
        self, texts: list, edges: list[float], size: float, bold: bool = False, marks: list | None = None
    ) -> _Row:
        pad = self.s.cell_padding
        cells = []
        for i in range(len(edges) - 1):
            t = texts[i] if i < len(texts) else ""
            runs = t if isinstance(t, list) else [(str(t) if t is not None else "", bold)]
            mark = marks[i] if marks else None
            gutter = size * 2.1 if (marks and i == 0) else 0.0
            mark_text = self.f.clean(mark) if mark else None
            x = edges[i] + pad + gutter
            w = edges[i + 1] - edges[i] - 2 * pad - gutter
            cells.append(_Cell(wrap_runs(runs, w, size, self.f), x, w, mark_text or None, gutter))
        return _Row(cells, size, bold)

    def span_row(self, runs: list[Run], table: _Table, size: float) -> _Row:
        pad = self.s.cell_padding
        x = table.x0 + pad
        w = table.x1 - table.x0 - 2 * pad
        return _Row([_Cell(wrap_runs(runs, w, size, self.f), x, w)], size, span=True)

    def _draw_fragment(
        self,
        table: _Table,
        row: _Row,
        start: int,
        end: int,
        top: float,
        pad_top: float,
        pad_bottom: float,
        shade: str | None,
    ) -> float:
        """Draw lines [start, end) of ``row`` from ``top``; return the fragment's bottom.

        ``shade``: "header" (the style's header shading, header text alignment), "zebra" (a filled band) or None.
        """
        ld = round(row.size * self.s.table_leading, 2)
        bottom = top + pad_top + (end - start) * ld + pad_bottom
        if shade == "header" and self.s.table_shading:
            if self.s.shade_cells:
                for a, b in zip(table.col_edges, table.col_edges[1:], strict=False):
                    self.rect(a, top, b, bottom)
            else:
                self.rect(table.x0, top, table.x1, bottom)
        elif shade == "zebra":
            self.rect(table.x0, top, table.x1, bottom, self.s.zebra_gray)
        for i, cell in enumerate(row.cells):
            self._draw_cell(cell, i, row, start, end, top + pad_top, ld, header=shade == "header")
        if self.s.table_rules:
            self.hline(table.x0, table.x1, top)
            if self.s.vertical_rules:
                edges = [table.x0, table.x1] if row.span else table.col_edges
                for x in edges:
                    self.vline(x, top, bottom)
            elif self.s.outer_rules:
                self.vline(table.x0, top, bottom)
                self.vline(table.x1, top, bottom)
        return bottom

    def _draw_cell(
        self, cell: _Cell, col: int, row: _Row, start: int, end: int, top: float, ld: float, header: bool
    ) -> None:
        """Lines [start, end) of one cell, aligned as the style says (header cells also vertically)."""
        if header:  # a right-aligned header over the wide first (text) column is not seen: left there
            halign = "left" if col == 0 and self.s.header_halign == "right" else self.s.header_halign
        else:
            halign = self.s.body_halign if col > 0 and not row.span else "left"
        if header:
            n = end - start
            top += (n - len(cell.lines)) * ld * {"top": 0.0, "middle": 0.5, "bottom": 1.0}[self.s.header_valign]
        for k, line in enumerate(cell.lines[start:end]):
            ltop = top + k * ld
            if cell.mark and start + k == 0:
                msize = row.size + 1
                self.draw_runs(cell.x - cell.gutter, ltop - 0.5, [(cell.mark, False)], msize)
            x = cell.x
            if halign != "left":
                free = max(0.0, cell.width - sum(self.f.width(t, b, row.size) for t, b in line))
                x += free if halign == "right" else free / 2
            self.draw_runs(x, ltop, line, row.size)

    def _close(self, table: _Table) -> None:
        if self.s.table_rules:
            self.hline(table.x0, table.x1, self.y)

    def _header(self, table: _Table) -> None:
        h = table.header
        n = max((len(c.lines) for c in h.cells), default=1)
        pad = self.s.row_padding
        self.y = self._draw_fragment(table, h, 0, n, self.y, pad, pad, shade="header")

    def _row_height(self, row: _Row, n: int | None = None) -> float:
        ld = round(row.size * self.s.table_leading, 2)
        if n is None:
            n = max((len(c.lines) for c in row.cells), default=1)
        return n * ld + 2 * self.s.row_padding

    def _continue(self, table: _Table) -> None:
        """Close the table at the page bottom and go on on the next page (under a repeated header or not)."""
        self._close(table)
        self.new_page()
        if self.s.repeat_header:
            self._header(table)

    def table(self, table: _Table, before: float = 14.0, after: float = 14.0) -> None:
        """Place a table: header repeated on every page (or not), rows split at page bottoms (or moved whole)."""
        self.gap(before)
        head_h = self._row_height(table.header)
        first_h = self._row_height(table.rows[0], 1) if table.rows else 0
        self.ensure(head_h + first_h)
        self._header(table)
        stripe = -1
        for row in table.rows:
            if not row.span:
                stripe += 1
            shade = "zebra" if self.s.zebra and stripe % 2 == 1 else None
            self._place_row(table, row, shade)
        self._close(table)
        self.y += after

    def _place_row(self, table: _Table, row: _Row, shade: str | None) -> None:
        pad = self.s.row_padding
        n = max((len(c.lines) for c in row.cells), default=0)
        if n == 0:
            n = 1
            row.cells[0].lines = [[("", False)]]
        ld = round(row.size * self.s.table_leading, 2)
        whole = n * ld + 2 * pad
        if not self.s.split_rows and self.y + whole > self.bottom and whole <= self.bottom - self.s.content_top - 40:
            self._continue(table)  # move the row whole to the next page
        i = 0
        while i < n:
            pad_top = pad if i == 0 else 0.0
            fit = int((self.bottom - self.y - pad_top) // ld)
            k = min(n - i, max(fit, 0))
            if k <= 0:
                fresh = self.at_page_top
                self._continue(table)
                if fresh:  # cannot happen with sane sizes; avoid looping forever
                    k = 1
                else:
                    continue
            last = i + k == n
            self.y = self._draw_fragment(table, row, i, i + k, self.y, pad_top, pad if last else 0.0, shade)
            i += k
            if i < n:  # the row goes on on the next page
                self._continue(table)


# --------------------------------------------------------------------------------------------
# document content


def _doc_head_org(doc: dict) -> str:
    district, org = doc.get("district"), doc.get("organisation") or ""
    if district:
        return f"{district}s stadsdelsförvaltning"
    if org.endswith("stadsdelsnämnd"):
        return org[: -len("nämnd")] + "förvaltning"
    if org.endswith("nämnden"):
        return org[: -len("nämnden")] + "förvaltningen"
    return org or "Stockholms stad"


def _goal_heading(g: dict) -> str:
    raw = g.get("number_raw")
    if raw is None:
        raw = g.get("number") or "-"
    title = g.get("title") or ""
    return title if raw in ("-", "") else f"{raw} {title}"


def _default_title(doc: dict) -> str:
    kind, year, org = doc.get("kind"), doc.get("year"), doc.get("organisation")
    names = {
        "verksamhetsplan": "Verksamhetsplan",
        "verksamhetsberattelse": "Verksamhetsberättelse",
        "tertialrapport": "Tertialrapport",
        "bilaga": "Bilaga",
    }
    parts = [names.get(kind or "", "Tjänsteutlåtande")]
    if year:
        parts.append(str(year))
    if org:
        parts += ["för", org]
    return " ".join(parts)


def _decisions(doc: dict) -> list[str]:
    org = doc.get("organisation") or "Nämnden"
    year = doc.get("year")
    kind = doc.get("kind")
    yr = f" för {year}" if year else ""
    first = {
        "verksamhetsplan": f"{org} godkänner budget med verksamhetsplan{yr}.",
        "verksamhetsberattelse": f"{org} godkänner verksamhetsberättelsen{yr}.",
        "tertialrapport": f"{org} godkänner tertialrapporten{yr}.",
    }.get(kind or "", f"{org} godkänner tjänsteutlåtandet.")
    return [first, "Ärendet överlämnas till kommunstyrelsen.", "Paragrafen justeras omedelbart."]


class _Renderer:
    def __init__(self, spec: dict, style: RenderStyle):
        self.spec = spec or {}
        self.doc = dict(self.spec.get("document") or {})
        self.s = style
        self.f = load_fonts(style)
        self.hf = load_fonts(style, heading=True)
        self.L = _Layout(style, self.f)
        self.goals = [g for g in (self.spec.get("goals") or []) if isinstance(g, dict)]
        self.goal_ids = {g.get("id") for g in self.goals}
        self.auto_toc: list[tuple[str, str, int]] = []  # (text, anchor, indent)

    # --- page 1
    def front(self) -> None:
        L, s, doc = self.L, self.s, self.doc
        meta = []
        if doc.get("handlaggare", "Eva Exempel"):
            meta.append(("Handläggare", doc.get("handlaggare", "Eva Exempel")))
        if doc.get("organisation"):
            meta.append(("Till", doc["organisation"]))
        if doc.get("date"):
            meta.append(("Datum", str(doc["date"])))
        title = doc.get("title") or _default_title(doc)
        if s.front_layout == "title-first":
            L.heading(title, s.title_size, 0, 14)
        self._meta_block(meta)
        if s.front_layout != "title-first":
            L.y += 24
            L.heading(title, s.title_size, 0, 12)
        if doc.get("kind") != "bilaga":
            L.heading("Förslag till beslut", s.decision_heading_size, 8, 6)
            decisions = self.spec.get("decisions") or _decisions(doc)
            for i, d in enumerate(decisions, 1):
                if i > 1:
                    L.gap(s.para_gap)
                L.paragraph(f"{i}. {d}", s.body_size)

    def _meta_block(self, meta: list[tuple[str, str]]) -> None:
        """Handläggare / Till / Datum: labels and values in two columns, at the left or in the page's right half."""
        L, s = self.L, self.s
        x = L.left + (L.width * 0.5 if s.front_layout == "right" else 0.0)
        label_w = 85.0 if s.front_layout != "right" else 70.0
        L.y += 2
        for label, value in meta:
            L.draw_runs(x, L.y, [(label + (":" if s.front_colon else ""), True)], s.label_size)
            for line in wrap_text(value, L.left + L.width - x - label_w, s.label_size, self.f):
                L.draw_runs(x + label_w, L.y, line, s.label_size)
                L.y += 14

    # --- table of contents
    def toc_entries(self) -> list[tuple[str, Any]]:
        toc = self.spec.get("toc")
        if toc == "auto":
            out = []
            for g in self.goals:
                if g.get("level") in ("inriktningsmal", "kf_mal"):
                    out.append((_goal_heading(g), ("anchor", g.get("id"))))
            return out
        return [(e.get("text") or "", e.get("page")) for e in (toc or []) if isinstance(e, dict)]

    def toc(self, entries: list[tuple[str, Any]]) -> None:
        """The table of contents, in one column or in two (filled left column first, then the right one)."""
        L, s = self.L, self.s
        L.heading("Innehållsförteckning", s.toc_heading_size, 22, 8)
        size = s.body_size
        ld = L.lead(size) + 3
        ncol = max(1, s.toc_columns)
        gutter = 20.0
        col_w = (L.width - gutter * (ncol - 1)) / ncol
        col, col_top = 0, L.y
        for text, page in entries:
            indent = 17.0 if re.match(r"^\d+\.\d+", text) else 0.0
            num_w = self.f.width("000", False, size)
            avail = col_w - indent - num_w - 4 * self.f.width(".", False, size) - 4
            wrapped = wrap_text(text, avail, size, self.f)
            if not wrapped:
                continue
            if L.y + len(wrapped) * ld > L.bottom:
                col += 1
                if col >= ncol:
                    L.new_page()
                    col, col_top = 0, L.y
                L.y = col_top
            x = L.left + col * (col_w + gutter)
            for j, line in enumerate(wrapped):
                self._toc_line(x + indent, col_w - indent, line, size, page if j == len(wrapped) - 1 else None)
                L.y += ld

    def _toc_line(self, x: float, width: float, line: list[Run], size: float, page: Any) -> None:
        L = self.L
        if page is None:
            L.draw_runs(x, L.y, line, size)
            return
        body = _line_text(line)
        num_w = self.f.width("000", False, size)
        dots = "." * max(3, int((width - self.f.width(body, False, size) - num_w - 1) / self.f.width(".", False, size)))
        L.draw_runs(x, L.y, [(body + dots, False)], size)
        L.pages[-1].append(_Op("pageref", (x + width, L.y + size * 0.82, self.f.regular, size, page)))

    # --- goals
    def goal(self, g: dict) -> None:
        L, s = self.L, self.s
        level = g.get("level") or "namndmal"
        size = s.goal_size(level)
        label = LEVEL_LABELS.get(level, "Mål:")
        inline = s.label_placement == "inline"
        runs = ([(label, s.label_bold)] if inline else []) + [(_goal_heading(g), s.goal_bold)]
        heading = wrap_runs(runs, L.width, size, self.hf)
        assess = ASSESSMENT_TEXT.get(g.get("assessment") or "")
        lbl_ld = 0.0 if inline else L.lead(s.label_size) + 1
        need = lbl_ld + len(heading) * L.lead(size) + (24 if assess else 0) + 8 + 2 * L.lead(s.body_size)
        L.gap(s.goal_gap)
        L.ensure(need)
        if g.get("id") is not None:
            L.page_of[str(g.get("id"))] = len(L.pages)
        if not inline:
            L.draw_runs(L.left, L.y, [(label, s.label_bold)], s.label_size, self.hf)
            L.y += lbl_ld
        L.lines(heading, size, keep=len(heading), fonts=self.hf)
        L.y += 6
        if assess:
            bullet = self.f.clean("●")
            if bullet:
                L.draw_runs(L.left, L.y - 1.5, [(bullet, False)], s.assessment_size + 2)
            L.draw_runs(L.left + (10 if bullet else 0), L.y, [(assess, False)], s.assessment_size)
            L.y += L.lead(s.assessment_size) + 8
        for sec in g.get("sections") or []:
            if isinstance(sec, str):
                sec = {"heading": "", "text": sec}
            head, text = (sec.get("heading") or "").strip(), sec.get("text") or ""
            if head:
                keep = L.lead(s.body_size) if text.strip() else 0
                L.heading(head, s.section_size, s.section_gap, 3, keep_after=keep)
            else:
                L.gap(s.para_gap)
            L.text_block(text)
        gid = g.get("id")
        for t in self.spec.get("tables") or []:
            if t.get("goal") is not None and t.get("goal") == gid:
                self.simple_table(t)
        inds = [i for i in self.spec.get("indicators") or [] if i.get("goal") == gid]
        if inds:
            self.indicator_tables(inds)
        acts = [a for a in self.spec.get("activities") or [] if a.get("goal") == gid]
        if acts:
            self.activity_table(acts)

    # --- tables
    def indicator_tables(self, inds: list[dict]) -> None:
        groups: dict[tuple, list[dict]] = {}
        for ind in inds:
            cells = ind.get("cells") or {}
            keys = tuple(cells) if cells else ("Indikator",)
            groups.setdefault(keys, []).append(ind)
        size = self.s.indicator_size
        for keys, group in groups.items():
            rows = []
            for ind in group:
                cells = ind.get("cells") or {}
                name = cells.get(keys[0]) if cells else None
                if not name:
                    name = ind.get("name") or ""
                if ind.get("gender_indicator") and not name.startswith("♀"):
                    name = "♀ " + name
                rows.append(([name] + [cells.get(k) or "" for k in keys[1:]], ind.get("analysis")))
            cols = [[(k, True, size)] for k in keys]
            for texts, _ in rows:
                for c, t in zip(cols, texts, strict=False):
                    c.append((t, False, size))
            widths = self.L.column_widths(cols, first_share=0.22 if len(keys) > 5 else 0.45, cap=80)
            table = self.L.make_table(list(keys), widths, size)
            for texts, analysis in rows:
                table.rows.append(self.L.make_row(texts, table.col_edges, size))
                if analysis:
                    table.rows.append(self.L.span_row([("Analys", True), (analysis, False)], table, size))
            self.L.table(table, before=16, after=10)

    def activity_table(self, acts: list[dict]) -> None:
        size = self.s.activity_size
        report = self.doc.get("kind") in REPORT_KINDS or any(a.get("status") or a.get("deviation") for a in acts)
        header = ["Aktivitet", "Startdatum", "Slutdatum"] + (["Avvikelse"] if report else [])
        with_marks = any(a.get("status") in STATUS_MARK for a in acts)
        rows = []
        for a in acts:
            texts = [a.get("text") or "", a.get("start") or "", a.get("end") or ""]
            if report:
                texts.append(a.get("deviation") or "")
            rows.append((texts, STATUS_MARK.get(a.get("status") or "")))
        cols = [[(h, True, size)] for h in header]
        for texts, _ in rows:
            for c, t in zip(cols, texts, strict=False):
                c.append((str(t), False, size))
        if with_marks:
            cols[0].append(("M" * 4, False, size))
        widths = self.L.column_widths(cols, first_share=0.42 if report else 0.66, cap=62)
        if report:  # give the deviation column a fair share
            extra = max(0.0, 0.28 * sum(widths) - widths[3])
            extra = min(extra, widths[0] - 0.42 * sum(widths))
            if extra > 0:
                widths[0] -= extra
                widths[3] += extra
        table = self.L.make_table(header, widths, size)
        for texts, mark in rows:
            marks = [mark] + [None] * (len(header) - 1) if with_marks else None
            table.rows.append(self.L.make_row(texts, table.col_edges, size, marks=marks))
        self.L.table(table, before=16, after=10)

    def simple_table(self, t: dict) -> None:
        size = self.s.table_size
        header = [str(h) if h is not None else "" for h in (t.get("header") or [])]
        rows = [[str(c) if c is not None else "" for c in r] for r in (t.get("rows") or [])]
        ncol = max([len(header)] + [len(r) for r in rows]) if (header or rows) else 0
        if ncol == 0:
            return
        if t.get("heading"):  # a table with a heading of its own (the generated extra tables)
            self.L.heading(str(t["heading"]), self.s.section_size, 14, 3, keep_after=60)
        header += [""] * (ncol - len(header))
        rows = [r + [""] * (ncol - len(r)) for r in rows]
        cols = [[(header[i], True, size)] + [(r[i], False, size) for r in rows] for i in range(ncol)]
        widths = self.L.column_widths(cols, first_share=0.35 if ncol > 2 else 0.5, cap=75)
        table = self.L.make_table(header, widths, size)
        for r in rows:
            table.rows.append(self.L.make_row(r, table.col_edges, size))
        self.L.table(table, before=14, after=14)

    # --- whole document
    def run(self) -> None:
        L, s = self.L, self.s
        self.front()
        entries = self.toc_entries()
        if entries:
            self.toc(entries)
        if entries or self.spec.get("intro"):
            L.new_page()
        intro = self.spec.get("intro") or []
        if intro:
            L.heading("Inledning", s.part_heading_size, 0, 8)
            for sec in intro:
                if isinstance(sec, str):
                    sec = {"heading": "", "text": sec}
                if sec.get("heading"):
                    L.heading(sec["heading"], s.section_size, 10, 3, keep_after=L.lead(s.body_size))
                else:
                    L.gap(s.para_gap)
                L.text_block(sec.get("text") or "")
        if self.goals:
            if self.doc.get("kind") in REPORT_KINDS:
                L.heading("Uppföljning av Kommunfullmäktiges inriktningsmål", s.part_heading_size, 26, 4, keep_after=60)
            for g in self.goals:
                self.goal(g)
        rest = [t for t in self.spec.get("tables") or [] if t.get("goal") is None or t.get("goal") not in self.goal_ids]
        if any(not t.get("heading") for t in rest):
            L.heading("Uppföljning av ekonomi", s.part_heading_size, 30, 4, keep_after=60)
        for t in sorted(rest, key=lambda t: bool(t.get("heading"))):
            self.simple_table(t)

    # --- drawing
    def furniture(self, n: int, m: int) -> list[tuple[float, float, bool, float, str, str]]:
        """The running head and foot of page ``n`` of ``m``: (x, top, bold, size, text, align) items."""
        s, doc = self.s, self.doc
        head = [(s.head_org or _doc_head_org(doc), True)]
        second = doc.get("unit") or "Tjänsteutlåtande" if s.head_second == "auto" else s.head_second
        if second:
            head.append((second, False))
        if s.dnr_in_head and doc.get("dnr"):
            head.append((f"Dnr: {doc['dnr']}", False))
        if s.date_in_head and doc.get("date"):
            head.append((f"Datum: {doc['date']}", False))
        label = s.page_label.format(n=n, m=m)
        left, right, H = s.margin_left, s.page_width - s.margin_right, s.page_height
        out = []
        if s.head_pos == "top":
            x, align = (right, "right") if s.page_label_pos == "top-left" else (left, "left")
            for i, (text, bold) in enumerate(head):
                out.append((x, s.head_top + (10.5 + 11 * (i - 1) if i else 0), bold, s.head_size, text, align))
            if s.page_label_pos.startswith("top"):
                out.append((left if align == "right" else right, s.head_top, False, s.head_size, label, align))
        rows: list[list[tuple[float, bool, float, str, str]]] = []
        if s.head_pos == "bottom":
            rows += [[(left, bold, s.head_size, text, "left")] for text, bold in head]
        if s.footer_line:
            rows.append([(left, False, s.footer_size, s.footer_line, "left")])
        if s.footer_text or s.page_label_pos == "bottom-right":
            rows.append([(left, False, s.footer_size, s.footer_text, "left")] if s.footer_text else [])
        if s.page_label_pos == "bottom-right":
            rows[-1].append((right, False, s.head_size, label, "right"))
        elif s.page_label_pos == "bottom-center":
            rows.append([(s.margin_left + s.content_width / 2, False, s.head_size, label, "center")])
        elif s.page_label_pos == "bottom-left":
            rows.append([(left, False, s.head_size, label, "left")])
        for k, row in enumerate(rows):
            top = H - s.foot_bottom - 10 * (len(rows) - 1 - k)
            out += [(x, top, bold, size, text, align) for x, bold, size, text, align in row]
        return out

    def save(self, path: Path) -> None:
        s, doc, f = self.s, self.doc, self.f
        c = rl_canvas.Canvas(str(path), pagesize=(s.page_width, s.page_height), invariant=1, pageCompression=1)
        c.setTitle(doc.get("title") or _default_title(doc))
        c.setAuthor("malbild tests/render.py")
        c.setCreator("malbild tests/render.py")
        H = s.page_height

        def draw(x: float, base: float, fontname: str, size: float, string: str) -> None:
            c.setFont(fontname, size)
            c.drawString(x, H - base, string)

        def text(x: float, top: float, bold: bool, size: float, string: str, align: str = "left") -> None:
            if align != "left":
                x -= f.width(string, bold, size) / (1 if align == "right" else 2)
            for piece, fontname in f.segments(string, bold):
                draw(x, top + size * 0.82, fontname, size, piece)
                x += pdfmetrics.stringWidth(piece, fontname, size)

        m = len(self.L.pages)
        for n, ops in enumerate(self.L.pages, 1):
            for item in self.furniture(n, m):
                text(*item)
            for op in ops:
                if op.kind == "text":
                    draw(*op.args)
                elif op.kind == "pageref":
                    x, base, fontname, size, ref = op.args
                    if isinstance(ref, tuple):
                        ref = self.L.page_of.get(str(ref[1]), "")
                    string = str(ref)
                    draw(x - pdfmetrics.stringWidth(string, fontname, size), base, fontname, size, string)
                elif op.kind == "line":
                    x0, y0, x1, y1, lw, gray = op.args
                    c.setLineWidth(lw)
                    c.setStrokeGray(gray)
                    c.line(x0, H - y0, x1, H - y1)
                elif op.kind == "rect":
                    x0, y0, x1, y1, gray = op.args
                    c.setFillGray(gray)
                    c.rect(x0, H - y1, x1 - x0, y1 - y0, stroke=0, fill=1)
                    c.setFillGray(0)
            c.showPage()
        c.save()


def render_document(spec: dict, path: str | Path, style: RenderStyle | str = "ruled") -> Path:
    """Render ``spec`` (gold-JSON shape) to ``path`` in ``style``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    r = _Renderer(spec, get_style(style))
    r.run()
    r.save(path)
    return path


# --------------------------------------------------------------------------------------------
# builders for minimal specs


def _number(number_raw: str | None) -> str | None:
    if number_raw is None or number_raw.strip() in ("", "-"):
        return None
    return number_raw.strip().rstrip(".")


def document(
    title: str = "Verksamhetsplan 2019 för Exempelnämnden",
    kind: str = "verksamhetsplan",
    year: int | None = 2019,
    organisation: str | None = "Exempelnämnden",
    unit: str | None = None,
    district: str | None = None,
    dnr: str | None = None,
    date: str | None = None,
    file: str | None = None,
) -> dict:
    return {
        "file": file,
        "kind": kind,
        "year": year,
        "organisation": organisation,
        "unit": unit,
        "district": district,
        "dnr": dnr,
        "date": date,
        "title": title,
    }


def goal(
    id: str,
    level: str,
    title: str,
    number_raw: str = "-",
    parent: str | None = None,
    assessment: str | None = None,
    sections=(),
) -> dict:
    """A goal; ``sections`` items are dicts, ``(heading, text)`` pairs or plain text."""
    secs = []
    for sec in sections:
        if isinstance(sec, dict):
            secs.append({"heading": sec.get("heading") or "", "text": sec.get("text") or ""})
        elif isinstance(sec, str):
            secs.append({"heading": "", "text": sec})
        else:
            heading, text = sec
            secs.append({"heading": heading or "", "text": text or ""})
    return {
        "id": id,
        "level": level,
        "number": _number(number_raw),
        "number_raw": number_raw,
        "title": title,
        "parent": parent,
        "assessment": assessment,
        "sections": secs,
    }


def indicator(
    goal: str, name: str, cells: dict | None = None, gender: bool = False, analysis: str | None = None
) -> dict:
    """An indicator; ``cells`` maps header -> raw text (an "Indikator" column is added if missing)."""
    cells = dict(cells or {})
    if "Indikator" not in cells:
        cells = {"Indikator": name, **cells}
    return {"goal": goal, "name": name, "gender_indicator": bool(gender), "cells": cells, "analysis": analysis}


def activity(
    goal: str,
    text: str,
    start: str | None = None,
    end: str | None = None,
    status: str | None = None,
    deviation: str | None = None,
) -> dict:
    return {"goal": goal, "text": text, "start": start, "end": end, "status": status, "deviation": deviation}


def table(header: list, rows: list, kind: str = "other", goal: str | None = None) -> dict:
    return {"kind": kind, "goal": goal, "header": list(header), "rows": [list(r) for r in rows]}


def spec(
    document: dict | None = None,
    goals=(),
    indicators=(),
    activities=(),
    tables=(),
    toc=None,
    intro=None,
    decisions=None,
) -> dict:
    """A document spec.  ``toc``: list of {"text", "page"}, "auto", or None (no contents page)."""
    out: dict[str, Any] = {
        "document": dict(document) if document is not None else globals()["document"](),
        "goals": list(goals),
        "indicators": list(indicators),
        "activities": list(activities),
        "tables": list(tables),
        "toc": toc if toc is not None else [],
    }
    if intro:
        out["intro"] = list(intro)
    if decisions:
        out["decisions"] = list(decisions)
    return out


# reading order helpers for tests ------------------------------------------------------------

PLAN_INDICATOR_HEADERS = ["Indikator", "Årsmål", "KF:s årsmål", "Periodicitet"]
REPORT_INDICATOR_HEADERS = [
    "Indikator",
    "Periodens utfall",
    "Utfall män/ pojkar",
    "Utfall kvinnor/ flickor",
    "Periodens utfall VB 2018",
    "Prognos helår",
    "Årsmål",
    "KF:s årsmål",
    "Period",
]
