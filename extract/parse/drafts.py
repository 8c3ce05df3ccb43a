"""What the parsers produce: draft records with raw text and page, before validation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MetadataDraft:
    title: str | None = None
    kind: str = "other"
    year: int | None = None
    organisation: str | None = None
    unit: str | None = None
    district: str | None = None
    dnr: str | None = None
    date: str | None = None  # ISO date as printed on the first page
    handlaggare: str | None = None


@dataclass
class GoalDraft:
    ordinal: int
    level: str
    title: str
    page: int
    number: str | None = None
    number_raw: str | None = None
    parent: int | None = None  # ordinal of the enclosing goal
    assessment: str | None = None
    sections: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ValueDraft:
    measure: str | None  # contract measure, None for a column we keep but do not map
    header: str
    raw: str


@dataclass
class IndicatorDraft:
    ordinal: int
    goal: int | None
    name: str
    page: int
    gender_indicator: bool = False
    marks: str = ""
    period: str | None = None
    analysis: str | None = None
    values: list[ValueDraft] = field(default_factory=list)


@dataclass
class ActivityDraft:
    ordinal: int
    goal: int | None
    text: str
    page: int
    start_raw: str | None = None
    end_raw: str | None = None
    status: str | None = None
    deviation: str | None = None
    analysis: str | None = None


@dataclass
class TableDraft:
    """A table that is neither an indicator nor an activity table (money tables, statistics)."""

    ordinal: int
    goal: int | None
    page: int
    header: list[str]
    rows: list[list[str]]
    title: str | None = None  # the line printed just above the table, if any


@dataclass
class ParsedDocument:
    metadata: MetadataDraft
    goals: list[GoalDraft]
    indicators: list[IndicatorDraft]
    activities: list[ActivityDraft]
    tables: list[TableDraft]
    decisions: list = field(default_factory=list)  # DecisionDraft
    finance_lines: list = field(default_factory=list)  # FinanceLineDraft
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # (page, message)
