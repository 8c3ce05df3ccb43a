"""The records malbild stores: one pydantic model per table; fields are the contract's columns."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .terms import Assessment, Kind, Level, Measure, Severity, Stage, Status, ValueKind, WarningKind

GOAL_NUMBER = re.compile(r"^\d+(\.\d+)*$")


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _one_line(value: str | None) -> str | None:
    if value is not None and ("\n" in value or "  " in value):
        raise ValueError("must be one line with single spaces")
    return value


class Placed(Record):
    """A record with the box its text was printed in on `page`: PDF points, origin top-left; None if not found."""

    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    page_end: int | None = Field(default=None, ge=1)  # the last page the text is on

    @model_validator(mode="after")
    def check_box(self) -> Placed:
        box = (self.x0, self.top, self.x1, self.bottom)
        if all(v is None for v in box):
            return self
        if any(v is None for v in box):
            raise ValueError("a box needs all of x0, top, x1 and bottom")
        x0, top, x1, bottom = (float(v) for v in box if v is not None)
        if x0 > x1 or top > bottom:
            raise ValueError(f"box ({x0}, {top}, {x1}, {bottom}) is not x0 <= x1, top <= bottom")
        page = getattr(self, "page", None)
        if self.page_end is not None and page is not None and self.page_end < page:
            raise ValueError(f"page_end {self.page_end} is before page {page}")
        return self


class Document(Record):
    document_id: str = Field(min_length=8)
    source_file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: Kind = "other"
    year: int | None = Field(default=None, ge=1900, le=2100)
    organisation: str | None = None
    unit: str | None = None
    title: str | None = None
    pages: int = Field(ge=0)
    district: str | None = None
    dnr: str | None = None
    date: dt.date | None = None
    handlaggare: str | None = None
    needs_ocr: bool = False

    @field_validator("title")
    @classmethod
    def check_title_one_line(cls, value: str | None) -> str | None:
        return _one_line(value)


class Goal(Placed):
    goal_id: str
    document_id: str
    level: Level
    number: str | None = None
    number_raw: str | None = None
    title: str = Field(min_length=1)
    title_norm: str | None = None
    parent_goal_id: str | None = None
    assessment: Assessment | None = None
    page: int = Field(ge=1)
    ordinal: int = Field(ge=0)

    @field_validator("title")
    @classmethod
    def check_title_one_line(cls, value: str | None) -> str | None:
        return _one_line(value)

    @field_validator("number")
    @classmethod
    def check_number(cls, value: str | None) -> str | None:
        if value is not None and not GOAL_NUMBER.match(value):
            raise ValueError(f"goal number {value!r} is not like 1.2.3")
        return value


class GoalSection(Record):
    goal_id: str
    ordinal: int = Field(ge=0)
    heading: str
    text: str


class Indicator(Placed):
    indicator_id: str
    document_id: str
    goal_id: str | None
    name: str = Field(min_length=1)
    name_norm: str | None = None
    gender_indicator: bool = False
    period: str | None = None
    analysis: str | None = None
    page: int = Field(ge=1)
    ordinal: int = Field(ge=0)

    @field_validator("name")
    @classmethod
    def check_name_one_line(cls, value: str | None) -> str | None:
        return _one_line(value)


class IndicatorValue(Placed):
    indicator_id: str
    measure: Measure
    header: str
    raw: str = Field(min_length=1)
    value: float | None = None
    unit: str | None = None
    value_kind: ValueKind
    kronor: float | None = None
    page: int | None = Field(default=None, ge=1)  # the page of its box (the indicator's page if not found)


class IndicatorCell(Record):
    """Every value cell as printed under its header, mapped or not (for layouts we do not know)."""

    indicator_id: str
    column: int = Field(ge=0)
    header: str
    measure: str | None
    raw: str


class Activity(Placed):
    activity_id: str
    document_id: str
    goal_id: str | None
    text: str = Field(min_length=1)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start_raw: str | None = None
    end_raw: str | None = None
    status: Status | None = None
    deviation: str | None = None
    analysis: str | None = None
    date_warning: str | None = None
    page: int = Field(ge=1)
    ordinal: int = Field(ge=0)

    @field_validator("text")
    @classmethod
    def check_text_one_line(cls, value: str | None) -> str | None:
        return _one_line(value)


class EntityMention(Record):
    """An amount, percentage, date or organisation named in a goal's title or text."""

    document_id: str
    goal_id: str | None
    page: int = Field(ge=1)
    source: Literal["title", "section"]
    label: Literal["MONEY", "PERCENT", "DATE", "ORG"]
    text: str = Field(min_length=1)
    value: float | None = None
    unit: str | None = None
    kronor: float | None = None
    normalized: str | None = None


class Decision(Placed):
    """A numbered item under "Förslag till beslut"."""

    document_id: str
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    page: int = Field(ge=1)


class DecisionAmount(Record):
    document_id: str
    decision_number: int = Field(ge=1)
    ordinal: int = Field(ge=0)
    raw: str
    value: float | None
    unit: str | None
    kronor: float | None


class FinanceLine(Placed):
    """One value cell of a money table, in long form, with the amount in kronor."""

    document_id: str
    table_no: int = Field(ge=0)
    goal_id: str | None
    page: int = Field(ge=1)
    title: str | None
    section: str | None
    row_no: int = Field(ge=0)
    row_label: str
    column_label: str
    raw: str = Field(min_length=1)
    value: float | None
    unit: str | None
    kronor: float | None
    is_total: bool


class TableCell(Record):
    """A cell of a table that is neither an indicator nor an activity table."""

    document_id: str
    table_no: int = Field(ge=0)
    goal_id: str | None
    page: int = Field(ge=1)
    title: str | None
    row_no: int = Field(ge=0)
    column_no: int = Field(ge=0)
    row_label: str
    column_label: str
    raw: str


class Failure(Record):
    """A file, or one record of it, that could not be stored, with the stage and the reason."""

    source_file: str
    sha256: str | None = None
    stage: Stage
    page: int | None = None
    message: str
    severity: Severity = "error"
    kind: WarningKind | None = None
    text: str | None = None
    detail: str | None = None  # the exception chain, for --verbose and bug reports
    failed_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


class DocumentRecords(BaseModel):
    """Every validated record of one document: what the loader stores in one transaction."""

    model_config = ConfigDict(frozen=True)

    document: Document
    goals: list[Goal] = []
    sections: list[GoalSection] = []
    indicators: list[Indicator] = []
    values: list[IndicatorValue] = []
    cells: list[IndicatorCell] = []
    activities: list[Activity] = []
    table_cells: list[TableCell] = []
    entities: list[EntityMention] = []
    decisions: list[Decision] = []
    decision_amounts: list[DecisionAmount] = []
    finance_lines: list[FinanceLine] = []
    failures: list[Failure] = []  # records of this document that failed validation
