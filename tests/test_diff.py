"""The auditor's diff: known edits between two rendered plans are recovered exactly; the JSON follows the contract."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import needs_corpus
from render import document, goal, indicator, render_document, spec
from typer.testing import CliRunner

from malbild.cli import app
from malbild.compare.diff import INDICATOR_STATUSES, STATUSES, diff_documents, to_contract_json, word_diff
from malbild.load.ingest import ingest_paths
from malbild.load.queries import DocumentNotFound, resolve_documents

PLAN = ["Årsmål", "KF:s årsmål", "Periodicitet"]
REWORDED_FROM = "Barn och unga växer upp under trygga förhållanden"
REWORDED_TO = "Barn och ungdomar växer upp under trygga och stabila förhållanden"
MOVED = "Äldre har en meningsfull vardag med god omsorg"
REMOVED = "Personer med funktionsnedsättning lever ett självständigt liv"
ADDED = "Stockholmarna får en likvärdig och rättssäker socialtjänst"
UNCHANGED = [
    "En stad som håller samman",
    "Alla barn har goda uppväxtvillkor och en trygg skolgång",
    "Stockholmarna har tillgång till en god vård och omsorg",
    "En klimatsmart och hållbar stad",
    "Stockholms miljö är ren och hälsosam",
    "Nämndens verksamheter är klimatsmarta",
]


def _ind(goal_id: str, name: str, target: str, kf: str) -> dict:
    return indicator(goal_id, name, dict(zip(PLAN, [target, kf, "Tertial"], strict=True)))


def plan_spec(year: int) -> dict:
    """Exempelnämnden's plan for 2018, and for 2019 with one goal reworded, moved, added, removed."""
    later = year > 2018
    goals = [
        goal("g1", "inriktningsmal", UNCHANGED[0], "1."),
        goal("g2", "kf_mal", UNCHANGED[1], "1.1", parent="g1"),
        goal("g3", "namndmal", REWORDED_TO if later else REWORDED_FROM, parent="g2"),
        *([] if later else [goal("g4", "namndmal", MOVED, parent="g2")]),
        goal("g5", "kf_mal", UNCHANGED[2], "1.2", parent="g1"),
        *([goal("g4", "namndmal", MOVED, parent="g5")] if later else []),
        goal("g10", "namndmal", ADDED, parent="g5") if later else goal("g7", "namndmal", REMOVED, parent="g5"),
        goal("g8", "inriktningsmal", UNCHANGED[3], "2."),
        goal("g6", "kf_mal", UNCHANGED[4], "2.1", parent="g8"),
        goal("g9", "namndmal", UNCHANGED[5], parent="g6"),
    ]
    indicators = [
        _ind("g3", "Andel barn som placeras nära hemmet", "85 %" if later else "80 %", "75 %"),
        *([_ind("g3", "Andel ungdomar med feriejobb", "40 %", "tas fram av nämnden")] if later else []),
        _ind("g4", "Andel äldre som är nöjda med sitt boende", "85 %", "82 %" if later else "80 %"),
        _ind("g9", "Andel miljöbilar i verksamheten", "90 %", "tas fram av nämnden"),
        *([] if later else [_ind("g9", "Antal resor med flyg", "10 st", "tas fram av nämnden")]),
    ]
    doc = document(title=f"Verksamhetsplan {year} för Exempelnämnden", year=year, organisation="Exempelnämnden")
    return spec(document=doc, goals=goals, indicators=indicators)


def build_pair_db(folder: Path) -> Path:
    """Render and ingest the 2018 and 2019 plans; returns the database."""
    pdfs = folder / "pdf"
    render_document(plan_spec(2018), pdfs / "exempel-vp-2018.pdf")
    render_document(plan_spec(2019), pdfs / "exempel-vp-2019.pdf")
    db = folder / "pair.duckdb"
    report = ingest_paths([pdfs], db, workers=1)
    assert report.ok and len(report.stored) == 2, report.failures
    return db


@pytest.fixture(scope="module")
def pair_db(tmp_path_factory) -> Path:
    return build_pair_db(tmp_path_factory.mktemp("pair"))


