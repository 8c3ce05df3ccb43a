"""The auditor's diff: how the goals and indicators of one document changed in another."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from ..extract.where import Where
from ..load.queries import (
    DocumentInfo,
    GoalRow,
    IndicatorRow,
    document_goals,
    document_indicators,
    resolve_document,
    resolve_documents,
)
from ..normalize.match import DEFAULT_THRESHOLD
from ..schemas.terms import LEVELS, MEASURES
from .links import match_rows
from .titles import with_goal_norms, with_indicator_norms

__all__ = ["GoalDiff", "diff_documents", "resolve_documents", "to_contract_json", "word_diff"]

STATUSES: tuple[str, ...] = ("unchanged", "reworded", "moved", "added", "removed")
INDICATOR_STATUSES: tuple[str, ...] = ("added", "removed", "changed")
DOCUMENT_FIELDS = ("document_id", "source_file", "sha256", "kind", "year", "organisation", "unit", "title", "pages")

_PUNCT = re.compile(r"[^\w%]+")


@dataclass(frozen=True)
class GoalSide:
    goal_id: str
    number: str | None
    title: str
    parent_title: str | None
    page: int | None = None
    where: Where | None = None  # the box the heading was printed in


@dataclass(frozen=True)
class WordOp:
    op: str  # equal, delete, insert
    text: str


@dataclass(frozen=True)
class GoalChange:
    status: str
    level: str
    from_goal: GoalSide | None
    to_goal: GoalSide | None
    similarity: float
    words: tuple[WordOp, ...] = ()  # old title → new title, word by word, when they differ


@dataclass(frozen=True)
class IndicatorChange:
    status: str
    name: str
    measure: str | None = None
    from_raw: str | None = None
    to_raw: str | None = None
    from_name: str | None = None  # the name in FROM when it was printed differently
    goal_title: str | None = None
    from_where: Where | None = None  # the row through the value cell in FROM (the name where no value was)
    to_where: Where | None = None


@dataclass(frozen=True)
class GoalDiff:
    from_doc: DocumentInfo
    to_doc: DocumentInfo
    changes: list[GoalChange] = field(default_factory=list)
    indicator_changes: list[IndicatorChange] = field(default_factory=list)
    threshold: float = DEFAULT_THRESHOLD

    def counts(self) -> dict[str, int]:
        """Goals per status, every status present."""
        found = Counter(c.status for c in self.changes)
        return {status: found.get(status, 0) for status in STATUSES}

    def indicator_counts(self) -> dict[str, int]:
        found = Counter(c.status for c in self.indicator_changes)
        return {status: found.get(status, 0) for status in INDICATOR_STATUSES}


def _word_key(word: str) -> str:
    return _PUNCT.sub("", word.lower())


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level diff of two titles (case and punctuation ignored when aligning, printed words kept)."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, [_word_key(w) for w in a], [_word_key(w) for w in b], autojunk=False)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("insert", " ".join(b[j1:j2])))
    return tuple(ops)


def _side(goal: GoalRow, titles: dict[str, str]) -> GoalSide:
    return GoalSide(goal.goal_id, goal.number, goal.title, titles.get(goal.parent_goal_id or ""), goal.page, goal.where)


def _goal_status(a: GoalRow, b: GoalRow, matches: dict[str, str]) -> str:
    same_parent = (a.parent_goal_id is None and b.parent_goal_id is None) or (
        a.parent_goal_id is not None and matches.get(a.parent_goal_id) == b.parent_goal_id
    )
    if not same_parent:
        return "moved"
    return "unchanged" if a.norm == b.norm else "reworded"


def goal_changes(
    goals_a: list[GoalRow], goals_b: list[GoalRow], matches: dict[str, str], similarity: dict[str, float]
) -> list[GoalChange]:
    """One change per goal of both documents: TO's goals in order, then FROM's removed ones."""
    by_a = {g.goal_id: g for g in goals_a}
    back = {to_id: from_id for from_id, to_id in matches.items()}
    titles_a = {g.goal_id: g.title for g in goals_a}
    titles_b = {g.goal_id: g.title for g in goals_b}
    out: list[GoalChange] = []
    for b in goals_b:
        a = by_a.get(back.get(b.goal_id, ""))
        if a is None:
            out.append(GoalChange("added", b.level, None, _side(b, titles_b), 0.0))
            continue
        status = _goal_status(a, b, matches)
        words = word_diff(a.title, b.title) if status != "unchanged" and a.title != b.title else ()
        score = 100.0 if status == "unchanged" else similarity[a.goal_id]
        out.append(GoalChange(status, b.level, _side(a, titles_a), _side(b, titles_b), score, words))
    out.extend(
        GoalChange("removed", a.level, _side(a, titles_a), None, 0.0) for a in goals_a if a.goal_id not in matches
    )
    return out


def _same_cell(a: str | None, b: str | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and " ".join(a.split()) == " ".join(b.split()))


def indicator_changes(
    inds_a: list[IndicatorRow], inds_b: list[IndicatorRow], matches: dict[str, str], goal_titles: dict[str, str]
) -> list[IndicatorChange]:
    """Added and removed indicators, and each measure whose raw cell differs between matched ones."""
    by_a = {i.indicator_id: i for i in inds_a}
    back = {to_id: from_id for from_id, to_id in matches.items()}
    out: list[IndicatorChange] = []
    for b in inds_b:
        goal = goal_titles.get(b.goal_id or "")
        a = by_a.get(back.get(b.indicator_id, ""))
        if a is None:
            out.append(IndicatorChange("added", b.name, goal_title=goal))
            continue
        renamed = a.name if a.name != b.name else None
        order: dict[str, int] = {m: i for i, m in enumerate(MEASURES)}
        for measure in sorted(set(a.values) | set(b.values), key=lambda m: (order.get(m, len(order)), m)):
            old, new = a.values.get(measure), b.values.get(measure)
            if not _same_cell(old, new):
                # the value's row, or where no value was printed the indicator's name
                places = (a.places.get(measure) or a.where, b.places.get(measure) or b.where)
                out.append(IndicatorChange("changed", b.name, measure, old, new, renamed, goal, *places))
    out.extend(
        IndicatorChange("removed", a.name, goal_title=goal_titles.get(a.goal_id or ""))
        for a in inds_a
        if a.indicator_id not in matches
    )
    return out


def _resolve(con: duckdb.DuckDBPyConnection, ref: str | DocumentInfo) -> DocumentInfo:
    return ref if isinstance(ref, DocumentInfo) else resolve_document(con, ref)


def diff_documents(
    con: duckdb.DuckDBPyConnection,
    from_ref: str | DocumentInfo,
    to_ref: str | DocumentInfo,
    threshold: float = DEFAULT_THRESHOLD,
) -> GoalDiff:
    """Diff two documents (ids, PDF basenames or resolved documents): every goal lands in exactly one change."""
    from_doc, to_doc = _resolve(con, from_ref), _resolve(con, to_ref)
    goals_a = with_goal_norms(con, document_goals(con, from_doc.document_id))
    goals_b = with_goal_norms(con, document_goals(con, to_doc.document_id))
    inds_a = with_indicator_norms(con, document_indicators(con, from_doc.document_id))
    inds_b = with_indicator_norms(con, document_indicators(con, to_doc.document_id))
    found = match_rows(goals_a, goals_b, inds_a, inds_b, threshold)
    goal_matches = {m.from_key: m.to_key for m in found.goals}
    changes = goal_changes(goals_a, goals_b, goal_matches, {m.from_key: m.similarity for m in found.goals})
    titles = {g.goal_id: g.title for g in [*goals_a, *goals_b]}
    inds = indicator_changes(inds_a, inds_b, {m.from_key: m.to_key for m in found.indicators}, titles)
    return GoalDiff(from_doc, to_doc, changes, inds, threshold)


def _document_json(doc: DocumentInfo) -> dict:
    return {name: getattr(doc, name) for name in DOCUMENT_FIELDS}


def box_json(where: Where | None) -> dict | None:
    """A box as JSON: page, page_end and x0, top, x1, bottom in points from the page's top-left; None if none."""
    return where.columns() if where else None


