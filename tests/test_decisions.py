"""Förslag till beslut: numbered items with their amounts of money."""

from __future__ import annotations

import duckdb
import pytest
from conftest import needs_corpus

from malbild.extract.parse.decisions import amounts_in, parse_decisions


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Socialnämnden ansöker om 5 958,6 tkr från kompetenssatsningen.", ["5 958,6 tkr"]),
        ("beviljar 1 400 tkr till HSO, 300 tkr till DHR och 300 tkr till SRF", ["1 400 tkr", "300 tkr", "300 tkr"]),
        ("fördelar 2 mnkr för investeringskostnader", ["2 mnkr"]),
        ("tillägg med 3 miljoner kronor", ["3 miljoner kronor"]),
        ("Paragrafen justeras omedelbart.", []),
        ("för 2017 och 2018", []),
    ],
)
def test_amounts_in(text, amounts):
    assert amounts_in(text) == amounts


@needs_corpus
def test_decisions_of_the_plan(corpus_docs):
    decisions = parse_decisions(corpus_docs["socialnamnden-vp-2017.pdf"].pages)
    assert [d.number for d in decisions] == list(range(1, 18))
    assert decisions[5].text == (
        "Socialnämnden fastställer plan för upphandling, internkontrollplan och jämställdhets- och "
        "mångfaldsplan enligt tjänsteutlåtandet."
    )
    assert decisions[16].text == "Paragrafen justeras omedelbart."


@needs_corpus
def test_decision_amounts_are_stored_in_kronor(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute(
        "SELECT a.decision_number, a.raw, a.value, a.unit, a.kronor FROM decision_amounts a"
        " JOIN documents d USING (document_id) WHERE d.source_file LIKE '%vp-2017.pdf' ORDER BY 1, a.ordinal"
    ).fetchall()
    con.close()
    assert (10, "5 958,6 tkr", 5958.6, "tkr", 5_958_600.0) in rows
    assert [r[0] for r in rows] == [4, 7, 8, 9, 10, 11, 11, 11, 12]
    assert sum(r[4] for r in rows if r[0] == 11) == pytest.approx(2_000_000)