@pytest.fixture(scope="module")
def pair_diff(pair_db):
    con = duckdb.connect(str(pair_db), read_only=True)
    try:
        yield diff_documents(con, "exempel-vp-2018.pdf", "exempel-vp-2019.pdf")
    finally:
        con.close()


def check_box(box: dict | None, page: int | None = None) -> None:
    """A box in the diff JSON: its page and x0 < x1, top < bottom in points on an A4 page."""
    if box is None:
        return
    assert set(box) == {"page", "x0", "top", "x1", "bottom", "page_end"}
    assert page is None or box["page"] == page
    assert 0 <= box["x0"] < box["x1"] <= 600 and 0 <= box["top"] < box["bottom"] <= 850
    assert box["page_end"] >= box["page"]


def check_contract(data: dict, from_goals: set[str], to_goals: set[str]) -> None:
    """CONTRACT.md's Goal diff JSON: keys, allowed values, and every goal of both documents exactly once."""
    assert set(data) == {"from", "to", "changes", "indicator_changes"}
    for side in ("from", "to"):
        assert {"document_id", "source_file", "kind", "year", "organisation", "unit", "title"} <= set(data[side])
    seen_from: list[str] = []
    seen_to: list[str] = []
    for change in data["changes"]:
        assert set(change) == {"status", "level", "from", "to", "similarity"}
        assert change["status"] in STATUSES
        assert change["level"] in ("inriktningsmal", "kf_mal", "namndmal", "enhetsmal")
        assert isinstance(change["similarity"], int | float) and 0 <= change["similarity"] <= 100
        assert (change["from"] is None) == (change["status"] == "added")
        assert (change["to"] is None) == (change["status"] == "removed")
        for side, seen in (("from", seen_from), ("to", seen_to)):
            if change[side] is not None:
                assert set(change[side]) == {"goal_id", "number", "title", "parent_title", "page", "box"}
                check_box(change[side]["box"], change[side]["page"])
                assert isinstance(change[side]["title"], str) and change[side]["title"]
                seen.append(change[side]["goal_id"])
    assert sorted(seen_from) == sorted(from_goals)
    assert sorted(seen_to) == sorted(to_goals)
    for change in data["indicator_changes"]:
        assert set(change) == {"status", "name", "measure", "from", "to", "from_box", "to_box"}
        for side in ("from_box", "to_box"):
            assert (change[side] is not None) == (change["status"] == "changed")
            check_box(change[side])
        assert change["status"] in INDICATOR_STATUSES
        assert isinstance(change["name"], str) and change["name"]
        if change["status"] == "changed":
            assert change["measure"] is not None and change["from"] != change["to"]
        else:
            assert change["measure"] is None and change["from"] is None and change["to"] is None
    json.dumps(data)  # serialisable as is


def _goal_ids(db: Path, name: str) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT goal_id FROM goals JOIN documents USING (document_id) WHERE source_file LIKE ?", [f"%{name}"]
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_known_edits_are_recovered_and_nothing_else(pair_diff):
    by_status: dict[str, list] = {}
    for change in pair_diff.changes:
        by_status.setdefault(change.status, []).append(change)
    assert pair_diff.counts() == {"unchanged": 6, "reworded": 1, "moved": 1, "added": 1, "removed": 1}
    assert sorted(c.to_goal.title for c in by_status["unchanged"]) == sorted(UNCHANGED)
    reworded = by_status["reworded"][0]
    assert (reworded.from_goal.title, reworded.to_goal.title) == (REWORDED_FROM, REWORDED_TO)
    assert reworded.level == "namndmal" and 70 <= reworded.similarity < 100
    moved = by_status["moved"][0]
    assert moved.from_goal.title == moved.to_goal.title == MOVED
    assert moved.from_goal.parent_title == UNCHANGED[1] and moved.to_goal.parent_title == UNCHANGED[2]
    assert [c.to_goal.title for c in by_status["added"]] == [ADDED]
    assert [c.from_goal.title for c in by_status["removed"]] == [REMOVED]


