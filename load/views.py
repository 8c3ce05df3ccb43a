"""Views for researchers: values and goals as series over documents and years."""

from __future__ import annotations

import duckdb

VIEWS: dict[str, str] = {
    "indicator_series": """
        SELECT d.organisation, d.unit, d.year, d.kind, d.document_id,
               i.indicator_id, i.name, lower(regexp_replace(trim(i.name), '[\\s.]+', ' ', 'g')) AS name_key,
               i.period, v.measure, v.raw, v.value, v.unit, v.kronor
        FROM indicator_values v
        JOIN indicators i USING (indicator_id)
        JOIN documents d USING (document_id)
    """,
    "goal_series": """
        SELECT d.organisation, d.unit, d.year, d.kind, d.document_id,
               g.goal_id, g.level, g.number, g.title,
               lower(regexp_replace(trim(g.title), '[\\s.]+', ' ', 'g')) AS title_key,
               g.assessment, p.title AS parent_title
        FROM goals g
        JOIN documents d USING (document_id)
        LEFT JOIN goals p ON p.goal_id = g.parent_goal_id
    """,
    "document_summary": """
        SELECT d.document_id, d.source_file, d.kind, d.year, d.organisation, d.unit, d.pages,
               (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id) AS goals,
               (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id) AS indicators,
               (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id) AS activities
        FROM documents d
    """,
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
