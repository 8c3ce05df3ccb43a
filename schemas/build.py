"""Enriched drafts → validated records with stable ids, one small builder per record type.

A record that fails validation is skipped and reported as a Failure naming its page and reason; the rest of
the document is kept. Builders only map fields and mint ids: every value was computed by normalize/.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..extract.model import PdfDocument
from ..extract.parse.drafts import ActivityDraft, DecisionDraft, IndicatorDraft, TableDraft
from ..extract.where import Where
from ..normalize.enrich import EnrichedDocument, ParsedDate
from ..normalize.numbers import ParsedValue
from .errors import RecordInvalid
from .records import (
    Activity,
    Decision,
    DecisionAmount,
    Document,
    DocumentRecords,
    EntityMention,
    Failure,
    FinanceLine,
    Goal,
    GoalSection,
    Indicator,
    IndicatorCell,
    IndicatorValue,
    TableCell,
)
from .terms import MEASURES, Stage, WarningKind

M = TypeVar("M", bound=BaseModel)


def document_id_of(sha256: str) -> str:
    return sha256[:16]


def error_text(exc: ValidationError) -> str:
    """A pydantic error as one line: field, message and the offending input."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']} (got {err.get('input')!r:.60})")
    return "; ".join(parts)


@dataclass
class Builder:
    """What every record builder needs: the document's identity, the goals kept so far and the failures."""

    doc_id: str
    source_file: str
    sha256: str
    failures: list[Failure] = field(default_factory=list)
    goals: set[int] = field(default_factory=set)  # ordinals of the goals that validated

    def make(self, model: Callable[..., M], page: int | None, what: str, /, **fields: Any) -> M | None:
        """The validated record, or None with a Failure recorded."""
        try:
            return model(**fields)
        except ValidationError as exc:
            self.warn(
                "validate", "invalid_record", page, str(RecordInvalid(f"{what} skipped: {error_text(exc)}", page))
            )
            return None

    def warn(self, stage: Stage, kind: WarningKind, page: int | None, message: str, text: str | None = None) -> None:
        """Record a warning about part of the document (the document itself is stored)."""
        failure = Failure(
            source_file=self.source_file,
            sha256=self.sha256,
            stage=stage,
            page=page,
            message=message,
            severity="warning",
            kind=kind,
            text=text,
        )
        self.failures.append(failure)

    def goal_id(self, ordinal: int | None) -> str | None:
        """The id of a goal that validated; None for no goal or one that was skipped."""
        return f"{self.doc_id}:g{ordinal:04d}" if ordinal is not None and ordinal in self.goals else None


def box_fields(where: Where | None, page: int) -> dict[str, Any]:
    """A record's box columns from where it was found; no box (and page_end = page) when it was not."""
    if where is None:
        return {"x0": None, "top": None, "x1": None, "bottom": None, "page_end": page}
    return {k: v for k, v in where.columns().items() if k != "page"}


def build_document(b: Builder, enriched: EnrichedDocument, pdf: PdfDocument) -> Document:
    meta = enriched.parsed.metadata
    try:
        return Document(
            document_id=b.doc_id,
            source_file=b.source_file,
            sha256=b.sha256,
            kind=meta.kind,
            year=meta.year,
            organisation=meta.organisation,
            unit=meta.unit,
            title=meta.title,
            pages=pdf.page_count,
            district=meta.district,
            dnr=meta.dnr,
            date=enriched.date.value,
            handlaggare=meta.handlaggare,
            needs_ocr=pdf.needs_ocr,
        )
    except ValidationError as exc:
        raise RecordInvalid(f"{b.source_file}: document metadata invalid: {error_text(exc)}", 1) from exc


def build_goals(b: Builder, enriched: EnrichedDocument) -> tuple[list[Goal], list[GoalSection]]:
    goals: list[Goal] = []
    sections: list[GoalSection] = []
    places = enriched.parsed.places.goals
    for g, title_norm in zip(enriched.parsed.goals, enriched.goal_norms, strict=True):
        goal = b.make(
            Goal,
            g.page,
            f"goal {g.title[:50]!r}",
            goal_id=f"{b.doc_id}:g{g.ordinal:04d}",
            document_id=b.doc_id,
            level=g.level,
            number=g.number,
            number_raw=g.number_raw,
            title=g.title,
            title_norm=title_norm,
            parent_goal_id=b.goal_id(g.parent),
            assessment=g.assessment,
            page=g.page,
            ordinal=g.ordinal,
            **box_fields(places.get(g.ordinal), g.page),
        )
        if goal is None:
            continue
        goals.append(goal)
        b.goals.add(g.ordinal)
        for k, (heading, text) in enumerate(g.sections):
            section = b.make(
                GoalSection, g.page, "goal section", goal_id=goal.goal_id, ordinal=k, heading=heading, text=text
            )
            if section:
                sections.append(section)
    return goals, sections


