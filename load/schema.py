"""The database schema in one place: every table, view and COMMENT (../shared/CONTRACT.md and more), versioned."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..schemas.terms import MEASURE_GENDER, MEASURE_KIND, MEASURE_YEAR_OFFSET

# Bump when a table, column, view or comment changes: a database at this version is not touched on connect.
SCHEMA_VERSION = 5


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type with constraints, e.g. "VARCHAR NOT NULL"
    comment: str


@dataclass(frozen=True)
class Relation:
    name: str
    comment: str
    columns: tuple[Column, ...]
    sql: str = ""  # a view's SELECT; empty for a table


def _table(name: str, comment: str, *columns: tuple[str, str, str]) -> Relation:
    return Relation(name, comment, tuple(Column(*c) for c in columns))


DOCUMENT_ID = ("document_id", "VARCHAR NOT NULL", "The document (documents.document_id).")
GOAL_REF = ("goal_id", "VARCHAR", "The goal the record stands under (goals.goal_id), NULL outside the goal hierarchy.")
INDICATOR_REF = ("indicator_id", "VARCHAR NOT NULL", "The indicator (indicators.indicator_id).")
PAGE = ("page", "INTEGER NOT NULL", "1-based page of the PDF the record was read on.")
ORDINAL = ("ordinal", "INTEGER NOT NULL", "Position in the document's reading order (0-based).")
TABLE_NO = ("table_no", "INTEGER NOT NULL", "The table's number among the document's tables of this kind (0-based).")
TABLE_TITLE = ("title", "VARCHAR", "The line printed just above the table, if any.")
# The box the record's text was printed in on `page` (PDF points, origin top-left as in pdfplumber).
BOX = (
    ("x0", "DOUBLE", "Left edge of the box holding the record's printed text, points from the page's left edge."),
    ("top", "DOUBLE", "Top of the box, points from the page's top edge; NULL when the text was not found."),
    ("x1", "DOUBLE", "Right edge of the box, points from the page's left edge."),
    ("bottom", "DOUBLE", "Bottom of the box, points from the page's top edge."),
    ("page_end", "INTEGER", "The last page the record's text is on (its box is that of the part on page)."),
)

TABLES: tuple[Relation, ...] = (
    _table(
        "documents",
        "One row per ingested PDF.",
        ("document_id", "VARCHAR PRIMARY KEY", "Stable id: the first 16 hex digits of the file's sha256."),
        ("source_file", "VARCHAR NOT NULL", "The PDF's path as given at ingest (its basename identifies it)."),
        ("sha256", "VARCHAR NOT NULL", "Content hash of the PDF."),
        ("kind", "VARCHAR NOT NULL", "verksamhetsplan, verksamhetsberattelse, tertialrapport, bilaga or other."),
        ("year", "INTEGER", "The year the plan/report is about (VP 2017 → 2017, VB 2019 → 2019)."),
        ("organisation", "VARCHAR", "The nämnd, e.g. Socialnämnden."),
        ("unit", "VARCHAR", "Enhet for unit-level plans, else NULL."),
        ("title", "VARCHAR", "Document title as printed."),
        ("pages", "INTEGER NOT NULL", "Page count."),
        ("district", "VARCHAR", "The stadsdel of a stadsdelsnämnd (Hägersten-Liljeholmen), else NULL."),
        ("dnr", "VARCHAR", "Diarienummer as printed on the first page, else NULL."),
        ("date", "DATE", "The date printed on the first page (Datum), else NULL."),
        ("handlaggare", "VARCHAR", "Handläggare named on the first page, else NULL."),
        ("needs_ocr", "BOOLEAN NOT NULL DEFAULT false", "True when the PDF has no text layer (scanned)."),
        ("ingested_at", "TIMESTAMP NOT NULL DEFAULT current_timestamp", "When the document was stored."),
        ("malbild_version", "VARCHAR", "The malbild version that read it."),
    ),
    _table(
        "goals",
        "One row per goal heading in the goal hierarchy.",
        ("goal_id", "VARCHAR PRIMARY KEY", "Unique: document_id, ':g' and the goal's ordinal."),
        DOCUMENT_ID,
        ("level", "VARCHAR NOT NULL", "inriktningsmal, kf_mal, namndmal or enhetsmal."),
        ("number", "VARCHAR", "Goal number as printed without trailing dot (1.2.1), NULL if none."),
        ("number_raw", "VARCHAR", "Goal number exactly as printed (1.2.1.), NULL if none."),
        ("title", "VARCHAR NOT NULL", "Goal text as printed, one line."),
        ("title_norm", "VARCHAR", "The title lower-cased and lemmatized (spaCy): the form matched across years."),
        ("parent_goal_id", "VARCHAR", "Nearest enclosing goal of a higher level, NULL at the top."),
        ("assessment", "VARCHAR", "helt, delvis or inte (Uppfylls helt/delvis/inte), NULL if none."),
        ("page", "INTEGER NOT NULL", "1-based page of the heading."),
        ORDINAL,
        *BOX,
    ),
    _table(
        "goal_sections",
        "The text under each goal, by section heading (Beskrivning, Förväntat resultat, …).",
        ("goal_id", "VARCHAR NOT NULL", "The goal (goals.goal_id)."),
        ("ordinal", "INTEGER NOT NULL", "Position of the section under its goal (0-based)."),
        ("heading", "VARCHAR NOT NULL", "The section heading as printed; empty for text before any heading."),
        ("text", "VARCHAR NOT NULL", "The section's text, paragraphs separated by newlines."),
    ),
    _table(
        "indicators",
        "One row per indicator row in an Indikator table.",
        ("indicator_id", "VARCHAR PRIMARY KEY", "Unique: document_id, ':i' and the indicator's ordinal."),
        DOCUMENT_ID,
        ("goal_id", "VARCHAR", "The goal the table stands under (goals.goal_id), NULL outside any goal."),
        ("name", "VARCHAR NOT NULL", "Indicator name as printed, without leading marks (♀, ◆)."),
        ("name_norm", "VARCHAR", "The name lower-cased and lemmatized (spaCy), for matching across years."),
        ("gender_indicator", "BOOLEAN NOT NULL", "The row carried ♀ (jämställdhetsindikator)."),
        ("period", "VARCHAR", "The Period / Periodicitet cell as printed."),
        ("analysis", "VARCHAR", "The indicator's Analys row text, NULL if none."),
        PAGE,
        ORDINAL,
        *BOX,
    ),
    _table(
        "indicator_values",
        "One row per non-empty value cell of an indicator whose column maps to a measure.",
        INDICATOR_REF,
        (
            "measure",
            "VARCHAR NOT NULL",
            "outcome, outcome_men, outcome_women, outcome_previous, forecast, annual_target or kf_annual_target.",
        ),
        ("raw", "VARCHAR NOT NULL", "The cell text as printed, whitespace collapsed."),
        ("value", "DOUBLE", "The number, NULL when the cell is not a number."),
        ("unit", "VARCHAR", "%, st, kr, tkr, mnkr, …; NULL if none."),
        ("header", "VARCHAR NOT NULL", "The column header as printed (all its lines)."),
        ("value_kind", "VARCHAR NOT NULL", "number, to_be_set_by_board, not_applicable, tolerance or text."),
        ("kronor", "DOUBLE", "For money units, the amount in kronor."),
        ("page", "INTEGER", "1-based page of the value's box (the row from the indicator's name through the cell)."),
        *BOX,
    ),
    _table(
        "indicator_cells",
        "Every value cell of an indicator under its printed header, also columns no measure maps to.",
        INDICATOR_REF,
        ("column", "INTEGER NOT NULL", "The cell's position among the indicator's value cells (0-based)."),
        ("header", "VARCHAR NOT NULL", "The column header as printed."),
        ("measure", "VARCHAR", "The measure the header maps to, NULL when it maps to none."),
        ("raw", "VARCHAR NOT NULL", "The cell text as printed, whitespace collapsed."),
    ),
    _table(
        "activities",
        "One row per activity row in an Aktivitet table.",
        ("activity_id", "VARCHAR PRIMARY KEY", "Unique: document_id, ':a' and the activity's ordinal."),
        DOCUMENT_ID,
        ("goal_id", "VARCHAR", "The goal the table stands under (goals.goal_id), NULL outside any goal."),
        ("text", "VARCHAR NOT NULL", "Activity text, a row broken over pages joined into one."),
        ("start_date", "DATE", "Start date (Startdatum), NULL if none or not a valid date."),
        ("end_date", "DATE", "End date (Slutdatum), NULL if none or not a valid date."),
        ("status", "VARCHAR", "done (✓), ongoing (▶), cancelled (✗), NULL if no status mark."),
        ("deviation", "VARCHAR", "Avvikelse cell, NULL if empty."),
        PAGE,
        ("start_raw", "VARCHAR", "The start date cell as printed."),
        ("end_raw", "VARCHAR", "The end date cell as printed."),
        ("analysis", "VARCHAR", "Text of a full-width row under the activity, NULL if none."),
        ("date_warning", "VARCHAR", "Why a printed start or end date could not be read (cut off, invalid), else NULL."),
        ORDINAL,
        *BOX,
    ),
    _table(
        "entities",
        "Amounts, percentages, dates and organisations named in goal titles and texts (spaCy rules).",
        DOCUMENT_ID,
        ("goal_id", "VARCHAR", "The goal whose title or text names it (goals.goal_id)."),
        PAGE,
        ("source", "VARCHAR NOT NULL", "title (the goal heading) or section (the text under it)."),
        ("label", "VARCHAR NOT NULL", "MONEY, PERCENT, DATE or ORG."),
        ("text", "VARCHAR NOT NULL", "The words as printed."),
        ("value", "DOUBLE", "For MONEY and PERCENT, the number."),
        ("unit", "VARCHAR", "For MONEY and PERCENT, the unit (kr, tkr, mnkr, %)."),
        ("kronor", "DOUBLE", "For MONEY, the amount in kronor."),
        ("normalized", "VARCHAR", "For DATE, the date as YYYY-MM-DD."),
    ),
    _table(
        "decisions",
        "The numbered items under Förslag till beslut.",
        DOCUMENT_ID,
        ("number", "INTEGER NOT NULL", "The item's number as printed."),
        ("text", "VARCHAR NOT NULL", "The item's text, one line."),
        PAGE,
        *BOX,
    ),
    _table(
        "decision_amounts",
        "Every amount of money a decision names, with its unit and value in kronor.",
        DOCUMENT_ID,
        ("decision_number", "INTEGER NOT NULL", "The decision (decisions.number)."),
        ("ordinal", "INTEGER NOT NULL", "Position of the amount in the decision's text (0-based)."),
        ("raw", "VARCHAR NOT NULL", "The amount as printed (5 958,6 tkr)."),
        ("value", "DOUBLE", "The number."),
        ("unit", "VARCHAR", "kr, tkr, mnkr or mdkr."),
        ("kronor", "DOUBLE", "The amount in kronor."),
    ),
    _table(
        "finance_lines",
        "Money tables (resultaträkning, budget, per verksamhetsområde) in long form: one row per value cell.",
        DOCUMENT_ID,
        TABLE_NO,
        GOAL_REF,
        PAGE,
        TABLE_TITLE,
        ("section", "VARCHAR", "The label row the line stands under (Intäkter, Kostnader), if any."),
        ("row_no", "INTEGER NOT NULL", "The row's number in its table (0-based, label-only rows not counted)."),
        ("row_label", "VARCHAR NOT NULL", "The row's first cell."),
        ("column_label", "VARCHAR NOT NULL", "The column header, e.g. Budget 2019, Utfall 2018."),
        ("raw", "VARCHAR NOT NULL", "The cell text as printed."),
        ("value", "DOUBLE", "The number."),
        ("unit", "VARCHAR", "The cell's unit, else the unit the table states (Beloppen anges i TKr → tkr)."),
        ("kronor", "DOUBLE", "The amount in kronor."),
        ("is_total", "BOOLEAN NOT NULL", "The row sums up rows above it (Summa …, Totalt, Netto)."),
        *BOX,
    ),
    _table(
        "table_cells",
        "Cells of every other table (statistics, lists) in long form: one row per non-empty cell after the first.",
        DOCUMENT_ID,
        TABLE_NO,
        GOAL_REF,
        PAGE,
        TABLE_TITLE,
        ("row_no", "INTEGER NOT NULL", "The row's number in its table (0-based)."),
        ("column_no", "INTEGER NOT NULL", "The cell's column (0 is the row label column)."),
        ("row_label", "VARCHAR NOT NULL", "The row's first cell."),
        ("column_label", "VARCHAR NOT NULL", "The column header as printed."),
        ("raw", "VARCHAR NOT NULL", "The cell text as printed."),
    ),
    _table(
        "failures",
        "Files that could not be stored, and warnings about records of stored files: stage and reason.",
        ("source_file", "VARCHAR NOT NULL", "The PDF's path as given at ingest."),
        ("sha256", "VARCHAR", "Content hash of the file, NULL when it could not be read."),
        ("stage", "VARCHAR NOT NULL", "open, extract, parse, validate, load or unknown."),
        ("page", "INTEGER", "The page concerned, NULL for the whole file."),
        ("message", "VARCHAR NOT NULL", "One-line reason."),
        ("failed_at", "TIMESTAMP NOT NULL", "When it was recorded."),
        ("severity", "VARCHAR NOT NULL DEFAULT 'error'", "error (the file was not stored) or warning (it was)."),
        ("kind", "VARCHAR", "For warnings, what it is about: unmapped_column, guessed_heading, invalid_record, …"),
        ("text", "VARCHAR", "The printed text concerned, as found, if any."),
        ("detail", "VARCHAR", "The exception chain behind an error (malbild failures --verbose), else NULL."),
    ),
    _table(
        "document_paths",
        "Every path a document's content was seen under: the same PDF under other names (aliases) is stored once.",
        DOCUMENT_ID,
        (
            "source_file",
            "VARCHAR NOT NULL",
            "A path the content was given under at ingest; documents.source_file is one.",
        ),
        ("first_seen", "TIMESTAMP NOT NULL DEFAULT current_timestamp", "When the content was first seen there."),
    ),
    _table(
        "stale_links",
        "Documents whose cross-year links must be recomputed: marked in the transaction that stores or deletes "
        "the document, cleared by the link update (after each ingest, or malbild link).",
        ("document_id", "VARCHAR PRIMARY KEY", "A document stored, replaced or deleted since the links were made."),
        ("marked_at", "TIMESTAMP NOT NULL DEFAULT current_timestamp", "When it was marked."),
    ),
)

_LINK = (
    ("from_document_id", "VARCHAR NOT NULL", "The earlier document."),
    ("to_document_id", "VARCHAR NOT NULL", "The later document."),
    ("method", "VARCHAR NOT NULL", "exact (same normalized text) or fuzzy."),
)

LINK_TABLES: tuple[Relation, ...] = (
    _table(
        "goal_links",
        "A goal and its counterpart in a later document of the same organisation and unit.",
        ("from_id", "VARCHAR NOT NULL", "goal_id in the earlier document."),
        ("to_id", "VARCHAR NOT NULL", "goal_id in the later document."),
        _LINK[0],
        _LINK[1],
        ("similarity", "DOUBLE NOT NULL", "Similarity of the normalized titles, 0–100."),
        _LINK[2],
    ),
    _table(
        "indicator_links",
        "An indicator and its counterpart in a later document of the same organisation and unit.",
        ("from_id", "VARCHAR NOT NULL", "indicator_id in the earlier document."),
        ("to_id", "VARCHAR NOT NULL", "indicator_id in the later document."),
        _LINK[0],
        _LINK[1],
        ("similarity", "DOUBLE NOT NULL", "Similarity of the normalized names, 0–100."),
        _LINK[2],
    ),
    _table(
        "series_members",
        "Goals and indicators followed over the years: connected components of the links.",
        ("kind", "VARCHAR NOT NULL", "goal or indicator."),
        ("member_id", "VARCHAR NOT NULL", "goal_id or indicator_id."),
        ("series_id", "VARCHAR NOT NULL", "The id of the series' earliest member."),
    ),
    _table(
        "title_norms",
        "Goal titles and indicator names in normalized form (lower-case lemmas, no stop words).",
        ("text", "VARCHAR PRIMARY KEY", "A goal title or indicator name as printed."),
        ("norm", "VARCHAR NOT NULL", "Its normalized form."),
    ),
)

# Tables whose rows belong to one document, and how to find them; children before parents.
DOCUMENT_ROWS: tuple[tuple[str, str], ...] = (
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
    ("document_paths", "document_id = ?"),
    ("documents", "document_id = ?"),
)

# Steps that fill a new table from the old ones when an older database is set up at this version.
BACKFILL: tuple[str, ...] = (
    "INSERT INTO document_paths (document_id, source_file, first_seen) "
    "SELECT document_id, source_file, ingested_at FROM documents d "
    "WHERE NOT EXISTS (SELECT 1 FROM document_paths p WHERE p.document_id = d.document_id)",
)


def column_types(table: str) -> dict[str, str]:
    """Each column's bare DuckDB type (constraints and defaults left out), for typed bulk inserts."""
    relation = next(t for t in (*TABLES, *LINK_TABLES, META) if t.name == table)
    return {c.name: c.type.split()[0] for c in relation.columns}


