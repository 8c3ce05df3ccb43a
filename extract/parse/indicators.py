"""Indikator tables (plan and report layouts): one draft per indicator row, columns mapped by header."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...normalize.text import one_line
from ..tables import Table
from . import vocab
from .drafts import IndicatorDraft, ParseWarning, ValueDraft


def header_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("/ ", "/ ").strip().lower())


def key_variants(key: str) -> list[str]:
    """The header key, then the key with one or two of its spaces dropped: a word a narrow column broke over
    two lines without a hyphen ("Indikato r", "Periode ns utfall") reads whole in one of them."""
    words = key.split(" ")
    out = [key]
    gaps = range(len(words) - 1)
    for drop in [{i} for i in gaps] + [{i, j} for i in gaps for j in gaps if i < j]:
        out.append("".join(w + ("" if i in drop else " ") for i, w in enumerate(words)).strip())
    return out


def _field_of(key: str, patterns: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    for variant in key_variants(key) if key else []:
        field = next((name for pattern, name in patterns if pattern.search(variant)), None)
        if field:
            return field
    return None


def map_columns(headers: list[str], patterns: Sequence[tuple[re.Pattern[str], str]]) -> list[str | None]:
    """The field each column holds, by its header text; each field is taken by its first column."""
    taken: set[str] = set()
    fields: list[str | None] = []
    for header in headers:
        field = _field_of(header_key(header), patterns)
        if field in taken:
            field = None
        if field:
            taken.add(field)
        fields.append(field)
    return fields


def split_marks(text: str, marks: str) -> tuple[str, str]:
    """("♀", "Andel …") from "♀ Andel …": leading mark characters and the rest."""
    stripped = text.strip()
    found = ""
    while stripped and stripped[0] in marks:
        found += stripped[0]
        stripped = stripped[1:].lstrip()
    return found, stripped


def row_marks_and_text(cells: list[str], text_col: int, marks: str) -> tuple[str, str]:
    """Marks printed before the row's text (in mark-only columns or at the start of the cell) and the text."""
    found = "".join(split_marks(c, marks)[0] for c in cells[:text_col] if c.strip())
    cell_marks, text = split_marks(cells[text_col], marks)
    return found + cell_marks, one_line(text)


def unmapped_columns(table: Table, fields: Sequence[str | None], first: int, what: str) -> list[ParseWarning]:
    """A warning per column after ``first`` that holds values but whose header maps to no field (``what``)."""
    warnings: list[ParseWarning] = []
    for col, (field, header) in enumerate(zip(fields, table.header, strict=True)):
        if col <= first or field is not None:
            continue
        cells = [(row.page, one_line(row.cells[col])) for row in table.rows if not row.is_full_width]
        filled = [(page, raw) for page, raw in cells if raw]
        if not filled:
            continue
        name = one_line(header) or "(no header)"
        message = f"{len(filled)} value cell(s) under the header {name!r}, which maps to no {what}"
        warnings.append(ParseWarning("unmapped_column", filled[0][0], message, f"{name}: {filled[0][1]}"))
    return warnings


def indicator_warnings(table: Table) -> list[ParseWarning]:
    """What an indicator table holds that no measure takes (the cells are kept in indicator_cells)."""
    fields = map_columns(table.header, vocab.INDICATOR_COLUMNS)
    name_col = fields.index("name") if "name" in fields else 0
    return unmapped_columns(table, fields, name_col, "measure (kept in indicator_cells)")


def generic_table_warning(table: Table) -> ParseWarning:
    """A table that is no Indikator, Aktivitet or money table: kept whole in table_cells, and said so."""
    header = " | ".join(one_line(h) for h in table.header)
    pages = f"pages {table.pages[0]}-{table.pages[-1]}" if len(table.pages) > 1 else f"page {table.page}"
    message = f"a table of {len(table.columns)} columns and {len(table.rows)} rows ({pages}) kept as a generic table"
    return ParseWarning("unmapped_table", table.page, message, header)


def names_table(header: list[str], pattern: re.Pattern[str]) -> bool:
    """Does a header cell name the table ("Indikator", also broken over lines as "Indikato r")?"""
    return any(pattern.match(v) for h in header for v in key_variants(header_key(h)))


def is_indicator_table(table: Table) -> bool:
    return names_table(table.header, vocab.INDICATOR_TABLE)


def table_to_indicators(table: Table, goal: int | None, first_ordinal: int) -> list[IndicatorDraft]:
    """One IndicatorDraft per body row; a full-width "Analys …" row goes to the indicator above it."""
    fields = map_columns(table.header, vocab.INDICATOR_COLUMNS)
    name_col = fields.index("name") if "name" in fields else 0
    all_marks = vocab.INDICATOR_MARKS + "".join(vocab.STATUS_MARKS)
    drafts: list[IndicatorDraft] = []
    for row in table.rows:
        if row.is_full_width:
            text = one_line(row.full_width or "")
            if drafts and vocab.ANALYSIS_ROW.match(text):
                analysis = vocab.ANALYSIS_ROW.sub("", text, count=1)
                previous = drafts[-1].analysis
                drafts[-1].analysis = f"{previous} {analysis}" if previous else analysis
            continue
        marks, name = row_marks_and_text(row.cells, name_col, all_marks)
        if not name:
            continue
        draft = IndicatorDraft(
            ordinal=first_ordinal + len(drafts),
            goal=goal,
            name=name,
            page=row.page,
            marks=marks,
            gender_indicator=vocab.GENDER_MARK in marks,
        )
        for col, (field, header) in enumerate(zip(fields, table.header, strict=True)):
            if col <= name_col:
                continue
            raw = one_line(row.cells[col])
            if field == "period":
                draft.period = raw or None
            elif raw:
                draft.values.append(ValueDraft(measure=field, header=one_line(header), raw=raw))
        drafts.append(draft)
    return drafts
