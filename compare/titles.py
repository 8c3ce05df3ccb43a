"""Normalized titles for matching: the stored form where the database has it, else computed now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import duckdb

from ..load.queries import GoalRow, IndicatorRow, stored_norms
from ..normalize.lemmas import normalized_titles


def normalized_lookup(con: duckdb.DuckDBPyConnection, texts: Iterable[str]) -> dict[str, str]:
    """Normalized form of each text: from the title_norms table where stored, else lemmatized now."""
    wanted = sorted(set(texts))
    found = stored_norms(con, wanted)
    missing = [t for t in wanted if t not in found]
    found.update(zip(missing, normalized_titles(missing), strict=True))
    return found


def with_goal_norms(con: duckdb.DuckDBPyConnection, goals: list[GoalRow]) -> list[GoalRow]:
    """The goals with every normalized title filled in."""
    norms = normalized_lookup(con, [g.title for g in goals if g.norm is None])
    return [g if g.norm is not None else replace(g, norm=norms[g.title]) for g in goals]


def with_indicator_norms(con: duckdb.DuckDBPyConnection, indicators: list[IndicatorRow]) -> list[IndicatorRow]:
    """The indicators with every normalized name filled in."""
    norms = normalized_lookup(con, [i.name for i in indicators if i.norm is None])
    return [i if i.norm is not None else replace(i, norm=norms[i.name]) for i in indicators]