def _case(column: str, mapping: dict[str, object], default: str) -> str:
    arms = " ".join(f"WHEN '{key}' THEN {value!r}" for key, value in mapping.items())
    return f"CASE {column} {arms} ELSE {default} END"


_NORM_FALLBACK = "lower(trim(regexp_replace({a}.{c}, '[^\\pL\\pN%]+', ' ', 'g')))"


def _view(name: str, comment: str, sql: str, *columns: tuple[str, str]) -> Relation:
    return Relation(name, comment, tuple(Column(n, "", c) for n, c in columns), sql)


VIEWS: tuple[Relation, ...] = (
    _view(
        "indicator_series",
        "One row per indicator value cell with its document's organisation and year; "
        "rows with the same series_id are one indicator followed over the years.",
        f"""
        SELECT d.organisation, d.unit AS document_unit, d.year, d.kind, d.document_id, d.source_file,
               coalesce(sm.series_id, i.indicator_id) AS series_id,
               i.indicator_id, i.goal_id, i.name,
               coalesce(i.name_norm, tn.norm, {_NORM_FALLBACK.format(a="i", c="name")}) AS name_norm,
               i.gender_indicator, i.period, v.measure, v.value, v.unit, v.raw, v.kronor, v.value_kind
        FROM indicator_values v
        JOIN indicators i USING (indicator_id)
        JOIN documents d ON d.document_id = i.document_id
        LEFT JOIN title_norms tn ON tn.text = i.name
        LEFT JOIN series_members sm ON sm.kind = 'indicator' AND sm.member_id = i.indicator_id
        """,
        ("organisation", "The document's organisation."),
        ("document_unit", "The document's enhet (unit-level plans), else NULL."),
        ("year", "The document's year."),
        ("kind", "The document's kind."),
        ("document_id", "The document."),
        ("source_file", "The document's PDF path."),
        ("series_id", "Same value for the same indicator in other years (from indicator_links); else its own id."),
        ("indicator_id", "The indicator."),
        ("goal_id", "The goal the indicator stands under."),
        ("name", "Indicator name as printed."),
        ("name_norm", "The name in normalized form: lower-case lemmas without stop words."),
        ("gender_indicator", "The row carried ♀."),
        ("period", "The Period cell as printed."),
        ("measure", "The value's measure."),
        ("value", "The number, NULL when the cell is not a number."),
        ("unit", "The value's unit: %, st, kr, tkr, mnkr, …"),
        ("raw", "The cell text as printed."),
        ("kronor", "For money units, the amount in kronor."),
        ("value_kind", "number, to_be_set_by_board, not_applicable, tolerance or text."),
    ),
    _view(
        "indicator_values_by_year",
        "One row per indicator value, placed in the year it is about (previous-year outcomes under year − 1), "
        "with Kolada-style kind and gender codes: join on (organisation, year, gender).",
        f"""
        SELECT sm.series_id, i.indicator_id, d.document_id, i.name, d.organisation, d.unit AS unit_name,
               d.year + {_case("v.measure", dict(MEASURE_YEAR_OFFSET), "0")} AS year,
               {_case("v.measure", dict(MEASURE_KIND), "NULL")} AS kind,
               {_case("v.measure", dict(MEASURE_GENDER), "'T'")} AS gender,
               v.value, v.raw, v.unit
        FROM indicator_values v
        JOIN indicators i USING (indicator_id)
        JOIN documents d ON d.document_id = i.document_id
        LEFT JOIN series_members sm ON sm.kind = 'indicator' AND sm.member_id = i.indicator_id
        """,
        ("series_id", "The cross-year series the indicator belongs to (series_members), NULL if none."),
        ("indicator_id", "The indicator."),
        ("document_id", "The document the value was printed in."),
        ("name", "Indicator name as printed."),
        ("organisation", "The document's organisation."),
        ("unit_name", "The document's enhet, NULL if none."),
        ("year", "The year the value is about: the document's year, previous-year outcomes under year − 1."),
        ("kind", "outcome, target (annual_target), kf_target (kf_annual_target) or forecast."),
        ("gender", "T total, K women/girls, M men/boys (Kolada's codes)."),
        ("value", "As in indicator_values."),
        ("raw", "As in indicator_values."),
        ("unit", "As in indicator_values."),
    ),
    _view(
        "goal_series",
        "One row per goal with its document's organisation and year; "
        "rows with the same series_id are one goal followed over the years.",
        f"""
        SELECT d.organisation, d.unit AS document_unit, d.year, d.kind, d.document_id, d.source_file,
               coalesce(sm.series_id, g.goal_id) AS series_id,
               g.goal_id, g.level, g.number, g.title,
               coalesce(g.title_norm, tn.norm, {_NORM_FALLBACK.format(a="g", c="title")}) AS title_norm,
               g.assessment, g.page, p.goal_id AS parent_goal_id, p.title AS parent_title,
               (SELECT count(*) FROM indicators i WHERE i.goal_id = g.goal_id) AS indicators,
               (SELECT count(*) FROM activities a WHERE a.goal_id = g.goal_id) AS activities
        FROM goals g
        JOIN documents d ON d.document_id = g.document_id
        LEFT JOIN goals p ON p.goal_id = g.parent_goal_id
        LEFT JOIN title_norms tn ON tn.text = g.title
        LEFT JOIN series_members sm ON sm.kind = 'goal' AND sm.member_id = g.goal_id
        """,
        ("organisation", "The document's organisation."),
        ("document_unit", "The document's enhet (unit-level plans), else NULL."),
        ("year", "The document's year."),
        ("kind", "The document's kind."),
        ("document_id", "The document."),
        ("source_file", "The document's PDF path."),
        ("series_id", "Same value for the same goal in other years (from goal_links); else its own id."),
        ("goal_id", "The goal."),
        ("level", "inriktningsmal, kf_mal, namndmal or enhetsmal."),
        ("number", "Goal number as printed without trailing dot."),
        ("title", "Goal text as printed."),
        ("title_norm", "The title in normalized form: lower-case lemmas without stop words."),
        ("assessment", "helt, delvis or inte, NULL if none."),
        ("page", "1-based page of the heading."),
        ("parent_goal_id", "The enclosing goal, NULL at the top."),
        ("parent_title", "Title of the enclosing goal, NULL at the top."),
        ("indicators", "Indicators under this goal."),
        ("activities", "Activities under this goal."),
    ),
    _view(
        "document_summary",
        "One row per document with its counts of goals, indicators and activities.",
        """
        SELECT d.document_id, d.source_file, d.kind, d.year, d.organisation, d.unit, d.pages,
               (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id) AS goals,
               (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id) AS indicators,
               (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id) AS activities
        FROM documents d
        """,
        ("document_id", "The document."),
        ("source_file", "The PDF's path as given at ingest."),
        ("kind", "The document's kind."),
        ("year", "The document's year."),
        ("organisation", "The document's organisation."),
        ("unit", "The document's enhet, NULL if none."),
        ("pages", "Page count."),
        ("goals", "Goals in the document."),
        ("indicators", "Indicators in the document."),
        ("activities", "Activities in the document."),
    ),
)

