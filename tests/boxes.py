"""Check stored boxes against the PDF itself: the text pdfplumber finds inside a record's box holds the record's text.

Independent of malbild's locator: the PDF is opened with pdfplumber, the page cropped to the box (chars wholly
inside, a point of slack) and its text compared letter by letter (case, spaces and punctuation ignored).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pdfplumber

# Points of slack around a box when cropping (boxes are rounded to 0.01 pt; readers differ by fractions).
PAD = 1.0
# For a record running over a page break, its box must hold at least this many of its first letters.
MIN_FIRST_PART = 8
# The record tables checked, the column holding each one's text, and how each reaches its document.
TEXT_COLUMNS = {
    "goals": "title",
    "indicators": "name",
    "activities": "text",
    "indicator_values": "raw",
    "decisions": "text",
    "finance_lines": "raw",
}
RECORDS = ("goals", "indicators", "activities")
# Records whose box is their row's (name or label cell through the value cell).
ROWS = ("indicator_values", "finance_lines")
_DOCUMENT_JOIN = {
    "indicator_values": "JOIN indicators i USING (indicator_id) JOIN documents d ON d.document_id = i.document_id"
}


def letters(text: str | None) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").casefold() if ch.isalnum())


def marks(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def holds_cell(raw: str, box_text: str, spans: bool = False) -> bool:
    """A row's box holds a cell: the cell's words appear in it in order (the row's other cells between them);
    for a cell running on to the next page, its first words."""
    have = [letters(w) or marks(w) for w in box_text.split()]
    position = 0
    wanted = raw.split()
    for count, word in enumerate(wanted):
        want = letters(word) or marks(word)
        while position < len(have) and have[position] != want:
            position += 1
        if position == len(have):
            return spans and count > 0
        position += 1
    return True


def holds(record_text: str, box_text: str, spans: bool) -> bool:
    """The box's text holds the record's: all of it, or for a record running on to the next page its start."""
    want, have = letters(record_text), letters(box_text)
    if not spans:
        return bool(want) and want in have
    return want[: min(len(want), MIN_FIRST_PART)] in have


@dataclass(frozen=True)
class Checked:
    table: str
    source_file: str
    page: int
    text: str
    box: tuple[float, float, float, float] | None
    box_text: str
    ok: bool


def box_text(page: pdfplumber.page.Page, box: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = box
    bbox = (max(0.0, x0 - PAD), max(0.0, top - PAD), min(page.width, x1 + PAD), min(page.height, bottom + PAD))
    return page.within_bbox(bbox).extract_text() or ""


def check_database(db: Path, tables: tuple[str, ...] = RECORDS) -> Iterator[Checked]:
    """Every record of tables in the database, checked against its PDF (opened from documents.source_file)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = [
            (table, *row)
            for table in tables
            for row in con.execute(
                f"SELECT d.source_file, r.page, r.{TEXT_COLUMNS[table]}, r.x0, r.top, r.x1, r.bottom, r.page_end "
                f"FROM {table} r {_DOCUMENT_JOIN.get(table, 'JOIN documents d USING (document_id)')} "
                "ORDER BY d.source_file, r.page"
            ).fetchall()
        ]
    finally:
        con.close()
    by_file: dict[str, list[tuple]] = {}
    for row in rows:
        by_file.setdefault(row[1], []).append(row)
    for source, found in by_file.items():
        with pdfplumber.open(source) as pdf:
            for table, _source, page_no, text, x0, top, x1, bottom, page_end in found:
                if x0 is None:
                    yield Checked(table, source, page_no, text, None, "", False)
                    continue
                box = (x0, top, x1, bottom)
                inside = box_text(pdf.pages[page_no - 1], box)
                spans = page_end > page_no
                ok = holds_cell(text, inside, spans) if table in ROWS else holds(text, inside, spans)
                yield Checked(table, source, page_no, text, box, inside, ok)
