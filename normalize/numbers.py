"""Parse Swedish-formatted numbers and units from plan/report table cells."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..schemas.terms import MONEY_SCALE, ValueKind

KIND_NUMBER: ValueKind = "number"
KIND_EMPTY: ValueKind = "empty"
KIND_TO_BE_SET: ValueKind = "to_be_set_by_board"
KIND_NOT_APPLICABLE: ValueKind = "not_applicable"
KIND_TOLERANCE: ValueKind = "tolerance"
KIND_TEXT: ValueKind = "text"

# Spelling as printed (lower-cased) -> canonical unit.
UNITS: dict[str, str] = {
    "%": "%",
    "procent": "%",
    "st": "st",
    "st.": "st",
    "stycken": "st",
    "kr": "kr",
    "kronor": "kr",
    "sek": "kr",
    "tkr": "tkr",
    "tsek": "tkr",
    "tusen kronor": "tkr",
    "mnkr": "mnkr",
    "mkr": "mnkr",
    "msek": "mnkr",
    "miljoner kronor": "mnkr",
    "mdkr": "mdkr",
    "mdr": "mdkr",
    "mdr kr": "mdkr",
    "miljarder kronor": "mdkr",
    "gwh": "GWh",
    "mwh": "MWh",
    "kwh": "kWh",
    "dagar": "dagar",
    "dag": "dag",
    "timmar": "timmar",
    "h": "h",
    "år": "år",
    "månader": "månader",
    "veckor": "veckor",
    "personer": "personer",
    "ton": "ton",
    "kg": "kg",
    "m2": "m²",
    "m²": "m²",
}

# Every printed spelling of a money unit, longest first, and as a regex alternation ("miljoner\s+kronor|…").
MONEY_SPELLINGS: tuple[str, ...] = tuple(
    sorted((s for s, u in UNITS.items() if u in MONEY_SCALE), key=len, reverse=True)
)
MONEY_UNIT_PATTERN = "|".join(re.escape(s).replace("\\ ", r"\s+") for s in MONEY_SPELLINGS)

# Leading signs seen in the documents: hyphen-minus, U+2212 MINUS SIGN, U+2013 EN DASH, plus.
_NEGATIVE_SIGNS = "-\u2212\u2013"
_NEGATIVE_CLASS = "".join(re.escape(char) for char in _NEGATIVE_SIGNS)
_SIGN = rf"[+{_NEGATIVE_CLASS}]"
# Integer part: space-grouped thousands ("1 643") or plain digits ("2019"); then optional ",dd" or ".dd".
_NUMBER = r"(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[,.][0-9]+)?"

_NUMBER_RE = re.compile(rf"(?P<sign>{_SIGN})?(?P<num>{_NUMBER})")
_VALUE_RE = re.compile(rf"(?P<sign>{_SIGN})?(?P<num>{_NUMBER})(?: ?(?P<unit>\S.*))?")
_TOLERANCE_RE = re.compile(
    rf"(?:\+ ?/ ?[{_NEGATIVE_CLASS}]|\+[{_NEGATIVE_CLASS}]|±) ?(?P<num>{_NUMBER})(?: ?(?P<unit>\S.*))?"
)
_TO_BE_SET_RE = re.compile(r"(?:tas fram av \w*(?:nämnd|styrelse)|fastställs\b)", re.IGNORECASE)

_NOT_APPLICABLE = frozenset(
    {
        "-",
        "\u2013",
        "\u2014",
        "\u2212",
        "ej aktuellt",
        "ej aktuell",
        "ej tillämpligt",
        "ej tillämplig",
        "n/a",
        "saknas",
        "ingen mätning",
        "mäts ej",
    }
)


@dataclass(frozen=True)
class ParsedValue:
    """One table cell: the collapsed raw text plus its number, unit and classification."""

    raw: str
    value: float | None
    unit: str | None
    kind: ValueKind
    kronor: float | None


def collapse_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (NBSP, thin spaces, newlines) to one space, stripped."""
    return " ".join(text.split())


