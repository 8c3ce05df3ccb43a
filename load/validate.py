"""Draft records → validated schema records with stable ids; a record that fails is reported, not dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from malbild import __version__
from malbild.extract.model import PdfDocument
from malbild.extract.parse.decisions import amounts_in
from malbild.extract.parse.drafts import ParsedDocument
from malbild.normalize.dates import parse_date
from malbild.normalize.entities import find_entities
from malbild.normalize.lemmas import normalized_titles
from malbild.normalize.numbers import MONEY_SCALE, parse_value
from malbild.schemas.records import (
    MEASURES,
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

M = TypeVar("M", bound=BaseModel)
VERSION = __version__


def document_id_of(sha256: str) -> str:
    return sha256[:16]


def _goal_id(doc_id: str, ordinal: int | None) -> str | None:
    return None if ordinal is None else f"{doc_id}:g{ordinal:04d}"


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']} (got {err.get('input')!r:.60})")
    return "; ".join(parts)


def build_records(parsed: ParsedDocument, pdf: PdfDocument, source_file: str) -> DocumentRecords:
    """Validate every draft of one document; invalid ones become Failure rows naming page and reason."""
    doc_id = document_id_of(pdf.sha256)
    failures: list[Failure] = []

    def make(model: Callable[..., M], at_page: int | None, what: str, /, **fields) -> M | None:
        try:
            return model(**fields)
        except ValidationError as exc:
            failures.append(
                Failure(
                    source_file=source_file,
                    sha256=pdf.sha256,
                    stage="validate",
                    page=at_page,
                    message=f"{what} skipped: {_error_text(exc)}",
                )
            )
            return None

    meta = parsed.metadata
    date, date_warning = parse_date(meta.date)
    document = Document(
        document_id=doc_id,
        source_file=source_file,
        sha256=pdf.sha256,
        kind=meta.kind,
        year=meta.year,
        organisation=meta.organisation,
        unit=meta.unit,
        title=meta.title,
        pages=pdf.page_count,
        district=meta.district,
        dnr=meta.dnr,
        date=date,
        handlaggare=meta.handlaggare,
        needs_ocr=pdf.needs_ocr,
    )
    goals: list[Goal] = []
    sections: list[GoalSection] = []
    valid_goals: set[int] = set()
    title_norms = normalized_titles(g.title for g in parsed.goals)
    for g, title_norm in zip(parsed.goals, title_norms, strict=True):
        parent = g.parent if g.parent in valid_goals else None
        goal = make(
            Goal,
            g.page,
            f"goal {g.title[:50]!r}",
            goal_id=_goal_id(doc_id, g.ordinal),
            document_id=doc_id,
            level=g.level,
            number=g.number,
            number_raw=g.number_raw,
            title=g.title,
            title_norm=title_norm,
            parent_goal_id=_goal_id(doc_id, parent),
            assessment=g.assessment,
            page=g.page,
            ordinal=g.ordinal,
        )
        if goal is None:
            continue
        goals.append(goal)
        valid_goals.add(g.ordinal)
        for k, (heading, text) in enumerate(g.sections):
            section = make(
                GoalSection,
                g.page,
                "goal section",
                goal_id=goal.goal_id,
                ordinal=k,
                heading=heading,
                text=text,
            )
            if section:
                sections.append(section)

    def owner(ordinal: int | None) -> str | None:
        return _goal_id(doc_id, ordinal) if ordinal in valid_goals else None

    indicators: list[Indicator] = []
    values: list[IndicatorValue] = []
    cells: list[IndicatorCell] = []
    name_norms = normalized_titles(ind.name for ind in parsed.indicators)
    for ind, name_norm in zip(parsed.indicators, name_norms, strict=True):
        indicator_id = f"{doc_id}:i{ind.ordinal:04d}"
        record = make(
            Indicator,
            ind.page,
            f"indicator {ind.name[:50]!r}",
            indicator_id=indicator_id,
            document_id=doc_id,
            goal_id=owner(ind.goal),
            name=ind.name,
            name_norm=name_norm,
            gender_indicator=ind.gender_indicator,
            period=ind.period,
            analysis=ind.analysis,
            page=ind.page,
            ordinal=ind.ordinal,
        )
        if record is None:
            continue
        indicators.append(record)
        seen: set[str] = set()
        for column, cell in enumerate(ind.values):
            cell_record = make(
                IndicatorCell,
                ind.page,
                "indicator cell",
                indicator_id=indicator_id,
                column=column,
                header=cell.header,
                measure=cell.measure,
                raw=cell.raw,
            )
            if cell_record:
                cells.append(cell_record)
            if cell.measure not in MEASURES or cell.measure in seen:
                continue
            seen.add(cell.measure)
            parsed_value = parse_value(cell.raw)
            value = make(
                IndicatorValue,
                ind.page,
                f"value {cell.raw!r} of {ind.name[:40]!r}",
                indicator_id=indicator_id,
                measure=cell.measure,
                header=cell.header,
                raw=parsed_value.raw or cell.raw,
                value=parsed_value.value,
                unit=parsed_value.unit,
                value_kind=parsed_value.kind,
                kronor=parsed_value.kronor,
            )
            if value:
                values.append(value)

    activities: list[Activity] = []
    for act in parsed.activities:
        start, start_warning = parse_date(act.start_raw)
        end, end_warning = parse_date(act.end_raw)
        for warning in (start_warning, end_warning):
            if warning:
                failures.append(
                    Failure(
                        source_file=source_file,
                        sha256=pdf.sha256,
                        stage="parse",
                        page=act.page,
                        message=f"activity {act.text[:40]!r}: {warning}",
                    )
                )
        record = make(
            Activity,
            act.page,
            f"activity {act.text[:50]!r}",
            activity_id=f"{doc_id}:a{act.ordinal:04d}",
            document_id=doc_id,
            goal_id=owner(act.goal),
            text=act.text,
            start_date=start,
            end_date=end,
            start_raw=act.start_raw,
            end_raw=act.end_raw,
            status=act.status,
            deviation=act.deviation,
            analysis=act.analysis,
            date_warning=date_warning,
            page=act.page,
            ordinal=act.ordinal,
        )
        if record:
            activities.append(record)

    mentions: list[EntityMention] = []
    sources = [(g, "title", g.title) for g in parsed.goals if g.ordinal in valid_goals]
    sources += [(g, "section", text) for g in parsed.goals if g.ordinal in valid_goals for _h, text in g.sections]
    for (g, source, _text), found in zip(sources, find_entities(t for _g, _s, t in sources), strict=True):
        for e in found:
            mention = make(
                EntityMention,
                g.page,
                f"entity {e.text!r}",
                document_id=doc_id,
                goal_id=_goal_id(doc_id, g.ordinal),
                page=g.page,
                source=source,
                label=e.label,
                text=e.text,
                value=e.value,
                unit=e.unit,
                kronor=e.kronor,
                normalized=e.normalized,
            )
            if mention:
                mentions.append(mention)

    decisions: list[Decision] = []
    amounts: list[DecisionAmount] = []
    for item in parsed.decisions:
        decision = make(
            Decision,
            item.page,
            f"decision {item.number}",
            document_id=doc_id,
            number=item.number,
            text=item.text,
            page=item.page,
        )
        if decision is None:
            continue
        decisions.append(decision)
        for k, raw in enumerate(amounts_in(item.text)):
            money = parse_value(raw)
            amount = make(
                DecisionAmount,
                item.page,
                f"amount {raw!r}",
                document_id=doc_id,
                decision_number=item.number,
                ordinal=k,
                raw=money.raw,
                value=money.value,
                unit=money.unit,
                kronor=money.kronor,
            )
            if amount:
                amounts.append(amount)

    finance: list[FinanceLine] = []
    for line in parsed.finance_lines:
        money = parse_value(line.raw)
        unit = money.unit or (line.unit if money.value is not None else None)
        kronor = money.kronor
        if kronor is None and money.value is not None and unit in MONEY_SCALE:
            kronor = money.value * MONEY_SCALE[unit]
        record = make(
            FinanceLine,
            line.page,
            f"money cell {line.raw!r}",
            document_id=doc_id,
            table_no=line.table_no,
            goal_id=owner(line.goal),
            page=line.page,
            title=line.title,
            section=line.section,
            row_no=line.row_no,
            row_label=line.row_label,
            column_label=line.column_label,
            raw=money.raw or line.raw,
            value=money.value,
            unit=unit,
            kronor=kronor,
            is_total=line.is_total,
        )
        if record:
            finance.append(record)

    table_cells: list[TableCell] = []
    for table in parsed.tables:
        for row_no, row in enumerate(table.rows):
            label = row[0] if row else ""
            for column_no, raw in enumerate(row):
                if column_no == 0 or not raw:
                    continue
                header = table.header[column_no] if column_no < len(table.header) else ""
                cell = make(
                    TableCell,
                    table.page,
                    "table cell",
                    document_id=doc_id,
                    table_no=table.ordinal,
                    goal_id=owner(table.goal),
                    page=table.page,
                    title=table.title,
                    row_no=row_no,
                    column_no=column_no,
                    row_label=label,
                    column_label=header,
                    raw=raw,
                )
                if cell:
                    table_cells.append(cell)

    if date_warning:
        failures.append(
            Failure(
                source_file=source_file,
                sha256=pdf.sha256,
                stage="parse",
                page=1,
                message=f"document date: {date_warning}",
            )
        )
    for page, message in parsed.warnings:
        failures.append(Failure(source_file=source_file, sha256=pdf.sha256, stage="parse", page=page, message=message))
    return DocumentRecords(
        document=document,
        goals=goals,
        sections=sections,
        indicators=indicators,
        values=values,
        cells=cells,
        activities=activities,
        table_cells=table_cells,
        entities=mentions,
        decisions=decisions,
        decision_amounts=amounts,
        finance_lines=finance,
        failures=failures,
    )
