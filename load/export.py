"""Export every table and view to Parquet or CSV, with a schema.md data dictionary from the DuckDB comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..schemas.errors import StoreError

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # table or view
    comment: str | None


@dataclass(frozen=True)
class Column:
    relation: str
    name: str
    data_type: str
    comment: str | None


def relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """The user tables and views of the main schema, tables first, with their comments."""
    tables = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "AND NOT temporary ORDER BY table_name"
    ).fetchall()
    views = con.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal "
        "AND NOT temporary ORDER BY view_name"
    ).fetchall()
    return [Relation(n, "table", c) for n, c in tables] + [Relation(n, "view", c) for n, c in views]


def columns(con: duckdb.DuckDBPyConnection) -> list[Column]:
    """Every column of the main schema's tables and views in declaration order."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
    ).fetchall()
    return [Column(*r) for r in rows]


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def schema_markdown(con: duckdb.DuckDBPyConnection, files: dict[str, str] | None = None) -> str:
    """A data dictionary: each table and view with its comment, then its columns with type and comment."""
    cols: dict[str, list[Column]] = {}
    for col in columns(con):
        cols.setdefault(col.relation, []).append(col)
    out = ["# malbild data dictionary", ""]
    out.append("Generated from the database's comments (`duckdb_tables()`, `duckdb_views()`, `duckdb_columns()`).")
    for rel in relations(con):
        out += ["", f"## {rel.name} ({rel.kind})", ""]
        if rel.comment:
            out += [rel.comment, ""]
        if files and rel.name in files:
            out += [f"File: `{files[rel.name]}`", ""]
        out += ["| column | type | meaning |", "|---|---|---|"]
        out += [f"| {c.name} | {c.data_type} | {_cell(c.comment)} |" for c in cols.get(rel.name, [])]
    return "\n".join(out) + "\n"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_database(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str = "parquet") -> list[Path]:
    """Write one file per table and view (Parquet or CSV) and schema.md into out_dir; returns the paths."""
    if fmt not in FORMATS:
        raise ValueError(f"export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{out}: cannot create export folder ({exc})") from exc
    options = "FORMAT PARQUET" if fmt == "parquet" else "FORMAT CSV, HEADER"
    written: list[Path] = []
    files: dict[str, str] = {}
    for rel in relations(con):
        path = out / f"{rel.name}.{fmt}"
        con.execute(f'COPY (SELECT * FROM "{rel.name}") TO {_sql_string(str(path))} ({options})')
        written.append(path)
        files[rel.name] = path.name
    schema = out / "schema.md"
    schema.write_text(schema_markdown(con, files), encoding="utf-8")
    written.append(schema)
    return written
