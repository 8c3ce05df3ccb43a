"""Swedish lemmas: inflected forms of a goal title normalize to (nearly) the same words."""

from __future__ import annotations

import pytest
from conftest import needs_corpus
from rapidfuzz import fuzz

from malbild.normalize import lemmas
from malbild.normalize.lemmas import normalized_title, normalized_titles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Barn och unga växer upp under trygga förhållanden", "barn ung växa upp under trygg förhållande"),
        ("Barnen och de unga växte upp under tryggare förhållanden", "barn ung växa upp under trygg förhållande"),
        ("Andel brukare som är nöjda med hemtjänsten, %", "andel brukare nöjd med hemtjänst"),
        ("Stockholm är en trygg, säker och välskött stad", "stockholm trygg säker välskött stad"),
        ("Antal hemlösa: 2 850 st.", "antal hemlös 2 850 st"),
        ("Äldre har en tillvaro – trygghet för alla", "gammal tillvaro trygghet för all"),
        ("Uppfylls inte", "uppfylla inte"),
        ("", ""),
        ("  ,.;  ", ""),
    ],
)
def test_normalized_title(text, expected):
    assert normalized_title(text) == expected


def test_inflected_titles_come_close():
    a, b = normalized_titles(
        [
            "Barn och unga växer upp under trygga förhållanden",
            "Barnen och de unga växte upp under tryggare förhållanden",
        ]
    )
    raw = fuzz.ratio(
        "Barn och unga växer upp under trygga förhållanden".lower(),
        "Barnen och de unga växte upp under tryggare förhållanden".lower(),
    )
    assert fuzz.ratio(a, b) == 100 > raw


def test_batch_equals_one_by_one():
    texts = ["Nämndens verksamheter är klimatsmarta", "Andelen försökslägenheter", "Sjukfrånvaro dag 1-14"]
    assert normalized_titles(texts) == [normalized_title(t) for t in texts]
    assert normalized_titles([]) == []


@needs_corpus
def test_the_fast_table_gives_spacys_own_lookup_lemmas(corpus_parsed):
    import spacy

    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    titles = [g.title for p in corpus_parsed.values() for g in p.goals] + [
        i.name for p in corpus_parsed.values() for i in p.indicators
    ]
    assert len(titles) > 100
    for doc in nlp.pipe([lemmas._prepare(t) for t in titles]):
        assert [lemmas.lookup_lemma(t.text) for t in doc] == [t.lemma_ for t in doc]


def test_the_table_is_built_once_into_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(lemmas.CACHE_ENV, str(tmp_path))
    lemmas.lemma_table.cache_clear()
    lemmas.lookup_lemma.cache_clear()
    try:
        assert lemmas.lookup_lemma("barnen") == "barn"
        (built,) = (tmp_path / "malbild").glob("sv_lemma_lookup-*.sqlite")
        assert lemmas.lemma_table() is lemmas.lemma_table()
        stamp = built.stat().st_mtime_ns
        lemmas.lemma_table.cache_clear()
        assert lemmas.lookup_lemma.__wrapped__("förhållanden") == "förhållande"
        assert built.stat().st_mtime_ns == stamp  # opened, not rebuilt
    finally:
        lemmas.lemma_table.cache_clear()
        lemmas.lookup_lemma.cache_clear()


def test_without_a_writable_cache_folder_the_table_is_built_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(lemmas.CACHE_ENV, str(blocker))
    lemmas.lemma_table.cache_clear()
    lemmas.lookup_lemma.cache_clear()
    try:
        assert lemmas.lookup_lemma("tryggare") == "trygg"
    finally:
        lemmas.lemma_table.cache_clear()
        lemmas.lookup_lemma.cache_clear()
