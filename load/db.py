"""Open the DuckDB database: created and set up on first write, read-only for queries.

DuckDB lets one process write, or several read. An ingest holds the database only while it stores a
document, so queries can run during a long ingest; whoever finds it locked retries for a few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..schemas.errors import DatabaseInUse, StoreError
from .schema import SCHEMA_VERSION, ensure_schema, schema_version

DEFAULT_DB = Path("data/db/malbild.duckdb")
# Seconds a reader, and a writer, keep retrying a database locked by another process.
READ_WAIT = 5.0
WRITE_WAIT = 10.0
_RETRY_SECONDS = 0.05


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"{path}: cannot open database ({exc})") from exc
            if time.monotonic() >= deadline:
                raise DatabaseInUse(
                    f"{path}: database is in use by another process (an ingest or a query still running?)"
                ) from exc
            time.sleep(_RETRY_SECONDS)


def connect(
    path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the database; a lock held elsewhere past `wait` s raises DatabaseInUse."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise StoreError(f"{path}: no such database (run `malbild ingest` first)")
    con = _open(path, read_only, (READ_WAIT if read_only else WRITE_WAIT) if wait is None else wait)
    if not read_only:
        ensure_schema(con)
    elif (version := schema_version(con)) != SCHEMA_VERSION:
        con.close()
        made = "an older" if version is None or version < SCHEMA_VERSION else "a newer"
        raise StoreError(f"{path}: database made by {made} malbild (schema {version}); run `malbild ingest` to upgrade")
    return con


@contextmanager
def writing(path: str | Path, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database open for writing for the length of the block, then closed so that readers get in."""
    con = connect(path, wait=wait)
    try:
        yield con
    finally:
        con.close()
