"""Goal hierarchy on the corpus (against gold) and on small built documents."""

from __future__ import annotations

import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus

from malbild.extract.parse.goals import split_number
from malbild.normalize.text import one_line


@pytest.mark.parametrize(
    ("heading", "number", "raw", "title"),
    [
        ("1. Ett Stockholm som håller samman", "1", "1.", "Ett Stockholm som håller samman"),
        ("1.2. Stockholm är en trygg stad", "1.2", "1.2.", "Stockholm är en trygg stad"),
        ("1.1.1 Stockholmare arbetar", "1.1.1", "1.1.1", "Stockholmare arbetar"),
        ("Barn i Stockholm har bra uppväxtvillkor", None, None, "Barn i Stockholm har bra uppväxtvillkor"),
        ("2019 års mål", None, None, "2019 års mål"),
    ],
)
def test_split_number(heading, number, raw, title):
    assert split_number(heading) == (number, raw, title)


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_goals_match_gold(corpus_parsed, name):
    gold = gold_for(name)
    parsed = corpus_parsed[name]
    found = [(g.level, g.number, one_line(g.title).rstrip(".")) for g in parsed.goals]
    expected = [(g["level"], g["number"], one_line(g["title"]).rstrip(".")) for g in gold["goals"]]
    assert found == expected


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_goal_parents_and_assessments_match_gold(corpus_parsed, name):
    gold = gold_for(name)
    parsed = corpus_parsed[name]
    gold_index = {g["id"]: i for i, g in enumerate(gold["goals"])}
    assert [g.parent for g in parsed.goals] == [gold_index.get(g["parent"]) for g in gold["goals"]]
    assert [g.assessment for g in parsed.goals] == [g["assessment"] for g in gold["goals"]]


@needs_corpus
def test_goal_sections_carry_their_headings(corpus_parsed):
    parsed = corpus_parsed["hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"]
    enhetsmal = [g for g in parsed.goals if g.level == "enhetsmal"]
    headings = [h for h, _ in enhetsmal[0].sections]
    assert headings[:3] == ["Förväntat resultat", "Arbetsätt", "Uppföljning"]
    assert "Handläggningen på enheten sker inom lagstadgad tid." in enhetsmal[0].sections[0][1]


@needs_corpus
def test_toc_and_summary_headings_are_not_goals(corpus_parsed):
    parsed = corpus_parsed["socialnamnden-vb-2019.pdf"]
    # the summary on pages 4–8 repeats goal titles without level labels; the TOC is on page 2
    assert all(g.page >= 9 for g in parsed.goals)
