"""Write one document's records in one transaction: it is stored whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
from pydantic import BaseModel

from .. import __version__
from ..schemas.errors import StoreError
from ..schemas.records import DocumentRecords, Failure
from .schema import DOCUMENT_ROWS, column_types


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[BaseModel], extra: dict[str, object] | None = None
) -> None:
    """Insert records in one statement, a typed list per column (row-by-row executemany is ~60× slower)."""
    if not rows:
        return
    data = [{**r.model_dump(), **(extra or {})} for r in rows]
    columns = list(data[0])
    types = column_types(table)
    quoted = ", ".join(f'"{c}"' for c in columns)
    lists = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
    con.execute(f"INSERT INTO {table} ({quoted}) SELECT {lists}", [[row[c] for row in data] for c in columns])


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT sha256 FROM documents").fetchall()}


def _delete_document(con: duckdb.DuckDBPyConnection, document_id: str) -> None:
    for table, where in DOCUMENT_ROWS:
        con.execute(f"DELETE FROM {table} WHERE {where}", [document_id])


def store_document(con: duckdb.DuckDBPyConnection, records: DocumentRecords) -> None:
    """Replace the document (same content, or an older version of the same file) by these records."""
    doc = records.document
    try:
        con.execute("BEGIN TRANSACTION")
        stale = con.execute(
            "SELECT document_id FROM documents WHERE document_id = ? OR source_file = ?",
            [doc.document_id, doc.source_file],
        ).fetchall()
        for (document_id,) in stale:
            _delete_document(con, document_id)
        con.execute("DELETE FROM failures WHERE source_file = ? OR sha256 = ?", [doc.source_file, doc.sha256])
        _insert(con, "documents", [doc], {"malbild_version": __version__})
        _insert(con, "goals", records.goals)
        _insert(con, "goal_sections", records.sections)
        _insert(con, "indicators", records.indicators)
        _insert(con, "indicator_values", records.values)
        _insert(con, "indicator_cells", records.cells)
        _insert(con, "activities", records.activities)
        _insert(con, "table_cells", records.table_cells)
        _insert(con, "entities", records.entities)
        _insert(con, "decisions", records.decisions)
        _insert(con, "decision_amounts", records.decision_amounts)
        _insert(con, "finance_lines", records.finance_lines)
        _insert(con, "failures", records.failures)
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"{doc.source_file}: could not store ({type(exc).__name__}: {exc})") from exc


def store_failure(con: duckdb.DuckDBPyConnection, failure: Failure) -> None:
    """Record a file that failed before it had records; an earlier failure of the same file is replaced."""
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM failures WHERE source_file = ? AND page IS NULL", [failure.source_file])
    _insert(con, "failures", [failure])
    con.execute("COMMIT")
