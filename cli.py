"""The malbild command line: each command parses options, calls one library function, renders."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import fields
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from duckdb import DuckDBPyConnection
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
from rich.text import Text
from rich.tree import Tree

from . import __version__
from .compare.crops import Crops, diff_crops
from .compare.diff import GoalChange, GoalDiff, diff_documents, to_contract_json
from .compare.links import document_pairs, update_links
from .compare.report import diff_to_html, diff_to_markdown, document_label, goal_label, words_plain
from .compare.series import SeriesLookup, SeriesPoint, lookup_series
from .extract.crops import render_boxes, verified_source
from .extract.parse.vocab import LEVEL_NAMES
from .extract.settings import READERS, ExtractSettings
from .load.db import DEFAULT_DB, connect
from .load.discover import NoSuchPath
from .load.export import export_database
from .load.ingest import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, IngestInterrupted, IngestReport, ingest_paths
from .load.queries import (
    DocumentInfo,
    GoalNode,
    GoalRow,
    document_paths,
    find_goal,
    goal_tree,
    list_documents,
    resolve_document,
    resolve_documents,
    unplaced_counts,
)
from .load.report import Progress as FileProgress
from .normalize.match import DEFAULT_THRESHOLD
from .schemas.errors import MalbildError, PdfError, StoreError
from .schemas.records import Failure
from .schemas.terms import MEASURES

DEFAULT_RAW = Path("data/raw")
FAILURE_COLUMNS = ("source_file", "severity", "stage", "page", "message", "kind", "detail", "failed_at")

app = typer.Typer(
    help="Stockholms stad plan and report PDFs → goals, indicators and activities in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
WIDE = 1_000_000  # the width of a table written to a pipe or a file: never wrapped or cut off


def _print_version(value: bool) -> None:
    if value:
        print(f"malbild {__version__}")
        raise typer.Exit()


@app.callback()
def _app_options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print malbild's version and exit."
    ),
) -> None:
    """Stockholms stad plan and report PDFs → goals, indicators and activities in DuckDB."""


def _error(message: str) -> typer.Exit:
    """Print a one-line error (the message is text, never markup) and return the exit to raise."""
    err_console.print(Text.assemble(("error:", "red"), " ", " ".join(_safe(message).split())), highlight=False)
    return typer.Exit(1)


def _safe(text: str) -> str:
    """Text from files (names, titles, messages) with control characters shown escaped, never sent raw."""
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)


def _fail(exc: MalbildError) -> typer.Exit:
    return _error(str(exc))


def _results() -> Console:
    """A console for results: a terminal's width and colours on a terminal; elsewhere never cut, no colours."""
    out = Console(highlight=False)
    return out if out.is_terminal else Console(width=WIDE, highlight=False, no_color=True)


# ---------------------------------------------------------------------------------------------- rows out


class RowFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"


RowFormatOption = typer.Option(None, "--format", "-f", help="table (the default), tsv, csv or json.")


def _row_format(fmt: RowFormat | None, csv_flag: bool = False, json_flag: bool = False) -> RowFormat:
    """The format asked for by --format or its aliases --csv and --json, which exclude each other."""
    asked = [f for f in (fmt, RowFormat.csv if csv_flag else None, RowFormat.json if json_flag else None) if f]
    if len(asked) > 1:
        raise typer.BadParameter("choose one of --format, --csv and --json, not several", param_hint="'--format'")
    return asked[0] if asked else RowFormat.table


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tsv(value: object) -> str:
    """A TSV field: backslash, tab and line breaks escaped as \\, \\t, \\n, \\r."""
    text = _plain(value).replace("\\", "\\\\")
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _cell(value: object) -> Text:
    """A table cell as text (never markup); a whole-number double without its ".0"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return Text(str(int(value)))
    return Text(_plain(value))


def _rich_table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str, caption: str) -> Table:
    table = Table(title=Text(title) if title else None, caption=Text(caption) if caption else None)
    for i, column in enumerate(columns):
        values = [row[i] for row in rows if row[i] is not None]
        numeric = bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        table.add_column(Text(column), justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    return table


def _emit_rows(
    columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: RowFormat, title: str = "", caption: str = ""
) -> None:
    """Print rows as a table (cut to a terminal's width only), TSV, CSV or a JSON list of objects."""
    if fmt is RowFormat.json:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, default=str, ensure_ascii=False, indent=1) + "\n")
    elif fmt is RowFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_plain(v) for v in row] for row in rows)
    elif fmt is RowFormat.tsv:
        sys.stdout.writelines("\t".join(_tsv(v) for v in line) + "\n" for line in [columns, *rows])
    else:
        _results().print(_rich_table(columns, rows, title, caption))