def test_indicator_edits_are_recovered_and_nothing_else(pair_diff):
    found = {(c.status, c.name, c.measure, c.from_raw, c.to_raw) for c in pair_diff.indicator_changes}
    assert found == {
        ("changed", "Andel barn som placeras nära hemmet", "annual_target", "80 %", "85 %"),
        ("changed", "Andel äldre som är nöjda med sitt boende", "kf_annual_target", "80 %", "82 %"),
        ("added", "Andel ungdomar med feriejobb", None, None, None),
        ("removed", "Antal resor med flyg", None, None, None),
    }
    assert len(pair_diff.indicator_changes) == 4


def test_reworded_title_has_a_word_diff(pair_diff):
    reworded = next(c for c in pair_diff.changes if c.status == "reworded")
    assert [(w.op, w.text) for w in reworded.words] == [
        ("equal", "Barn och"),
        ("delete", "unga"),
        ("insert", "ungdomar"),
        ("equal", "växer upp under trygga"),
        ("insert", "och stabila"),
        ("equal", "förhållanden"),
    ]


def test_pair_json_follows_the_contract(pair_db, pair_diff):
    data = to_contract_json(pair_diff)
    check_contract(data, _goal_ids(pair_db, "exempel-vp-2018.pdf"), _goal_ids(pair_db, "exempel-vp-2019.pdf"))
    assert data["from"]["year"] == 2018 and data["to"]["year"] == 2019


def test_contract_check_catches_a_goal_listed_twice(pair_db, pair_diff):
    data = to_contract_json(pair_diff)
    data["changes"].append(data["changes"][0])
    with pytest.raises(AssertionError):
        check_contract(data, _goal_ids(pair_db, "exempel-vp-2018.pdf"), _goal_ids(pair_db, "exempel-vp-2019.pdf"))


def test_threshold_zero_still_lists_every_goal_once(pair_db):
    con = duckdb.connect(str(pair_db), read_only=True)
    try:
        loose = diff_documents(con, "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", threshold=0)
    finally:
        con.close()
    # The added and the removed goal are the only ones left to pair: at threshold 0 they become a rewording.
    assert loose.counts() == {"unchanged": 6, "reworded": 2, "moved": 1, "added": 0, "removed": 0}
    leftover = next(c for c in loose.changes if c.status == "reworded" and c.to_goal.title == ADDED)
    assert leftover.from_goal.title == REMOVED and leftover.similarity < 70


def test_documents_resolve_by_organisation_and_year(pair_db):
    con = duckdb.connect(str(pair_db), read_only=True)
    try:
        old, new = resolve_documents(con, "exempelnämnden", 2018, 2019)
        assert (old.year, new.year) == (2018, 2019) and old.name == "exempel-vp-2018.pdf"
        with pytest.raises(DocumentNotFound, match="2017"):
            resolve_documents(con, "Exempelnämnden", 2017, 2019)
        with pytest.raises(DocumentNotFound, match="no such document"):
            diff_documents(con, "nope.pdf", "exempel-vp-2019.pdf")
    finally:
        con.close()


@pytest.mark.parametrize(
    ("old", "new", "ops"),
    [
        ("Ett mål", "Ett mål", [("equal", "Ett mål")]),
        ("Ett mål.", "ett mål", [("equal", "ett mål")]),
        ("A B C", "A C", [("equal", "A"), ("delete", "B"), ("equal", "C")]),
        ("A", "B", [("delete", "A"), ("insert", "B")]),
    ],
)
def test_word_diff(old, new, ops):
    assert [(w.op, w.text) for w in word_diff(old, new)] == ops


def test_cli_diff_json_and_by_year(pair_db):
    runner = CliRunner()
    by_file = runner.invoke(
        app, ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(pair_db), "--format", "json"]
    )
    assert by_file.exit_code == 0, by_file.output
    by_year = runner.invoke(
        app,
        [
            "diff",
            "--organisation",
            "Exempelnämnden",
            "--from-year",
            "2018",
            "--to-year",
            "2019",
            "--db",
            str(pair_db),
            "--format",
            "json",
        ],
    )
    assert by_year.exit_code == 0, by_year.output
    assert json.loads(by_file.stdout) == json.loads(by_year.stdout)
    statuses = [c["status"] for c in json.loads(by_file.stdout)["changes"]]
    assert sorted(statuses) == sorted(["unchanged"] * 6 + ["reworded", "moved", "added", "removed"])


