"""The enrichment step: one parsed document's raw strings turned into typed values, dates, lemmas and entities."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..extract.parse.drafts import ActivityDraft, FinanceLineDraft, GoalDraft, ParsedDocument
from .dates import parse_date
from .entities import Entity, find_entities
from .lemmas import normalized_titles
from .numbers import ParsedValue, parse_value, with_table_unit


@dataclass(frozen=True)
class ParsedDate:
    value: datetime.date | None
    warning: str | None  # why a printed date could not be read, else None


@dataclass(frozen=True)
class GoalEntity:
    """An entity named in a goal's title or in the text under it."""

    goal: GoalDraft
    source: str  # "title" or "section"
    entity: Entity


@dataclass(frozen=True)
class EnrichedDocument:
    """A ParsedDocument with every typed field computed; each tuple runs parallel to the drafts it enriches."""

    parsed: ParsedDocument
    date: ParsedDate
    goal_norms: tuple[str, ...]  # per goal
    indicator_norms: tuple[str, ...]  # per indicator
    cell_values: tuple[tuple[ParsedValue, ...], ...]  # per indicator, per value cell
    activity_dates: tuple[tuple[ParsedDate, ParsedDate], ...]  # per activity: start, end
    decision_amounts: tuple[tuple[ParsedValue, ...], ...]  # per decision, per amount
    finance_values: tuple[ParsedValue, ...]  # per finance line
    entities: tuple[GoalEntity, ...]


def _date(text: str | None) -> ParsedDate:
    return ParsedDate(*parse_date(text))


def _activity_dates(activity: ActivityDraft) -> tuple[ParsedDate, ParsedDate]:
    return _date(activity.start_raw), _date(activity.end_raw)


def _finance_value(line: FinanceLineDraft) -> ParsedValue:
    return with_table_unit(parse_value(line.raw), line.unit)


def goal_entities(goals: list[GoalDraft]) -> tuple[GoalEntity, ...]:
    """Amounts, percentages, dates and organisations in each goal's title and section texts."""
    sources = [(g, "title", g.title) for g in goals]
    sources += [(g, "section", text) for g in goals for _heading, text in g.sections]
    found = find_entities(text for _g, _s, text in sources)
    return tuple(
        GoalEntity(goal, source, entity)
        for (goal, source, _text), entities in zip(sources, found, strict=True)
        for entity in entities
    )


def enrich(parsed: ParsedDocument) -> EnrichedDocument:
    """Compute every typed field of a parsed document (numbers, units, dates, lemmas, entities)."""
    return EnrichedDocument(
        parsed=parsed,
        date=_date(parsed.metadata.date),
        goal_norms=tuple(normalized_titles(g.title for g in parsed.goals)),
        indicator_norms=tuple(normalized_titles(i.name for i in parsed.indicators)),
        cell_values=tuple(tuple(parse_value(v.raw) for v in i.values) for i in parsed.indicators),
        activity_dates=tuple(_activity_dates(a) for a in parsed.activities),
        decision_amounts=tuple(tuple(parse_value(raw) for raw in d.amounts) for d in parsed.decisions),
        finance_values=tuple(_finance_value(line) for line in parsed.finance_lines),
        entities=goal_entities(parsed.goals),
    )