def _summary_table(report: IngestReport) -> Table:
    table = Table(title="Ingested documents", show_lines=False)
    for column in ("file", "pages", "goals", "indicators", "activities", "warnings"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for doc in report.stored:
        counts = (doc.pages, doc.goals, doc.indicators, doc.activities, doc.warnings)
        table.add_row(Text(_safe(Path(doc.source_file).name)), *(str(n) for n in counts))
    return table


def _report_json(report: IngestReport) -> str:
    return json.dumps(
        {
            "stored": [doc.__dict__ for doc in report.stored],
            "skipped": report.skipped,
            "duplicates": [{"source_file": path, "duplicate_of": of} for path, of in report.duplicates],
            "failures": [f.model_dump(mode="json") for f in report.failures],
            "warnings": len(report.warnings),
            "pages": report.pages,
            "links_updated": report.links_updated,
            "seconds": round(report.seconds, 3),
        },
        ensure_ascii=False,
        indent=1,
    )


class _ProgressBar:
    """A rich progress bar over pages, with the files done and the rate, for an interactive terminal."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.fields[files]} files", markup=False),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TextColumn("{task.fields[rate]}", markup=False),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}", markup=False),
            console=console,
        )
        self.task = self.bar.add_task("", total=None, files="0/?", rate="")

    def __call__(self, event: FileProgress) -> None:
        elapsed = self.bar.tasks[0].elapsed or 0.0
        self.bar.update(
            self.task,
            total=event.pages_total or None,
            completed=event.pages_done,
            rate=f"{event.pages_done / elapsed:.1f} pages/s" if elapsed else "",
            files=f"{event.done}/{event.total}",
            description=Path(event.source_file).name,
        )


def _progress_lines(event: FileProgress) -> None:
    if event.kind != "file":
        return
    state = "ok" if event.ok else "FAILED"
    message = event.message.removeprefix(f"{event.source_file}: ")
    line = f"[{event.done}/{event.total}] {state} {event.source_file}: {message}"
    err_console.print(_safe(line), markup=False, highlight=False)


def _print_failure(failure: Failure, verbose: bool) -> None:
    line = Text("failed", style="red")
    line.append(_safe(f" ({failure.stage}) {failure.message}"))
    err_console.print(line, highlight=False)
    if verbose and failure.detail:
        err_console.print(_safe(failure.detail.rstrip()), markup=False, highlight=False)


def _print_report(report: IngestReport, db: Path, quiet: bool, as_json: bool, verbose: bool) -> None:
    if as_json:
        print(_report_json(report))
    elif not quiet:
        if report.stored:
            console.print(_summary_table(report))
        for path, of in report.duplicates:
            console.print(_safe(f"{path}: duplicate of {of} (stored once)"), markup=False, highlight=False)
        console.print(
            f"{len(report.stored)} stored ({report.pages} pages), {len(report.skipped)} skipped as already "
            f"stored, {len(report.duplicates)} duplicates, {len(report.failures)} failed, "
            f"{len(report.warnings)} warnings in {report.seconds:.1f} s → {db}",
            highlight=False,
            markup=False,
        )
    for failure in report.failures:
        _print_failure(failure, verbose)


def _settings(pairs: list[str]) -> ExtractSettings:
    """ExtractSettings from NAME=VALUE pairs; a usage error names what is wrong."""
    fields = {f.name: f for f in dataclasses.fields(ExtractSettings)}
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in fields:
            raise typer.BadParameter(f"{pair!r}: give NAME=VALUE, NAME one of {', '.join(fields)}", param_hint="--set")
        kind: Any = type(fields[name].default)
        try:
            values[name] = raw.strip().lower() in ("1", "true", "yes") if kind is bool else kind(raw.strip())
        except ValueError as exc:
            raise typer.BadParameter(f"{pair!r}: {name} takes a {kind.__name__}", param_hint="--set") from exc
    try:
        return ExtractSettings(**values)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc


def _run_ingest(paths: list[Path], db: Path, quiet: bool, as_json: bool, **options: Any) -> IngestReport:
    if console.is_terminal and not quiet and not as_json:
        progress = _ProgressBar()
        with progress.bar:
            return ingest_paths(paths, db, on_progress=progress, after_store=update_links, **options)
    lines = None if quiet or as_json else _progress_lines
    return ingest_paths(paths, db, on_progress=lines, after_store=update_links, **options)


class IngestExecutor(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="PDF files or folders (searched recursively)."),
    db: Path = DbOption,
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0: one per core)."),
    force: bool = typer.Option(False, "--force", help="Re-ingest files already stored."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only failures."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=1, help="Seconds one file may take."),
    max_memory: float = typer.Option(DEFAULT_MEMORY_MB, "--max-memory", min=64, help="MB one worker may use."),
    set_: list[str] = typer.Option([], "--set", metavar="NAME=VALUE", help="An extraction setting (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Raise on internal errors instead of failing the file."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the exception chain of each failure."),
    executor: IngestExecutor = typer.Option(
        IngestExecutor.local, "--executor", help="local (worker processes) or ray (Ray tasks: the ray extra)."
    ),
    address: str = typer.Option(
        None, "--address", help="With --executor ray: the cluster, auto or ray://HOST:PORT (default: a local Ray)."
    ),
    reader: str = typer.Option(None, "--reader", help=f"PDF reader: {' or '.join(READERS)} (default {READERS[0]})."),
) -> None:
    """Ingest PDFs (default: data/raw/) into the database; exit 1 when a file failed."""
    paths = paths or [DEFAULT_RAW]
    settings = _settings(set_ + ([f"reader={reader}"] if reader else []))
    if address is not None and executor is not IngestExecutor.ray:
        raise typer.BadParameter("--address needs --executor ray", param_hint="--address")
    options: dict[str, Any] = {
        "workers": workers or None,
        "force": force,
        "timeout": timeout,
        "memory_mb": max_memory,
        "settings": settings,
        "strict": strict or None,
        "executor": executor.value,
        "address": address,
    }
    try:
        report = _run_ingest(paths, db, quiet, as_json, **options)
    except NoSuchPath as exc:
        raise typer.BadParameter(str(exc), param_hint="PATHS") from exc
    except IngestInterrupted as exc:
        done = exc.report
        err_console.print(f"interrupted: {len(done.stored)} stored, {len(done.failures)} failed", markup=False)
        raise typer.Exit(130) from None
    except MalbildError as exc:
        raise _fail(exc) from exc
    if not report.found:
        err_console.print(
            _safe(f"warning: no PDFs found in {', '.join(map(str, paths))}"), markup=False, highlight=False
        )
        raise typer.Exit(1)
    _print_report(report, db, quiet, as_json, verbose)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def failures(
    db: Path = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the exception chain of each failure."),
) -> None:
    """List files and records that could not be stored, with stage and reason."""
    try:
        con = connect(db, read_only=True)
    except MalbildError as exc:
        raise _fail(exc) from exc
    rows = con.execute(f"SELECT {', '.join(FAILURE_COLUMNS)} FROM failures ORDER BY failed_at, source_file").fetchall()
    con.close()
    if as_json:
        records = [dict(zip(FAILURE_COLUMNS, r, strict=True)) for r in rows]
        print(json.dumps(records, default=str, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{len(rows)} failures")
    for column in ("file", "severity", "stage", "page", "message"):
        table.add_column(column)
    for source_file, severity, stage, page, message, _kind, detail, _at in rows:
        text = Text(_safe(message))
        if verbose and detail:
            text.append("\n" + _safe(detail.rstrip()), style="dim")
        table.add_row(Text(_safe(Path(source_file).name)), severity, stage, "" if page is None else str(page), text)
    console.print(table)


@app.command()
def query(
    sql: str = typer.Argument(
        ..., metavar="SQL", help="SQL to run (read-only); the last statement's rows are printed."
    ),
    db: Path = DbOption,
    fmt: RowFormat = RowFormatOption,
    csv_flag: bool = typer.Option(False, "--csv", help="Print CSV (as --format csv)."),
    json_flag: bool = typer.Option(False, "--json", help="Print JSON rows (as --format json)."),
) -> None:
    """Run SQL against the database (read-only) and print the result."""
    out = _row_format(fmt, csv_flag, json_flag)
    try:
        con = connect(db, read_only=True)
        cursor = con.execute(sql)
    except MalbildError as exc:
        raise _fail(exc) from exc
    except Exception as exc:  # duckdb.Error and its kin: the user's SQL, one line, exit 1
        raise _error(str(exc)) from exc
    if cursor is None or cursor.description is None:
        raise _error("no result: the SQL is empty, only a comment, or a statement that returns no rows")
    _emit_rows([d[0] for d in cursor.description], cursor.fetchall(), out)


# ---------------------------------------------------------------------------------------------- cross-year


class DiffFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    json = "json"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"


ThresholdOption = typer.Option(
    DEFAULT_THRESHOLD,
    "--threshold",
    min=0,
    max=100,
    help="Lowest match score (0–100): title similarity plus bonuses for equal numbers and matched parents.",
)


def _new_title(change: GoalChange, plain: bool) -> Text:
    """The later title; a reworded one word by word: [-old-]{+new+} in plain text, in colour on a terminal."""
    number = change.to_goal.number + " " if change.to_goal and change.to_goal.number else ""
    if not change.words:
        return Text(goal_label(change.to_goal) if change.to_goal else "")
    if plain:
        return Text(number + words_plain(change.words))
    styles = {"delete": "red strike", "insert": "green bold"}
    return Text(number) + Text(" ").join(Text(w.text, style=styles.get(w.op, "")) for w in change.words)


def _diff_tables(result: GoalDiff, plain: bool) -> list[Table]:
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items())
    title = f"{document_label(result.from_doc)} → {document_label(result.to_doc)}"
    goals = Table(title=Text(title), caption=Text(counts))
    for column in ("status", "level", "from", "to", "sim"):
        goals.add_column(column, justify="right" if column == "sim" else "left")
    for change in result.changes:
        old = goal_label(change.from_goal) if change.from_goal else ""
        sim = f"{change.similarity:.0f}" if change.status in ("reworded", "moved") else ""
        goals.add_row(Text(change.status), Text(change.level), Text(old), _new_title(change, plain), Text(sim))
    tables = [goals]
    if result.indicator_changes:
        counts = ", ".join(f"{n} {status}" for status, n in result.indicator_counts().items())
        inds = Table(title="Indicator changes", caption=Text(counts))
        for column in ("status", "indicator", "measure", "from", "to"):
            inds.add_column(column)
        for c in result.indicator_changes:
            inds.add_row(*(Text(v or "") for v in (c.status, c.name, c.measure, c.from_raw, c.to_raw)))
        tables.append(inds)
    return tables


def _diff_text(result: GoalDiff, fmt: DiffFormat, to_file: bool, crops: Crops | None = None) -> str | None:
    """The report as text for a file or a pipe; None for a table printed on the terminal."""
    if fmt is DiffFormat.json:
        return json.dumps(to_contract_json(result), ensure_ascii=False, indent=1) + "\n"
    if fmt is DiffFormat.markdown:
        return diff_to_markdown(result)
    if fmt is DiffFormat.html:
        return diff_to_html(result, crops)
    out = _results() if not to_file else None
    if out is not None and out.is_terminal:
        for table in _diff_tables(result, plain=False):
            out.print(table)
        return None
    buffer = io.StringIO()
    rendered = Console(file=buffer, width=WIDE, highlight=False, no_color=True)
    for table in _diff_tables(result, plain=True):
        rendered.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _error(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _diff_refs(
    from_ref: str | None, to_ref: str | None, organisation: str | None, from_year: int | None, to_year: int | None
) -> bool:
    """Check that FROM and TO, or --organisation with both years, were given; True for the latter."""
    by_year = organisation is not None or from_year is not None or to_year is not None
    if by_year and (from_ref or to_ref):
        raise typer.BadParameter("give FROM and TO, or --organisation with --from-year and --to-year, not both")
    if by_year and (organisation is None or from_year is None or to_year is None):
        raise typer.BadParameter("--organisation needs --from-year and --to-year")
    if not by_year and not (from_ref and to_ref):
        raise typer.BadParameter("give FROM and TO, or --organisation with --from-year and --to-year")
    return by_year


@app.command()
def diff(
    from_ref: str = typer.Argument(None, metavar="FROM", help="Earlier document: document_id or PDF file name."),
    to_ref: str = typer.Argument(None, metavar="TO", help="Later document: document_id or PDF file name."),
    db: Path = DbOption,
    organisation: str = typer.Option(None, "--organisation", help="Pick the documents by organisation and years."),
    from_year: int = typer.Option(None, "--from-year", help="With --organisation: the earlier document's year."),
    to_year: int = typer.Option(None, "--to-year", help="With --organisation: the later document's year."),
    unit: str = typer.Option(None, "--unit", help="Enhet, with --organisation (default: the nämnd's own plans)."),
    fmt: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f", help="table, markdown, html or json."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of stdout."),
    threshold: float = ThresholdOption,
    no_pictures: bool = typer.Option(
        False, "--no-pictures", help="HTML: leave out the pictures of each changed goal and value as printed."
    ),
) -> None:
    """Show how the goals and indicators changed from one document to another."""
    by_year = _diff_refs(from_ref, to_ref, organisation, from_year, to_year)
    try:
        con = connect(db, read_only=True)
        if by_year:
            earlier, later = resolve_documents(con, organisation, from_year, to_year, unit)
            result = diff_documents(con, earlier, later, threshold=threshold)
        else:
            result = diff_documents(con, from_ref, to_ref, threshold=threshold)
        crops = diff_crops(con, result) if fmt is DiffFormat.html and not no_pictures else None
    except MalbildError as exc:
        raise _fail(exc) from exc
    for problem in crops.problems if crops else []:
        err_console.print(f"warning: {_safe(problem)}", highlight=False, markup=False)
    text = _diff_text(result, fmt, output is not None, crops)
    if text is not None and output is not None:
        _write(output, text)
        err_console.print(f"wrote {output}", highlight=False, markup=False)
    elif text is not None:
        sys.stdout.write(text)


SERIES_COLUMNS = ("series_id", "name", "organisation", "unit", "years", "indicators", "match")
POINT_COLUMNS = ("organisation", "year", "kind", "file", "measure", "raw", "value", "unit")
POINT_FIELDS = tuple(f.name for f in fields(SeriesPoint))


def _print_candidates(found: SeriesLookup, fmt: RowFormat) -> None:
    rows = [
        (c.series_id, c.name, c.organisation, c.unit, ", ".join(map(str, c.years)), c.indicators, c.match)
        for c in found.candidates
    ]
    title = f"{len(rows)} series match {found.query!r}"
    _emit_rows(SERIES_COLUMNS, rows, fmt, title, "several series match: give a series_id to show one")


def _print_points(found: SeriesLookup, fmt: RowFormat) -> None:
    points = found.points
    if fmt is not RowFormat.table:
        _emit_rows(POINT_FIELDS, [tuple(getattr(p, f) for f in POINT_FIELDS) for p in points], fmt)
        return
    rows = [
        (p.organisation, p.year, p.kind, Path(p.source_file).name, p.measure, p.raw, p.value, p.value_unit)
        for p in points
    ]
    other_names = sorted({p.name for p in points} - {points[-1].name})
    caption = f"series {points[0].series_id}" + (f"; also named {', '.join(other_names)}" if other_names else "")
    _emit_rows(POINT_COLUMNS, rows, fmt, points[-1].name, caption)


@app.command()
def series(
    name: str = typer.Argument(
        ..., metavar="NAME", help="Indicator name (or its start, or some of its words), or a series_id."
    ),
    db: Path = DbOption,
    organisation: str = typer.Option(None, "--organisation", help="Only this organisation (substring)."),
    measure: str = typer.Option(None, "--measure", help=f"Only this measure: {', '.join(MEASURES)}."),
    threshold: float = ThresholdOption,
    fmt: RowFormat = RowFormatOption,
    json_flag: bool = typer.Option(False, "--json", help="Print JSON rows (as --format json)."),
) -> None:
    """Print one indicator's values over the years; a name that matches several series lists them."""
    out = _row_format(fmt, json_flag=json_flag)
    if not name.strip():
        raise typer.BadParameter("give an indicator name or a series_id", param_hint="NAME")
    if measure is not None and measure not in MEASURES:
        raise typer.BadParameter(
            f"{measure!r} is not a measure: choose one of {', '.join(MEASURES)}", param_hint="'--measure'"
        )
    try:
        con = connect(db, read_only=True)
        found = lookup_series(con, name, organisation, measure, threshold)
    except MalbildError as exc:
        raise _fail(exc) from exc
    if not found.candidates:
        raise _error(f"no indicator named like {name!r}" + (f" in {organisation!r}" if organisation else ""))
    if len(found.candidates) == 1 and not found.points:
        only = found.candidates[0]
        raise _error(f"{only.name} (series {only.series_id}) has no {measure} values")
    (_print_points if found.points else _print_candidates)(found, out)


@app.command()
def export(
    out_dir: Path = typer.Argument(..., metavar="DIR", help="Folder to write into (created if missing)."),
    db: Path = DbOption,
    fmt: ExportFormat = typer.Option(ExportFormat.parquet, "--format", "-f", help="parquet or csv."),
) -> None:
    """Write every table and view to DIR (Parquet or CSV) with a schema.md data dictionary."""
    try:
        con = connect(db, read_only=True)
        paths = export_database(con, out_dir, fmt.value)
    except MalbildError as exc:
        raise _fail(exc) from exc
    console.print(f"wrote {len(paths) - 1} {fmt.value} files and schema.md to {out_dir}", highlight=False, markup=False)


# ---------------------------------------------------------------------------------------------- show

DOCUMENT_COLUMNS = ("document_id", "file", "kind", "year", "organisation", "unit", "pages")
GOAL_COLUMNS = (
    "goal_id",
    "parent_goal_id",
    "level",
    "number",
    "title",
    "assessment",
    "page",
    "indicators",
    "activities",
)


def _goal_tree_label(node: GoalNode) -> Text:
    goal = node.goal
    number = f"{goal.number} " if goal.number else ""
    label = Text.assemble((LEVEL_NAMES.get(goal.level, goal.level), "dim"), " ", (number + goal.title, "bold"))
    if goal.assessment:
        label.append(f" uppfylls {goal.assessment}", style="italic")
    label.append(f" {node.indicators} indicators, {node.activities} activities", style="cyan")
    return label


def _add_goal_nodes(tree: Tree, nodes: list[GoalNode]) -> None:
    for node in nodes:
        _add_goal_nodes(tree.add(_goal_tree_label(node)), node.children)


def _goal_rows(nodes: list[GoalNode]) -> list[tuple]:
    """The tree's goals in reading order as GOAL_COLUMNS rows."""
    rows: list[tuple] = []
    for node in nodes:
        g = node.goal
        rows.append(
            (
                g.goal_id,
                g.parent_goal_id,
                g.level,
                g.number,
                g.title,
                g.assessment,
                g.page,
                node.indicators,
                node.activities,
            )
        )
        rows += _goal_rows(node.children)
    return rows


def _print_tree(info: DocumentInfo, roots: list[GoalNode], loose: tuple[int, int]) -> None:
    facts = ", ".join(str(f) for f in (info.kind, info.year, info.organisation, info.unit) if f)
    tree = Tree(Text.assemble((document_label(info), "bold"), f" ({info.name}; {facts})"))
    _add_goal_nodes(tree, roots)
    if any(loose):
        tree.add(Text.assemble(("outside any goal", "dim"), (f" {loose[0]} indicators, {loose[1]} activities", "cyan")))
    _results().print(tree)


GOAL_PLACE_COLUMNS = ("goal_id", "level", "number", "title", "page", "x0", "top", "x1", "bottom", "page_end")


def _write_picture(con: DuckDBPyConnection, info: DocumentInfo, goal: GoalRow, image: Path) -> str:
    """Render the goal's heading as printed to image (PNG), after checking the PDF is the one ingested."""
    if goal.where is None:
        raise PdfError(f"goal {goal.goal_id}: its heading was not found in the PDF (no box), so there is no picture")
    source = verified_source(document_paths(con, info), info.sha256)
    picture = render_boxes(source, [goal.where])[0]
    try:
        picture.save(image, format="PNG")
    except (OSError, ValueError) as exc:
        raise PdfError(f"{image}: cannot write the picture ({exc})") from exc
    return f"wrote {image} ({picture.width}×{picture.height} px, page {goal.where.page} of {source.name})"


def _show_goal(db: Path, doc: str, ref: str, image: Path | None, out: RowFormat) -> None:
    try:
        con = connect(db, read_only=True)
        info = resolve_document(con, doc)
        goal = find_goal(con, info.document_id, ref)
        note = _write_picture(con, info, goal, image) if image is not None else None
    except MalbildError as exc:
        raise _fail(exc) from exc
    box = goal.where.columns() if goal.where else {}
    row = (goal.goal_id, goal.level, goal.number, goal.title, goal.page, *(box.get(c) for c in GOAL_PLACE_COLUMNS[5:]))
    _emit_rows(GOAL_PLACE_COLUMNS, [row], out, document_label(info), "box in points from the page's top-left")
    if note:
        err_console.print(note, highlight=False, markup=False)


@app.command()
def show(
    doc: str = typer.Argument(None, metavar="DOC", help="document_id or PDF file name; none: list documents."),
    db: Path = DbOption,
    fmt: RowFormat = typer.Option(None, "--format", "-f", help="table (a tree for DOC), tsv, csv or json."),
    goal: str = typer.Option(None, "--goal", help="One goal of DOC, by number (1.2) or goal_id: with page and box."),
    image: Path = typer.Option(None, "--image", help="With --goal: render its heading as printed to this PNG file."),
) -> None:
    """Print a document's goal tree with indicator and activity counts (no DOC: list the documents)."""
    out = _row_format(fmt)
    if image is not None and goal is None:
        raise typer.BadParameter("--image needs --goal", param_hint="'--image'")
    if goal is not None:
        if doc is None:
            raise typer.BadParameter("--goal needs DOC", param_hint="'--goal'")
        _show_goal(db, doc, goal, image, out)
        return
    try:
        con = connect(db, read_only=True)
        if doc is None:
            documents = list_documents(con)
        else:
            info = resolve_document(con, doc)
            roots = goal_tree(con, info.document_id)
            loose = unplaced_counts(con, info.document_id)
    except MalbildError as exc:
        raise _fail(exc) from exc
    if doc is None:
        rows = [(d.document_id, d.name, d.kind, d.year, d.organisation, d.unit, d.pages) for d in documents]
        _emit_rows(DOCUMENT_COLUMNS, rows, out, f"{len(documents)} documents")
    elif out is RowFormat.table:
        _print_tree(info, roots, loose)
    else:
        _emit_rows(GOAL_COLUMNS, _goal_rows(roots), out)


@app.command()
def link(db: Path = DbOption, threshold: float = ThresholdOption) -> None:
    """Recompute the goal and indicator links between documents of the same organisation and other years."""
    try:
        if not db.exists():
            raise StoreError(f"{db}: no such database (run `malbild ingest` first)")
        con = connect(db)
        pairs = document_pairs(con)
        written = update_links(con, None, threshold)
    except MalbildError as exc:
        raise _fail(exc) from exc
    console.print(f"{written} links between {len(pairs)} document pairs → {db}", highlight=False, markup=False)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
