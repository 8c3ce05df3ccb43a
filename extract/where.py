"""Where a record was read: its box on the page, in PDF points with the origin at the top-left (pdfplumber's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """The box of a record's printed text on `page`; for text running over a page break, its first part's box."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    page_end: int

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    def union(self, other: Where) -> Where:
        """The box around both; the other's box counts only when it is on the same page."""
        if other.page != self.page:
            return Where(self.page, self.x0, self.top, self.x1, self.bottom, max(self.page_end, other.page_end))
        return Where(
            self.page,
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
            max(self.page_end, other.page_end),
        )

    def columns(self) -> dict[str, float | int]:
        """The record fields: page, x0, top, x1, bottom, page_end (rounded to 0.01 pt)."""
        return {
            "page": self.page,
            "x0": round(self.x0, 2),
            "top": round(self.top, 2),
            "x1": round(self.x1, 2),
            "bottom": round(self.bottom, 2),
            "page_end": self.page_end,
        }


def box_around(page: int, boxes: Iterable[tuple[float, float, float, float]], page_end: int) -> Where:
    """The Where around (x0, top, x1, bottom) boxes on one page."""
    found = list(boxes)
    return Where(
        page,
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
        page_end,
    )


@dataclass
class Places:
    """Where each draft of a parsed document was read, keyed like the drafts; a missing key: not found."""

    goals: dict[int, Where] = field(default_factory=dict)  # goal ordinal
    indicators: dict[int, Where] = field(default_factory=dict)  # indicator ordinal
    values: dict[tuple[int, int], Where] = field(default_factory=dict)  # (indicator ordinal, value index)
    activities: dict[int, Where] = field(default_factory=dict)  # activity ordinal
    decisions: dict[int, Where] = field(default_factory=dict)  # decision number
    finance_lines: dict[int, Where] = field(default_factory=dict)  # index in ParsedDocument.finance_lines
