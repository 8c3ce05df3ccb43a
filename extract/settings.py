"""Tolerances of the extraction stages, in one place."""

from __future__ import annotations

from dataclasses import dataclass

# Words whose tops differ by less than this fraction of their font size share a line.
DEFAULT_LINE_TOLERANCE = 0.35
# A horizontal gap wider than this fraction of the font size separates two cells of a line.
DEFAULT_CELL_GAP = 0.55
# Running heads and footers: text repeated at the same place on at least this share of pages.
DEFAULT_FURNITURE_SHARE = 0.4
# Vertical distance (points) within which two lines count as "the same place" across pages.
DEFAULT_FURNITURE_Y_TOLERANCE = 4.0
# Lines further than this many line heights below the previous one end a table.
DEFAULT_TABLE_END_GAP = 2.6


# The PDF readers: pypdfium2 (fast, repairs broken xref tables) and pdfplumber (the reference).
READERS = ("pdfium", "pdfplumber")


@dataclass(frozen=True)
class ExtractSettings:
    line_tolerance: float = DEFAULT_LINE_TOLERANCE
    cell_gap: float = DEFAULT_CELL_GAP
    furniture_share: float = DEFAULT_FURNITURE_SHARE
    furniture_y_tolerance: float = DEFAULT_FURNITURE_Y_TOLERANCE
    table_end_gap: float = DEFAULT_TABLE_END_GAP
    reader: str = READERS[0]

    def __post_init__(self) -> None:
        if self.reader not in READERS:
            raise ValueError(f"ExtractSettings.reader must be one of {', '.join(READERS)}, got {self.reader!r}")
        for name in ("line_tolerance", "cell_gap", "furniture_share", "table_end_gap"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"ExtractSettings.{name} must be > 0, got {value!r}")
        if self.furniture_share > 1:
            raise ValueError(f"ExtractSettings.furniture_share must be <= 1, got {self.furniture_share!r}")