META = _table(
    "malbild_schema",
    "The schema versions this database was set up at (malbild skips its set-up when at the current one).",
    ("version", "INTEGER NOT NULL", "Schema version."),
    ("set_at", "TIMESTAMP NOT NULL", "When the database was set up at it."),
)


@dataclass(frozen=True)
class Reference:
    """Columns that hold another relation's key: how the tables join (documentation; DuckDB enforces none)."""

    relation: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    when: str = ""  # a condition on the referencing row, where the target depends on another column


def _ref(relation: str, column: str, target: str, target_column: str = "", when: str = "") -> Reference:
    return Reference(relation, tuple(column.split(",")), target, tuple((target_column or column).split(",")), when)


def _document_refs(*relations: str) -> tuple[Reference, ...]:
    return tuple(_ref(r, "document_id", "documents") for r in relations)


def _goal_refs(*relations: str) -> tuple[Reference, ...]:
    return tuple(_ref(r, "goal_id", "goals") for r in relations)


REFERENCES: tuple[Reference, ...] = (
    *_document_refs("goals", "indicators", "activities", "entities", "decisions", "decision_amounts"),
    *_document_refs("finance_lines", "table_cells"),
    _ref("goals", "parent_goal_id", "goals", "goal_id"),
    *_goal_refs("goal_sections", "indicators", "activities", "entities", "finance_lines", "table_cells"),
    _ref("indicator_values", "indicator_id", "indicators"),
    _ref("indicator_cells", "indicator_id", "indicators"),
    _ref("decision_amounts", "document_id,decision_number", "decisions", "document_id,number"),
    _ref("failures", "sha256", "documents", when="severity = 'warning'"),
    _ref("goals", "title", "title_norms", "text"),
    _ref("indicators", "name", "title_norms", "text"),
    _ref("goal_links", "from_id", "goals", "goal_id"),
    _ref("goal_links", "to_id", "goals", "goal_id"),
    _ref("indicator_links", "from_id", "indicators", "indicator_id"),
    _ref("indicator_links", "to_id", "indicators", "indicator_id"),
    *(
        _ref(links, f"{side}_document_id", "documents", "document_id")
        for links in ("goal_links", "indicator_links")
        for side in ("from", "to")
    ),
    _ref("series_members", "member_id", "goals", "goal_id", "kind = 'goal'"),
    _ref("series_members", "member_id", "indicators", "indicator_id", "kind = 'indicator'"),
    _ref("series_members", "series_id", "goals", "goal_id", "kind = 'goal'"),
    _ref("series_members", "series_id", "indicators", "indicator_id", "kind = 'indicator'"),
    *_document_refs("indicator_series", "indicator_values_by_year", "goal_series", "document_summary"),
    _ref("indicator_series", "indicator_id", "indicators"),
    _ref("indicator_values_by_year", "indicator_id", "indicators"),
    _ref("indicator_values_by_year", "series_id", "series_members"),
    *_goal_refs("indicator_series", "goal_series"),
)

