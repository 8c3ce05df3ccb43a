"""The malbild command line: each command parses options, calls one library function, renders."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape as escape_markup
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

from .compare.diff import GoalDiff, diff_documents, to_contract_json
from .compare.links import document_pairs, update_links
from .compare.report import diff_to_html, diff_to_markdown, document_label, goal_label
from .compare.series import find_indicator_series
from .extract.parse.vocab import LEVEL_NAMES
from .load.db import DEFAULT_DB, connect
from .load.export import export_database
from .load.ingest import IngestReport, ingest_paths
from .load.ingest import Progress as FileProgress
from .load.queries import (
    GoalNode,
    goal_tree,
    list_documents,
    resolve_document,
    resolve_documents,
    unplaced_counts,
)
from .normalize.match import DEFAULT_THRESHOLD
from .schemas.errors import MalbildError, StoreError

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
    err_console.print(f"[red]error:[/red] {escape_markup(str(exc))}", highlight=False)
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


class _ProgressBar:
    """A rich progress bar over pages, with the files done and the rate, for an interactive terminal."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.fields[files]} files"),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TextColumn("{task.fields[rate]}"),
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
            total=event.pages_total,
            completed=event.pages_done,
            rate=f"{event.pages_done / elapsed:.1f} pages/s" if elapsed else "",
            files=f"{event.done}/{event.total}",
            description=Path(event.source_file).name,
        )


def _progress_lines(event: FileProgress) -> None:
    state = "ok" if event.ok else "FAILED"
    err_console.print(f"[{event.done}/{event.total}] {state} {event.source_file}: {event.message}", markup=False)


def _print_report(report: IngestReport, db: Path, quiet: bool, as_json: bool) -> None:
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
            markup=False,
        )
    for failure in report.failures:
        err_console.print(f"[red]failed[/red] ({failure.stage}) {escape_markup(failure.message)}", highlight=False)


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
    try:
        if console.is_terminal and not quiet and not as_json:
            progress = _ProgressBar()
            with progress.bar:
                report = ingest_paths(paths, db, workers or None, force, progress, update_links)
        else:
            lines = None if quiet or as_json else _progress_lines
            report = ingest_paths(paths, db, workers or None, force, lines, update_links)
    except MalbildError as exc:
        raise _fail(exc) from exc
    _print_report(report, db, quiet, as_json)
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


def _diff_tables(result: GoalDiff) -> list[Table]:
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items())
    goals = Table(title=f"{document_label(result.from_doc)} → {document_label(result.to_doc)}", caption=counts)
    for column in ("status", "level", "from", "to", "sim"):
        goals.add_column(column, justify="right" if column == "sim" else "left")
    for change in result.changes:
        old = goal_label(change.from_goal) if change.from_goal else ""
        if change.words:
            new = Text()
            for word in change.words:
                style = {"delete": "red strike", "insert": "green bold"}.get(word.op, "")
                new.append(word.text + " ", style=style)
            if change.to_goal and change.to_goal.number:
                new = Text(change.to_goal.number + " ") + new
        else:
            new = Text(goal_label(change.to_goal)) if change.to_goal else Text("")
        sim = f"{change.similarity:.0f}" if change.status in ("reworded", "moved") else ""
        goals.add_row(change.status, change.level, old, new, sim)
    tables = [goals]
    if result.indicator_changes:
        counts = ", ".join(f"{n} {status}" for status, n in result.indicator_counts().items())
        inds = Table(title="Indicator changes", caption=counts)
        for column in ("status", "indicator", "measure", "from", "to"):
            inds.add_column(column)
        for c in result.indicator_changes:
            inds.add_row(c.status, c.name, c.measure or "", c.from_raw or "", c.to_raw or "")
        tables.append(inds)
    return tables