def _to_decimal(sign: str | None, num: str) -> Decimal | None:
    """Turn a matched sign and Swedish number body into a Decimal; None if not finite as a float."""
    amount = Decimal(num.replace(" ", "").replace(",", "."))  # the regex only admits valid bodies
    if not math.isfinite(float(amount)):
        return None
    return -amount if sign and sign in _NEGATIVE_SIGNS else amount


def _canonical_unit(unit: str | None) -> tuple[bool, str | None]:
    """Look up a printed unit; returns (known, canonical) where no unit at all counts as known."""
    if unit is None:
        return True, None
    canonical = UNITS.get(unit.lower())
    return canonical is not None, canonical


def _kronor(amount: Decimal, unit: str | None) -> float | None:
    """Value in kronor for money units, computed exactly so 5958,6 tkr is 5958600.0 and not 5958599.99…."""
    if unit not in MONEY_SCALE:
        return None
    return float(amount * Decimal(repr(MONEY_SCALE[unit])))


def _number_value(raw: str, match: re.Match[str], kind: ValueKind) -> ParsedValue | None:
    """Build a ParsedValue from a number/tolerance match, or None when its unit is unknown."""
    known, unit = _canonical_unit(match.group("unit"))
    sign = match.groupdict().get("sign")
    amount = _to_decimal(sign, match.group("num"))
    if not known or amount is None:
        return None
    return ParsedValue(raw=raw, value=float(amount), unit=unit, kind=kind, kronor=_kronor(amount, unit))


def _text_kind(raw: str) -> ValueKind:
    """Classify a cell that is not a number: placeholder for the board, not applicable, or free text."""
    if _TO_BE_SET_RE.match(raw):
        return KIND_TO_BE_SET
    if raw.lower() in _NOT_APPLICABLE:
        return KIND_NOT_APPLICABLE
    return KIND_TEXT


def parse_value(raw: str | None) -> ParsedValue:
    """Parse one table cell ("5 958,6 tkr", "−0,9", "Tas fram av nämnd") without ever raising."""
    text = collapse_whitespace(raw or "")
    if not text:
        return ParsedValue(raw="", value=None, unit=None, kind=KIND_EMPTY, kronor=None)
    match = _VALUE_RE.fullmatch(text)
    if match:
        parsed = _number_value(text, match, KIND_NUMBER)
        if parsed is not None:
            return parsed
    match = _TOLERANCE_RE.fullmatch(text)
    if match:
        parsed = _number_value(text, match, KIND_TOLERANCE)
        if parsed is not None:
            return parsed
    return ParsedValue(raw=text, value=None, unit=None, kind=_text_kind(text), kronor=None)


def with_table_unit(parsed: ParsedValue, unit: str | None) -> ParsedValue:
    """A number printed without a unit takes the unit its table states ("Beloppen anges i tkr")."""
    if parsed.unit is not None or parsed.value is None or unit is None:
        return parsed
    return replace(parsed, unit=unit, kronor=_kronor(Decimal(repr(parsed.value)), unit))


def parse_number(text: str) -> float | None:
    """Parse text that is exactly one Swedish number ("1 643,1", "−0,9"); None for anything else."""
    match = _NUMBER_RE.fullmatch(collapse_whitespace(text))
    if not match:
        return None
    amount = _to_decimal(match.group("sign"), match.group("num"))
    return None if amount is None else float(amount)


def format_swedish(value: float, decimals: int = 0, thousands: str = " ") -> str:
    """Format a number the way the documents print it (1643.1 -> "1 643,1"), for display and round trips."""
    if not math.isfinite(value):
        raise ValueError(f"cannot format non-finite number {value!r}")
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    return format(value, f",.{decimals}f").translate({ord(","): thousands, ord("."): ","})
