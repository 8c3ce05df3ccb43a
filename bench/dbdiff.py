#!/usr/bin/env python3
"""Compare the extracted rows of two malbild databases, table by table (ids, timestamps and paths left out).

    python bench/dbdiff.py A.duckdb B.duckdb [--show 5]

Used to check that a refactoring or a new reader leaves the database unchanged. Exit 1 when rows differ.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import duckdb

# Columns that differ between two ingests of the same files: when, where from, which version.
VOLATILE = {"ingested_at", "failed_at", "malbild_version", "source_file", "set_at"}
TABLES = (
    "documents",
    "goals",
    "goal_sections",
    "indicators",
    "indicator_values",
    "indicator_cells",
    "activities",
    "entities",
    "decisions",
    "decision_amounts",
    "finance_lines",
    "table_cells",
    "failures",
    "goal_links",
    "indicator_links",
    "series_members",
)


def rows(con: duckdb.DuckDBPyConnection, table: str, skip: frozenset[str] = frozenset()) -> Counter:
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    ]
    keep = [c for c in columns if c not in VOLATILE and c not in skip]
    if not keep:
        return Counter()
    quoted = ", ".join(f'"{c}"' for c in keep)
    return Counter(tuple(r) for r in con.execute(f"SELECT {quoted} FROM {table}").fetchall())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--show", type=int, default=5, help="rows to print per differing table")
    args = ap.parse_args(argv)
    a, b = duckdb.connect(args.a, read_only=True), duckdb.connect(args.b, read_only=True)
    differ = 0
    for table in TABLES:
        try:
            ra, rb = rows(a, table), rows(b, table)
        except duckdb.Error as exc:
            print(f"{table}: {exc}")
            differ += 1
            continue
        only_a, only_b = ra - rb, rb - ra
        status = "same" if not only_a and not only_b else "DIFFERENT"
        print(f"{table:<18} {sum(ra.values()):>6} vs {sum(rb.values()):>6} rows: {status}")
        if only_a or only_b:
            differ += 1
            for row in list(only_a.elements())[: args.show]:
                print(f"    - {row}")
            for row in list(only_b.elements())[: args.show]:
                print(f"    + {row}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
