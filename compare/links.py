"""Link each goal and indicator to its counterpart in the same organisation's documents of other years."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from ..load.queries import GoalRow, IndicatorRow, document_goals, document_indicators
from ..normalize.match import DEFAULT_THRESHOLD, Item, Match, match_items
from .titles import normalized_lookup, with_goal_norms, with_indicator_norms


@dataclass(frozen=True)
class DocumentMatches:
    """The goals and indicators of two documents matched one-to-one."""

    goals: list[Match]
    indicators: list[Match]


def document_pairs(con: duckdb.DuckDBPyConnection, document_ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(earlier, later) documents of the same organisation and unit (NULL-safe) with different years."""
    sql = (
        "SELECT a.document_id, b.document_id FROM documents a JOIN documents b "
        "ON a.organisation = b.organisation AND a.unit IS NOT DISTINCT FROM b.unit AND a.year < b.year"
    )
    params: list = []
    if document_ids is not None:
        sql += " WHERE list_contains(?, a.document_id) OR list_contains(?, b.document_id)"
        ids = list(document_ids)
        params = [ids, ids]
    return [
        tuple(r) for r in con.execute(sql + " ORDER BY a.year, b.year, a.document_id, b.document_id", params).fetchall()
    ]


def match_rows(
    goals_a: list[GoalRow],
    goals_b: list[GoalRow],
    inds_a: list[IndicatorRow],
    inds_b: list[IndicatorRow],
    threshold: float = DEFAULT_THRESHOLD,
) -> DocumentMatches:
    """Match goals level by level, then indicators with the goal matches as their parents' matches."""
    goals = match_items(
        [Item(g.goal_id, g.norm or "", g.number, g.parent_goal_id, g.level) for g in goals_a],
        [Item(g.goal_id, g.norm or "", g.number, g.parent_goal_id, g.level) for g in goals_b],
        threshold,
    )
    indicators = match_items(
        [Item(i.indicator_id, i.norm or "", None, i.goal_id) for i in inds_a],
        [Item(i.indicator_id, i.norm or "", None, i.goal_id) for i in inds_b],
        threshold,
        {m.from_key: m.to_key for m in goals},
    )
    return DocumentMatches(goals, indicators)


def match_documents(
    con: duckdb.DuckDBPyConnection, from_id: str, to_id: str, threshold: float = DEFAULT_THRESHOLD
) -> DocumentMatches:
    """Match the goals and indicators of two stored documents."""
    return match_rows(
        with_goal_norms(con, document_goals(con, from_id)),
        with_goal_norms(con, document_goals(con, to_id)),
        with_indicator_norms(con, document_indicators(con, from_id)),
        with_indicator_norms(con, document_indicators(con, to_id)),
        threshold,
    )


def _method(match: Match) -> str:
    return "exact" if match.similarity >= 100 else "fuzzy"


def update_links(
    con: duckdb.DuckDBPyConnection, document_ids: Iterable[str] | None = None, threshold: float = DEFAULT_THRESHOLD
) -> int:
    """(Re)compute the links of the given documents (all when None) and the series; returns links written."""
    ids = None if document_ids is None else list(document_ids)
    pairs = document_pairs(con, ids)
    results = [(a, b, match_documents(con, a, b, threshold)) for a, b in pairs]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("goal_links", "indicator_links"):
            if ids is None:
                con.execute(f"DELETE FROM {table}")
            else:
                con.execute(
                    f"DELETE FROM {table} WHERE list_contains(?, from_document_id) OR list_contains(?, to_document_id)",
                    [ids, ids],
                )
            con.execute(
                f"DELETE FROM {table} WHERE from_document_id NOT IN (SELECT document_id FROM documents) "
                "OR to_document_id NOT IN (SELECT document_id FROM documents)"
            )
        written = 0
        for table, attr in (("goal_links", "goals"), ("indicator_links", "indicators")):
            rows = [
                (m.from_key, m.to_key, a, b, m.similarity, _method(m))
                for a, b, found in results
                for m in getattr(found, attr)
            ]
            if rows:
                con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)", rows)
            written += len(rows)
        store_norms(con)
        update_series(con)
        clear_stale(con, ids)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return written


def clear_stale(con: duckdb.DuckDBPyConnection, document_ids: list[str] | None) -> None:
    """The links of these documents (all when None) are up to date: unmark them in stale_links."""
    if document_ids is None:
        con.execute("DELETE FROM stale_links")
    else:
        con.execute("DELETE FROM stale_links WHERE list_contains(?, document_id)", [document_ids])


def store_norms(con: duckdb.DuckDBPyConnection) -> int:
    """Add the normalized form of every goal title and indicator name not yet in title_norms."""
    missing = "SELECT title AS text, title_norm AS norm FROM goals UNION SELECT name, name_norm FROM indicators"
    rows = con.execute(
        f"SELECT text, max(norm) FROM ({missing}) WHERE text NOT IN (SELECT text FROM title_norms) GROUP BY text"
    ).fetchall()
    stored = {text: norm for text, norm in rows if norm is not None}  # lemmatized at ingest: no spaCy needed here
    norms = {**normalized_lookup(con, [text for text, norm in rows if norm is None]), **stored}
    if norms:
        con.executemany("INSERT INTO title_norms VALUES (?, ?)", list(norms.items()))
    return len(norms)


def connected_components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each node of the edges to a representative of its component (union-find)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def update_series(con: duckdb.DuckDBPyConnection) -> int:
    """Rewrite series_members: each linked goal/indicator with the id of its series' earliest member."""
    con.execute("DELETE FROM series_members")
    total = 0
    for kind, table, id_column in (("goal", "goal_links", "goal_id"), ("indicator", "indicator_links", "indicator_id")):
        edges = con.execute(f"SELECT from_id, to_id FROM {table}").fetchall()
        components = connected_components(edges)
        if not components:
            continue
        order = {
            member: (year if year is not None else 10_000, document_id, ordinal)
            for member, year, document_id, ordinal in con.execute(
                f"SELECT x.{id_column}, d.year, d.document_id, x.ordinal FROM {kind}s x JOIN documents d "
                f"USING (document_id) WHERE list_contains(?, x.{id_column})",
                [list(components)],
            ).fetchall()
        }
        first: dict[str, str] = {}
        for member, root in components.items():
            if member in order and (root not in first or order[member] < order[first[root]]):
                first[root] = member
        rows = [(kind, member, first[root]) for member, root in components.items() if root in first]
        con.executemany("INSERT INTO series_members VALUES (?, ?, ?)", rows)
        total += len(rows)
    return total
