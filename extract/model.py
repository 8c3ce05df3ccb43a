"""Our own page model: what every later stage sees instead of pdfplumber objects."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import cached_property

from ..schemas.terms import WarningKind

# Typical gap between words as a share of the font size, in proportional fonts.
DEFAULT_SPACE = 0.27


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    fontname: str = ""
    size: float = 0.0

    @cached_property
    def bold(self) -> bool:
        name = self.fontname.lower()
        return any(tag in name for tag in ("bold", "black", "heavy", "semibold", "demi"))


@dataclass(frozen=True)
class Line:
    """Words that share a baseline, left to right. Derived properties are computed once (the parsers ask often)."""

    words: tuple[Word, ...]
    page: int

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def x0(self) -> float:
        return self.words[0].x0

    @cached_property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @cached_property
    def center(self) -> float:
        """Vertical middle of the line's letters (marks and superscripts do not move it)."""
        biggest = max(w.size for w in self.words)
        mids = sorted((w.top + w.bottom) / 2 for w in self.words if w.size >= 0.8 * biggest)
        return mids[len(mids) // 2]

    @cached_property
    def size(self) -> float:
        """The font size most of the line's letters have."""
        sizes = [w.size for w in self.words for _ in w.text]
        return round(statistics.median(sizes), 1) if sizes else 0.0

    @cached_property
    def bold(self) -> bool:
        letters = [w.bold for w in self.words if any(c.isalnum() for c in w.text)]
        return bool(letters) and all(letters)

    @cached_property
    def style(self) -> tuple[float, bool]:
        return (self.size, self.bold)


@dataclass(frozen=True)
class Rule:
    """A horizontal ruling line (or the top/bottom edge of a filled box)."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class Box:
    """A filled or stroked rectangle, e.g. a shaded table header cell."""

    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class ReaderNote:
    """Something the reader wants said about the file (a warning row): kind is a WarningKind."""

    kind: WarningKind
    message: str

    def __str__(self) -> str:
        return self.message


# Rules shorter than this (points) are underlines or glyph parts, not table rules; boxes smaller on a side are marks.
MIN_RULE_LENGTH = 20.0
MIN_BOX_SIDE = 3.0


def classify_path(
    shape: str, x0: float, x1: float, top: float, bottom: float, rules: list[Rule], boxes: list[Box]
) -> None:
    """A straight line ("line") or a rectangle ("rect") as a reader found it: a table rule, a box, or neither.
    Both readers classify through here, so they agree by construction."""
    width, height = x1 - x0, bottom - top
    if shape == "line":
        if height < 1.0 and width >= MIN_RULE_LENGTH:
            rules.append(Rule(x0, x1, top))
    elif height < 1.5 and width >= MIN_RULE_LENGTH:  # a rule drawn as a thin rectangle
        rules.append(Rule(x0, x1, top))
    elif width >= MIN_BOX_SIDE and height >= MIN_BOX_SIDE:
        boxes.append(Box(x0, x1, top, bottom))


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]
    furniture: tuple[Line, ...] = ()
    rules: tuple[Rule, ...] = ()
    boxes: tuple[Box, ...] = ()
    image_count: int = 0
    space: float = DEFAULT_SPACE  # the document's word gap / font size
    notes: tuple[ReaderNote, ...] = ()  # the reader's notes, until assemble_document moves them to the document

    @property
    def has_text(self) -> bool:
        return bool(self.lines or self.furniture)


@dataclass(frozen=True)
class PdfDocument:
    """Everything read from one PDF file."""

    path: str
    sha256: str
    pages: tuple[Page, ...]
    metadata: dict = field(default_factory=dict)
    warnings: tuple[ReaderNote, ...] = ()  # the readers' notes (another reader used)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def has_text(self) -> bool:
        return any(p.has_text for p in self.pages)

    @property
    def needs_ocr(self) -> bool:
        """No text anywhere but images on the pages: a scan without a text layer."""
        return not self.has_text and any(p.image_count for p in self.pages)
