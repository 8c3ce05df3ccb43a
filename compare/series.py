"""One indicator followed over the years: find the series named like a query, ranked, and read one series' values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from ..normalize.match import DEFAULT_THRESHOLD, title_similarity
from ..schemas.terms import MEASURES
from .titles import normalized_lookup

# How a series matched a query, best first: its id, the whole name, the name's start, every word, or fuzzily.
MATCH_KINDS: tuple[str, ...] = ("id", "exact", "prefix", "words", "fuzzy")

_WORDS = re.compile(r"[^\W_]+|%")


@dataclass(frozen=True)
class SeriesPoint:
    organisation: str | None
    unit: str | None
    year: int | None
    kind: str
    document_id: str
    source_file: str
    indicator_id: str
    name: str
    measure: str
    raw: str
    value: float | None
    value_unit: str | None
    series_id: str


@dataclass(frozen=True)
class SeriesCandidate:
    """A series that matches a query: named as in its latest document."""

    series_id: str
    name: str
    organisation: str | None
    unit: str | None
    years: tuple[int, ...]
    indicators: int
    match: str  # one of MATCH_KINDS
    score: float  # similarity of the normalized names, 0–100


@dataclass(frozen=True)
class SeriesLookup:
    """The series matching a query, best first, and the values of the one chosen (none when several match)."""

    query: str
    candidates: list[SeriesCandidate] = field(default_factory=list)
    points: list[SeriesPoint] = field(default_factory=list)


@dataclass(frozen=True)
class _Member:
    series_id: str
    indicator_id: str
    name: str
    norm: str
    organisation: str | None
    unit: str | None
    year: int | None


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def match_kind(query: str, query_norm: str, name: str, name_norm: str) -> str | None:
    """How a name matches a query (printed words or normalized lemmas): exact, prefix, words; None if not so."""
    q, n = _words(query), _words(name)
    qn, nn = query_norm.split(), name_norm.split()
    if not q:
        return None
    if q == n or (qn and qn == nn):
        return "exact"
    if " ".join(n).startswith(" ".join(q)) or (qn and " ".join(nn).startswith(" ".join(qn))):
        return "prefix"
    if all(any(w.startswith(x) for w in n) for x in q) or (qn and set(qn) <= set(nn)):
        return "words"
    return None


def _members(con: duckdb.DuckDBPyConnection, organisation: str | None) -> list[_Member]:
    where, params = ("lower(organisation) LIKE ?", [f"%{organisation.lower()}%"]) if organisation else ("TRUE", [])
    rows = con.execute(
        "SELECT DISTINCT series_id, indicator_id, name, name_norm, organisation, document_unit, year "
        f"FROM indicator_series WHERE {where} ORDER BY series_id, year NULLS FIRST, indicator_id",
        params,
    ).fetchall()
    return [_Member(*r) for r in rows]


def _rank(members: list[_Member], query: str, query_norm: str, threshold: float) -> dict[str, tuple[int, float]]:
    """Each matching series' best (match kind index, score); an id match stands alone."""
    by_id = {m.series_id for m in members if query.strip() in (m.series_id, m.indicator_id)}
    if by_id:
        return {series_id: (0, 100.0) for series_id in by_id}
    best: dict[str, tuple[int, float]] = {}
    for m in members:
        score = title_similarity(query_norm, m.norm)
        kind = match_kind(query, query_norm, m.name, m.norm) or ("fuzzy" if score >= threshold else None)
        if kind is None:
            continue
        rank = (MATCH_KINDS.index(kind), score)
        old = best.get(m.series_id)
        if old is None or (rank[0], -rank[1]) < (old[0], -old[1]):
            best[m.series_id] = rank
    if any(kind <= MATCH_KINDS.index("exact") for kind, _ in best.values()):
        best = {s: r for s, r in best.items() if r[0] <= MATCH_KINDS.index("exact")}
    return best


def _candidate(series_id: str, members: list[_Member], rank: tuple[int, float]) -> SeriesCandidate:
    latest = members[-1]
    years = tuple(sorted({m.year for m in members if m.year is not None}))
    indicators = len({m.indicator_id for m in members})
    return SeriesCandidate(
        series_id, latest.name, latest.organisation, latest.unit, years, indicators, MATCH_KINDS[rank[0]], rank[1]
    )


def search_series(
    con: duckdb.DuckDBPyConnection, query: str, organisation: str | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[SeriesCandidate]:
    """The indicator series a query names (a series or indicator id, or a name), best match first.

    Id and whole-name matches stand alone when there are any; else prefix and word matches rank above fuzzy ones.
    """
    members = _members(con, organisation)
    if not members or not query.strip():
        return []
    query_norm = normalized_lookup(con, [query])[query]
    ranks = _rank(members, query, query_norm, threshold)
    grouped: dict[str, list[_Member]] = {}
    for m in members:
        if m.series_id in ranks:
            grouped.setdefault(m.series_id, []).append(m)
    found = [_candidate(s, ms, ranks[s]) for s, ms in grouped.items()]
    return sorted(found, key=_order)


def _order(c: SeriesCandidate) -> tuple:
    """Best kind of match first; fuzzy matches by score, the others by name."""
    score = -c.score if c.match == "fuzzy" else 0.0
    return (MATCH_KINDS.index(c.match), score, c.name.casefold(), c.organisation or "", c.unit or "", c.years)


def _check_measure(measure: str | None) -> None:
    if measure is not None and measure not in MEASURES:
        raise ValueError(f"measure {measure!r}: choose one of {', '.join(MEASURES)}")


def series_points(con: duckdb.DuckDBPyConnection, series_id: str, measure: str | None = None) -> list[SeriesPoint]:
    """One series' values over the years, optionally of one measure only."""
    _check_measure(measure)
    where, params = "series_id = ?", [series_id]
    if measure:
        where, params = where + " AND measure = ?", [series_id, measure]
    rows = con.execute(
        "SELECT organisation, document_unit, year, kind, document_id, source_file, indicator_id, name, measure, raw, "
        f"value, unit, series_id FROM indicator_series WHERE {where} "
        "ORDER BY organisation, document_unit NULLS FIRST, year NULLS LAST, kind, document_id, indicator_id, measure",
        params,
    ).fetchall()
    return [SeriesPoint(*r) for r in rows]


def lookup_series(
    con: duckdb.DuckDBPyConnection,
    query: str,
    organisation: str | None = None,
    measure: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> SeriesLookup:
    """The series matching a query and, when exactly one does, its values."""
    _check_measure(measure)
    candidates = search_series(con, query, organisation, threshold)
    points = series_points(con, candidates[0].series_id, measure) if len(candidates) == 1 else []
    return SeriesLookup(query, candidates, points)


def find_indicator_series(
    con: duckdb.DuckDBPyConnection,
    name: str,
    organisation: str | None = None,
    measure: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[SeriesPoint]:
    """The values of the one series named like `name`; empty when none or several match."""
    return lookup_series(con, name, organisation, measure, threshold).points
