"""Match the goals (or indicators) of two documents one-to-one by normalized title, level by level."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from ..schemas.terms import LEVELS

DEFAULT_THRESHOLD = 70.0
NUMBER_BONUS = 5.0  # both printed the same goal number
PARENT_BONUS = 10.0  # their parents are matched to each other
EXACT_WEIGHT = 1e4  # identical normalized titles are assigned before any fuzzy pair


@dataclass(frozen=True)
class Item:
    """A goal or indicator as the matcher sees it: its normalized title and its place in the tree."""

    key: str
    text: str
    number: str | None = None
    parent: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Match:
    from_key: str
    to_key: str
    similarity: float  # title similarity, 0–100
    score: float  # similarity plus the number and parent bonuses, capped at 100


def title_similarity(
    s1: str, s2: str, *, processor: Callable[[str], str] | None = None, score_cutoff: float | None = None
) -> float:
    """Mean of token_set_ratio and ratio: word-set overlap tempered by the edit distance, 0–100."""
    if processor is not None:
        s1, s2 = processor(s1), processor(s2)
    if not s1 or not s2:
        return 0.0
    score = (fuzz.token_set_ratio(s1, s2) + fuzz.ratio(s1, s2)) / 2
    return score if score_cutoff is None or score >= score_cutoff else 0.0


def similarity_matrix(from_texts: Sequence[str], to_texts: Sequence[str]) -> np.ndarray:
    """title_similarity of every pair, rows = from, columns = to."""
    if not from_texts or not to_texts:
        return np.zeros((len(from_texts), len(to_texts)))
    token_set = process.cdist(from_texts, to_texts, scorer=fuzz.token_set_ratio, dtype=np.float64)
    plain = process.cdist(from_texts, to_texts, scorer=fuzz.ratio, dtype=np.float64)
    scores = (token_set + plain) / 2
    empty_from = np.array([not t for t in from_texts])
    empty_to = np.array([not t for t in to_texts])
    scores[empty_from, :] = 0.0
    scores[:, empty_to] = 0.0
    return scores


def assign(weights: np.ndarray) -> list[tuple[int, int]]:
    """Optimal one-to-one assignment maximising the total weight; pairs of weight 0 are dropped."""
    if weights.size == 0:
        return []
    from scipy.optimize import linear_sum_assignment  # scipy.optimize takes a second to import

    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if weights[r, c] > 0]


def match_group(
    from_items: Sequence[Item],
    to_items: Sequence[Item],
    threshold: float = DEFAULT_THRESHOLD,
    parent_matches: Mapping[str, str] | None = None,
) -> list[Match]:
    """Match one level's items one-to-one: score (similarity + bonuses) at least threshold, or identical titles."""
    parent_matches = parent_matches or {}
    similarity = similarity_matrix([i.text for i in from_items], [i.text for i in to_items])
    scores = similarity.copy()
    for r, a in enumerate(from_items):
        for c, b in enumerate(to_items):
            if a.number and a.number == b.number:
                scores[r, c] += NUMBER_BONUS
            if a.parent is not None and b.parent is not None and parent_matches.get(a.parent) == b.parent:
                scores[r, c] += PARENT_BONUS
    exact = np.array([[bool(a.text) and a.text == b.text for b in to_items] for a in from_items], dtype=bool)
    exact = exact.reshape(scores.shape)
    # Squared excess over the threshold: one strong pair outweighs two middling ones; identical titles come first.
    eligible = (np.minimum(scores, 100.0) >= threshold) | exact
    weights = np.where(eligible, (np.maximum(scores - threshold, 0.0) + 1.0) ** 2, 0.0) + np.where(
        exact, EXACT_WEIGHT, 0
    )
    return [
        Match(
            from_items[r].key,
            to_items[c].key,
            round(float(similarity[r, c]), 1),
            round(min(float(scores[r, c]), 100.0), 1),
        )
        for r, c in assign(weights)
    ]


def match_items(
    from_items: Iterable[Item],
    to_items: Iterable[Item],
    threshold: float = DEFAULT_THRESHOLD,
    parent_matches: Mapping[str, str] | None = None,
) -> list[Match]:
    """Match level by level from the top, so each level's parent bonus uses the matches above it."""
    from_items, to_items = list(from_items), list(to_items)
    matched: dict[str, str] = dict(parent_matches or {})
    levels = [*LEVELS, *sorted({i.level for i in [*from_items, *to_items] if i.level not in LEVELS}, key=str)]
    out: list[Match] = []
    for level in levels:
        group = match_group(
            [i for i in from_items if i.level == level], [i for i in to_items if i.level == level], threshold, matched
        )
        matched.update((m.from_key, m.to_key) for m in group)
        out.extend(group)
    return out
