"""Matching goals one-to-one: optimal rather than greedy, level by level, bonuses for numbers and parents."""

from __future__ import annotations

import numpy as np
import pytest

from malbild.normalize.match import (
    NUMBER_BONUS,
    PARENT_BONUS,
    Item,
    assign,
    match_group,
    match_items,
    similarity_matrix,
    title_similarity,
)


def _pairs(matches) -> set[tuple[str, str]]:
    return {(m.from_key, m.to_key) for m in matches}


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("barn ung växa upp", "barn ung växa upp", 100, 100),
        ("barn ung växa upp under trygg förhållande", "barn ungdom växa upp under trygg stabil förhållande", 85, 99),
        ("nämnd verksamhet klimatsmart", "nämnd verksamhet kostnadseffektiv", 50, 80),
        ("modern storstad med möjlighet", "stockholm håller samman", 0, 40),
        ("", "barn", 0, 0),
    ],
)
def test_title_similarity_range(a, b, low, high):
    assert low <= title_similarity(a, b) <= high
    assert title_similarity(a, b) == title_similarity(b, a)


def test_title_similarity_follows_rapidfuzz_conventions():
    assert title_similarity("Barn", "barn", processor=str.lower) == 100
    assert title_similarity("abc", "abd", score_cutoff=99) == 0
    assert title_similarity("abc", "abc", score_cutoff=99) == 100


def test_similarity_matrix_matches_the_scorer():
    a, b = ["barn ung", "äldre omsorg", ""], ["barn ungdom", "äldre"]
    matrix = similarity_matrix(a, b)
    assert matrix.shape == (3, 2)
    for r, x in enumerate(a):
        for c, y in enumerate(b):
            assert matrix[r, c] == pytest.approx(title_similarity(x, y))
    assert similarity_matrix([], b).shape == (0, 2)


def test_assignment_is_optimal_not_greedy():
    # Greedy takes (0, 0) first and leaves row 1 with nothing; the optimum pairs both rows.
    weights = np.array([[10.0, 9.0], [8.0, 0.0]])
    assert sorted(assign(weights)) == [(0, 1), (1, 0)]
    assert assign(np.zeros((2, 2))) == []
    assert assign(np.zeros((0, 3))) == []


def test_one_to_one_even_with_duplicates():
    old = [Item("a1", "antal hemlös"), Item("a2", "antal hemlös")]
    new = [Item("b1", "antal hemlös")]
    matches = match_group(old, new)
    assert len(matches) == 1 and matches[0].to_key == "b1"


def test_identical_title_wins_over_two_middling_pairs():
    old = [Item("a", "barn ung växa upp trygg"), Item("b", "barn växa upp")]
    new = [Item("x", "barn ung växa upp trygg"), Item("y", "barn ung växa upp")]
    assert _pairs(match_group(old, new, threshold=50)) == {("a", "x"), ("b", "y")}


def test_threshold_leaves_dissimilar_titles_unmatched():
    old = [Item("a", "ett stockholm håller samman")]
    new = [Item("x", "modern storstad med möjlighet valfrihet för all")]
    assert match_group(old, new, threshold=70) == []
    assert _pairs(match_group(old, new, threshold=0)) == {("a", "x")}


def test_numbers_and_parents_break_ties():
    old = [Item("a1", "sjukfrånvaro", parent="p1"), Item("a2", "sjukfrånvaro", parent="p2")]
    new = [Item("b2", "sjukfrånvaro", parent="q2"), Item("b1", "sjukfrånvaro", parent="q1")]
    assert _pairs(match_group(old, new, parent_matches={"p1": "q1", "p2": "q2"})) == {("a1", "b1"), ("a2", "b2")}
    old = [Item("a1", "mål", number="1.1"), Item("a2", "mål", number="1.2")]
    new = [Item("b2", "mål", number="1.2"), Item("b1", "mål", number="1.1")]
    assert _pairs(match_group(old, new)) == {("a1", "b1"), ("a2", "b2")}


def test_bonus_lifts_a_pair_over_the_threshold_and_similarity_stays_the_titles():
    old = [Item("a", "nämnd verksamhet klimatsmart", number="2.5.1", parent="p")]
    new = [Item("x", "nämnd resa transport klimatsmart fossilfri", number="2.5.1", parent="q")]
    sim = title_similarity(old[0].text, new[0].text)
    threshold = sim + NUMBER_BONUS + 1
    assert threshold < 100
    assert match_group(old, new, threshold=threshold) == []
    [match] = match_group(old, new, threshold=threshold, parent_matches={"p": "q"})
    assert match.similarity == pytest.approx(sim, abs=0.1)
    assert match.score == pytest.approx(min(100, sim + NUMBER_BONUS + PARENT_BONUS), abs=0.1)


def test_match_items_goes_level_by_level_with_parent_matches():
    old = [
        Item("i1", "stad håller samman", "1", None, "inriktningsmal"),
        Item("i2", "klimatsmart stad", "2", None, "inriktningsmal"),
        Item("n1", "nämnd verksamhet effektiv", None, "i1", "namndmal"),
        Item("n2", "nämnd verksamhet effektiv", None, "i2", "namndmal"),
    ]
    new = [
        Item("I2", "klimatsmart stad", "1", None, "inriktningsmal"),
        Item("I1", "stad håller samman", "2", None, "inriktningsmal"),
        Item("N2", "nämnd verksamhet effektiv", None, "I2", "namndmal"),
        Item("N1", "nämnd verksamhet effektiv", None, "I1", "namndmal"),
    ]
    assert _pairs(match_items(old, new)) == {("i1", "I1"), ("i2", "I2"), ("n1", "N1"), ("n2", "N2")}


def test_levels_never_match_across():
    old = [Item("a", "barn ung", level="kf_mal")]
    new = [Item("x", "barn ung", level="namndmal")]
    assert match_items(old, new) == []
