"""Swedish labels of the documents, mapped to the contract's values. Data, not logic."""

from __future__ import annotations

import re
from typing import Literal

from ...normalize.numbers import MONEY_SPELLINGS
from ...schemas.terms import Assessment, Kind, Level, Measure, Status

# How each level and measure is printed, for reports.
LEVEL_NAMES: dict[str, str] = {
    "inriktningsmal": "KF:s inriktningsmål",
    "kf_mal": "KF:s mål för verksamhetsområdet",
    "namndmal": "Nämndmål",
    "enhetsmal": "Enhetsmål",
}
MEASURE_NAMES: dict[str, str] = {
    "outcome": "Periodens utfall",
    "outcome_men": "Utfall män/pojkar",
    "outcome_women": "Utfall kvinnor/flickor",
    "outcome_previous": "Föregående års utfall",
    "forecast": "Prognos helår",
    "annual_target": "Årsmål",
    "kf_annual_target": "KF:s årsmål",
}

# Goal level labels ("KF:s inriktningsmål:") → contract level.
LEVEL_LABELS: list[tuple[re.Pattern[str], Level]] = [
    (re.compile(r"^(?:kf:?s\s+)?inriktningsm[åa]l\b", re.I), "inriktningsmal"),
    (re.compile(r"^(?:kf:?s\s+)?m[åa]l\s+för\s+verksamhetsområdet\b", re.I), "kf_mal"),
    (re.compile(r"^kf:?s\s+verksamhetsm[åa]l\b", re.I), "kf_mal"),
    (re.compile(r"^(?:nämndm[åa]l|namndmal|nämndens\s+m[åa]l|styrelsens\s+m[åa]l)\b", re.I), "namndmal"),
    (re.compile(r"^(?:enhetsm[åa]l|enhetens\s+m[åa]l)\b", re.I), "enhetsmal"),
]

# "● Uppfylls helt", "Uppfylles delvis", "Målet uppfylls inte", "Uppfylls ej".
ASSESSMENT = re.compile(
    r"^\W*(?:bedömning\s*:?\s*)?(?:målet\s+)?(?:uppfyll\w*|uppnå\w*)\s+(helt|delvis|inte|ej)\b", re.I
)
ASSESSMENT_VALUES: dict[str, Assessment] = {"helt": "helt", "delvis": "delvis", "inte": "inte", "ej": "inte"}

# Section headings inside a goal.
SECTION_HEADINGS = re.compile(
    r"^(beskrivning|förväntat\s+resultat|förväntade\s+resultat|arbetss?ätt|uppföljning|analys)\b", re.I
)

# First header cell of the tables we parse.
INDICATOR_TABLE = re.compile(r"^(indikator|indikatorer|nyckeltal)$", re.I)
ACTIVITY_TABLE = re.compile(r"^(aktivitet|aktiviteter)$", re.I)

# Indicator table header text (normalised: lower case, one space) → contract measure.
# Checked in order; the first pattern that matches names the column.
INDICATOR_COLUMNS: list[tuple[re.Pattern[str], Measure | Literal["name", "period"]]] = [
    (re.compile(r"^(indikator|indikatorer|nyckeltal)$"), "name"),
    (re.compile(r"^(period|periodicitet|frekvens)$"), "period"),
    (re.compile(r"\bmän\b|\bpojkar\b"), "outcome_men"),
    (re.compile(r"\bkvinnor\b|\bflickor\b"), "outcome_women"),
    (re.compile(r"utfall.*(\b(19|20)\d\d\b|föregående)"), "outcome_previous"),
    (re.compile(r"utfall"), "outcome"),
    (re.compile(r"prognos"), "forecast"),
    (re.compile(r"^kf[:']?s\b.*m[åa]l"), "kf_annual_target"),
    (re.compile(r"[åa]rsm[åa]l|^m[åa]l\b|målvärde"), "annual_target"),
]

# Activity table header → field.
ACTIVITY_COLUMNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(aktivitet|aktiviteter)$"), "text"),
    (re.compile(r"start"), "start"),
    (re.compile(r"slut"), "end"),
    (re.compile(r"avvikelse"), "deviation"),
    (re.compile(r"status"), "status"),
]

# Leading row marks.
STATUS_MARKS: dict[str, Status] = {
    "✓": "done",
    "✔": "done",
    "▶": "ongoing",
    "►": "ongoing",
    "✗": "cancelled",
    "✘": "cancelled",
}
# A Status column's words → status; "ej påbörjad" is no status.
STATUS_WORDS: dict[str, Status | None] = {
    "klar": "done",
    "genomförd": "done",
    "pågår": "ongoing",
    "pågående": "ongoing",
    "avbruten": "cancelled",
    "avslutad": "done",
    "ej påbörjad": None,
}
GENDER_MARK = "♀"
INDICATOR_MARKS = "♀◆"

# A full-width row under an indicator holding its analysis.
ANALYSIS_ROW = re.compile(r"^analys\b[:.]?\s*", re.I)

# Document kinds, by the words of the title.
KINDS: list[tuple[re.Pattern[str], Kind]] = [
    (re.compile(r"\bbilaga\b", re.I), "bilaga"),
    (re.compile(r"verksamhetsberättelse|årsredovisning|\bvb\s*\d{4}", re.I), "verksamhetsberattelse"),
    (re.compile(r"tertialrapport|\bt[12]\s*\d{4}|delårsrapport", re.I), "tertialrapport"),
    (re.compile(r"verksamhetsplan|\bvp\s*\d{4}|budget\s+med\s+verksamhetsplan", re.I), "verksamhetsplan"),
]


# Money tables: a unit in the header ("Beloppen anges i TKr", "Mnkr, netto") or budget/outcome columns.
MONEY_UNIT = re.compile(r"\b(" + "|".join(MONEY_SPELLINGS) + r"|beloppen\s+anges)(?!\w)", re.I)
MONEY_COLUMN = re.compile(r"\b(budget|utfall|bokslut|prognos|avvikelse|förändring|bokfört)\b", re.I)
# Rows that sum up the rows above them.
TOTAL_ROW = re.compile(r"^(summa|totalt|total|netto|nämnden\s+totalt|resultat)\b", re.I)
# "Förslag till beslut", the numbered decisions on the first page.
DECISIONS_HEADING = re.compile(r"^förslag\s+till\s+beslut\b", re.I)


def is_money_header(cells: list[str]) -> bool:
    texts = [c.strip() for c in cells if c.strip()]
    if len(texts) < 2:
        return False
    if MONEY_UNIT.search(texts[0]):
        return True
    return sum(bool(MONEY_COLUMN.search(t)) for t in texts[1:]) >= 2


def is_table_header(cells: list[str]) -> bool:
    """A line opening an Indikator or Aktivitet table: the table's name and one known column after it."""
    texts = [c.strip() for c in cells if c.strip()]
    if not texts:
        return False
    others = [t.lower() for t in texts[1:]]
    if INDICATOR_TABLE.match(texts[0]):
        columns = [p for p, field in INDICATOR_COLUMNS if field != "name"]
    elif ACTIVITY_TABLE.match(texts[0]):
        columns = [p for p, field in ACTIVITY_COLUMNS if field != "text"]
    else:
        return is_money_header(texts)
    return any(p.search(cell) for p in columns for cell in others)


def level_of_label(text: str) -> tuple[Level, str] | None:
    """(level, rest of the line after the label) when a line opens with a goal level label."""
    stripped = text.strip()
    for pattern, level in LEVEL_LABELS:
        m = pattern.match(stripped)
        if m:
            rest = stripped[m.end() :].lstrip(" :.–-")
            return level, rest
    return None
