"""What the parsers produce: draft records with raw text and page, before validation."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...normalize.text import join_lines
from ...schemas.terms import Kind, Level, WarningKind
from ..where import Places


@dataclass
class MetadataDraft:
    title: str | None = None
    kind: Kind = "other"
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
    level: Level
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
class DecisionDraft:
    """A numbered item under "Förslag till beslut", with the amounts of money it names as printed."""

    number: int
    page: int
    lines: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass
class FinanceLineDraft:
    """One value cell of a money table, with its row and column labels and the table's unit."""

    table_no: int
    goal: int | None
    page: int
    title: str | None
    section: str | None  # the label row above ("Intäkter", "Kostnader"), if any
    row_no: int
    row_label: str
    column_label: str
    raw: str
    unit: str | None  # the table's unit, for cells printed without one
    is_total: bool


@dataclass(frozen=True)
class ParseWarning:
    """Something a parser could not fully understand: the records keep what was found, this reports it."""

    kind: WarningKind
    page: int | None
    message: str
    text: str | None = None  # the printed text concerned, as found


@dataclass
class ParsedDocument:
    metadata: MetadataDraft
    goals: list[GoalDraft]
    indicators: list[IndicatorDraft]
    activities: list[ActivityDraft]
    tables: list[TableDraft]
    decisions: list[DecisionDraft] = field(default_factory=list)
    finance_lines: list[FinanceLineDraft] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    places: Places = field(default_factory=Places)  # where each draft was printed (places.py)
