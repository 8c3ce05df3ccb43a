"""Plain reads for the CLI and compare/: documents by any reference, goal trees, goal and indicator rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import duckdb

from ..extract.where import Where
from ..schemas.errors import MalbildError

# Which document stands for an organisation's year when several do: reports before plans, bilagor last.
KIND_PREFERENCE = ("verksamhetsberattelse", "verksamhetsplan", "tertialrapport", "other", "bilaga")
DOCUMENT_COLUMNS = ("document_id", "source_file", "sha256", "kind", "year", "organisation", "unit", "title", "pages")


class DocumentNotFound(MalbildError):
    """A document reference (id, file name, organisation and year) names no stored document, or several."""

    stage = "load"


@dataclass(frozen=True)
class DocumentInfo:
    document_id: str
    source_file: str
    sha256: str
    kind: str
    year: int | None
    organisation: str | None
    unit: str | None
    title: str | None
    pages: int

    @property
    def name(self) -> str:
        return PurePath(self.source_file).name


@dataclass(frozen=True)
class GoalRow:
    goal_id: str
    level: str
    number: str | None
    title: str
    parent_goal_id: str | None
    assessment: str | None
    page: int
    norm: str | None = None  # the stored normalized title; NULL in databases from before it was stored
    where: Where | None = None  # the box the heading was printed in, None if not found


@dataclass(frozen=True)
class IndicatorRow:
    indicator_id: str
    goal_id: str | None
    name: str
    period: str | None
    page: int
    norm: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # measure → raw cell
    places: dict[str, Where] = field(default_factory=dict)  # measure → the box of its row through the cell
    where: Where | None = None  # the box of the name cell


@dataclass(frozen=True)
class GoalNode:
    goal: GoalRow
    indicators: int
    activities: int
    children: list[GoalNode] = field(default_factory=list)


def _document(row: tuple) -> DocumentInfo:
    return DocumentInfo(*row)


def list_documents(con: duckdb.DuckDBPyConnection) -> list[DocumentInfo]:
    rows = con.execute(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents ORDER BY source_file").fetchall()
    return [_document(r) for r in rows]


def _names(con: duckdb.DuckDBPyConnection, docs: list[DocumentInfo]) -> list[tuple[DocumentInfo, str]]:
    """Each document with every path it was seen under (its source_file and its aliases in document_paths)."""
    by_id = {d.document_id: d for d in docs}
    pairs = {(d.document_id, d.source_file) for d in docs}
    pairs |= {(i, p) for i, p in con.execute("SELECT document_id, source_file FROM document_paths").fetchall()}
    return [(by_id[i], p) for i, p in sorted(pairs) if i in by_id]


def resolve_document(con: duckdb.DuckDBPyConnection, ref: str) -> DocumentInfo:
    """A document by id, unique id prefix, or any PDF basename or path it was seen under; else DocumentNotFound."""
    docs = list_documents(con)
    names = _names(con, docs)
    base = PurePath(ref).name.lower()
    for test in (
        lambda d, p: d.document_id == ref,
        lambda d, p: p == ref,
        lambda d, p: PurePath(p).name == PurePath(ref).name,
        lambda d, p: PurePath(p).name.lower() == base or PurePath(p).stem.lower() == base,
        lambda d, p: len(ref) >= 4 and d.document_id.startswith(ref),
    ):
        hits = list({d.document_id: d for d, p in names if test(d, p)}.values())
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = ", ".join(f"{d.document_id} ({d.source_file})" for d in hits)
            raise DocumentNotFound(f"{ref}: names {len(hits)} documents: {listed}")
    raise DocumentNotFound(f"{ref}: no such document (give a document_id or a PDF file name; see `malbild show`)")


def resolve_year(con: duckdb.DuckDBPyConnection, organisation: str, year: int, unit: str | None = None) -> DocumentInfo:
    """The document of an organisation (case-insensitive) for a year: nämnd level, reports before plans."""
    docs = [d for d in list_documents(con) if d.year == year and (d.organisation or "").lower() == organisation.lower()]
    if not docs:
        docs = [
            d for d in list_documents(con) if d.year == year and organisation.lower() in (d.organisation or "").lower()
        ]
    if unit is not None:
        docs = [d for d in docs if (d.unit or "").lower() == unit.lower()]
    elif any(d.unit is None for d in docs):
        docs = [d for d in docs if d.unit is None]
    if len({d.organisation for d in docs}) > 1:
        names = ", ".join(sorted({d.organisation or "" for d in docs}))
        raise DocumentNotFound(f"{organisation}: several organisations match ({names}); give the full name")
    if not docs:
        raise DocumentNotFound(f"{organisation} {year}: no such document")
    rank = {kind: i for i, kind in enumerate(KIND_PREFERENCE)}
    return min(docs, key=lambda d: (rank.get(d.kind, len(rank)), d.source_file))


def resolve_documents(
    con: duckdb.DuckDBPyConnection, organisation: str, from_year: int, to_year: int, unit: str | None = None
) -> tuple[DocumentInfo, DocumentInfo]:
    """The two documents an organisation's from_year → to_year comparison is about."""
    return resolve_year(con, organisation, from_year, unit), resolve_year(con, organisation, to_year, unit)


# The box columns, as SQL, and back from a row's last five values.
BOX_SQL = "x0, top, x1, bottom, page_end"


