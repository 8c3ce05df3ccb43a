"""Swedish lemmas: inflected forms of a goal title normalize to (nearly) the same words."""

from __future__ import annotations

import gc

import pytest
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


def test_pipeline_is_loaded_once_and_offline():
    assert lemmas.swedish_pipeline() is lemmas.swedish_pipeline()
    nlp = lemmas.swedish_pipeline()
    assert nlp.lang == "sv" and nlp.pipe_names == ["lemmatizer"]


def test_loading_the_pipeline_leaves_no_cyclic_garbage_for_forked_workers():
    # Collected in a fork()ed ingest worker, this garbage crashed it (BrokenProcessPool).
    lemmas.swedish_pipeline.cache_clear()
    gc.collect()
    lemmas.swedish_pipeline()
    assert gc.collect() == 0
