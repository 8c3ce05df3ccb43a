"""Document metadata from the first page, on the corpus and on first pages of other shapes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus
from render import STYLES, document, render_document, spec

from malbild.extract.parse.metadata import organisation_from_office, parse_metadata
from malbild.extract.pdf import read_pdf


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_metadata_matches_gold(corpus_docs, name):
    gold = gold_for(name)["document"]
    meta = parse_metadata(corpus_docs[name])
    for key in ("kind", "year", "organisation", "unit", "district", "dnr", "date", "title"):
        assert getattr(meta, key) == gold[key], key


@pytest.mark.parametrize(
    ("office", "organisation"),
    [
        ("Socialförvaltningen", "Socialnämnden"),
        ("Hägersten-Liljeholmens stadsdelsförvaltning", "Hägersten-Liljeholmens stadsdelsnämnd"),
        ("Utbildningsförvaltningen", "Utbildningsnämnden"),
        ("Socialnämnden", "Socialnämnden"),
    ],
)
def test_organisation_from_office(office, organisation):
    assert organisation_from_office(office) == organisation


@pytest.mark.parametrize(
    ("title", "kind", "year"),
    [
        ("Tertialrapport 1 2018 för Kulturnämnden", "tertialrapport", 2018),
        ("Verksamhetsberättelse 2016 för Kulturnämnden", "verksamhetsberattelse", 2016),
        ("Verksamhetsplan 2020 för Kulturnämnden", "verksamhetsplan", 2020),
        ("Bilaga 3 Jämställdhetsplan för Kulturnämnden", "bilaga", None),
        ("Yttrande över remiss om kulturstrategi", "other", None),
    ],
)
def test_kind_and_year_from_other_titles(tmp_path, title, kind, year):
    doc = spec(document=document(title=title, organisation="Kulturnämnden", kind=kind, year=year))
    meta = parse_metadata(read_pdf(render_document(doc, tmp_path / "doc.pdf", "other-furniture")))
    assert (meta.title, meta.kind, meta.year, meta.organisation) == (title, kind, year, "Kulturnämnden")
    assert meta.unit is None and meta.district is None


def test_unknowns_stay_none_on_a_plain_first_page(tmp_path):
    from badfiles import text_pdf

    path = text_pdf(tmp_path / "brev.pdf", ["Hej!", "Här kommer underlaget som vi talade om.", "Vänliga hälsningar"])
    meta = parse_metadata(read_pdf(path))
    assert meta.kind == "other"
    assert (meta.year, meta.dnr, meta.date, meta.unit, meta.district, meta.organisation) == (None,) * 6


# First pages laid out differently: the title large or small, before or after the Handläggare/Till/Datum block,
# that block at the left or in the right half (its values wrapping), labels with or without a colon, the running
# head at the top or at the foot, naming the förvaltning or only the city.
FRONTS = {
    "labels, head on top": {},
    "title first, colons": {"front_layout": "title-first", "front_colon": True, "title_size": 15.0},
    "block at the right, large title": {"front_layout": "right", "title_size": 26.0},
    "block at the right, head at the foot": {
        "front_layout": "right",
        "front_colon": True,
        "head_pos": "bottom",
        "page_label_pos": "bottom-right",
        "content_top": 40.0,
        "content_bottom": 700.0,
    },
    "city in the head, label first": {"head_org": "Stockholms stad", "page_label_pos": "top-left"},
}
FRONT_DOCS = [
    document(
        title="Verksamhetsplan 2021 för Förskoleenheten",
        organisation="Hägersten-Liljeholmens stadsdelsnämnd",
        unit="Förskoleenheten",
        district="Hägersten-Liljeholmen",
        date="2020-12-10",
        year=2021,
    ),
    document(title="Tertialrapport 2 2020", kind="tertialrapport", organisation="Kulturnämnden", year=2020),
]


@pytest.mark.parametrize("front", sorted(FRONTS))
@pytest.mark.parametrize("which", range(len(FRONT_DOCS)))
def test_metadata_on_first_pages_laid_out_differently(tmp_path, front, which):
    style = replace(STYLES["ruled"], **FRONTS[front])
    gold = FRONT_DOCS[which]
    meta = parse_metadata(read_pdf(render_document(spec(document=gold), tmp_path / "doc.pdf", style)))
    for key in ("title", "kind", "year", "organisation", "unit", "district", "date"):
        assert getattr(meta, key) == gold[key], key


@pytest.mark.parametrize(
    ("head_org", "placement"),
    [
        ("Utbildningsförvaltningen", "top-left"),
        ("Utbildningsförvaltningen", "bottom-right"),
        ("Socialnämnden", "top-right"),
    ],
)
def test_organisation_from_the_running_head_when_nothing_else_names_it(tmp_path, head_org, placement):
    # no "för …" in the title, no "Till": only the running head (at the top or the foot, beside the page label)
    style = replace(
        STYLES["ruled"],
        head_org=head_org,
        head_pos="bottom" if placement.startswith("bottom") else "top",
        page_label="Sida {n} av {m}",
        page_label_pos=placement,
    )
    gold = document(title="Verksamhetsplan 2022", organisation=None, year=2022)
    meta = parse_metadata(read_pdf(render_document(spec(document=gold), tmp_path / "doc.pdf", style)))
    assert (meta.title, meta.kind, meta.year) == ("Verksamhetsplan 2022", "verksamhetsplan", 2022)
    assert meta.organisation == organisation_from_office(head_org)


def test_a_title_line_opening_with_till_is_no_recipient(tmp_path):
    # a narrow title wrapped so that a line opens with "till", above the "Till" field; the head names only the city
    style = replace(STYLES["ruled"], front_layout="title-first", title_size=29.0, head_org="Stockholms stad")
    gold = document(title="Bilaga 2 Stöd och insatser till barn och unga", kind="bilaga", organisation="Socialnämnden")
    doc = read_pdf(render_document(spec(document=gold), tmp_path / "doc.pdf", style))
    assert any(line.text.startswith("till ") for line in doc.pages[0].lines)
    meta = parse_metadata(doc)
    assert (meta.title, meta.kind, meta.organisation) == (gold["title"], "bilaga", "Socialnämnden")
