"""Export: one Parquet (or CSV) file per table and view, and a schema.md data dictionary from the comments."""

from __future__ import annotations

import re

import duckdb
import pytest
from conftest import SHARED, needs_corpus
from typer.testing import CliRunner

from malbild.cli import app
from malbild.load.export import export_database, relations, schema_markdown

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
