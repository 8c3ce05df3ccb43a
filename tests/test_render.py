"""Tests of the test-PDF renderer (tests/render.py): render, read back with pdfplumber."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

if str(Path(__file__).parent) not in sys.path:  # tests/ on sys.path also under --import-mode=importlib
    sys.path.insert(0, str(Path(__file__).parent))

from render import (  # noqa: E402
    PLAN_INDICATOR_HEADERS,
    REPORT_INDICATOR_HEADERS,
    STYLES,
    RenderStyle,
    activity,
    document,
    goal,
    indicator,
    render_document,
    spec,
    table,
)

FILLER = (
    "Förvaltningen har under året arbetat vidare med att utveckla samverkan mellan "
    "verksamheterna och stadsdelsförvaltningarna för att stärka kvaliteten i insatserna. "
)


def _small_spec() -> dict:
    return spec(
        document=document(
            title="Verksamhetsberättelse 2019 för Provnämnden",
            kind="verksamhetsberattelse",
            year=2019,
            organisation="Provnämnden",
            date="2020-02-18",
        ),
        goals=[
            goal("g1", "inriktningsmal", "En stad som håller samman", "1.", sections=[("", FILLER * 2)]),
            goal(
                "g2",
                "kf_mal",
                "Alla barn har goda uppväxtvillkor och en trygg skolgång",
                "1.1",
                parent="g1",
                assessment="delvis",
                sections=[("Analys", FILLER), ("Ekonomiskt bistånd", FILLER * 3)],
            ),
            goal("g3", "namndmal", "Barn och unga växer upp under trygga förhållanden", parent="g2", assessment="helt"),
        ],
        indicators=[
            indicator(
                "g2",
                "Andel barn som placeras nära hemmet",
                dict(
                    zip(
                        REPORT_INDICATOR_HEADERS[1:],
                        ["86 %", "90 %", "66 %", "67 %", "", "80 %", "75 %", "VB 2019"],
                        strict=True,
                    )
                ),
                gender=True,
                analysis="126 av 140 pojkar och 19 av 29 flickor har svarat på enkäten.",
            ),
        ],
        activities=[
            activity("g3", "Socialnämnden ska stärka samverkan med polisen", "2019-01-01", "2019-12-31", status="done"),
            activity(
                "g3",
                "Socialnämnden ska utreda boendet",
                "2019-02-01",
                "2019-06-30",
                status="ongoing",
                deviation="Försenad på grund av omorganisation.",
            ),
        ],
        tables=[
            table(["Mnkr, netto", "Budget 2019", "Bokslut 2019"], [["Barn och ungdom", "88,0", "82,2"]], kind="finance")
        ],
    )


def _read(path) -> list[dict]:
    """One dict per page: text, words, lines, rects."""
    out = []
    with pdfplumber.open(path) as pdf:
        for p in pdf.pages:
            out.append(
                {
                    "text": p.extract_text() or "",
                    "words": p.extract_words(extra_attrs=["fontname", "size"]),
                    "lines": list(p.lines),
                    "rects": list(p.rects),
                }
            )
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _in_order(pages, phrase: str) -> bool:
    """The words of ``phrase`` occur in this order in the document's words (other words may
    come between them: a wrapped table cell shares its lines with the other cells)."""
    words = [w["text"] for p in pages for w in p["words"]]
    it = iter(words)
    return all(any(w == x for x in it) for w in phrase.split())


@pytest.fixture(scope="module")
def small_renders(tmp_path_factory):
    d = tmp_path_factory.mktemp("render")
    return {name: _read(render_document(_small_spec(), d / f"{name}.pdf", name)) for name in STYLES}


def test_required_styles_exist():
    for name in ("ruled", "borderless", "borderless-tight", "serif", "other-furniture", "mono-narrow"):
        assert isinstance(STYLES[name], RenderStyle)
        assert STYLES[name].name == name


@pytest.mark.parametrize("name", sorted(STYLES))
def test_title_goals_and_tables_read_back(small_renders, name):
    pages = small_renders[name]
    first = _flat(pages[0]["text"])
    assert "Verksamhetsberättelse 2019 för Provnämnden" in first
    title_words = [w for w in pages[0]["words"] if w["text"] == "Provnämnden" and w["size"] > 15]
    assert title_words, "title not in large type on page 1"
    alltext = _flat(" ".join(p["text"] for p in pages))
    for t in (
        "1. En stad som håller samman",
        "1.1 Alla barn har goda uppväxtvillkor och en trygg skolgång",
        "Barn och unga växer upp under trygga förhållanden",
    ):
        assert t in alltext
    for label in ("KF:s inriktningsmål:", "KF:s mål för verksamhetsområdet:", "Nämndmål:"):
        assert label in alltext
    assert "Uppfylls delvis" in alltext and "Uppfylls helt" in alltext
    assert "Analys 126 av 140 pojkar" in alltext
    assert "♀ Andel barn" in alltext
    assert _in_order(pages, "✓ Socialnämnden ska stärka samverkan med polisen")
    assert _in_order(pages, "▶ Socialnämnden ska utreda boendet 2019-02-01 2019-06-30 Försenad")
    assert _in_order(pages, "Försenad på grund av omorganisation.")
    assert "Uppföljning av ekonomi" in alltext and "Barn och ungdom 88,0 82,2" in alltext
    # goal headings are bold and larger than body text
    heading = [w for p in pages for w in p["words"] if w["text"] == "stad" and "Bold" in w["fontname"]]
    assert heading and heading[0]["size"] > 12


def test_indicator_row_reading_order(small_renders):
    pages = small_renders["ruled"]
    line = next(ln for p in pages for ln in p["text"].splitlines() if ln.startswith("♀ Andel barn"))
    assert re.search(r"^♀ Andel barn .*86 % 90 % 66 % 67 % 80 % 75 % VB\b", line), line


def test_ruled_has_rules_and_borderless_has_none(small_renders):
    ruled = small_renders["ruled"]
    assert sum(len(p["lines"]) for p in ruled) > 10
    assert sum(len(p["rects"]) for p in ruled) > 0  # shaded header cells
    for name in ("borderless", "borderless-tight", "other-furniture"):
        for p in small_renders[name]:
            assert p["lines"] == [] and p["rects"] == [], name


def test_running_head_and_footer(small_renders):
    pages = small_renders["ruled"]
    n = len(pages)
    for i, p in enumerate(pages, 1):
        assert f"Sid {i} ({n})" in p["text"]
        assert "Tjänsteutlåtande" in p["text"]
        assert p["text"].rstrip().endswith("stockholm.se")
        assert p["text"].startswith("Provförvaltningen")


def test_other_furniture(small_renders):
    pages = small_renders["other-furniture"]
    n = len(pages)
    for i, p in enumerate(pages, 1):
        assert p["text"].startswith("Stadsdelsförvaltningen Norr")
        assert f"Sida {i} av {n}" in p["text"]
        assert "Verksamhetsplan 2019 – Exempelnämnden" in p["text"]
        assert "Tjänsteutlåtande" not in p["text"]
        assert "Sid " not in p["text"]
    # the page label is at the bottom right
    w = next(w for w in pages[0]["words"] if w["text"] == "Sida")
    assert w["top"] > 780 and w["x0"] > 400


def _long_activity_spec(n_rows: int = 14) -> dict:
    acts = []
    for i in range(n_rows):
        body = " ".join(["samverkan med stadsdelsnämnderna kring stöd och insatser"] * (3 + (i * 5) % 9))
        acts.append(
            activity("g1", f"RAD{i:02d}start Socialnämnden ska {body} RAD{i:02d}slut", "2019-01-01", "2019-12-31")
        )
    return spec(
        document=document(),
        goals=[goal("g1", "namndmal", "Nämndens mål för testet", sections=[("Beskrivning", FILLER * 4)])],
        activities=acts,
    )


def _page_of(pages, token):
    return next((i for i, p in enumerate(pages) if any(w["text"] == token for w in p["words"])), None)


@pytest.mark.parametrize("name", ["ruled", "borderless-tight", "serif", "mono-narrow"])
def test_long_table_repeats_header_and_splits_rows(tmp_path, name):
    pages = _read(render_document(_long_activity_spec(), tmp_path / "long.pdf", name))
    first = _page_of(pages, "RAD00start")
    last = _page_of(pages, f"RAD{13:02d}slut")
    assert last > first, "table should span a page break"
    for i in range(first, last + 1):  # header on every page the table touches
        assert "Aktivitet Startdatum Slutdatum" in pages[i]["text"], i
    split = [i for i in range(14) if _page_of(pages, f"RAD{i:02d}start") != _page_of(pages, f"RAD{i:02d}slut")]
    assert split, "no row was split across a page break"
    for i in split:
        n = _page_of(pages, f"RAD{i:02d}start")
        assert _page_of(pages, f"RAD{i:02d}slut") == n + 1
        # dates stay with the row's first line on page N
        start_w = next(w for w in pages[n]["words"] if w["text"] == f"RAD{i:02d}start")
        assert any(w["text"] == "2019-01-01" and abs(w["top"] - start_w["top"]) < 2 for w in pages[n]["words"])
        # on page N+1 the continuation comes right under the repeated header
        lines = pages[n + 1]["text"].splitlines()
        h = next(k for k, ln in enumerate(lines) if ln.startswith("Aktivitet Startdatum"))
        assert "RAD" not in lines[h + 1] or f"RAD{i:02d}slut" in lines[h + 1]
        assert not lines[h + 1].startswith("RAD")


def test_long_text_breaks_pages_and_keeps_order(tmp_path):
    s = spec(
        goals=[
            goal(
                "g1",
                "inriktningsmal",
                "Ett mål",
                "1.",
                sections=[("Rubrik", "\n".join(f"Stycke{i} " + FILLER for i in range(40)))],
            )
        ]
    )
    pages = _read(render_document(s, tmp_path / "t.pdf"))
    assert len(pages) >= 3
    seq = [int(m) for p in pages for m in re.findall(r"Stycke(\d+)", p["text"])]
    assert seq == list(range(40))


def test_plan_indicator_table_and_toc_auto(tmp_path):
    s = spec(
        goals=[
            goal("g1", "inriktningsmal", "Ett klimatsmart Stockholm", "2."),
            goal("g2", "kf_mal", "Energianvändningen är hållbar", "2.1", parent="g1", sections=[("", FILLER * 30)]),
            goal("g3", "kf_mal", "Transporter i Stockholm är miljöanpassade", "2.2", parent="g1"),
        ],
        indicators=[
            indicator(
                "g2",
                "Andel förnybar energi",
                dict(zip(PLAN_INDICATOR_HEADERS[1:], ["80 %", "75 %", "År"], strict=True)),
            )
        ],
        toc="auto",
    )
    pages = _read(render_document(s, tmp_path / "t.pdf"))
    assert "Innehållsförteckning" in pages[0]["text"]
    toc_line = next(ln for ln in pages[0]["text"].splitlines() if ln.startswith("2.2 Transporter"))
    page_no = int(re.search(r"(\d+)$", toc_line).group(1))
    heading_page = next(
        i for i, p in enumerate(pages) if i > 0 and "Transporter i Stockholm är miljöanpassade" in p["text"]
    )
    assert page_no == heading_page + 1
    assert "Indikator Årsmål KF:s årsmål Periodicitet" in " ".join(p["text"] for p in pages)
    # the toc line is regular, not bold: it must not look like a goal heading
    w = next(w for w in pages[0]["words"] if w["text"].startswith("Transporter"))
    assert "Bold" not in w["fontname"]


def test_deterministic(tmp_path):
    a = render_document(_small_spec(), tmp_path / "a.pdf").read_bytes()
    b = render_document(_small_spec(), tmp_path / "b.pdf").read_bytes()
    assert a == b


def test_missing_fonts_fall_back(tmp_path):
    style = replace(
        STYLES["ruled"],
        name="fallback",
        regular_font="/nonexistent/X.ttf",
        bold_font="/nonexistent/X-Bold.ttf",
        symbol_font=None,
    )
    pages = _read(render_document(_small_spec(), tmp_path / "fb.pdf", style))
    text = " ".join(p["text"] for p in pages)
    assert "Verksamhetsberättelse 2019 för Provnämnden" in text
    assert _in_order(pages, "Socialnämnden ska stärka samverkan med polisen")
    assert "✓" not in text  # not in the fallback font's character set: dropped
    assert pages[0]["words"][0]["fontname"].startswith("Helvetica")


def test_empty_spec_and_unknown_style(tmp_path):
    pages = _read(render_document({}, tmp_path / "empty.pdf"))
    assert len(pages) == 1 and "Sid 1 (1)" in pages[0]["text"]
    with pytest.raises(ValueError):
        render_document({}, tmp_path / "x.pdf", "no-such-style")


def test_builders():
    g = goal("g1", "kf_mal", "Titel", "1.2.", sections=["text", ("Rubrik", "mer")])
    assert g["number"] == "1.2" and g["sections"][0] == {"heading": "", "text": "text"}
    assert goal("g2", "namndmal", "T")["number"] is None
    ind = indicator("g1", "Namn", {"Årsmål": "1"})
    assert list(ind["cells"]) == ["Indikator", "Årsmål"] and ind["cells"]["Indikator"] == "Namn"
    s = spec(goals=[g])
    assert s["document"]["kind"] == "verksamhetsplan" and s["toc"] == []
