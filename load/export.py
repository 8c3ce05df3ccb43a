"""Export every table and view to Parquet or CSV, with a schema.md data dictionary from the DuckDB comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..schemas.errors import StoreError
from .schema import REFERENCES, ROW_KEYS, Reference

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


@dataclass(frozen=True)
class Example:
    title: str
    sql: str


# Queries a researcher would start from; schema.md shows them, and the tests run them on the corpus.
EXAMPLES: tuple[Example, ...] = (
    Example(
        "A year-over-year series: each indicator's total outcome and target per year it is about "
        "(a report's previous-year outcome lands in the previous year; linked indicators share a series)",
        """SELECT coalesce(series_id, indicator_id) AS series, organisation, unit_name, year,
       any_value(name) AS name,
       max(value) FILTER (WHERE kind = 'outcome' AND gender = 'T') AS outcome,
       max(value) FILTER (WHERE kind = 'target') AS target,
       any_value(unit) AS unit
FROM indicator_values_by_year
GROUP BY ALL
HAVING outcome IS NOT NULL
ORDER BY series, year""",
    ),
    Example(
        "Goals with their assessment (Uppfylls helt/delvis/inte) per organisation and year",
        """SELECT d.organisation, d.unit, d.year, d.kind, g.level, g.number, g.title, g.assessment
FROM goals g
JOIN documents d ON d.document_id = g.document_id
WHERE g.assessment IS NOT NULL
ORDER BY d.organisation, d.unit NULLS FIRST, d.year, g.ordinal""",
    ),
    Example(
        "Indicators split by gender: outcomes for women/girls (K), men/boys (M) and in total (T), as Kolada codes them",
        """SELECT organisation, year, name,
       max(value) FILTER (WHERE gender = 'K') AS women,
       max(value) FILTER (WHERE gender = 'M') AS men,
       max(value) FILTER (WHERE gender = 'T') AS total,
       any_value(unit) AS unit
FROM indicator_values_by_year
WHERE kind = 'outcome'
GROUP BY organisation, year, indicator_id, name
HAVING women IS NOT NULL AND men IS NOT NULL
ORDER BY organisation, year, name""",
    ),
)


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


def primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Each main-schema table's PRIMARY KEY columns."""
    rows = con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY' AND database_name = current_database()"
    ).fetchall()
    return {table: tuple(names) for table, names in rows}


def _columns_sql(columns: tuple[str, ...]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def _qualified(relation: str, columns: tuple[str, ...]) -> str:
    return f"{relation}.{columns[0]}" if len(columns) == 1 else f"{relation}.({', '.join(columns)})"


def _reference(ref: Reference) -> str:
    when = f" when {ref.when}" if ref.when else ""
    return f"{_qualified(ref.relation, ref.columns)} → {_qualified(ref.target, ref.target_columns)}{when}"


def _key(name: str, keys: dict[str, tuple[str, ...]]) -> tuple[str, tuple[str, ...]] | None:
    """A relation's key: its PRIMARY KEY, else the columns declared unique together."""
    if name in keys:
        return "primary key", keys[name]
    if name in ROW_KEYS:
        return "unique together", ROW_KEYS[name]
    return None


def joins_markdown(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The keys and join paths of every relation, and the example queries, as Markdown lines."""
    order = {r.name: i for i, r in enumerate(relations(con))}
    keys = primary_keys(con)
    out = ["", "## Keys and how the tables join", ""]
    out.append(
        "Every row belongs to a document (`document_id` → `documents`); indicators, activities and tables stand "
        "under a goal (`goal_id` → `goals`); value cells belong to an indicator (`indicator_id` → `indicators`). "
        "`goal_links`, `indicator_links` and `series_members` follow goals and indicators across years. "
        "DuckDB enforces the primary keys only; the other keys and references hold by construction."
    )
    out += ["", "| relation | key | kind |", "|---|---|---|"]
    for name in order:
        key = _key(name, keys)
        out += [f"| {name} | {_columns_sql(key[1])} | {key[0]} |"] if key else []
    refs = sorted((r for r in REFERENCES if r.relation in order and r.target in order), key=lambda r: order[r.relation])
    out += ["", "| column | references | when |", "|---|---|---|"]
    out += [
        f"| {_qualified(r.relation, r.columns)} | {_qualified(r.target, r.target_columns)} | {_cell(r.when)} |"
        for r in refs
    ]
    out += ["", "## Example queries"]
    for example in EXAMPLES:
        out += ["", f"{example.title}:", "", "```sql", example.sql + ";", "```"]
    return out


def schema_markdown(con: duckdb.DuckDBPyConnection, files: dict[str, str] | None = None) -> str:
    """A data dictionary: keys and joins, example queries, then each relation's comment, key and columns."""
    cols: dict[str, list[Column]] = {}
    for col in columns(con):
        cols.setdefault(col.relation, []).append(col)
    keys = primary_keys(con)
    out = ["# malbild data dictionary", ""]
    out.append("Generated from the database's comments (`duckdb_tables()`, `duckdb_views()`, `duckdb_columns()`).")
    out += joins_markdown(con)
    for rel in relations(con):
        out += ["", f"## {rel.name} ({rel.kind})", ""]
        if rel.comment:
            out += [rel.comment, ""]
        key = _key(rel.name, keys)
        out += [f"Key ({key[0]}): {_columns_sql(key[1])}.", ""] if key else []
        refs = [_reference(r) for r in REFERENCES if r.relation == rel.name]
        if refs:
            out += ["Joins: " + "; ".join(refs) + ".", ""]
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
    try:
        for rel in relations(con):
            path = out / f"{rel.name}.{fmt}"
            con.execute(f'COPY (SELECT * FROM "{rel.name}") TO {_sql_string(str(path))} ({options})')
            written.append(path)
            files[rel.name] = path.name
        schema = out / "schema.md"
        schema.write_text(schema_markdown(con, files), encoding="utf-8")
    except (OSError, duckdb.IOException, duckdb.PermissionException) as exc:
        raise StoreError(f"{out}: cannot write the export ({' '.join(str(exc).split())})") from exc
    written.append(schema)
    return written
