"""Links between years: goals and indicators of one organisation's documents joined into series."""

from __future__ import annotations

import pytest
from test_diff import ADDED, REMOVED, REWORDED_TO, build_pair_db

from malbild.compare.links import connected_components, document_pairs, update_links
from malbild.load.db import connect


@pytest.fixture(scope="module")
def linked_db(tmp_path_factory):
    db = build_pair_db(tmp_path_factory.mktemp("links"))
    con = connect(db)
    update_links(con)
    yield con
    con.close()


def _doc(con, year: int) -> str:
    return con.execute("SELECT document_id FROM documents WHERE year = ?", [year]).fetchone()[0]


def test_goals_and_indicators_are_linked_from_the_earlier_year(linked_db):
    con = linked_db
    old, new = _doc(con, 2018), _doc(con, 2019)
    links = con.execute(
        "SELECT a.title, b.title, l.method, l.similarity, l.from_document_id, l.to_document_id FROM goal_links l "
        "JOIN goals a ON a.goal_id = l.from_id JOIN goals b ON b.goal_id = l.to_id"
    ).fetchall()
    assert len(links) == 8  # nine goals each: all but the removed and the added one
    assert all((f, t) == (old, new) for *_, f, t in links)
    titles = {b for _, b, *_ in links}
    assert ADDED not in titles and REMOVED not in {a for a, *_ in links}
    fuzzy = [(b, sim) for _, b, method, sim, *_ in links if method == "fuzzy"]
    assert [b for b, _ in fuzzy] == [REWORDED_TO] and 70 <= fuzzy[0][1] < 100
    assert all(sim == 100 for _, _, method, sim, *_ in links if method == "exact")
    names = {
        r[0]
        for r in con.execute(
            "SELECT i.name FROM indicator_links l JOIN indicators i ON i.indicator_id = l.to_id"
        ).fetchall()
    }
    assert names == {
        "Andel barn som placeras nära hemmet",
        "Andel äldre som är nöjda med sitt boende",
        "Andel miljöbilar i verksamheten",
    }


def test_series_members_carry_the_earliest_members_id(linked_db):
    rows = linked_db.execute(
        "SELECT g.document_id, s.series_id, f.document_id FROM series_members s "
        "JOIN goals g ON g.goal_id = s.member_id JOIN goals f ON f.goal_id = s.series_id WHERE s.kind = 'goal'"
    ).fetchall()
    assert len(rows) == 16
    assert {first for *_, first in rows} == {_doc(linked_db, 2018)}


def test_update_links_is_idempotent_and_can_work_per_document(linked_db):
    before = linked_db.execute("SELECT * FROM goal_links ORDER BY from_id").fetchall()
    assert update_links(linked_db, [_doc(linked_db, 2019)]) == 8 + 3
    assert update_links(linked_db) == 8 + 3
    assert linked_db.execute("SELECT * FROM goal_links ORDER BY from_id").fetchall() == before
    assert update_links(linked_db, ["no-such-document"]) == 0
    assert linked_db.execute("SELECT count(*) FROM goal_links").fetchone()[0] == 8


def test_links_of_a_deleted_document_go(tmp_path):
    con = connect(build_pair_db(tmp_path))
    update_links(con)
    new = _doc(con, 2019)
    for table in ("indicator_values", "indicator_cells"):
        con.execute(
            f"DELETE FROM {table} WHERE indicator_id IN (SELECT indicator_id FROM indicators WHERE document_id = ?)",
            [new],
        )
    for table in ("goal_sections",):
        con.execute(f"DELETE FROM {table} WHERE goal_id IN (SELECT goal_id FROM goals WHERE document_id = ?)", [new])
    for table in ("activities", "indicators", "goals", "table_cells", "documents"):
        con.execute(f"DELETE FROM {table} WHERE document_id = ?", [new])
    assert update_links(con, [_doc(con, 2018)]) == 0
    assert con.execute("SELECT count(*) FROM goal_links").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM series_members").fetchone()[0] == 0
    con.close()


def _add_document(con, document_id: str, year, organisation, unit=None, kind="verksamhetsplan") -> None:
    con.execute(
        "INSERT INTO documents (document_id, source_file, sha256, kind, year, organisation, unit, pages) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        [document_id, f"{document_id}.pdf", "0" * 64, kind, year, organisation, unit],
    )


def test_document_pairs_same_organisation_and_unit_different_years(fresh_db):
    _add_document(fresh_db, "a2017", 2017, "Socialnämnden")
    _add_document(fresh_db, "a2019", 2019, "Socialnämnden", kind="verksamhetsberattelse")
    _add_document(fresh_db, "b2019", 2019, "Socialnämnden")  # same year as a2019: never paired with it
    _add_document(fresh_db, "u2018", 2018, "Socialnämnden", unit="Enhet A")  # a unit pairs only with that unit
    _add_document(fresh_db, "u2020", 2020, "Socialnämnden", unit="Enhet A")
    _add_document(fresh_db, "x2018", 2018, "Kulturnämnden")
    _add_document(fresh_db, "n0000", None, "Socialnämnden", kind="bilaga")  # no year: no pairs
    assert document_pairs(fresh_db) == [("a2017", "a2019"), ("a2017", "b2019"), ("u2018", "u2020")]
    assert document_pairs(fresh_db, ["u2020"]) == [("u2018", "u2020")]
    assert document_pairs(fresh_db, []) == []


def test_connected_components():
    components = connected_components([("a", "b"), ("b", "c"), ("x", "y")])
    assert components["a"] == components["b"] == components["c"] != components["x"] == components["y"]
    assert connected_components([]) == {}
