"""Indikator tables on the corpus, in plan and report layouts, against gold."""

from __future__ import annotations

import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus

from malbild.extract.parse import vocab
from malbild.extract.parse.indicators import map_columns, split_marks
from malbild.normalize.text import one_line

REPORT_HEADER = [
    "Indikator",
    "Periodens utfall",
    "Utfall män/ pojkar",
    "Utfall kvinnor/ flickor",
    "Periodens utfall VB 2018",
    "Prognos helår",
    "Årsmål",
    "KF:s årsmål",
    "Period",
]


def test_report_layout_columns_map_by_header_text():
    assert map_columns(REPORT_HEADER, vocab.INDICATOR_COLUMNS) == [
        "name",
        "outcome",
        "outcome_men",
        "outcome_women",
        "outcome_previous",
        "forecast",
        "annual_target",
        "kf_annual_target",
        "period",
    ]


def test_columns_map_in_any_order_and_spelling():
    header = ["Periodicitet", "KF:s årsmål", "Arsmål", "Indikator", "Utfall T2 2019"]
    assert map_columns(header, vocab.INDICATOR_COLUMNS) == [
        "period",
        "kf_annual_target",
        "annual_target",
        "name",
        "outcome_previous",
    ]


@pytest.mark.parametrize(
    ("text", "marks", "rest"),
    [("♀ Andel barn", "♀", "Andel barn"), ("◆Andel", "◆", "Andel"), ("Andel ♀", "", "Andel ♀")],
)
def test_split_marks(text, marks, rest):
    assert split_marks(text, "♀◆") == (marks, rest)


def _norm(text):
    return one_line(text or "").rstrip(".").lower()


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_indicators_match_gold(corpus_parsed, name):
    gold = gold_for(name)
    parsed = corpus_parsed[name]
    assert sorted(_norm(i.name) for i in parsed.indicators) == sorted(_norm(i["name"]) for i in gold["indicators"])
    by_name = {_norm(i.name): i for i in parsed.indicators}
    for g in gold["indicators"]:
        found = by_name[_norm(g["name"])]
        assert found.gender_indicator == g["gender_indicator"], g["name"]
        assert _norm(found.analysis) == _norm(g["analysis"]), g["name"]
        period_header = next(h for h in g["cells"] if h.lower() in ("period", "periodicitet"))
        assert found.period == (g["cells"][period_header] or None)


@needs_corpus
def test_report_values_are_read_per_header(corpus_parsed):
    parsed = corpus_parsed["socialnamnden-vb-2019.pdf"]
    first = next(i for i in parsed.indicators if i.name.startswith("Andel personer som har ekonomiskt"))
    values = {v.measure: v.raw for v in first.values}
    assert values == {
        "outcome": "0,03 %",
        "outcome_men": "0,08 %",
        "outcome_women": "0,02 %",
        "outcome_previous": "0,04 %",
        "annual_target": "0,04 %",
        "kf_annual_target": "1,6 %",
    }
    assert first.analysis.startswith("Värdena avser klienter på enheten för hemlösa.")
    assert first.analysis.endswith("Boutredningsenheten 0,0.")
