"""spaCy rules for amounts, percentages, dates and organisations; the entities table over goal texts."""

from __future__ import annotations

import duckdb
import pytest
from conftest import needs_corpus

from malbild.normalize.entities import entity_pipeline, find_entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("beviljar 1 400 tkr till HSO", [("MONEY", "1 400 tkr", 1_400_000.0)]),
        ("ansöker om 5 958,6 tkr", [("MONEY", "5 958,6 tkr", 5_958_600.0)]),
        ("återredovisar 55,1 mnkr", [("MONEY", "55,1 mnkr", 55_100_000.0)]),
        ("tillägg med 3 miljoner kronor", [("MONEY", "3 miljoner kronor", 3_000_000.0)]),
        ("minskade med 0,5 % i år", [("PERCENT", "0,5 %", None)]),
        ("knappt 20 procent av besökarna", [("PERCENT", "20 procent", None)]),
        ("2019 års mål och 17 personer", []),
    ],
)
def test_amounts_and_percentages(text, expected):
    found = find_entities([text])[0]
    assert [(e.label, e.text, e.kronor) for e in found] == expected


def test_dates_and_organisations():
    text = (
        "Den 13 februari 2019 beslutade Hägersten-Liljeholmens stadsdelsnämnd, efter förslag från "
        "Socialförvaltningen och Barn- och ungdomsenheten, att senast 2019-12-31 återkomma."
    )
    found = [(e.label, e.text, e.normalized) for e in find_entities([text])[0]]
    assert found == [
        ("DATE", "13 februari 2019", "2019-02-13"),
        ("ORG", "Hägersten-Liljeholmens stadsdelsnämnd", None),
        ("ORG", "Socialförvaltningen", None),
        ("ORG", "Barn- och ungdomsenheten", None),
        ("DATE", "2019-12-31", "2019-12-31"),
    ]


def test_pipeline_is_loaded_once():
    assert entity_pipeline() is entity_pipeline()


@needs_corpus
def test_entities_table_over_goal_texts(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute(
        "SELECT e.label, e.text, e.kronor, e.source, g.title FROM entities e JOIN goals g USING (goal_id)"
    ).fetchall()
    con.close()
    labels = {r[0] for r in rows}
    assert labels == {"MONEY", "PERCENT", "DATE", "ORG"}
    money = [r for r in rows if r[0] == "MONEY"]
    assert all(r[2] is not None and r[2] != 0 or r[1].startswith("0") for r in money)
    assert any(r[1] == "Socialförvaltningen" for r in rows if r[0] == "ORG")
