"""DuckDB connection and schema (tables per ../shared/CONTRACT.md, plus what serves users)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from malbild.load.views import create_views
from malbild.schemas.errors import DatabaseInUse, StoreError

DEFAULT_DB = Path("data/db/malbild.duckdb")
SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "documents": """
        document_id VARCHAR PRIMARY KEY,
        source_file VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        year INTEGER,
        organisation VARCHAR,
        unit VARCHAR,
        title VARCHAR,
        pages INTEGER NOT NULL,
        district VARCHAR,
        dnr VARCHAR,
        date DATE,
        handlaggare VARCHAR,
        needs_ocr BOOLEAN NOT NULL DEFAULT false,
        ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        malbild_version VARCHAR
    """,
    "goals": """
        goal_id VARCHAR PRIMARY KEY,
        document_id VARCHAR NOT NULL,
        level VARCHAR NOT NULL,
        number VARCHAR,
        number_raw VARCHAR,
        title VARCHAR NOT NULL,
        title_norm VARCHAR,
        parent_goal_id VARCHAR,
        assessment VARCHAR,
        page INTEGER NOT NULL,
        ordinal INTEGER NOT NULL
    """,
    "goal_sections": """
        goal_id VARCHAR NOT NULL,
        ordinal INTEGER NOT NULL,
        heading VARCHAR NOT NULL,
        text VARCHAR NOT NULL
    """,
    "indicators": """
        indicator_id VARCHAR PRIMARY KEY,
        document_id VARCHAR NOT NULL,
        goal_id VARCHAR,
        name VARCHAR NOT NULL,
        name_norm VARCHAR,
        gender_indicator BOOLEAN NOT NULL,
        period VARCHAR,
        analysis VARCHAR,
        page INTEGER NOT NULL,
        ordinal INTEGER NOT NULL
    """,
    "indicator_values": """
        indicator_id VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        raw VARCHAR NOT NULL,
        value DOUBLE,
        unit VARCHAR,
        header VARCHAR NOT NULL,
        value_kind VARCHAR NOT NULL,
        kronor DOUBLE
    """,
    "indicator_cells": """
        indicator_id VARCHAR NOT NULL,
        "column" INTEGER NOT NULL,
        header VARCHAR NOT NULL,
        measure VARCHAR,
        raw VARCHAR NOT NULL
    """,
    "activities": """
        activity_id VARCHAR PRIMARY KEY,
        document_id VARCHAR NOT NULL,
        goal_id VARCHAR,
        text VARCHAR NOT NULL,
        start_date DATE,
        end_date DATE,
        status VARCHAR,
        deviation VARCHAR,
        page INTEGER NOT NULL,
        start_raw VARCHAR,
        end_raw VARCHAR,
        analysis VARCHAR,
        date_warning VARCHAR,
        ordinal INTEGER NOT NULL
    """,
    "entities": """
        document_id VARCHAR NOT NULL,
        goal_id VARCHAR,
        page INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        value DOUBLE,
        unit VARCHAR,
        kronor DOUBLE,
        normalized VARCHAR
    """,
    "decisions": """
        document_id VARCHAR NOT NULL,
        number INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        page INTEGER NOT NULL
    """,
    "decision_amounts": """
        document_id VARCHAR NOT NULL,
        decision_number INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        raw VARCHAR NOT NULL,
        value DOUBLE,
        unit VARCHAR,
        kronor DOUBLE
    """,
    "finance_lines": """
        document_id VARCHAR NOT NULL,
        table_no INTEGER NOT NULL,
        goal_id VARCHAR,
        page INTEGER NOT NULL,
        title VARCHAR,
        section VARCHAR,
        row_no INTEGER NOT NULL,
        row_label VARCHAR NOT NULL,
        column_label VARCHAR NOT NULL,
        raw VARCHAR NOT NULL,
        value DOUBLE,
        unit VARCHAR,
        kronor DOUBLE,
        is_total BOOLEAN NOT NULL
    """,
    "table_cells": """
        document_id VARCHAR NOT NULL,
        table_no INTEGER NOT NULL,
        goal_id VARCHAR,
        page INTEGER NOT NULL,
        title VARCHAR,
        row_no INTEGER NOT NULL,
        column_no INTEGER NOT NULL,
        row_label VARCHAR NOT NULL,
        column_label VARCHAR NOT NULL,
        raw VARCHAR NOT NULL
    """,
    "failures": """
        source_file VARCHAR NOT NULL,
        sha256 VARCHAR,
        stage VARCHAR NOT NULL,
        page INTEGER,
        message VARCHAR NOT NULL,
        failed_at TIMESTAMP NOT NULL
    """,
}

# Tables whose rows belong to one document, and how to find them; children before parents.
DOCUMENT_ROWS: list[tuple[str, str]] = [
    ("goal_sections", "goal_id IN (SELECT goal_id FROM goals WHERE document_id = ?)"),
    ("indicator_values", "indicator_id IN (SELECT indicator_id FROM indicators WHERE document_id = ?)"),
    ("indicator_cells", "indicator_id IN (SELECT indicator_id FROM indicators WHERE document_id = ?)"),
    ("table_cells", "document_id = ?"),
    ("entities", "document_id = ?"),
    ("decisions", "document_id = ?"),
    ("decision_amounts", "document_id = ?"),
    ("finance_lines", "document_id = ?"),
    ("activities", "document_id = ?"),
    ("indicators", "document_id = ?"),
    ("goals", "document_id = ?"),
    ("documents", "document_id = ?"),
]

COMMENTS: dict[str, str] = {
    "documents": "One row per ingested PDF.",
    "documents.document_id": "Stable id: the first 16 hex digits of the file's sha256.",
    "documents.source_file": "The PDF's path as given at ingest (its basename identifies it).",
    "documents.sha256": "Content hash of the PDF.",
    "documents.kind": "verksamhetsplan, verksamhetsberattelse, tertialrapport, bilaga or other.",
    "documents.year": "The year the plan/report is about (VP 2017 → 2017, VB 2019 → 2019).",
    "documents.organisation": "The nämnd, e.g. Socialnämnden.",
    "documents.unit": "Enhet for unit-level plans, else NULL.",
    "documents.title": "Document title as printed.",
    "documents.pages": "Page count.",
    "documents.needs_ocr": "True when the PDF has no text layer (scanned): no records could be read.",
    "goals": "One row per goal heading in the goal hierarchy.",
    "goals.level": "inriktningsmal, kf_mal, namndmal or enhetsmal.",
    "goals.number": "Goal number as printed without trailing dot (1.2.1), NULL if none.",
    "goals.title": "Goal text as printed, one line.",
    "goals.parent_goal_id": "Nearest enclosing goal of a higher level, NULL at the top.",
    "goals.assessment": "helt, delvis or inte (Uppfylls helt/delvis/inte), NULL if none.",
    "goals.page": "1-based page of the heading.",
    "goal_sections": "The text under each goal, by section heading (Beskrivning, Förväntat resultat, …).",
    "indicators": "One row per indicator row in an Indikator table.",
    "indicators.name": "Indicator name as printed, without leading marks (♀, ◆).",
    "indicators.gender_indicator": "The row carried ♀ (jämställdhetsindikator).",
    "indicators.period": "The Period / Periodicitet cell as printed.",
    "indicators.analysis": "The indicator's Analys row text, NULL if none.",
    "indicator_values": "One row per non-empty value cell of an indicator.",
    "indicator_values.measure": "outcome, outcome_men, outcome_women, outcome_previous, forecast, "
    "annual_target or kf_annual_target.",
    "indicator_values.raw": "The cell text as printed, whitespace collapsed.",
    "indicator_values.value": "The number, NULL when the cell is not a number.",
    "indicator_values.unit": "%, st, kr, tkr, mnkr, …; NULL if none.",
    "indicator_values.kronor": "For money units, the amount in kronor.",
    "indicator_values.value_kind": "number, to_be_set_by_board, not_applicable, tolerance or text.",
    "indicator_cells": "Every value cell under its printed header, also columns no measure maps to.",
    "activities": "One row per activity row in an Aktivitet table.",
    "activities.text": "Activity text, a row broken over pages joined into one.",
    "activities.status": "done (✓), ongoing (▶), cancelled (✗), NULL if no status mark.",
    "activities.deviation": "Avvikelse cell, NULL if empty.",
    "table_cells": "Cells of other tables (statistics) in long form.",
    "activities.date_warning": "Why a printed start or end date could not be read (cut off, invalid), else NULL.",
    "goals.title_norm": "The title lower-cased and lemmatized (spaCy): the form titles are matched across years in.",
    "indicators.name_norm": "The name lower-cased and lemmatized (spaCy), for matching across years.",
    "entities": "Amounts, percentages, dates and organisations named in goal titles and texts (spaCy rules).",
    "entities.label": "MONEY, PERCENT, DATE or ORG.",
    "entities.source": "title (the goal heading) or section (the text under it).",
    "entities.kronor": "For MONEY, the amount in kronor.",
    "entities.normalized": "For DATE, the date as YYYY-MM-DD.",
    "decisions": "The numbered items under Förslag till beslut.",
    "decision_amounts": "Every amount of money a decision names, with its unit and value in kronor.",
    "finance_lines": "Money tables (resultaträkning, budget, per verksamhetsområde) in long form.",
    "finance_lines.section": "The label row the line stands under (Intäkter, Kostnader), if any.",
    "finance_lines.column_label": "The column header, e.g. Budget 2019, Utfall 2018.",
    "finance_lines.unit": "The cell's unit, else the unit the table states (Beloppen anges i TKr → tkr).",
    "finance_lines.kronor": "The amount in kronor.",
    "finance_lines.is_total": "The row sums up rows above it (Summa …, Totalt, Netto).",
    "failures": "Files and records that could not be stored: stage and reason.",
}


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
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables, and add columns a database made by an older malbild lacks."""
    for name, columns in TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        present = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'", [name]
            ).fetchall()
        }
        for definition in (part.strip() for part in columns.split(",\n")):
            column, kind = definition.split()[:2]
            if column.strip('"') not in present:
                con.execute(f"ALTER TABLE {name} ADD COLUMN {column} {kind}")
    for target, text in COMMENTS.items():
        kind = "COLUMN" if "." in target else "TABLE"
        con.execute(f"COMMENT ON {kind} {target} IS '{_quote(text)}'")
    create_views(con)


def _quote(text: str) -> str:
    return re.sub("'", "''", text)
