"""Write one document's records in one transaction: it is stored whole or not at all.

A document is its content (sha256); document_paths holds every path it was seen under. Storing a document
at a path takes that path from any other document; a document left with no path is deleted. Every document
stored or deleted is marked in stale_links in the same transaction, so the cross-year links can always be
brought up to date, even after a crash.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

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


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done, then raise it: a transaction is not cut in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction, Ctrl-C held until it is committed or rolled back."""
    with interrupts_deferred():
        con.execute("BEGIN TRANSACTION")
        try:
            yield
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def known_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each stored content hash with the document's path."""
    return dict(con.execute("SELECT sha256, source_file FROM documents").fetchall())


def known_paths(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(sha256, path) for every path a stored document was seen under."""
    rows = con.execute("SELECT d.sha256, p.source_file FROM document_paths p JOIN documents d USING (document_id)")
    return {(sha, path) for sha, path in rows.fetchall()}


def _delete_document(con: duckdb.DuckDBPyConnection, document_id: str, keep_paths: bool = False) -> None:
    for table, where in DOCUMENT_ROWS:
        if not (keep_paths and table == "document_paths"):
            con.execute(f"DELETE FROM {table} WHERE {where}", [document_id])


def _mark_stale(con: duckdb.DuckDBPyConnection, document_ids: Iterable[str]) -> None:
    for document_id in dict.fromkeys(document_ids):
        con.execute("INSERT OR REPLACE INTO stale_links VALUES (?, current_timestamp)", [document_id])


def _release_paths(con: duckdb.DuckDBPyConnection, paths: list[str], keep_id: str) -> list[str]:
    """Take the paths from every other document; delete those left with none; the ids deleted."""
    others = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT document_id FROM document_paths WHERE list_contains(?, source_file) AND document_id <> ?",
            [paths, keep_id],
        ).fetchall()
    ]
    con.execute("DELETE FROM document_paths WHERE list_contains(?, source_file) AND document_id <> ?", [paths, keep_id])
    deleted = []
    for document_id in others:
        left = con.execute(
            "SELECT min(source_file) FROM document_paths WHERE document_id = ?", [document_id]
        ).fetchone()
        if left is None or left[0] is None:
            _delete_document(con, document_id)
            deleted.append(document_id)
        else:
            con.execute("UPDATE documents SET source_file = ? WHERE document_id = ?", [left[0], document_id])
    return deleted


def _add_paths(con: duckdb.DuckDBPyConnection, document_id: str, paths: Iterable[str]) -> None:
    for path in dict.fromkeys(paths):
        con.execute(
            "INSERT INTO document_paths (document_id, source_file) SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM document_paths WHERE document_id = ? AND source_file = ?)",
            [document_id, path, document_id, path],
        )


# Each table a document's records fill, with the DocumentRecords field holding its rows, in insert order.
RECORD_TABLES = (
    ("goals", "goals"),
    ("goal_sections", "sections"),
    ("indicators", "indicators"),
    ("indicator_values", "values"),
    ("indicator_cells", "cells"),
    ("activities", "activities"),
    ("table_cells", "table_cells"),
    ("entities", "entities"),
    ("decisions", "decisions"),
    ("decision_amounts", "decision_amounts"),
    ("finance_lines", "finance_lines"),
    ("failures", "failures"),
)


def _insert_records(con: duckdb.DuckDBPyConnection, records: DocumentRecords) -> None:
    _insert(con, "documents", [records.document], {"malbild_version": __version__})
    for table, field in RECORD_TABLES:
        _insert(con, table, getattr(records, field))


def store_document(con: duckdb.DuckDBPyConnection, records: DocumentRecords, aliases: Iterable[str] = ()) -> None:
    """Replace the document (same content, or an older version of one of its paths) by these records."""
    doc = records.document
    paths = list(dict.fromkeys([doc.source_file, *aliases]))
    try:
        with transaction(con):
            _delete_document(con, doc.document_id, keep_paths=True)
            deleted = _release_paths(con, paths, doc.document_id)
            con.execute("DELETE FROM failures WHERE list_contains(?, source_file) OR sha256 = ?", [paths, doc.sha256])
            _insert_records(con, records)
            _add_paths(con, doc.document_id, paths)
            _mark_stale(con, [doc.document_id, *deleted])
    except duckdb.Error as exc:
        raise StoreError(f"{doc.source_file}: could not store ({type(exc).__name__}: {exc})") from exc


def add_alias(con: duckdb.DuckDBPyConnection, sha256: str, path: str) -> None:
    """Record another path of stored content (a file skipped because its content is already stored)."""
    with transaction(con):
        row = con.execute("SELECT document_id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        if row is not None:
            deleted = _release_paths(con, [path], row[0])
            _add_paths(con, row[0], [path])
            _mark_stale(con, deleted)
            con.execute("DELETE FROM failures WHERE source_file = ? AND severity = 'error'", [path])


def store_failure(con: duckdb.DuckDBPyConnection, failure: Failure) -> None:
    """Record a file that failed before it had records; an earlier failure of the same file is replaced."""
    with transaction(con):
        con.execute(
            "DELETE FROM failures WHERE source_file = ? AND page IS NULL AND severity = 'error'", [failure.source_file]
        )
        _insert(con, "failures", [failure])
