"""Run the stages over many files: extract and parse in worker processes, store in this one."""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from malbild.extract.parse.document import parse_document
from malbild.extract.pdf import check_pdf_file, file_sha256, read_pdf
from malbild.load.db import DEFAULT_DB, connect
from malbild.load.store import known_hashes, store_document, store_failure
from malbild.load.validate import build_records
from malbild.schemas.errors import MalbildError, PdfError
from malbild.schemas.records import DocumentRecords, Failure

log = logging.getLogger(__name__)

NEEDS_OCR = "no text layer — needs OCR"


@dataclass
class FileResult:
    source_file: str
    sha256: str | None
    pages: int = 0
    seconds: float = 0.0
    records: DocumentRecords | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.records is not None


@dataclass
class StoredDocument:
    source_file: str
    document_id: str
    pages: int
    goals: int
    indicators: int
    activities: int
    warnings: int
    needs_ocr: bool = False


@dataclass
class IngestReport:
    stored: list[StoredDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)  # files that could not be stored
    warnings: list[Failure] = field(default_factory=list)  # records skipped inside stored files
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.stored)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Progress:
    """One finished file, for progress bars and logs."""

    done: int
    total: int
    source_file: str
    pages: int
    ok: bool
    message: str


ProgressCallback = Callable[[Progress], None]


def collect_pdfs(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Files as given, folders searched recursively for *.pdf; a path that does not exist is a failure."""
    files: list[Path] = []
    failures: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.exists():
            files.append(path)
        else:
            failures.append(Failure(source_file=str(path), stage="open", message=f"{path}: no such file"))
    unique = list(dict.fromkeys(files))
    return unique, failures


def process_file(path: str) -> FileResult:
    """Extract, parse and validate one file; every problem becomes a Failure, never an exception."""
    started = time.perf_counter()
    result = FileResult(source_file=path, sha256=None)
    stage = "open"
    try:
        pdf = read_pdf(path)
        result.sha256, result.pages = pdf.sha256, pdf.page_count
        stage = "parse"
        parsed = parse_document(pdf)
        stage = "validate"
        result.records = build_records(parsed, pdf, path)
        if pdf.needs_ocr:
            result.records = result.records.model_copy(
                update={
                    "failures": [
                        Failure(
                            source_file=path,
                            sha256=pdf.sha256,
                            stage="extract",
                            message=f"{path}: {NEEDS_OCR}",
                        )
                    ]
                }
            )
    except MalbildError as exc:
        result.failure = Failure(source_file=path, sha256=result.sha256, stage=exc.stage, message=str(exc))
    except Exception as exc:  # a bug, or input no check foresaw: report it for this file, go on
        log.debug("internal error on %s\n%s", path, traceback.format_exc())
        result.failure = Failure(
            source_file=path,
            sha256=result.sha256,
            stage=stage,
            message=f"{path}: internal error while {stage}: {type(exc).__name__}: {exc}",
        )
    result.seconds = time.perf_counter() - started
    return result


def _run(files: list[str], workers: int) -> Iterator[FileResult]:
    if workers <= 1 or len(files) <= 1:
        for path in files:
            yield process_file(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(process_file, path) for path in files]
        for future in as_completed(futures):
            yield future.result()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def ingest_paths(
    paths: Iterable[str | Path],
    db_path: str | Path = DEFAULT_DB,
    workers: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest PDFs into the database; files already stored (same sha256) are skipped unless force."""
    started = time.perf_counter()
    report = IngestReport()
    files, missing = collect_pdfs(paths)
    report.failures.extend(missing)
    con = connect(db_path)
    try:
        for failure in missing:
            store_failure(con, failure)
        known = set() if force else known_hashes(con)
        todo: list[str] = []
        for path in files:
            try:
                check_pdf_file(path)
                sha = file_sha256(path)
            except (PdfError, OSError) as exc:
                failure = Failure(source_file=str(path), stage="open", message=str(exc))
                report.failures.append(failure)
                store_failure(con, failure)
                continue
            if sha in known:
                report.skipped.append(str(path))
            else:
                todo.append(str(path))
        total = len(todo)
        for done, result in enumerate(_run(todo, workers or default_workers()), start=1):
            message = _store_result(con, result, report)
            if on_progress:
                on_progress(Progress(done, total, result.source_file, result.pages, result.ok, message))
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def _store_result(con, result: FileResult, report: IngestReport) -> str:
    if result.failure is not None or result.records is None:
        failure = result.failure or Failure(
            source_file=result.source_file, stage="unknown", message="no result"
        )
        report.failures.append(failure)
        store_failure(con, failure)
        return failure.message
    records = result.records
    try:
        store_document(con, records)
    except MalbildError as exc:
        failure = Failure(
            source_file=result.source_file, sha256=result.sha256, stage="load", message=str(exc)
        )
        report.failures.append(failure)
        store_failure(con, failure)
        return failure.message
    doc = records.document
    report.stored.append(
        StoredDocument(
            source_file=result.source_file,
            document_id=doc.document_id,
            pages=doc.pages,
            goals=len(records.goals),
            indicators=len(records.indicators),
            activities=len(records.activities),
            warnings=len(records.failures),
            needs_ocr=doc.needs_ocr,
        )
    )
    report.warnings.extend(records.failures)
    if doc.needs_ocr:
        report.failures.append(records.failures[0])
        return f"{result.source_file}: {NEEDS_OCR}"
    return f"{doc.pages} pages, {len(records.goals)} goals"
