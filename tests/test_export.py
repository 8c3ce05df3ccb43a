"""Export: one Parquet (or CSV) file per table and view, and a schema.md data dictionary from the comments."""

from __future__ import annotations

import re

import duckdb
import pytest
from conftest import SHARED, needs_corpus
from typer.testing import CliRunner

from malbild.cli import app
from malbild.load.export import EXAMPLES, export_database, relations, schema_markdown
from malbild.load.schema import REFERENCES, ROW_KEYS, Reference

CONTRACT = SHARED / "CONTRACT.md"


def contract_columns() -> dict[str, list[str]]:
    """Each contract table's column names, read from CONTRACT.md's tables."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (\w+) — ", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
        elif current and re.match(r"\| \w+ \| [A-Z]+ \|", line):
            tables[current].append(line.split("|")[1].strip())
        elif line.startswith("## "):
            current = None
    return tables


@pytest.fixture(scope="module")
def corpus_con(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    yield con
    con.close()


@needs_corpus
def test_parquet_file_per_table_and_view_with_every_row(corpus_con, tmp_path):
    paths = export_database(corpus_con, tmp_path / "out")
    names = {r.name for r in relations(corpus_con)}
    assert {
        "documents",
        "goals",
        "indicators",
        "indicator_values",
        "activities",
        "goal_links",
        "indicator_series",
        "goal_series",
        "document_summary",
    } <= names
    assert {p.name for p in paths} == {f"{n}.parquet" for n in names} | {"schema.md"}
    reader = duckdb.connect(":memory:")
    for name in ("goals", "indicator_values", "indicator_series"):
        stored = corpus_con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        exported = reader.execute(f"SELECT count(*) FROM read_parquet('{tmp_path / 'out' / name}.parquet')").fetchone()[
            0
        ]
        assert exported == stored > 0
    titles = reader.execute(f"SELECT title FROM read_parquet('{tmp_path / 'out' / 'goals.parquet'}')").fetchall()
    assert ("Ett Stockholm som håller samman",) in titles


@needs_corpus
def test_schema_md_lists_every_contract_column(corpus_con):
    contract = contract_columns()
    assert {"documents", "goals", "indicators", "indicator_values", "activities", "indicator_values_by_year"} == set(
        contract
    )
    schema = schema_markdown(corpus_con)
    sections = dict(re.findall(r"## (\w+) \((?:table|view)\)\n(.*?)(?=\n## |\Z)", schema, re.S))
    for table, cols in contract.items():
        listed = re.findall(r"^\| (\w+) \| ", sections[table], re.M)
        assert set(cols) <= set(listed), (table, set(cols) - set(listed))
    assert "| title | VARCHAR | Goal text as printed, one line. |" in sections["goals"]
    assert "One row per goal heading" in sections["goals"]
    assert "series_id" in sections["indicator_series"]


@needs_corpus
def test_csv_export_and_cli(corpus_db, tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path / "csv"), "--db", str(corpus_db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "csv" / "documents.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("document_id,source_file,sha256,kind,year,organisation,unit,title,pages")
    assert (tmp_path / "csv" / "schema.md").exists()


def test_unknown_format_is_refused(fresh_db, tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        export_database(fresh_db, tmp_path, "xlsx")


def _uncommented(con: duckdb.DuckDBPyConnection) -> list[str]:
    relations_without = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND comment IS NULL "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND comment IS NULL"
    ).fetchall()
    columns_without = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal "
        "AND database_name = current_database() AND (comment IS NULL OR trim(comment) = '')"
    ).fetchall()
    return [r[0] for r in relations_without + columns_without]


def test_every_table_view_and_column_of_a_new_database_has_a_comment(fresh_db):
    assert fresh_db.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main'").fetchone()[0] > 150
    assert _uncommented(fresh_db) == []


@needs_corpus
def test_every_column_of_the_corpus_database_has_a_comment(corpus_con):
    assert _uncommented(corpus_con) == []


def _orphans(con: duckdb.DuckDBPyConnection, ref: Reference) -> int:
    """Rows whose reference columns are all set but name no row of the target."""
    on = " AND ".join(f't."{c}" = r."{tc}"' for c, tc in zip(ref.target_columns, ref.columns, strict=True))
    present = " AND ".join(f'r."{c}" IS NOT NULL' for c in ref.columns)
    when = f" AND ({ref.when})" if ref.when else ""  # unqualified: the outer query sees only r
    sql = f"SELECT count(*) FROM {ref.relation} r WHERE {present}{when} AND NOT EXISTS "
    return con.execute(sql + f"(SELECT 1 FROM {ref.target} t WHERE {on})").fetchone()[0]


@needs_corpus
def test_every_documented_reference_and_key_holds_on_the_corpus(corpus_linked_db):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    try:
        names = {r.name for r in relations(con)}
        for ref in REFERENCES:
            assert ref.relation in names and ref.target in names, ref
            assert _orphans(con, ref) == 0, ref
        joined = con.execute("SELECT count(*) FROM indicator_values_by_year WHERE series_id IS NOT NULL").fetchone()[0]
        assert joined > 0  # the links are there, so the series references were tested on rows
        for relation, key in ROW_KEYS.items():
            cols = ", ".join(f'"{c}"' for c in key)
            total, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({cols})) FROM {relation}").fetchone()
            assert total == distinct, relation
    finally:
        con.close()


def test_references_name_columns_that_exist(fresh_db):
    cols = set(
        fresh_db.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'").fetchall()
    )
    for ref in REFERENCES:
        assert {(ref.relation, c) for c in ref.columns} <= cols, ref
        assert {(ref.target, c) for c in ref.target_columns} <= cols, ref
    for relation, key in ROW_KEYS.items():
        assert {(relation, c) for c in key} <= cols, relation


@needs_corpus
def test_schema_md_shows_keys_joins_and_examples(corpus_con):
    schema = schema_markdown(corpus_con)
    joins = schema[schema.index("## Keys and how the tables join") : schema.index("## Example queries")]
    assert "| goals | `goal_id` | primary key |" in joins
    assert "| indicator_values | `indicator_id`, `measure` | unique together |" in joins
    assert "| indicators.goal_id | goals.goal_id |  |" in joins
    assert "| series_members.member_id | indicators.indicator_id | kind = 'indicator' |" in joins
    assert "| decision_amounts.(document_id, decision_number) | decisions.(document_id, number) |  |" in joins
    sections = dict(re.findall(r"## (\w+) \((?:table|view)\)\n(.*?)(?=\n## |\Z)", schema, re.S))
    assert "Key (primary key): `activity_id`." in sections["activities"]
    assert "activities.goal_id → goals.goal_id" in sections["activities"]
    for example in EXAMPLES:
        assert f"```sql\n{example.sql};\n```" in schema


@needs_corpus
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.title.split(":")[0])
def test_example_queries_run_on_the_corpus_and_return_rows(corpus_linked_db, example):
    con = duckdb.connect(str(corpus_linked_db), read_only=True)
    try:
        rows = con.execute(example.sql).fetchall()
    finally:
        con.close()
    assert len(rows) > 0


@needs_corpus
def test_export_into_a_file_is_a_one_line_error(corpus_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(blocker / "out"), "--db", str(corpus_db)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"error: {blocker / 'out'}: cannot create export folder")