def build_indicator(b: Builder, ind: IndicatorDraft, name_norm: str, where: Where | None) -> Indicator | None:
    return b.make(
        Indicator,
        ind.page,
        f"indicator {ind.name[:50]!r}",
        indicator_id=f"{b.doc_id}:i{ind.ordinal:04d}",
        document_id=b.doc_id,
        goal_id=b.goal_id(ind.goal),
        name=ind.name,
        name_norm=name_norm,
        gender_indicator=ind.gender_indicator,
        period=ind.period,
        analysis=ind.analysis,
        page=ind.page,
        ordinal=ind.ordinal,
        **box_fields(where, ind.page),
    )


def build_cells(
    b: Builder, ind: IndicatorDraft, indicator_id: str, parsed: tuple[ParsedValue, ...], places: dict[int, Where]
) -> tuple[list[IndicatorValue], list[IndicatorCell]]:
    """Every value cell as printed, and one value per measure (the first cell a measure's header names)."""
    values: list[IndicatorValue] = []
    cells: list[IndicatorCell] = []
    seen: set[str] = set()
    for column, (cell, value) in enumerate(zip(ind.values, parsed, strict=True)):
        fields = {"indicator_id": indicator_id, "header": cell.header}
        found = b.make(
            IndicatorCell, ind.page, "indicator cell", column=column, measure=cell.measure, raw=cell.raw, **fields
        )
        if found:
            cells.append(found)
        if cell.measure not in MEASURES or cell.measure in seen:
            continue
        seen.add(cell.measure)
        record = b.make(
            IndicatorValue,
            ind.page,
            f"value {cell.raw!r} of {ind.name[:40]!r}",
            measure=cell.measure,
            raw=value.raw or cell.raw,
            value=value.value,
            unit=value.unit,
            value_kind=value.kind,
            kronor=value.kronor,
            **fields,
            **_value_box(places.get(column), ind.page),
        )
        if record:
            values.append(record)
    return values, cells


def _value_box(where: Where | None, page: int) -> dict[str, Any]:
    return where.columns() if where else {"page": page, **box_fields(None, page)}


def build_indicators(
    b: Builder, enriched: EnrichedDocument
) -> tuple[list[Indicator], list[IndicatorValue], list[IndicatorCell]]:
    indicators: list[Indicator] = []
    values: list[IndicatorValue] = []
    cells: list[IndicatorCell] = []
    parsed = enriched.parsed
    value_boxes: dict[int, dict[int, Where]] = defaultdict(dict)  # each indicator's value boxes, grouped once
    for (ordinal, key), where in parsed.places.values.items():
        value_boxes[ordinal][key] = where
    for ind, norm, cell_values in zip(parsed.indicators, enriched.indicator_norms, enriched.cell_values, strict=True):
        record = build_indicator(b, ind, norm, parsed.places.indicators.get(ind.ordinal))
        if record is None:
            continue
        indicators.append(record)
        found_values, found_cells = build_cells(b, ind, record.indicator_id, cell_values, value_boxes[ind.ordinal])
        values.extend(found_values)
        cells.extend(found_cells)
    return indicators, values, cells


def build_activity(
    b: Builder, act: ActivityDraft, start: ParsedDate, end: ParsedDate, where: Where | None
) -> Activity | None:
    warnings = [w for w in (start.warning, end.warning) if w]
    for warning in warnings:
        b.warn("parse", "invalid_date", act.page, f"activity {act.text[:40]!r}: {warning}")
    return b.make(
        Activity,
        act.page,
        f"activity {act.text[:50]!r}",
        activity_id=f"{b.doc_id}:a{act.ordinal:04d}",
        document_id=b.doc_id,
        goal_id=b.goal_id(act.goal),
        text=act.text,
        start_date=start.value,
        end_date=end.value,
        start_raw=act.start_raw,
        end_raw=act.end_raw,
        status=act.status,
        deviation=act.deviation,
        analysis=act.analysis,
        date_warning="; ".join(warnings) or None,
        page=act.page,
        ordinal=act.ordinal,
        **box_fields(where, act.page),
    )


def build_activities(b: Builder, enriched: EnrichedDocument) -> list[Activity]:
    found = (
        build_activity(b, a, *dates, enriched.parsed.places.activities.get(a.ordinal))
        for a, dates in zip(enriched.parsed.activities, enriched.activity_dates, strict=True)
    )
    return [a for a in found if a is not None]


