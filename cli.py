"""The malbild command line: each command parses options, calls one library function, renders."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from malbild.load.db import DEFAULT_DB, connect
from malbild.load.ingest import IngestReport, ingest_paths
from malbild.load.ingest import Progress as FileProgress
from malbild.schemas.errors import MalbildError

DEFAULT_RAW = Path("data/raw")
FAILURE_COLUMNS = ("source_file", "stage", "page", "message", "failed_at")

app = typer.Typer(
    help="Stockholms stad plan and report PDFs → goals, indicators and activities in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")


def _fail(exc: MalbildError) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {exc}", highlight=False)
    return typer.Exit(1)


def _summary_table(report: IngestReport) -> Table:
    table = Table(title="Ingested documents", show_lines=False)
    for column in ("file", "pages", "goals", "indicators", "activities", "warnings"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for doc in report.stored:
        name = Path(doc.source_file).name + (" [yellow](needs OCR)[/yellow]" if doc.needs_ocr else "")
        table.add_row(name, str(doc.pages), str(doc.goals), str(doc.indicators), str(doc.activities), str(doc.warnings))
    return table


def _report_json(report: IngestReport) -> str:
    return json.dumps(
        {
            "stored": [doc.__dict__ for doc in report.stored],
            "skipped": report.skipped,
            "failures": [f.model_dump(mode="json") for f in report.failures],
            "warnings": len(report.warnings),
            "pages": report.pages,
            "seconds": round(report.seconds, 3),
        },
        ensure_ascii=False,
        indent=1,
    )


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="PDF files or folders (searched recursively)."),
    db: Path = DbOption,
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0: one per core)."),
    force: bool = typer.Option(False, "--force", help="Re-ingest files already stored."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only failures."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Ingest PDFs (default: data/raw/) into the database; exit 1 when a file failed."""
    paths = paths or [DEFAULT_RAW]
    interactive = console.is_terminal and not quiet and not as_json
    try:
        if interactive:
            with Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                TextColumn("{task.fields[files]} files"),
                MofNCompleteColumn(),
                TextColumn("pages"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=console,
            ) as bar:
                task = bar.add_task("", total=None, files="0/?", rate="")

                def on_progress(event: FileProgress) -> None:
                    elapsed = bar.tasks[0].elapsed or 0.0
                    rate = f"{event.pages_done / elapsed:.1f} pages/s" if elapsed else ""
                    bar.update(
                        task,
                        total=event.pages_total,
                        completed=event.pages_done,
                        rate=rate,
                        files=f"{event.done}/{event.total}",
                        description=Path(event.source_file).name,
                    )

                report = ingest_paths(paths, db, workers or None, force, on_progress)
        else:

            def on_progress(event: FileProgress) -> None:
                if not quiet and not as_json:
                    state = "ok" if event.ok else "FAILED"
                    err_console.print(
                        f"[{event.done}/{event.total}] {state} {event.source_file}: {event.message}",
                        highlight=False,
                    )

            report = ingest_paths(paths, db, workers or None, force, on_progress)
    except MalbildError as exc:
        raise _fail(exc) from exc
    if as_json:
        print(_report_json(report))
    elif not quiet:
        if report.stored:
            console.print(_summary_table(report))
        console.print(
            f"{len(report.stored)} stored ({report.pages} pages), {len(report.skipped)} skipped as already "
            f"stored, {len(report.failures)} failed, {len(report.warnings)} warnings "
            f"in {report.seconds:.1f} s → {db}",
            highlight=False,
        )
    for failure in report.failures:
        err_console.print(f"[red]failed[/red] ({failure.stage}) {failure.message}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def failures(db: Path = DbOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """List files and records that could not be stored, with stage and reason."""
    try:
        con = connect(db, read_only=True)
    except MalbildError as exc:
        raise _fail(exc) from exc
    rows = con.execute(f"SELECT {', '.join(FAILURE_COLUMNS)} FROM failures ORDER BY failed_at, source_file").fetchall()
    if as_json:
        print(
            json.dumps(
                [dict(zip(FAILURE_COLUMNS, r, strict=True)) for r in rows],
                default=str,
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    table = Table(title=f"{len(rows)} failures")
    for column in ("file", "stage", "page", "message"):
        table.add_column(column)
    for source_file, stage, page, message, _at in rows:
        table.add_row(Path(source_file).name, stage, "" if page is None else str(page), message)
    console.print(table)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run (read-only)."),
    db: Path = DbOption,
    csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
) -> None:
    """Run SQL against the database (read-only) and print the result."""
    try:
        con = connect(db, read_only=True)
        cursor = con.execute(sql)
    except MalbildError as exc:
        raise _fail(exc) from exc
    except Exception as exc:  # SQL errors are the user's: one line, exit 1
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if as_json:
        records = [dict(zip(columns, r, strict=True)) for r in rows]
        print(json.dumps(records, default=str, ensure_ascii=False, indent=1))
    elif csv:
        import csv as csv_module

        writer = csv_module.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
