"""One indicator followed over the years: the indicators named like a query, widened to their linked series."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..normalize.match import DEFAULT_THRESHOLD, title_similarity
from .titles import normalized_lookup


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


def find_indicator_series(
    con: duckdb.DuckDBPyConnection,
    name: str,
    organisation: str | None = None,
    measure: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[SeriesPoint]:
    """Values of the indicators named like `name` over the years, widened to every indicator linked to them."""
    where: list[str] = ["TRUE"]
    params: list[object] = []
    if organisation:
        where.append("lower(organisation) LIKE ?")
        params.append(f"%{organisation.lower()}%")
    candidates = con.execute(
        f"SELECT DISTINCT indicator_id, name, series_id FROM indicator_series WHERE {' AND '.join(where)}", params
    ).fetchall()
    if not candidates:
        return []
    wanted = normalized_lookup(con, [name, *(c[1] for c in candidates)])
    query = wanted[name]
    scored = [(title_similarity(query, wanted[n]), ind, series_id) for ind, n, series_id in candidates]
    best = max(s for s, _, _ in scored)
    if best < threshold:
        return []
    series = sorted({series_id for score, _, series_id in scored if score >= best - 0.05})
    where.append("list_contains(?, series_id)")
    params.append(series)
    if measure:
        where.append("measure = ?")
        params.append(measure)
    rows = con.execute(
        "SELECT organisation, document_unit, year, kind, document_id, source_file, indicator_id, name, measure, raw, "
        f"value, unit, series_id FROM indicator_series WHERE {' AND '.join(where)} "
        "ORDER BY organisation, document_unit NULLS FIRST, year NULLS LAST, kind, document_id, series_id, measure",
        params,
    ).fetchall()
    return [SeriesPoint(*r) for r in rows]