def build_entities(b: Builder, enriched: EnrichedDocument) -> list[EntityMention]:
    mentions: list[EntityMention] = []
    for found in enriched.entities:
        goal_id = b.goal_id(found.goal.ordinal)
        if goal_id is None:
            continue
        e = found.entity
        mention = b.make(
            EntityMention,
            found.goal.page,
            f"entity {e.text!r}",
            document_id=b.doc_id,
            goal_id=goal_id,
            page=found.goal.page,
            source=found.source,
            label=e.label,
            text=e.text,
            value=e.value,
            unit=e.unit,
            kronor=e.kronor,
            normalized=e.normalized,
        )
        if mention:
            mentions.append(mention)
    return mentions


def build_decision(
    b: Builder, item: DecisionDraft, money: tuple[ParsedValue, ...], where: Where | None
) -> tuple[Decision | None, list[DecisionAmount]]:
    decision = b.make(
        Decision,
        item.page,
        f"decision {item.number}",
        document_id=b.doc_id,
        number=item.number,
        text=item.text,
        page=item.page,
        **box_fields(where, item.page),
    )
    if decision is None:
        return None, []
    amounts = [
        b.make(
            DecisionAmount,
            item.page,
            f"amount {value.raw!r}",
            document_id=b.doc_id,
            decision_number=item.number,
            ordinal=k,
            raw=value.raw,
            value=value.value,
            unit=value.unit,
            kronor=value.kronor,
        )
        for k, value in enumerate(money)
    ]
    return decision, [a for a in amounts if a is not None]


def build_decisions(b: Builder, enriched: EnrichedDocument) -> tuple[list[Decision], list[DecisionAmount]]:
    decisions: list[Decision] = []
    amounts: list[DecisionAmount] = []
    for item, money in zip(enriched.parsed.decisions, enriched.decision_amounts, strict=True):
        decision, found = build_decision(b, item, money, enriched.parsed.places.decisions.get(item.number))
        if decision is not None:
            decisions.append(decision)
            amounts.extend(found)
    return decisions, amounts


def build_finance(b: Builder, enriched: EnrichedDocument) -> list[FinanceLine]:
    lines: list[FinanceLine] = []
    places = enriched.parsed.places.finance_lines
    for k, (line, money) in enumerate(zip(enriched.parsed.finance_lines, enriched.finance_values, strict=True)):
        record = b.make(
            FinanceLine,
            line.page,
            f"money cell {line.raw!r}",
            document_id=b.doc_id,
            table_no=line.table_no,
            goal_id=b.goal_id(line.goal),
            page=line.page,
            title=line.title,
            section=line.section,
            row_no=line.row_no,
            row_label=line.row_label,
            column_label=line.column_label,
            raw=money.raw or line.raw,
            value=money.value,
            unit=money.unit,
            kronor=money.kronor,
            is_total=line.is_total,
            **box_fields(places.get(k), line.page),
        )
        if record:
            lines.append(record)
    return lines


def build_table_cells(b: Builder, table: TableDraft) -> list[TableCell]:
    """Every non-empty cell after a row's first, labelled by the row's first cell and the column's header."""
    cells: list[TableCell] = []
    for row_no, row in enumerate(table.rows):
        label = row[0] if row else ""
        for column_no, raw in enumerate(row):
            if column_no == 0 or not raw:
                continue
            cell = b.make(
                TableCell,
                table.page,
                "table cell",
                document_id=b.doc_id,
                table_no=table.ordinal,
                goal_id=b.goal_id(table.goal),
                page=table.page,
                title=table.title,
                row_no=row_no,
                column_no=column_no,
                row_label=label,
                column_label=table.header[column_no] if column_no < len(table.header) else "",
                raw=raw,
            )
            if cell:
                cells.append(cell)
    return cells


def build_records(enriched: EnrichedDocument, pdf: PdfDocument, source_file: str) -> DocumentRecords:
    """Validate every draft of one document; invalid ones become Failure rows naming page and reason."""
    b = Builder(document_id_of(pdf.sha256), source_file, pdf.sha256)
    document = build_document(b, enriched, pdf)
    if enriched.date.warning:
        b.warn("parse", "invalid_date", 1, f"document date: {enriched.date.warning}", enriched.parsed.metadata.date)
    goals, sections = build_goals(b, enriched)
    indicators, values, cells = build_indicators(b, enriched)
    activities = build_activities(b, enriched)
    decisions, amounts = build_decisions(b, enriched)
    table_cells = [c for t in enriched.parsed.tables for c in build_table_cells(b, t)]
    entities = build_entities(b, enriched)
    finance = build_finance(b, enriched)
    for w in enriched.parsed.warnings:
        b.warn("parse", w.kind, w.page, w.message, w.text)
    return DocumentRecords(
        document=document,
        goals=goals,
        sections=sections,
        indicators=indicators,
        values=values,
        cells=cells,
        activities=activities,
        table_cells=table_cells,
        entities=entities,
        decisions=decisions,
        decision_amounts=amounts,
        finance_lines=finance,
        failures=b.failures,
    )
