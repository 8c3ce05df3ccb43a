"""Money tables (resultaträkning, budget, per verksamhetsområde) as long-form lines with the table's unit."""

from __future__ import annotations

from ...normalize.numbers import UNITS
from ...normalize.text import one_line
from ...schemas.terms import MONEY_SCALE
from ..tables import Table
from . import vocab
from .drafts import FinanceLineDraft


def table_unit(header: list[str], title: str | None) -> str | None:
    """The unit a money table states in its header or title: "Beloppen anges i TKr" → tkr, "Mnkr, netto" → mnkr."""
    for text in [*header, title or ""]:
        for word in text.replace(",", " ").replace(":", " ").split():
            unit = UNITS.get(word.lower().strip("()."))
            if unit in MONEY_SCALE:
                return unit
    return None


def is_money_table(table: Table, title: str | None) -> bool:
    return vocab.is_money_header(table.header) or (
        table_unit(table.header, title) is not None and len(table.header) >= 2
    )


def table_to_finance_lines(table: Table, goal: int | None, table_no: int, title: str | None) -> list[FinanceLineDraft]:
    """One line per non-empty value cell; a row with a label and no values opens a section."""
    unit = table_unit(table.header, title)
    lines: list[FinanceLineDraft] = []
    section: str | None = None
    row_no = 0
    for row in table.rows:
        if row.is_full_width:
            continue
        label = one_line(row.cells[0])
        values = [one_line(c) for c in row.cells[1:]]
        if label and not any(values):
            section = label
            continue
        for column, raw in enumerate(values, start=1):
            if not raw:
                continue
            lines.append(
                FinanceLineDraft(
                    table_no=table_no,
                    goal=goal,
                    page=row.page,
                    title=title,
                    section=section,
                    row_no=row_no,
                    row_label=label,
                    column_label=one_line(table.header[column]),
                    raw=raw,
                    unit=unit,
                    is_total=bool(vocab.TOTAL_ROW.match(label)),
                )
            )
        row_no += 1
    return lines
