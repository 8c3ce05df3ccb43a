"""Money tables in long form: the table's unit, sections, totals that add up."""

from __future__ import annotations

import duckdb
import pytest
from conftest import needs_corpus
from render import render_document, spec, table

from malbild.extract.parse.finance import table_unit
from malbild.load.ingest import ingest_paths


@pytest.mark.parametrize(
    ("header", "title", "unit"),
    [
        (["Beloppen anges i TKr", "Budget"], None, "tkr"),
        (["Mnkr, netto", "Budget 2019", "Bokslut 2019"], None, "mnkr"),
        (["Intäkts- och kostnadsslag, mnkr", "Utfall 2018"], None, "mnkr"),
        (["", "Budget 2019"], "Resultaträkning (tkr)", "tkr"),
        (["Verksamhet", "Budget 2019"], None, None),
    ],
)
def test_table_unit(header, title, unit):
    assert table_unit(header, title) == unit


def _lines(db, where=""):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT d.source_file, f.table_no, f.section, f.row_label, f.column_label, f.value, f.unit, f.kronor,"
            f" f.is_total FROM finance_lines f JOIN documents d USING (document_id) {where}"
            " ORDER BY d.source_file, f.table_no, f.row_no, f.column_label"
        ).fetchall()
    finally:
        con.close()


@needs_corpus
def test_budget_table_sums_add_up(corpus_db):
    rows = [r for r in _lines(corpus_db) if "hagersten" in r[0]]
    costs = [r for r in rows if r[2] == "Kostnader" and not r[8]]
    total = next(r for r in rows if r[3] == "Summa kostnader")
    assert [r[3] for r in costs][:2] == ["Personalkostnader", "Övriga personalkostnader"]
    assert sum(r[5] for r in costs) == pytest.approx(total[5], abs=1)
    assert total[6] == "tkr" and total[7] == pytest.approx(81_200_000)
    net = next(r for r in rows if r[3] == "Summa netto")
    income = next(r for r in rows if r[3] == "Summa intäkter")
    assert net[5] == pytest.approx(total[5] - income[5])


@needs_corpus
def test_report_cost_lines_add_up_to_summa_kostnader(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute(
        "SELECT f.table_no, f.row_no, f.row_label, f.column_label, f.value, f.unit FROM finance_lines f"
        " JOIN documents d USING (document_id) WHERE d.source_file LIKE '%vb-2019.pdf' ORDER BY 1, 2"
    ).fetchall()
    con.close()
    table_no = next(r[0] for r in rows if r[2] == "Summa kostnader")
    lines = [r for r in rows if r[0] == table_no]
    first = next(r[1] for r in lines if r[2] == "Summa intäkter") + 1
    last = next(r[1] for r in lines if r[2] == "Summa kostnader")
    for column in ("Utfall 2018", "Utfall 2019"):
        costs = [r[4] for r in lines if first <= r[1] < last and r[3] == column]
        total = next(r for r in lines if r[1] == last and r[3] == column)
        assert len(costs) == 5
        assert sum(costs) == pytest.approx(total[4], abs=0.1 * len(costs))
        assert total[5] == "mnkr"


def test_money_table_in_a_built_pdf_without_rules(tmp_path):
    doc = spec(
        document={"title": "Verksamhetsplan 2020 för Provnämnden", "kind": "verksamhetsplan"},
        tables=[
            table(
                ["Beloppen anges i tkr", "Budget 2020", "Utfall 2019"],
                [
                    ["Intäkter", "", ""],
                    ["Avgifter", "1 200", "1 100"],
                    ["Bidrag", "800", "750"],
                    ["Summa intäkter", "2 000", "1 850"],
                    ["Kostnader", "", ""],
                    ["Personal", "-5 000,5", "-4 800"],
                    ["Lokaler", "-1 000", "-950"],
                    ["Summa kostnader", "-6 000,5", "-5 750"],
                ],
                kind="finance",
            )
        ],
    )
    folder = tmp_path / "in"
    folder.mkdir()
    render_document(doc, folder / "budget.pdf", "borderless")
    db = tmp_path / "db.duckdb"
    assert ingest_paths([folder], db, workers=1).ok
    rows = _lines(db)
    assert len(rows) == 12
    personal = next(r for r in rows if r[3] == "Personal" and r[4] == "Budget 2020")
    assert personal[2] == "Kostnader" and personal[5] == -5000.5 and personal[7] == -5_000_500
    for column in ("Budget 2020", "Utfall 2019"):
        for section, total in (("Intäkter", "Summa intäkter"), ("Kostnader", "Summa kostnader")):
            parts = [r[5] for r in rows if r[4] == column and r[2] == section and not r[8]]
            summa = next(r[5] for r in rows if r[4] == column and r[3] == total)
            assert sum(parts) == pytest.approx(summa)
