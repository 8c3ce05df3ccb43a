"""Goal headings read the same in every look: label above or on the heading's line, titles wrapping over several
lines, bold or regular headings, another heading font, sizes close to the running text. The PDFs are built here
with tests/render.py from a small spec whose titles are long enough to wrap."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from render import STYLES, RenderStyle, render_document

from malbild.extract.parse.document import parse_document
from malbild.extract.pdf import read_pdf
from malbild.load.ingest import ingest_paths

LONG = (
    "Stockholmare med funktionsnedsättning lever ett tryggt och självständigt liv och kan på lika villkor delta "
    "i samhällets alla delar oavsett var i staden de bor"
)
TEXT = (
    "Nämnden har under året arbetat vidare med att utveckla verksamheten tillsammans med stadsdelsnämnderna. "
    "Arbetet följs upp varje tertial och redovisas för nämnden i samband med verksamhetsberättelsen. "
    "Insatserna ska vara rättssäkra, ändamålsenliga och hålla hög kvalitet."
)
SPEC = {
    "document": {"kind": "verksamhetsplan", "year": 2021, "organisation": "Exempelnämnden", "date": "2020-12-10"},
    "intro": [{"heading": "Inledning", "text": f"{TEXT}\n{TEXT}"}],
    "goals": [
        {"id": "g1", "level": "inriktningsmal", "number": "1", "number_raw": "1.", "title": "En stad för alla"},
        {
            "id": "g2",
            "level": "kf_mal",
            "number": "1.1",
            "number_raw": "1.1",
            "parent": "g1",
            "title": "I Stockholm får människor i behov av stöd insatser i tid präglade av hög kvalitet, evidens och "
            "rättssäkerhet",
            "sections": [{"heading": "", "text": "Nämnden bidrar till målet genom sitt arbete under året."}],
        },
        {
            "id": "g3",
            "level": "namndmal",
            "number": "1.1.1",
            "number_raw": "1.1.1",
            "parent": "g2",
            "title": LONG,
            "assessment": "delvis",
            "sections": [
                {"heading": "Analys", "text": "Arbetet har gått framåt. Stockholm är en stad där alla räknas."},
                {"heading": "", "text": "Under året har nämnden öppnat två nya verksamheter."},
            ],
        },
        {
            "id": "g4",
            "level": "namndmal",
            "number": "1.1.2",
            "number_raw": "1.1.2.",
            "parent": "g2",
            "title": "Barn och unga växer upp under trygga förhållanden",
            "assessment": "helt",
            "sections": [{"heading": "Förväntat resultat", "text": f"Fler barn får stöd i tid. {TEXT}"}],
        },
        {
            "id": "g5",
            "level": "enhetsmal",
            "parent": "g4",
            "title": "Barn, unga och deras familjer som kommer i kontakt med enheten får en rättssäker handläggning "
            "där barnets rättigheter särskilt beaktas",
            "sections": [{"heading": "Beskrivning", "text": f"Enheten arbetar med stöd till familjer. {TEXT}"}],
        },
        {
            "id": "g8",
            "level": "namndmal",
            "number": "1.1.3",
            "number_raw": "1.1.3",
            "parent": "g2",
            # names in capitals: wherever the title wraps, its next line is likely to open with a capital
            "title": "Socialförvaltningen Arbetsmarknadsförvaltningen Utbildningsförvaltningen Stockholms Stadsmission "
            "Ny Gemenskap Jobbtorg Stockholm Intro Stockholm Framtid Stockholm Origo Spira samverkar",
            "assessment": "helt",
        },
        {"id": "g6", "level": "inriktningsmal", "number": "2", "number_raw": "2.", "title": "En hållbar stad"},
        {
            "id": "g7",
            "level": "kf_mal",
            "number": "2.1",
            "number_raw": "2.1.",
            "parent": "g6",
            "title": "Stockholm är en hållbar stad med en god livsmiljö",
            "assessment": "inte",
        },
    ],
}
BASE = STYLES["ruled"]
LOOKS: dict[str, RenderStyle] = {
    "label above": BASE,
    "label inline, bold title": replace(BASE, label_placement="inline"),
    "label inline, regular title": replace(BASE, label_placement="inline", goal_bold=False, label_bold=True),
    "label inline, regular label": replace(BASE, label_placement="inline", label_bold=False),
    "regular headings in another font": replace(
        BASE, goal_bold=False, heading_font="DejaVuSerif.ttf", heading_bold_font="DejaVuSerif-Bold.ttf"
    ),
    "bold headings barely bigger than the text": replace(
        BASE,
        body_size=10.0,
        section_size=10.5,
        goal_sizes=(("inriktningsmal", 11.0), ("kf_mal", 10.5), ("namndmal", 10.5), ("enhetsmal", 10.5)),
        leading=1.4,
    ),
    "narrow landscape page, tight leading": replace(
        BASE, page_width=842.0, page_height=595.0, content_bottom=540.0, margin_left=300.0, leading=1.15
    ),
}


def _expected(spec: dict) -> list[tuple]:
    ids = {g["id"]: i for i, g in enumerate(spec["goals"])}
    return [
        (g["level"], g.get("number"), g["title"], g.get("assessment"), ids.get(g.get("parent"))) for g in spec["goals"]
    ]


def _parse(tmp_path: Path, spec: dict, style: RenderStyle):
    pdf = render_document(spec, tmp_path / "doc.pdf", style)
    return parse_document(read_pdf(pdf))


@pytest.mark.parametrize("look", sorted(LOOKS))
def test_goal_headings_read_whole_in_every_look(tmp_path, look):
    parsed = _parse(tmp_path, SPEC, LOOKS[look])
    found = [(g.level, g.number, g.title, g.assessment, g.parent) for g in parsed.goals]
    assert found == _expected(SPEC)
    assert not [w for w in parsed.warnings if w.kind == "guessed_heading"]


@pytest.mark.parametrize("look", ["label above", "label inline, regular title"])
def test_sections_under_goals_in_every_look(tmp_path, look):
    parsed = _parse(tmp_path, SPEC, LOOKS[look])
    by_title = {g.title: g for g in parsed.goals}
    sections = by_title[LONG].sections
    assert [h for h, _ in sections] == ["Analys"]
    assert sections[0][1].startswith("Arbetet har gått framåt.")
    assert "nya verksamheter" in sections[0][1]
    assert by_title["Barn och unga växer upp under trygga förhållanden"].sections[0][0] == "Förväntat resultat"


def test_a_heading_set_like_the_running_text_is_a_guess_and_says_so(tmp_path):
    plain = replace(
        BASE,
        goal_bold=False,
        label_bold=False,
        goal_sizes=tuple((level, BASE.body_size) for level, _ in BASE.goal_sizes),
    )
    parsed = _parse(tmp_path, SPEC, plain)
    # the goals are still found, but where their headings end could only be guessed, and that is reported
    assert [g.level for g in parsed.goals] == [g["level"] for g in SPEC["goals"]]
    guessed = [w for w in parsed.warnings if w.kind == "guessed_heading"]
    assert guessed
    assert all(w.page and w.text and "mål" in w.text for w in guessed)


def test_a_label_with_no_heading_warns(tmp_path):
    spec = {**SPEC, "goals": [*SPEC["goals"][:2], {"id": "g9", "level": "namndmal", "parent": "g2", "title": ""}]}
    parsed = _parse(tmp_path, spec, BASE)
    assert [g.title for g in parsed.goals] == [g["title"] for g in SPEC["goals"][:2]]
    warnings = [w for w in parsed.warnings if w.kind == "guessed_heading"]
    assert len(warnings) == 1
    assert warnings[0].text == "Nämndmål:"
    assert "no heading" in warnings[0].message


def test_guessed_headings_reach_the_ingest_summary_and_failures(tmp_path):
    plain = replace(
        BASE, goal_bold=False, label_bold=False, goal_sizes=tuple((lv, BASE.body_size) for lv, _ in BASE.goal_sizes)
    )
    folder = tmp_path / "in"
    folder.mkdir()
    render_document(SPEC, folder / "plain.pdf", plain)
    db = tmp_path / "db.duckdb"
    report = ingest_paths([folder], db, workers=1)
    assert report.ok, report.failures
    assert any(w.kind == "guessed_heading" for w in report.warnings)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select severity, page, text from failures where kind = 'guessed_heading'").fetchall()
    con.close()
    assert rows
    assert all(severity == "warning" and page and text for severity, page, text in rows)


def _activities(goal: str, n: int) -> list[dict]:
    return [
        {
            "goal": goal,
            "text": f"Nämnden ska utveckla arbetet med uppföljning och dialog om verksamheternas resultat, steg {k}",
            "start": "2021-01-01",
            "end": "2021-12-31",
        }
        for k in range(1, n + 1)
    ]


@pytest.mark.parametrize("rows", [3, 32])
def test_a_label_right_under_a_table_opens_the_next_goal(tmp_path, rows):
    # the label in the table's size and weight, close under it (or at the top of the next page, the table
    # still open): it is the next goal's label, not a row of the table
    spec = {**SPEC, "activities": _activities("g3", rows) + _activities("g8", 2)}
    tight = replace(
        BASE,
        label_bold=False,
        label_size=BASE.activity_size,
        goal_gap=4.0,
        table_rules=False,
        table_shading=False,
        vertical_rules=False,
    )
    parsed = _parse(tmp_path, spec, tight)
    assert [(g.level, g.title) for g in parsed.goals] == [(g["level"], g["title"]) for g in SPEC["goals"]]
    assert [a.goal for a in parsed.activities] == [2] * rows + [5] * 2
