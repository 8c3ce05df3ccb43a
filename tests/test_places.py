"""Where each record was printed: the box stored with it holds its text when the PDF is cropped to it (pdfplumber),
on the corpus and on renderings of its gold in every style; repeated texts get their own boxes; misses warn."""

from __future__ import annotations

import json
from collections import Counter

import duckdb
import pytest
from boxes import RECORDS, TEXT_COLUMNS, check_database
from conftest import CORPUS_FILES, CORPUS_GOLD, needs_corpus
from render import STYLES, activity, goal, indicator, render_document, spec
from render_style import random_style

from malbild.extract.parse.document import parse_document
from malbild.extract.parse.drafts import ActivityDraft
from malbild.extract.parse.places import locate_records
from malbild.extract.pdf import read_pdf
from malbild.load.ingest import ingest_paths

TARGET = 0.99  # issue 14: at least 99 % of goals, indicators and activities have a box holding their text
SMALL_GOLD = ["socialnamnden-vp-2017", "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019"]
# Random styles (tests/render_style.py) measured here too; bench/box_coverage.py --seeds N measures more.
SEEDS = [1, 2, 4]


def _shares(db, tables: tuple[str, ...]) -> tuple[dict[str, float], list[str]]:
    total: Counter[str] = Counter()
    held: Counter[str] = Counter()
    misses: list[str] = []
    for checked in check_database(db, tables):
        total[checked.table] += 1
        held[checked.table] += checked.ok
        if not checked.ok:
            misses.append(f"{checked.table} p{checked.page} {checked.box} {checked.text[:60]!r}: {checked.box_text!r}")
    return {t: held[t] / total[t] for t in total}, misses


@needs_corpus
def test_every_corpus_record_has_a_box_holding_its_text(corpus_db):
    shares, misses = _shares(corpus_db, tuple(TEXT_COLUMNS))
    assert set(shares) == set(TEXT_COLUMNS), shares  # the corpus has every kind of record
    for table in TEXT_COLUMNS:
        assert shares[table] >= TARGET, (table, misses)


@needs_corpus
def test_a_value_box_is_its_row_from_the_name_through_the_cell(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = con.execute(
        "SELECT i.x0, i.top, i.x1, i.bottom, v.x0, v.top, v.x1, v.bottom FROM indicator_values v "
        "JOIN indicators i USING (indicator_id) WHERE v.page = i.page"
    ).fetchall()
    assert len(rows) > 200
    for ix0, itop, ix1, ibottom, vx0, vtop, vx1, vbottom in rows:
        assert vx0 <= ix0 and vtop <= itop and vx1 > ix1 and vbottom >= ibottom


@needs_corpus
def test_a_record_broken_over_a_page_break_has_its_first_part_box_and_its_last_page(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    spanning = con.execute("SELECT count(*) FROM activities WHERE page_end > page").fetchone()[0]
    assert spanning >= 3  # the 2019 report breaks activity rows over pages
    assert con.execute("SELECT count(*) FROM activities WHERE page_end < page OR page_end > page + 1").fetchone() == (
        0,
    )
    # a broken row's first part sits at the foot of its page
    feet = con.execute("SELECT min(bottom) FROM activities WHERE page_end > page").fetchone()[0]
    assert feet > 600


@needs_corpus
@pytest.mark.parametrize("style", [*sorted(STYLES), *(f"seed-{s}" for s in SEEDS)])
def test_rendered_gold_records_have_boxes_holding_their_text(tmp_path, style):
    look = random_style(int(style.removeprefix("seed-"))) if style.startswith("seed-") else style
    for name in SMALL_GOLD:
        gold = json.loads((CORPUS_GOLD / f"{name}.json").read_text(encoding="utf-8"))
        render_document(gold, tmp_path / f"{name}.pdf", look)
    db = tmp_path / "db.duckdb"
    report = ingest_paths([tmp_path], db, workers=2)
    assert report.ok, report.failures
    shares, misses = _shares(db, RECORDS)
    for table in RECORDS:
        assert shares[table] >= TARGET, (table, misses)


def _repeated_spec() -> dict:
    goals = [goal("g1", "namndmal", "Barn och unga har en trygg uppväxt")]
    same = "Utveckla samverkan med skolan"
    return spec(
        goals=goals,
        indicators=[
            indicator("g1", "Andel nöjda", {"Årsmål": "80 %"}),
            indicator("g1", "Andel nöjda", {"Årsmål": "80 %"}),
        ],
        activities=[activity("g1", same, "2019-01-01", "2019-12-31"), activity("g1", same, "2019-01-01", "2019-06-30")],
    )


def test_rows_with_the_same_text_get_a_box_each_in_order(tmp_path):
    doc = read_pdf(render_document(_repeated_spec(), tmp_path / "same.pdf"))
    parsed = parse_document(doc)
    assert len(parsed.activities) == 2 and len(parsed.indicators) == 2
    for places in (parsed.places.activities, parsed.places.indicators):
        first, second = places[0], places[1]
        assert first.page == second.page and first.bottom <= second.top
    values = [parsed.places.values[(i, 0)] for i in (0, 1)]
    assert values[0].top < values[1].top


def test_a_record_whose_text_is_not_printed_gets_no_box_and_a_warning(tmp_path):
    doc = read_pdf(render_document(_repeated_spec(), tmp_path / "same.pdf"))
    parsed = parse_document(doc)
    assert not [w for w in parsed.warnings if w.kind == "unlocated"]
    parsed.activities.append(ActivityDraft(ordinal=2, goal=0, text="Text som inte står i dokumentet", page=1))
    places, warnings = locate_records(doc.pages, parsed)
    assert 2 not in places.activities and {0, 1} <= set(places.activities)
    assert [(w.kind, w.page, w.text) for w in warnings] == [("unlocated", 1, "Text som inte står i dokumentet")]


@needs_corpus
def test_corpus_parse_locates_every_record(corpus_parsed):
    for name in CORPUS_FILES:
        parsed = corpus_parsed[name]
        assert len(parsed.places.goals) == len(parsed.goals), name
        assert len(parsed.places.indicators) == len(parsed.indicators), name
        assert len(parsed.places.activities) == len(parsed.activities), name
        assert not [w for w in parsed.warnings if w.kind == "unlocated"], name