def where_of(page: int | None, box: Sequence[float | None]) -> Where | None:
    """A Where from a page and (x0, top, x1, bottom, page_end) as stored; None when the record has no box."""
    x0, top, x1, bottom, page_end = box
    if page is None or x0 is None or top is None or x1 is None or bottom is None:
        return None
    return Where(page, x0, top, x1, bottom, int(page_end) if page_end is not None else page)


def document_goals(con: duckdb.DuckDBPyConnection, document_id: str) -> list[GoalRow]:
    """A document's goals in reading order, with their stored normalized titles and boxes."""
    rows = con.execute(
        f"SELECT goal_id, level, number, title, parent_goal_id, assessment, page, title_norm, {BOX_SQL} FROM goals "
        "WHERE document_id = ? ORDER BY ordinal, page",
        [document_id],
    ).fetchall()
    return [GoalRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], where_of(r[6], r[8:])) for r in rows]


def find_goal(con: duckdb.DuckDBPyConnection, document_id: str, ref: str) -> GoalRow:
    """A document's goal by goal_id or by number as printed (1.2 or 1.2.); one line naming the problem else."""
    goals = document_goals(con, document_id)
    hits = [g for g in goals if g.goal_id == ref] or [g for g in goals if g.number and g.number == ref.rstrip(".")]
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = ", ".join(f"{g.goal_id} ({g.level})" for g in hits)
        raise DocumentNotFound(f"goal {ref}: {len(hits)} goals have that number: {listed}; give a goal_id")
    raise DocumentNotFound(
        f"goal {ref}: no such goal in {document_id} (give its number or goal_id; see `malbild show`)"
    )


def document_paths(con: duckdb.DuckDBPyConnection, document: DocumentInfo) -> list[str]:
    """Every path the document was seen under: its source file first, then its aliases."""
    rows = con.execute(
        "SELECT source_file FROM document_paths WHERE document_id = ? ORDER BY source_file", [document.document_id]
    ).fetchall()
    return [document.source_file, *(r[0] for r in rows if r[0] != document.source_file)]


def document_indicators(con: duckdb.DuckDBPyConnection, document_id: str) -> list[IndicatorRow]:
    """A document's indicators in reading order, with stored normalized name and raw value cells by measure."""
    rows = con.execute(
        f"SELECT indicator_id, goal_id, name, period, page, name_norm, {BOX_SQL} FROM indicators "
        "WHERE document_id = ? ORDER BY ordinal, page",
        [document_id],
    ).fetchall()
    values: dict[str, dict[str, str]] = {}
    places: dict[str, dict[str, Where]] = {}
    for indicator_id, measure, raw, page, *box in con.execute(
        "SELECT v.indicator_id, v.measure, v.raw, v.page, v.x0, v.top, v.x1, v.bottom, v.page_end "
        "FROM indicator_values v JOIN indicators i USING (indicator_id) "
        "WHERE i.document_id = ? ORDER BY v.indicator_id, v.measure",
        [document_id],
    ).fetchall():
        values.setdefault(indicator_id, {}).setdefault(measure, raw)
        if (where := where_of(page, box)) is not None:
            places.setdefault(indicator_id, {}).setdefault(measure, where)
    return [
        IndicatorRow(
            r[0], r[1], r[2], r[3], r[4], r[5], values.get(r[0], {}), places.get(r[0], {}), where_of(r[4], r[6:])
        )
        for r in rows
    ]


def stored_norms(con: duckdb.DuckDBPyConnection, texts: Iterable[str]) -> dict[str, str]:
    """The normalized forms the title_norms table holds for these texts."""
    wanted = sorted(set(texts))
    if not wanted:
        return {}
    return dict(con.execute("SELECT text, norm FROM title_norms WHERE list_contains(?, text)", [wanted]).fetchall())


def goal_tree(con: duckdb.DuckDBPyConnection, document_id: str) -> list[GoalNode]:
    """A document's goals as a tree (top-level goals first), with indicator and activity counts per goal."""
    counts: dict[str, tuple[int, int]] = {
        goal_id: (n_ind, n_act)
        for goal_id, n_ind, n_act in con.execute(
            "SELECT g.goal_id, "
            "(SELECT count(*) FROM indicators i WHERE i.goal_id = g.goal_id), "
            "(SELECT count(*) FROM activities a WHERE a.goal_id = g.goal_id) "
            "FROM goals g WHERE g.document_id = ?",
            [document_id],
        ).fetchall()
    }
    rows = con.execute(
        "SELECT goal_id, level, number, title, parent_goal_id, assessment, page FROM goals "
        "WHERE document_id = ? ORDER BY ordinal, page",
        [document_id],
    ).fetchall()
    nodes = {r[0]: GoalNode(GoalRow(*r), *counts.get(r[0], (0, 0))) for r in rows}
    roots: list[GoalNode] = []
    for node in nodes.values():
        parent = nodes.get(node.goal.parent_goal_id or "")
        (parent.children if parent else roots).append(node)
    return roots


def unplaced_counts(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple[int, int]:
    """Indicators and activities of a document that stand under no goal."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM indicators WHERE document_id = ? AND goal_id IS NULL), "
        "(SELECT count(*) FROM activities WHERE document_id = ? AND goal_id IS NULL)",
        [document_id, document_id],
    ).fetchone()
    return (row[0], row[1]) if row else (0, 0)
