"""The contract's vocabulary (../shared/CONTRACT.md), defined once: every other module imports it from here."""

from __future__ import annotations

from typing import Literal, get_args

Level = Literal["inriktningsmal", "kf_mal", "namndmal", "enhetsmal"]
Kind = Literal["verksamhetsplan", "verksamhetsberattelse", "tertialrapport", "bilaga", "other"]
Assessment = Literal["helt", "delvis", "inte"]
Status = Literal["done", "ongoing", "cancelled"]
Measure = Literal[
    "outcome",
    "outcome_men",
    "outcome_women",
    "outcome_previous",
    "forecast",
    "annual_target",
    "kf_annual_target",
]
# Where a failure or warning arose.
Stage = Literal["open", "extract", "parse", "validate", "load", "unknown"]
# A failure stops a file (nothing of it is stored); a warning is about part of a file that was stored.
Severity = Literal["error", "warning"]
# What a warning is about, so an analyst can filter them (failures.kind).
WarningKind = Literal[
    "invalid_record",  # a record failed validation and was skipped
    "invalid_date",  # a printed date could not be read
    "empty_table",  # a table header with no rows under it
    "unmapped_column",  # a value column whose header maps to no measure (cells kept in indicator_cells)
    "unmapped_table",  # a table kept as a generic table, or with fewer columns mapped than it has
    "guessed_heading",  # a goal heading whose extent or level had to be guessed
    "no_goal_structure",  # no goals, indicators or activities found in the document
    "unread_text",  # text that no record took
    "page_count_mismatch",  # the pages read differ from the page count the file declares
    "reader_fallback",  # the default reader failed and the other one read the file
    "needs_ocr",  # no text layer
    "duplicate_content",  # the same content was given under another file name
    "damaged_file",  # the reader read past damage it reported (a corrupt stream, a bad object)
    "unlocated",  # a record's printed text was not found on its page: it is stored without a box
]
# The kind of value a cell holds (normalize.numbers classifies each cell).
ValueKind = Literal["number", "empty", "to_be_set_by_board", "not_applicable", "tolerance", "text"]
# Money units, canonical spelling.
MoneyUnit = Literal["kr", "tkr", "mnkr", "mdkr"]

# Goal levels, top of the hierarchy first.
LEVELS: tuple[Level, ...] = get_args(Level)
KINDS: tuple[Kind, ...] = get_args(Kind)
ASSESSMENTS: tuple[Assessment, ...] = get_args(Assessment)
STATUSES: tuple[Status, ...] = get_args(Status)
MEASURES: tuple[Measure, ...] = get_args(Measure)
STAGES: tuple[Stage, ...] = get_args(Stage)
WARNING_KINDS: tuple[WarningKind, ...] = get_args(WarningKind)
VALUE_KINDS: tuple[ValueKind, ...] = get_args(ValueKind)

# Factor from each money unit to kronor.
MONEY_SCALE: dict[str, float] = {"kr": 1.0, "tkr": 1_000.0, "mnkr": 1_000_000.0, "mdkr": 1_000_000_000.0}
MONEY_UNITS: tuple[MoneyUnit, ...] = get_args(MoneyUnit)

# indicator_values_by_year: each measure's kind, gender (Kolada's T/K/M) and year offset from the document's year.
MEASURE_KIND: dict[str, str] = {
    "outcome": "outcome",
    "outcome_men": "outcome",
    "outcome_women": "outcome",
    "outcome_previous": "outcome",
    "forecast": "forecast",
    "annual_target": "target",
    "kf_annual_target": "kf_target",
}
MEASURE_GENDER: dict[str, str] = {
    "outcome": "T",
    "outcome_men": "M",
    "outcome_women": "K",
    "outcome_previous": "T",
    "forecast": "T",
    "annual_target": "T",
    "kf_annual_target": "T",
}
MEASURE_YEAR_OFFSET: dict[str, int] = {"outcome_previous": -1}