def test_cli_diff_table_and_errors(pair_db, tmp_path):
    runner = CliRunner()
    table = runner.invoke(app, ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(pair_db)])
    assert table.exit_code == 0, table.output
    assert "reworded" in table.output and "6 unchanged" in table.output
    missing = runner.invoke(app, ["diff", "exempel-vp-2018.pdf", "nope.pdf", "--db", str(pair_db)])
    assert missing.exit_code == 1 and "nope.pdf: no such document" in missing.output
    assert runner.invoke(app, ["diff", "exempel-vp-2018.pdf", "--db", str(pair_db)]).exit_code == 2
    out = tmp_path / "diff.md"
    written = runner.invoke(
        app,
        [
            "diff",
            "exempel-vp-2018.pdf",
            "exempel-vp-2019.pdf",
            "--db",
            str(pair_db),
            "--format",
            "markdown",
            "--output",
            str(out),
        ],
    )
    assert written.exit_code == 0 and "~~unga~~ **ungdomar**" in out.read_text(encoding="utf-8")


REWORDED_PLAIN = "Barn och [-unga-]{+ungdomar+} växer upp under trygga {+och stabila+} förhållanden"


def test_cli_diff_table_in_a_file_or_pipe_marks_words_in_plain_text(pair_db, tmp_path):
    runner = CliRunner()
    args = ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(pair_db)]
    piped = runner.invoke(app, args)
    assert piped.exit_code == 0, piped.output
    out = tmp_path / "diff.txt"
    written = runner.invoke(app, [*args, "--output", str(out)])
    assert written.exit_code == 0, written.output
    for text in (piped.stdout, out.read_text(encoding="utf-8")):
        assert REWORDED_PLAIN in text and "\x1b[" not in text
        assert REWORDED_FROM in text  # the old title whole in the from column
        assert all(len(line) == len(line.rstrip()) for line in text.splitlines())


def test_cli_diff_table_on_a_terminal_is_in_colour(pair_db):
    args = ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(pair_db)]
    shown = CliRunner().invoke(app, args, env={"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert "\x1b[" in shown.stdout and "[-unga-]" not in shown.stdout and "ungdomar" in shown.stdout


def test_cli_diff_output_into_a_missing_folder_is_one_line(pair_db, tmp_path):
    args = ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(pair_db)]
    for fmt in ("table", "markdown", "html", "json"):
        target = tmp_path / "no" / "such" / f"diff.{fmt}"
        result = CliRunner().invoke(app, [*args, "--format", fmt, "--output", str(target)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert result.output.strip().splitlines() == [f"error: {target}: cannot write (No such file or directory)"]


@needs_corpus
def test_corpus_socialnamnden_2017_to_2019_lists_every_goal_once(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    try:
        diff = diff_documents(con, "socialnamnden-vp-2017.pdf", "socialnamnden-vb-2019.pdf")
    finally:
        con.close()
    data = to_contract_json(diff)
    from_goals = _goal_ids(corpus_db, "socialnamnden-vp-2017.pdf")
    to_goals = _goal_ids(corpus_db, "socialnamnden-vb-2019.pdf")
    check_contract(data, from_goals, to_goals)
    assert len(from_goals) == 5 and len(to_goals) == 31
    assert diff.from_doc.year == 2017 and diff.to_doc.year == 2019
    # The 2019 budget replaced the goals: nothing carries over, and the indicators kept are three of them.
    assert diff.counts() == {"unchanged": 0, "reworded": 0, "moved": 0, "added": 31, "removed": 5}
    kept = {c.name for c in diff.indicator_changes if c.status == "changed"}
    assert all(name.startswith("Andel ungdomar som i stockholmsenkäten uppger") for name in kept) and len(kept) == 3
