"""Document metadata from the first page, on the corpus and on first pages of other shapes."""

from __future__ import annotations

import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus
from render import document, render_document, spec

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
