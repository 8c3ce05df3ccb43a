"""Views for researchers: values and goals as series over documents and years."""

from __future__ import annotations

import duckdb

from malbild.load.links import ensure_link_tables


def _norm(con: duckdb.DuckDBPyConnection, table: str, alias: str, text: str, column: str) -> str:
    """SQL for a normalized title: the stored column if the table has it, else title_norms, else a plain key."""
    fallback = f"lower(trim(regexp_replace({alias}.{text}, '[^\\pL\\pN%]+', ' ', 'g')))"
    has = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()[0]
    return f"coalesce({alias}.{column}, tn.norm, {fallback})" if has else f"coalesce(tn.norm, {fallback})"


def view_sql(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The SELECT of every view, for the columns this database has."""
    return {
        "indicator_series": f"""
            SELECT d.organisation, d.unit AS document_unit, d.year, d.kind, d.document_id, d.source_file,
                   coalesce(sm.series_id, i.indicator_id) AS series_id,
                   i.indicator_id, i.goal_id, i.name,
                   {_norm(con, "indicators", "i", "name", "name_norm")} AS name_norm,
                   i.gender_indicator, i.period, v.measure, v.value, v.unit, v.raw, v.kronor, v.value_kind
            FROM indicator_values v
            JOIN indicators i USING (indicator_id)
            JOIN documents d ON d.document_id = i.document_id
            LEFT JOIN title_norms tn ON tn.text = i.name
            LEFT JOIN series_members sm ON sm.kind = 'indicator' AND sm.member_id = i.indicator_id
        """,
        "goal_series": f"""
            SELECT d.organisation, d.unit AS document_unit, d.year, d.kind, d.document_id, d.source_file,
                   coalesce(sm.series_id, g.goal_id) AS series_id,
                   g.goal_id, g.level, g.number, g.title,
                   {_norm(con, "goals", "g", "title", "title_norm")} AS title_norm,
                   g.assessment, g.page, p.goal_id AS parent_goal_id, p.title AS parent_title,
                   (SELECT count(*) FROM indicators i WHERE i.goal_id = g.goal_id) AS indicators,
                   (SELECT count(*) FROM activities a WHERE a.goal_id = g.goal_id) AS activities
            FROM goals g
            JOIN documents d ON d.document_id = g.document_id
            LEFT JOIN goals p ON p.goal_id = g.parent_goal_id
            LEFT JOIN title_norms tn ON tn.text = g.title
            LEFT JOIN series_members sm ON sm.kind = 'goal' AND sm.member_id = g.goal_id
        """,
        "document_summary": """
            SELECT d.document_id, d.source_file, d.kind, d.year, d.organisation, d.unit, d.pages,
                   (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id) AS goals,
                   (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id) AS indicators,
                   (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id) AS activities
            FROM documents d
        """,
    }


VIEW_COMMENTS: dict[str, str] = {
    "indicator_series": "One row per indicator value cell with its document's organisation and year; "
    "rows with the same series_id are one indicator followed over the years.",
    "goal_series": "One row per goal with its document's organisation and year; "
    "rows with the same series_id are one goal followed over the years.",
    "document_summary": "One row per document with its counts of goals, indicators and activities.",
}

VIEW_COLUMN_COMMENTS: dict[str, str] = {
    "indicator_series.document_unit": "The document's enhet (unit-level plans), else NULL.",
    "indicator_series.series_id": "Same value for the same indicator in other years (from indicator_links).",
    "indicator_series.name_norm": "The name in normalized form: lower-case lemmas without stop words.",
    "indicator_series.unit": "The value's unit: %, st, kr, tkr, mnkr, …",
    "goal_series.document_unit": "The document's enhet (unit-level plans), else NULL.",
    "goal_series.series_id": "Same value for the same goal in other years (from goal_links).",
    "goal_series.title_norm": "The title in normalized form: lower-case lemmas without stop words.",
    "goal_series.parent_title": "Title of the enclosing goal, NULL at the top.",
    "goal_series.indicators": "Indicators under this goal.",
    "goal_series.activities": "Activities under this goal.",
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the views, and the link tables they join."""
    ensure_link_tables(con)
    for name, sql in view_sql(con).items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        con.execute(f"COMMENT ON VIEW {name} IS {_quote(VIEW_COMMENTS[name])}")
    for target, text in VIEW_COLUMN_COMMENTS.items():
        con.execute(f"COMMENT ON COLUMN {target} IS {_quote(text)}")
