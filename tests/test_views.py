"""Views: a researcher follows one goal or indicator over the years."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus
from test_diff import MOVED, REWORDED_FROM, REWORDED_TO, build_pair_db
from test_export import contract_columns
from typer.testing import CliRunner

from malbild.cli import app
from malbild.compare.links import update_links
from malbild.compare.series import find_indicator_series
from malbild.load.db import connect
from malbild.schemas.errors import StoreError

INDICATOR_SERIES = [
    "organisation",
    "year",
    "kind",
    "measure",
    "value",
    "unit",
    "raw",
    "document_id",
    "indicator_id",
    "name",
    "name_norm",
    "series_id",
]
GOAL_SERIES = [
    "organisation",
    "level",
    "number",
    "title",
    "title_norm",
    "year",
    "kind",
    "assessment",
    "series_id",
    "parent_title",
]


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    db = build_pair_db(tmp_path_factory.mktemp("views"))
    con = connect(db)
    update_links(con)
    yield con
    con.close()


def _columns(con, view: str) -> list[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]


@needs_corpus
def test_views_return_rows_on_the_corpus(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    try:
        assert set(INDICATOR_SERIES) <= set(_columns(con, "indicator_series"))
        assert set(GOAL_SERIES) <= set(_columns(con, "goal_series"))
        n_values = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        assert con.execute("SELECT count(*) FROM indicator_series").fetchone()[0] == n_values > 0
        assert con.execute("SELECT count(*) FROM goal_series").fetchone()[0] == 55
        assert (
            con.execute("SELECT count(*) FROM indicator_series WHERE name_norm IS NULL OR name_norm = ''").fetchone()[0]
            == 0
        )
        row = con.execute(
            "SELECT year, kind, measure, raw, value, unit FROM indicator_series "
            "WHERE organisation = 'Socialnämnden' AND name = 'Antal hemlösa' "
            "AND measure = 'annual_target'"
        ).fetchone()
        assert row == (2017, "verksamhetsplan", "annual_target", "2 850 st", 2850.0, "st")
        docs = con.execute("SELECT count(*) FROM document_summary WHERE goals > 0").fetchone()[0]
        assert docs >= 3
    finally:
        con.close()


def test_goal_series_follows_a_goal_over_the_years(linked):
    rows = linked.execute(
        "SELECT year, title, parent_title FROM goal_series WHERE series_id = "
        "(SELECT series_id FROM goal_series WHERE title = ?) ORDER BY year",
        [REWORDED_TO],
    ).fetchall()
    assert [(y, t) for y, t, _ in rows] == [(2018, REWORDED_FROM), (2019, REWORDED_TO)]
    moved = linked.execute(
        "SELECT year, parent_title FROM goal_series WHERE title = ? ORDER BY year", [MOVED]
    ).fetchall()
    assert len({r[0] for r in moved}) == 2
    assert len(linked.execute("SELECT DISTINCT series_id FROM goal_series WHERE title = ?", [MOVED]).fetchall()) == 1
    assert linked.execute("SELECT count(DISTINCT series_id) FROM goal_series").fetchone()[0] == 8 + 1 + 1


def test_indicator_series_follows_an_indicator_over_the_years(linked):
    rows = linked.execute(
        "SELECT year, raw, value, unit FROM indicator_series WHERE measure = 'annual_target' AND series_id = "
        "(SELECT series_id FROM indicator_series WHERE name = 'Andel barn som placeras nära hemmet' LIMIT 1) "
        "ORDER BY year"
    ).fetchall()
    assert rows == [(2018, "80 %", 80.0, "%"), (2019, "85 %", 85.0, "%")]
    norm = linked.execute("SELECT DISTINCT name_norm FROM indicator_series WHERE name LIKE 'Andel barn%'").fetchall()
    assert norm == [("andel barn placera nära hem",)]


def test_find_indicator_series_by_inflected_name(linked):
    points = find_indicator_series(linked, "andelen barn som placerades nära hemmen", measure="annual_target")
    assert [(p.year, p.raw) for p in points] == [(2018, "80 %"), (2019, "85 %")]
    assert find_indicator_series(linked, "Antal hundar i parken") == []
    assert find_indicator_series(linked, "Andel barn som placeras nära hemmet", organisation="Kulturnämnden") == []


def test_cli_series_and_show(linked, tmp_path):
    db = tmp_path / "copy.duckdb"
    linked.execute("CHECKPOINT")
    shutil.copy(
        linked.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0], db
    )
    runner = CliRunner()
    result = runner.invoke(
        app, ["series", "Andel barn som placeras nära hemmet", "--db", str(db), "--json", "--measure", "annual_target"]
    )
    assert result.exit_code == 0, result.output
    assert '"raw": "80 %"' in result.output and '"raw": "85 %"' in result.output
    missing = runner.invoke(app, ["series", "Antal hundar", "--db", str(db)])
    assert missing.exit_code == 1 and "no indicator named like" in missing.output
    shown = runner.invoke(app, ["show", "exempel-vp-2019.pdf", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "Nämndmål" in shown.output and "2 indicators, 0 activities" in shown.output
    listed = runner.invoke(app, ["show", "--db", str(db)])
    assert listed.exit_code == 0 and "2 documents" in listed.output


def test_an_older_database_is_migrated_on_connect_and_views_prefer_stored_norms(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE documents (document_id VARCHAR, source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, "
        "year INTEGER, organisation VARCHAR, unit VARCHAR, title VARCHAR, pages INTEGER)"
    )
    con.execute(
        "CREATE TABLE goals (goal_id VARCHAR, document_id VARCHAR, level VARCHAR, number VARCHAR, "
        "title VARCHAR, parent_goal_id VARCHAR, assessment VARCHAR, page INTEGER, ordinal INTEGER)"
    )
    con.execute(
        "CREATE TABLE indicators (indicator_id VARCHAR, document_id VARCHAR, goal_id VARCHAR, name VARCHAR, "
        "gender_indicator BOOLEAN, period VARCHAR, page INTEGER, ordinal INTEGER)"
    )
    con.execute("INSERT INTO documents VALUES ('d', 'd.pdf', 'x', 'verksamhetsplan', 2019, 'N', NULL, NULL, 1)")
    con.execute("INSERT INTO goals VALUES ('g', 'd', 'namndmal', NULL, 'Barnen växer', NULL, NULL, 1, 0)")
    con.execute("INSERT INTO indicators VALUES ('i', 'd', 'g', 'Antal Hemlösa.', false, NULL, 1, 0)")
    con.close()
    with pytest.raises(StoreError, match="older malbild"):
        connect(path, read_only=True)
    con = connect(path)  # a writer migrates: adds the missing columns, tables and views
    con.execute("UPDATE goals SET title_norm = 'stored norm'")
    con.execute(
        "INSERT INTO indicator_values (indicator_id, measure, raw, value, unit, header, value_kind, kronor) "
        "VALUES ('i', 'annual_target', '5 st', 5, 'st', 'Årsmål', 'number', NULL)"
    )
    assert con.execute("SELECT title_norm, series_id FROM goal_series").fetchall() == [("stored norm", "g")]
    assert con.execute("SELECT name_norm, series_id FROM indicator_series").fetchall() == [("antal hemlösa", "i")]
    con.close()
    assert connect(path, read_only=True).execute("SELECT count(*) FROM goals").fetchone() == (1,)


# Each value header of the corpus gold and where its cells belong in indicator_values_by_year: (kind, gender);
# the year is the one the header names ("Periodens utfall VB 2018"), else the document's.
GOLD_HEADERS = {
    "Periodens utfall": ("outcome", "T"),
    "Periodens utfall VB 2018": ("outcome", "T"),
    "Utfall kvinnor/ flickor": ("outcome", "K"),
    "Utfall män/ pojkar": ("outcome", "M"),
    "Prognos helår": ("forecast", "T"),
    "Årsmål": ("target", "T"),
    "KF:s årsmål": ("kf_target", "T"),
}


@needs_corpus
def test_values_by_year_has_the_contract_columns_in_order(fresh_db):
    assert _columns(fresh_db, "indicator_values_by_year") == contract_columns()["indicator_values_by_year"]


def _by_year_rows(con, pdf_name: str) -> set[tuple]:
    return set(
        con.execute(
            "SELECT v.name, v.year, v.kind, v.gender, v.raw FROM indicator_values_by_year v "
            "JOIN documents d ON d.document_id = v.document_id WHERE d.source_file LIKE ?",
            [f"%{pdf_name}"],
        ).fetchall()
    )


@needs_corpus
@pytest.mark.parametrize("header", sorted(GOLD_HEADERS))
def test_values_by_year_place_the_gold_cells_in_their_year_kind_and_gender(corpus_linked_db, header):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    try:
        expected_found = 0
        for pdf_name in CORPUS_FILES:
            gold = gold_for(pdf_name)
            named_year = re.search(r"\b(20\d\d)\b", header)
            year = int(named_year.group(1)) if named_year else gold["document"]["year"]
            kind, gender = GOLD_HEADERS[header]
            cells = [
                (i["name"], " ".join(i["cells"][header].split())) for i in gold["indicators"] if i["cells"].get(header)
            ]
            rows = _by_year_rows(con, pdf_name)
            found = [c for c in cells if (c[0], year, kind, gender, c[1]) in rows]
            assert len(found) >= 0.95 * len(cells), (pdf_name, header, set(cells) - set(found))
            expected_found += len(found)
        assert expected_found > 0
    finally:
        con.close()


@needs_corpus
def test_previous_year_outcomes_and_only_they_move_a_year_back(corpus_linked_db):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    try:
        moved = con.execute(
            "SELECT v.indicator_id, v.raw, d.year - v.year FROM indicator_values_by_year v "
            "JOIN documents d ON d.document_id = v.document_id WHERE v.year IS DISTINCT FROM d.year"
        ).fetchall()
        previous = con.execute(
            "SELECT indicator_id, raw, 1 FROM indicator_values WHERE measure = 'outcome_previous'"
        ).fetchall()
        assert sorted(moved) == sorted(previous) and len(previous) > 0
        total = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        assert con.execute("SELECT count(*) FROM indicator_values_by_year").fetchone()[0] == total
    finally:
        con.close()


@needs_corpus
def test_values_by_year_series_id_joins_series_members(corpus_linked_db):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    try:
        rows = con.execute(
            "SELECT v.series_id, sm.series_id FROM indicator_values_by_year v LEFT JOIN series_members sm "
            "ON sm.kind = 'indicator' AND sm.member_id = v.indicator_id"
        ).fetchall()
        assert all(a == b for a, b in rows)  # NULL exactly where the indicator is in no series
        linked = [a for a, _ in rows if a is not None]
        assert linked and len(linked) < len(rows)
        years = con.execute(
            "SELECT series_id, count(DISTINCT year) FROM indicator_values_by_year WHERE series_id IS NOT NULL "
            "GROUP BY series_id"
        ).fetchall()
        assert all(n > 1 for _, n in years)  # a linked series spans years
    finally:
        con.close()
