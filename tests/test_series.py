"""Series: a query names one indicator followed over the years, or lists every series it matches, best first."""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import needs_corpus
from typer.testing import CliRunner

from malbild.cli import app
from malbild.compare.series import lookup_series, match_kind, search_series, series_points
from malbild.normalize.lemmas import normalized_titles
from malbild.schemas.terms import MEASURES

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus_con(corpus_linked_db):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    yield con
    con.close()


def _indicator_db(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """One plan with one indicator (and one Årsmål cell) per name, normalized names stored as ingest stores them."""
    con.execute("INSERT INTO documents (document_id, source_file, sha256, kind, year, organisation, pages) VALUES "
                "('d1', 'plan.pdf', 'x', 'verksamhetsplan', 2019, 'Exempelnämnden', 1)")  # fmt: skip
    for i, (name, norm) in enumerate(zip(names, normalized_titles(names), strict=True)):
        con.execute(
            "INSERT INTO indicators (indicator_id, document_id, name, name_norm, gender_indicator, page, ordinal) "
            "VALUES (?, 'd1', ?, ?, false, 1, ?)",
            [f"d1:i{i}", name, norm, i],
        )
        con.execute(
            "INSERT INTO indicator_values (indicator_id, measure, raw, value, unit, header, value_kind, kronor) "
            "VALUES (?, 'annual_target', '5 st', 5, 'st', 'Årsmål', 'number', NULL)",
            [f"d1:i{i}"],
        )


@pytest.mark.parametrize(
    ("query", "name", "kind"),
    [
        ("Andel nöjda brukare", "Andel nöjda brukare", "exact"),
        ("andelen nöjda brukarna", "Andel nöjda brukare", "exact"),  # the same lemmas
        ("Andel", "Andel nöjda brukare", "prefix"),
        ("andel nöjda bru", "Andel nöjda brukare", "prefix"),
        ("nöjda brukare", "Andel nöjda brukare i hemtjänsten", "words"),
        ("brukare hemtj", "Andel nöjda brukare i hemtjänsten", "words"),
        ("Antal", "Andel nöjda brukare", None),
        ("", "Andel nöjda brukare", None),
    ],
)
def test_match_kind(query, name, kind):
    query_norm, name_norm = normalized_titles([query, name])
    assert match_kind(query, query_norm, name, name_norm) == kind


def test_prefix_and_word_matches_rank_above_fuzzy_ones(fresh_db):
    long_name = "Andel nöjda brukare inom hemtjänsten och på vård- och omsorgsboenden i stadsdelen"
    _indicator_db(fresh_db, [long_name, "Andel nöjda brukre", "Antal hemlösa"])
    found = search_series(fresh_db, "Andel nöjda brukare")
    assert [(c.name, c.match) for c in found] == [(long_name, "prefix"), ("Andel nöjda brukre", "fuzzy")]
    assert found[1].score > found[0].score  # the fuzzy one is closer, yet ranks below
    assert lookup_series(fresh_db, "Andel nöjda brukare").points == []  # two series: listed, none picked


def test_an_exact_name_stands_alone_and_shows_its_values(fresh_db):
    _indicator_db(fresh_db, ["Antal hemlösa", "Antal hemlösa barn", "Antalet hemlösa i staden"])
    found = lookup_series(fresh_db, "antal hemlösa")
    assert [(c.name, c.match) for c in found.candidates] == [("Antal hemlösa", "exact")]
    assert [(p.name, p.measure, p.raw) for p in found.points] == [("Antal hemlösa", "annual_target", "5 st")]
    started = search_series(fresh_db, "Antal hemlösa ba")  # the start of one name, and close to the others
    assert [(c.name, c.match) for c in started][:1] == [("Antal hemlösa barn", "prefix")]
    assert {c.match for c in started[1:]} <= {"fuzzy"}


@needs_corpus
def test_a_query_matching_several_series_lists_them_all(corpus_con):
    expected = corpus_con.execute(
        "SELECT count(DISTINCT series_id) FROM indicator_series WHERE name ILIKE 'Andel%'"
    ).fetchone()[0]
    found = lookup_series(corpus_con, "Andel")
    assert len(found.candidates) == expected > 10
    assert {c.match for c in found.candidates} == {"prefix"} and found.points == []
    names = [c.name for c in found.candidates]
    assert names == sorted(names, key=str.casefold)
    assert all(c.years and c.organisation for c in found.candidates)


@needs_corpus
def test_a_series_id_shows_that_series(corpus_con):
    linked = corpus_con.execute(
        "SELECT series_id FROM series_members WHERE kind = 'indicator' GROUP BY series_id HAVING count(*) > 1 LIMIT 1"
    ).fetchone()[0]
    found = lookup_series(corpus_con, linked)
    assert [(c.series_id, c.match) for c in found.candidates] == [(linked, "id")]
    assert len(found.candidates[0].years) > 1  # followed over the years
    assert {p.series_id for p in found.points} == {linked}
    assert len({p.document_id for p in found.points}) > 1
    members = {
        r[0]
        for r in corpus_con.execute("SELECT member_id FROM series_members WHERE series_id = ?", [linked]).fetchall()
    }
    assert {p.indicator_id for p in found.points} == members


def test_an_unknown_measure_names_the_measures(fresh_db):
    with pytest.raises(ValueError, match="annual_target"):
        series_points(fresh_db, "x", "utfall")


@needs_corpus
def test_cli_lists_then_shows_by_id(corpus_linked_db):
    corpus_db = corpus_linked_db
    listed = runner.invoke(app, ["series", "Andel ungdomar", "--db", str(corpus_db), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) > 1 and set(rows[0]) == {
        "series_id",
        "name",
        "organisation",
        "unit",
        "years",
        "indicators",
        "match",
    }
    assert all(r["name"].startswith("Andel ungdomar") for r in rows if r["match"] == "prefix")
    kinds = [r["match"] for r in rows]
    assert kinds == sorted(kinds, key=["prefix", "words", "fuzzy"].index) and kinds[0] == "prefix"
    table = runner.invoke(app, ["series", "Andel ungdomar", "--db", str(corpus_db)])
    assert all(r["series_id"] in table.output and r["name"] in table.output for r in rows)  # nothing cut off
    shown = runner.invoke(app, ["series", rows[0]["series_id"], "--db", str(corpus_db), "--format", "tsv"])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["organisation", "unit", "year"] and len(lines) > 1
    assert all(line.split("\t")[-1] == rows[0]["series_id"] for line in lines[1:])


def test_cli_bad_measure_is_a_usage_error_naming_the_measures(tmp_path):
    db = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["series", "Andel", "--db", str(db), "--measure", "utfall"])
    assert result.exit_code == 2
    assert all(m in " ".join(result.output.split()) for m in MEASURES)


def test_cli_one_series_without_the_measure_asked_for_is_one_line(fresh_db, tmp_path):
    _indicator_db(fresh_db, ["Antal hemlösa"])
    fresh_db.close()
    args = ["series", "Antal hemlösa", "--db", str(tmp_path / "test.duckdb")]
    missing = runner.invoke(app, [*args, "--measure", "forecast"])
    assert missing.exit_code == 1 and missing.output.startswith("error: Antal hemlösa (series d1:i0) has no forecast")
    shown = runner.invoke(app, [*args, "--measure", "annual_target", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert [(p["name"], p["raw"], p["value"]) for p in json.loads(shown.stdout)] == [("Antal hemlösa", "5 st", 5.0)]
