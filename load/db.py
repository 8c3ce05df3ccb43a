"""Open the DuckDB database: created and set up on first write, read-only for queries."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schemas.errors import DatabaseInUse, StoreError
from .schema import SCHEMA_VERSION, ensure_schema, schema_version

DEFAULT_DB = Path("data/db/malbild.duckdb")


def connect(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the database; a lock held elsewhere raises DatabaseInUse."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise StoreError(f"{path}: no such database (run `malbild ingest` first)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseInUse(f"{path}: database is in use by another process (an ingest still running?)") from exc
        raise StoreError(f"{path}: cannot open database ({exc})") from exc
    if not read_only:
        ensure_schema(con)
    elif (version := schema_version(con)) != SCHEMA_VERSION:
        con.close()
        made = "an older" if version is None or version < SCHEMA_VERSION else "a newer"
        raise StoreError(f"{path}: database made by {made} malbild (schema {version}); run `malbild ingest` to upgrade")
    return con