def _goal_json(side: GoalSide | None) -> dict | None:
    if side is None:
        return None
    return {
        "goal_id": side.goal_id,
        "number": side.number,
        "title": side.title,
        "parent_title": side.parent_title,
        "page": side.page,
        "box": box_json(side.where),
    }


def _indicator_json(change: IndicatorChange) -> dict:
    return {
        "status": change.status,
        "name": change.name,
        "measure": change.measure,
        "from": change.from_raw,
        "to": change.to_raw,
        "from_box": box_json(change.from_where),
        "to_box": box_json(change.to_where),
    }


def to_contract_json(diff: GoalDiff) -> dict:
    """The diff as CONTRACT.md's "Goal diff JSON" object."""
    return {
        "from": _document_json(diff.from_doc),
        "to": _document_json(diff.to_doc),
        "changes": [
            {
                "status": c.status,
                "level": c.level,
                "from": _goal_json(c.from_goal),
                "to": _goal_json(c.to_goal),
                "similarity": c.similarity,
            }
            for c in diff.changes
        ],
        "indicator_changes": [_indicator_json(c) for c in diff.indicator_changes],
    }


def changes_by_level(diff: GoalDiff) -> list[tuple[str, list[GoalChange]]]:
    """The changes grouped by level, top level first; levels without goals are left out."""
    levels = [*LEVELS, *sorted({c.level for c in diff.changes} - set(LEVELS))]
    groups = [(level, [c for c in diff.changes if c.level == level]) for level in levels]
    return [(level, changes) for level, changes in groups if changes]
