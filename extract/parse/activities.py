"""Aktivitet tables: text, start and end dates, ✓/▶/✗ status and Avvikelse per row."""

from __future__ import annotations

from ...normalize.text import one_line
from ..tables import Table
from . import vocab
from .drafts import ActivityDraft, ParseWarning
from .indicators import map_columns, names_table, row_marks_and_text, unmapped_columns


def is_activity_table(table: Table) -> bool:
    return names_table(table.header, vocab.ACTIVITY_TABLE)


def activity_warnings(table: Table) -> list[ParseWarning]:
    """Activity table columns whose header maps to no activity field: their cells are not stored."""
    fields = map_columns(table.header, vocab.ACTIVITY_COLUMNS)
    text_col = fields.index("text") if "text" in fields else 0
    return unmapped_columns(table, fields, text_col, "activity field (not stored)")


def _status_from_marks(marks: str) -> str | None:
    for mark in marks:
        if mark in vocab.STATUS_MARKS:
            return vocab.STATUS_MARKS[mark]
    return None


def table_to_activities(table: Table, goal: int | None, first_ordinal: int) -> list[ActivityDraft]:
    """One ActivityDraft per body row; a full-width row is kept as the analysis of the row above."""
    fields = map_columns(table.header, vocab.ACTIVITY_COLUMNS)
    text_col = fields.index("text") if "text" in fields else 0
    marks_all = "".join(vocab.STATUS_MARKS) + vocab.INDICATOR_MARKS
    drafts: list[ActivityDraft] = []
    for row in table.rows:
        if row.is_full_width:
            text = one_line(row.full_width or "")
            if drafts and text:
                body = vocab.ANALYSIS_ROW.sub("", text, count=1)
                previous = drafts[-1].analysis
                drafts[-1].analysis = f"{previous} {body}" if previous else body
            continue
        marks, text = row_marks_and_text(row.cells, text_col, marks_all)
        if not text:
            continue
        draft = ActivityDraft(
            ordinal=first_ordinal + len(drafts),
            goal=goal,
            text=text,
            page=row.page,
            status=_status_from_marks(marks),
        )
        for col, field in enumerate(fields):
            raw = one_line(row.cells[col])
            if not raw or col == text_col:
                continue
            if field == "start":
                draft.start_raw = raw
            elif field == "end":
                draft.end_raw = raw
            elif field == "deviation":
                draft.deviation = raw
            elif field == "status":
                mark_status = _status_from_marks(raw)
                draft.status = draft.status or mark_status or vocab.STATUS_WORDS.get(raw.lower())
        drafts.append(draft)
    return drafts