@app.command()
def diff(
    from_ref: str = typer.Argument(None, metavar="FROM", help="Earlier document: document_id or PDF file name."),
    to_ref: str = typer.Argument(None, metavar="TO", help="Later document: document_id or PDF file name."),
    db: Path = DbOption,
    organisation: str = typer.Option(None, "--organisation", help="Pick the documents by organisation and years."),
    from_year: int = typer.Option(None, "--from-year"),
    to_year: int = typer.Option(None, "--to-year"),
    unit: str = typer.Option(None, "--unit", help="Enhet, with --organisation (default: the nämnd's own plans)."),
    fmt: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f", help="table, markdown, html or json."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of stdout."),
    threshold: float = ThresholdOption,
) -> None:
    """Show how the goals and indicators changed from one document to another."""
    by_year = organisation is not None or from_year is not None or to_year is not None
    if by_year and (from_ref or to_ref):
        raise typer.BadParameter("give FROM and TO, or --organisation with --from-year and --to-year, not both")
    if by_year and (organisation is None or from_year is None or to_year is None):
        raise typer.BadParameter("--organisation needs --from-year and --to-year")
    if not by_year and not (from_ref and to_ref):
        raise typer.BadParameter("give FROM and TO, or --organisation with --from-year and --to-year")
    try:
        con = connect(db, read_only=True)
        if by_year:
            earlier, later = resolve_documents(con, organisation, from_year, to_year, unit)
            result = diff_documents(con, earlier, later, threshold=threshold)
        else:
            result = diff_documents(con, from_ref, to_ref, threshold=threshold)
    except MalbildError as exc:
        raise _fail(exc) from exc
    if fmt is DiffFormat.table:
        out = Console(file=output.open("w", encoding="utf-8"), width=160) if output else console
        for table in _diff_tables(result):
            out.print(table)
        if output:
            out.file.close()
        return
    if fmt is DiffFormat.json:
        text = json.dumps(to_contract_json(result), ensure_ascii=False, indent=1) + "\n"
    else:
        text = diff_to_markdown(result) if fmt is DiffFormat.markdown else diff_to_html(result)
    if output:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}", highlight=False)
    else:
        sys.stdout.write(text)


@app.command()
def series(
    name: str = typer.Argument(..., help="Indicator name (matched on its normalized form)."),
    db: Path = DbOption,
    organisation: str = typer.Option(None, "--organisation", help="Only this organisation (substring)."),
    measure: str = typer.Option(None, "--measure", help="Only this measure, e.g. outcome or annual_target."),
    threshold: float = ThresholdOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
) -> None:
    """Print one indicator's values over the years (linked across documents)."""
    try:
        con = connect(db, read_only=True)
        points = find_indicator_series(con, name, organisation, measure, threshold)
    except MalbildError as exc:
        raise _fail(exc) from exc
    if not points:
        err_console.print(f"[red]error:[/red] no indicator named like {name!r}", highlight=False)
        raise typer.Exit(1)
    if as_json:
        print(json.dumps([p.__dict__ for p in points], ensure_ascii=False, indent=1))
        return
    several_names = len({p.name for p in points}) > 1
    table = Table(title=points[0].name, caption=f"{len({p.series_id for p in points})} series")
    columns = ["organisation", "year", "kind", "file", "measure", "raw", "value", "unit"]
    for column in [*columns, *(["name"] if several_names else [])]:
        table.add_column(column, justify="right" if column in ("year", "value") else "left")
    for p in points:
        row = [
            p.organisation or "",
            "" if p.year is None else str(p.year),
            p.kind,
            Path(p.source_file).name,
            p.measure,
            p.raw,
            "" if p.value is None else f"{p.value:g}",
            p.value_unit or "",
        ]
        table.add_row(*row, *([p.name] if several_names else []))
    console.print(table)


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
    console.print(f"wrote {len(paths) - 1} {fmt.value} files and schema.md to {out_dir}", highlight=False)


def _goal_tree_label(node: GoalNode) -> str:
    goal = node.goal
    number = f"{goal.number} " if goal.number else ""
    assessment = f" [italic]uppfylls {goal.assessment}[/italic]" if goal.assessment else ""
    return (
        f"[dim]{LEVEL_NAMES.get(goal.level, goal.level)}[/dim] [bold]{escape_markup(number + goal.title)}[/bold]"
        f"{assessment} [cyan]{node.indicators} indicators, {node.activities} activities[/cyan]"
    )


def _add_goal_nodes(tree: Tree, nodes: list[GoalNode]) -> None:
    for node in nodes:
        _add_goal_nodes(tree.add(_goal_tree_label(node)), node.children)


@app.command()
def show(
    doc: str = typer.Argument(None, metavar="DOC", help="document_id or PDF file name; none: list documents."),
    db: Path = DbOption,
) -> None:
    """Print a document's goal tree with indicator and activity counts (no DOC: list the documents)."""
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
        table = Table(title=f"{len(documents)} documents")
        for column in ("document_id", "file", "kind", "year", "organisation", "unit", "pages"):
            table.add_column(column)
        for d in documents:
            year = "" if d.year is None else str(d.year)
            table.add_row(d.document_id, d.name, d.kind, year, d.organisation or "", d.unit or "", str(d.pages))
        console.print(table)
        return
    facts = ", ".join(str(f) for f in (info.kind, info.year, info.organisation, info.unit) if f)
    tree = Tree(f"[bold]{escape_markup(document_label(info))}[/bold] ({escape_markup(info.name)}; {facts})")
    _add_goal_nodes(tree, roots)
    if any(loose):
        tree.add(f"[dim]outside any goal[/dim] [cyan]{loose[0]} indicators, {loose[1]} activities[/cyan]")
    console.print(tree)


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
    console.print(f"{written} links between {len(pairs)} document pairs → {db}", highlight=False)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
