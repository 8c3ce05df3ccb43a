"""Tables in many looks, on PDFs these tests render: multi-line header cells in every alignment, shaded headers
without rules, zebra rows, landscape pages, a long borderless generic table over several pages (with and without a
repeated header), and warnings for columns no measure takes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest
from render import REPORT_INDICATOR_HEADERS, activity, document, goal, indicator, render_document, spec, table
from render_style import EXTRA_HEADER, EXTRA_HEADING, STYLES, RenderStyle, extra_table

from malbild.extract.parse.document import parse_document
from malbild.extract.parse.drafts import ParsedDocument
from malbild.extract.pdf import read_pdf
from malbild.normalize.text import one_line
from malbild.schemas.terms import Measure

# Narrow columns: every header of the report layout wraps over two to four lines.
NARROW = replace(STYLES["ruled"], column_cap=0.0, column_slack=0.0)

REPORT_ROWS = [
    ("Andel nöjda brukare", ["81 %", "79 %", "83 %", "80 %", "82 %", "85 %", "80 %", "T3"]),
    ("Antal genomförda hembesök under perioden", ["1 204", "580", "624", "1 100", "1 250", "1 300", "", "T3"]),
    ("Andel ärenden som handlagts inom två veckor", ["93,3 %", "", "", "88,9 %", "92 %", "92 %", "90 %", "T3"]),
]
# what each column of REPORT_INDICATOR_HEADERS holds, in order: the contract lists the measures in that order
REPORT_MEASURES = list(get_args(Measure))


def _report_spec(extra_tables: tuple = ()) -> dict:
    goals = [goal("g1", "namndmal", "Stockholmare får stöd när de behöver det", "1.1")]
    inds = [
        indicator("g1", name, dict(zip(REPORT_INDICATOR_HEADERS, [name, *cells], strict=True)))
        for name, cells in REPORT_ROWS
    ]
    doc = document(title="Verksamhetsberättelse 2019 för Exempelnämnden", kind="verksamhetsberattelse")
    return spec(document=doc, goals=goals, indicators=inds, tables=extra_tables)


def _parse(spec_: dict, style: RenderStyle, path: Path) -> ParsedDocument:
    return parse_document(read_pdf(render_document(spec_, path, style)))


def _assert_report_values(parsed: ParsedDocument) -> None:
    assert [i.name for i in parsed.indicators] == [name for name, _ in REPORT_ROWS]
    for ind, (_name, cells) in zip(parsed.indicators, REPORT_ROWS, strict=True):
        want = {m: raw for m, raw in zip(REPORT_MEASURES, cells, strict=False) if raw}
        assert {v.measure: v.raw for v in ind.values} == want, ind.name
        assert ind.period == "T3"
    headers = {v.measure: one_line(v.header) for i in parsed.indicators for v in i.values}
    assert headers["outcome_previous"].replace(" ", "") == "PeriodensutfallVB2018"
    assert headers["kf_annual_target"] == "KF:s årsmål"
    assert not [w for w in parsed.warnings if w.kind == "unmapped_column"]


@pytest.mark.parametrize("valign", ["top", "middle", "bottom"])
@pytest.mark.parametrize("halign", ["left", "center", "right"])
def test_wrapped_header_cells_are_read_whole_in_every_alignment(tmp_path, valign, halign):
    style = replace(NARROW, header_valign=valign, header_halign=halign)
    _assert_report_values(_parse(_report_spec(), style, tmp_path / "t.pdf"))


@pytest.mark.parametrize("cells", [True, False])
def test_shaded_header_without_rules(tmp_path, cells):
    style = replace(
        NARROW, table_rules=False, vertical_rules=False, table_shading=True, shade_cells=cells, header_valign="bottom"
    )
    _assert_report_values(_parse(_report_spec(), style, tmp_path / "t.pdf"))


@pytest.mark.parametrize("rules", [True, False])
def test_zebra_rows_are_not_rules(tmp_path, rules):
    style = replace(NARROW, zebra=True, table_rules=rules, vertical_rules=rules, header_valign="middle")
    _assert_report_values(_parse(_report_spec(), style, tmp_path / "t.pdf"))


def test_centred_headers_over_left_aligned_and_right_aligned_cells(tmp_path):
    for body in ("left", "right", "center"):
        style = replace(NARROW, table_rules=False, header_halign="center", body_halign=body, table_shading=False)
        _assert_report_values(_parse(_report_spec(), style, tmp_path / f"{body}.pdf"))


def test_landscape_page(tmp_path):
    style = replace(NARROW, page_width=NARROW.page_height, page_height=NARROW.page_width, header_valign="bottom")
    _assert_report_values(_parse(_report_spec(), style, tmp_path / "t.pdf"))


ACTIVITY_TEXTS = [
    "Utreda hur stödet till unga som mår psykiskt dåligt kan förbättras och utvecklas i samarbete med skolan.",
    "Socialnämnden ska i samråd med kommunstyrelsen utreda hur mottagandet kan samordnas med andra nämnder.",
    "Stödja stadsdelsnämndernas arbete.",
]


@pytest.mark.parametrize("font", ["DejaVuSans", "DejaVuSansMono"])
def test_activity_rows_of_wrapped_text_without_dates_under_a_centred_header(tmp_path, font):
    """Rows whose only cell is wrapped text: the first header cell centred over them is not a blank label column."""
    style = replace(
        STYLES["ruled"],
        regular_font=f"{font}.ttf",
        bold_font=f"{font}-Bold.ttf",
        header_halign="center",
        header_valign="middle",
        table_shading=False,
    )
    goals = [goal("g1", "namndmal", "Barn i Stockholm har bra uppväxtvillkor", "1.1")]
    spec_ = spec(goals=goals, activities=[activity("g1", text) for text in ACTIVITY_TEXTS])
    parsed = _parse(spec_, style, tmp_path / "t.pdf")
    assert [one_line(a.text) for a in parsed.activities] == ACTIVITY_TEXTS
    assert not [w for w in parsed.warnings if w.kind == "empty_table"]


def _units_table(parsed: ParsedDocument, rows: int) -> None:
    gold = extra_table(rows, seed=3)
    found = [t for t in parsed.tables if [one_line(h) for h in t.header] == EXTRA_HEADER]
    assert len(found) == 1, [t.header for t in parsed.tables]
    assert [[one_line(c) for c in r] for r in found[0].rows] == gold["rows"]
    warned = [w for w in parsed.warnings if w.kind == "unmapped_table" and "Enhet" in (w.text or "")]
    assert len(warned) == 1 and f"{rows} rows" in warned[0].message


@pytest.mark.parametrize("repeat", [True, False])
@pytest.mark.parametrize("ruled", [True, False])
def test_a_long_generic_table_over_four_pages_is_kept_whole(tmp_path, repeat, ruled):
    style = replace(
        STYLES["ruled"],
        table_rules=ruled,
        vertical_rules=ruled,
        table_shading=ruled,
        repeat_header=repeat,
        split_rows=False,
    )
    units = {**extra_table(120, seed=3), "goal": "g1"}
    path = tmp_path / "t.pdf"
    parsed = _parse(_report_spec((units,)), style, path)
    assert len(read_pdf(path).pages) >= 5  # the front page, the indicators and four pages of units
    _units_table(parsed, 120)
    units_draft = next(t for t in parsed.tables if t.header[0] == "Enhet")
    assert units_draft.goal == 0 and units_draft.title == EXTRA_HEADING
    _assert_report_values(parsed)


def test_a_row_split_at_a_page_break_is_joined(tmp_path):
    style = replace(STYLES["borderless"], repeat_header=False, split_rows=True, table_size=10.0)
    long_rows = [[f"Enhet {i}", "Storgatan 1", "Öppet alla dagar utom helger " * 6] for i in range(40)]
    parsed = _parse(_report_spec((table(["Namn", "Adress", "Öppettider"], long_rows),)), style, tmp_path / "t.pdf")
    found = next(t for t in parsed.tables if t.header[0] == "Namn")
    assert [[one_line(c) for c in r] for r in found.rows] == [[one_line(c) for c in r] for r in long_rows]


def test_a_column_no_measure_takes_is_kept_and_warned(tmp_path):
    headers = ["Indikator", "Periodens utfall", "Jämförelse riket", "Årsmål", "Period"]
    rows = [("Andel nöjda brukare", ["81 %", "77 %", "80 %", "T3"]), ("Andel i arbete", ["40 %", "38 %", "45 %", "T3"])]
    inds = [indicator("g1", n, dict(zip(headers, [n, *c], strict=True))) for n, c in rows]
    spec_ = spec(goals=[goal("g1", "namndmal", "Fler stockholmare är i arbete", "1.2")], indicators=inds)
    parsed = _parse(spec_, NARROW, tmp_path / "t.pdf")
    first = parsed.indicators[0]
    want = {("outcome", "81 %"), (None, "77 %"), ("annual_target", "80 %")}
    assert {(v.measure, v.raw) for v in first.values} == want
    (warning,) = [w for w in parsed.warnings if w.kind == "unmapped_column"]
    assert "Jämförelse riket" in (warning.text or "") and warning.page == first.page and "2 value" in warning.message


def test_a_table_of_contents_is_no_table(tmp_path):
    toc = [{"text": f"{i} Avsnitt nummer {i}", "page": i + 2} for i in range(1, 12)]
    spec_ = _report_spec()
    spec_["toc"] = toc
    for columns in (1, 2):
        parsed = _parse(spec_, replace(STYLES["borderless"], toc_columns=columns), tmp_path / f"{columns}.pdf")
        assert not [t for t in parsed.tables if any("Avsnitt" in c for r in t.rows for c in r)]
