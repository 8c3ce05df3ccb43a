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
