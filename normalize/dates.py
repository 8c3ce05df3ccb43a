"""Parse ISO and Swedish written dates ("2019-01-01", "13 februari 2019", "31 dec. 2019")."""

from __future__ import annotations

import datetime
import re

# Full Swedish month names and the abbreviations used in the documents -> month number.
MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}

# Cells that mean "no date" and are not worth a warning.
_NO_DATE = frozenset({"", "-", "\u2013", "\u2014", "\u2212"})

# Hyphen-minus, U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN and U+2013 EN DASH all occur between date parts.
_DATE_DASH = "[-\u2010\u2011\u2013]"
_MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = (
    rf"(?P<iso_year>[0-9]{{4}}){_DATE_DASH}"
    rf"(?P<iso_month>[0-9]{{1,2}}){_DATE_DASH}"
    rf"(?P<iso_day>[0-9]{{1,2}})"
)
_WRITTEN = rf"(?P<day>[0-9]{{1,2}})\.? (?P<month>{_MONTH_ALTERNATION})\.?(?!\w) (?P<year>[0-9]{{4}})"

_DATE_RE = re.compile(rf"{_ISO}|{_WRITTEN}", re.IGNORECASE)
_DATE_IN_TEXT_RE = re.compile(rf"(?<![0-9])(?:{_ISO}|{_WRITTEN})(?![0-9])", re.IGNORECASE)


def _collapse(text: str) -> str:
    """Collapse whitespace runs (NBSP, newlines) to single spaces so written dates match one pattern."""
    return " ".join(text.split())


def _date_from_match(match: re.Match[str]) -> datetime.date | None:
    """Build a date from an ISO or written-date match; None when the parts are not a real date."""
    if match.group("iso_year"):
        parts = (match.group("iso_year"), match.group("iso_month"), match.group("iso_day"))
        year, month, day = (int(part) for part in parts)
    else:
        year = int(match.group("year"))
        month = MONTHS[match.group("month").lower()]
        day = int(match.group("day"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> tuple[datetime.date | None, str | None]:
    """Parse a date cell to (date, warning): blanks/dashes give (None, None), junk a warning; never raises."""
    cleaned = _collapse(text or "")
    if cleaned in _NO_DATE:
        return None, None
    match = _DATE_RE.fullmatch(cleaned)
    parsed = _date_from_match(match) if match else None
    if parsed is None:
        return None, f"invalid date {cleaned!r}"
    return parsed, None


def parse_swedish_date_in_text(text: str) -> datetime.date | None:
    """Find the first valid date (ISO or "13 februari 2019") inside longer text, e.g. "Datum 2016-12-13"."""
    for match in _DATE_IN_TEXT_RE.finditer(_collapse(text)):
        parsed = _date_from_match(match)
        if parsed is not None:
            return parsed
    return None