# The columns that identify a row of a table without a PRIMARY KEY (unique together; documentation).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "goal_sections": ("goal_id", "ordinal"),
    "indicator_values": ("indicator_id", "measure"),
    "indicator_cells": ("indicator_id", "column"),
    "decisions": ("document_id", "number"),
    "decision_amounts": ("document_id", "decision_number", "ordinal"),
    "finance_lines": ("document_id", "table_no", "row_no", "column_label"),
    "table_cells": ("document_id", "table_no", "row_no", "column_no"),
    "goal_links": ("from_id", "to_id"),
    "indicator_links": ("from_id", "to_id"),
    "series_members": ("kind", "member_id"),
    "indicator_values_by_year": ("indicator_id", "kind", "gender", "year"),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version the database was last set up at, None for a new (or pre-versioning) database."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?", [META.name]
    ).fetchone()
    if not found or not found[0]:
        return None
    row = con.execute(f"SELECT max(version) FROM {META.name}").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _create_table(con: duckdb.DuckDBPyConnection, table: Relation) -> None:
    """Create a table, or add the columns an older malbild's database lacks."""
    body = ", ".join(f'"{c.name}" {c.type}' for c in table.columns)
    con.execute(f"CREATE TABLE IF NOT EXISTS {table.name} ({body})")
    present = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'", [table.name]
        ).fetchall()
    }
    for column in table.columns:
        if column.name not in present:
            kind = column.type.replace("NOT NULL", "").replace("PRIMARY KEY", "").strip()
            con.execute(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}')


def _comment(con: duckdb.DuckDBPyConnection, relation: Relation, kind: str) -> None:
    con.execute(f"COMMENT ON {kind} {relation.name} IS {_quote(relation.comment)}")
    for column in relation.columns:
        con.execute(f'COMMENT ON COLUMN {relation.name}."{column.name}" IS {_quote(column.comment)}')


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or migrate every table and view, with comments; a database already at SCHEMA_VERSION is left alone."""
    if schema_version(con) == SCHEMA_VERSION:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for table in (*TABLES, *LINK_TABLES, META):
            _create_table(con, table)
            _comment(con, table, "TABLE")
        for view in VIEWS:
            con.execute(f"CREATE OR REPLACE VIEW {view.name} AS {view.sql}")
            _comment(con, view, "VIEW")
        for step in BACKFILL:
            con.execute(step)
        con.execute(f"INSERT INTO {META.name} VALUES (?, current_timestamp)", [SCHEMA_VERSION])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
