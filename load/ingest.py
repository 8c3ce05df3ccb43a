"""Run the stages over many files: extract and parse in worker processes, store in this one."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..extract.model import Page
from ..extract.parse.document import parse_document
from ..extract.pdf import assemble_document, check_pdf_file, count_pages, file_sha256, read_raw_pages
from ..normalize.enrich import enrich
from ..schemas.build import build_records
from ..schemas.errors import MalbildError, PdfError
from ..schemas.records import DocumentRecords, Failure
from ..schemas.terms import Stage
from .db import DEFAULT_DB, connect
from .store import known_hashes, store_document, store_failure

log = logging.getLogger(__name__)

NEEDS_OCR = "no text layer — needs OCR"
# Pages one worker task reads: small enough to spread one long document over all cores.
CHUNK_PAGES = 8


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
    pages_done: int = 0
    pages_total: int = 0


ProgressCallback = Callable[[Progress], None]
# Called with the connection and the ids of the documents just stored (compare/'s link update, from the CLI).
AfterStore = Callable[[duckdb.DuckDBPyConnection, list[str]], object]


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


def finish_file(path: str, sha256: str, raw_pages: list[Page], started: float) -> FileResult:
    """Assemble, parse and validate one file's pages; every problem becomes a Failure, never an exception."""
    result = FileResult(source_file=path, sha256=sha256, pages=len(raw_pages))
    stage: Stage = "extract"
    try:
        pdf = assemble_document(path, sha256, raw_pages)
        stage = "parse"
        parsed = parse_document(pdf)
        stage = "validate"
        result.records = build_records(enrich(parsed), pdf, path)
        if pdf.needs_ocr:
            ocr = Failure(source_file=path, sha256=sha256, stage="extract", message=f"{path}: {NEEDS_OCR}")
            result.records = result.records.model_copy(update={"failures": [ocr]})
    except MalbildError as exc:
        result.failure = Failure(source_file=path, sha256=sha256, stage=exc.stage, message=str(exc))
    except Exception as exc:  # a bug, or input no check foresaw: report it for this file, go on
        log.debug("internal error on %s\n%s", path, traceback.format_exc())
        result.failure = Failure(
            source_file=path,
            sha256=sha256,
            stage=stage,
            message=f"{path}: internal error while {stage}: {type(exc).__name__}: {exc}",
        )
    result.seconds = time.perf_counter() - started
    return result


def read_chunk(path: str, start: int, stop: int) -> list[Page] | Failure:
    """Worker task: pages start..stop-1 of one file, or the Failure that stopped them."""
    try:
        return read_raw_pages(path, start, stop)
    except MalbildError as exc:
        return Failure(source_file=path, stage=exc.stage, message=str(exc))
    except Exception as exc:
        log.debug("internal error on %s\n%s", path, traceback.format_exc())
        return Failure(
            source_file=path,
            stage="extract",
            message=f"{path}: internal error while extracting: {type(exc).__name__}: {exc}",
        )


@dataclass
class _Job:
    """One file to ingest: its pages are read in chunks, possibly by several workers at once."""

    path: str
    sha256: str
    page_count: int
    started: float = 0.0
    chunks_left: int = 0
    pages: list[Page] = field(default_factory=list)
    failure: Failure | None = None

    def chunks(self) -> list[tuple[int, int]]:
        return [(start, min(start + CHUNK_PAGES, self.page_count)) for start in range(0, self.page_count, CHUNK_PAGES)]

    def result(self) -> FileResult:
        if self.failure is not None:
            failure = self.failure.model_copy(update={"sha256": self.sha256})
            return FileResult(self.path, self.sha256, failure=failure, seconds=time.perf_counter() - self.started)
        return finish_file(self.path, self.sha256, self.pages, self.started)


def _run(jobs: list[_Job], workers: int) -> Iterator[FileResult]:
    """Read every job's pages (in chunks over worker processes) and yield each file's result when complete."""
    if workers <= 1 or sum(len(job.chunks()) for job in jobs) <= 1:
        for job in jobs:
            job.started = time.perf_counter()
            pages = read_chunk(job.path, 0, job.page_count)
            if isinstance(pages, Failure):
                job.failure = pages
            else:
                job.pages = pages
            yield job.result()
        return
    # forkserver: workers never inherit the parent's loaded spaCy pipeline (forking it can crash in gc)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        futures = {}
        for job in jobs:
            job.started = time.perf_counter()
            job.chunks_left = len(job.chunks())
            for start, stop in job.chunks():
                futures[pool.submit(read_chunk, job.path, start, stop)] = job
        for future in as_completed(futures):
            job = futures.pop(future)
            chunk = future.result()
            if isinstance(chunk, Failure):
                job.failure = job.failure or chunk
            else:
                job.pages.extend(chunk)
            job.chunks_left -= 1
            if job.chunks_left == 0:
                yield job.result()
                job.pages = []


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _plan(path: Path, known: set[str]) -> _Job | Failure | None:
    """A job for a file to ingest, None when its content is already stored, or the Failure opening it."""
    try:
        check_pdf_file(path)
        sha = file_sha256(path)
    except (PdfError, OSError) as exc:
        return Failure(source_file=str(path), stage="open", message=str(exc))
    if sha in known:
        return None
    try:
        return _Job(str(path), sha, count_pages(path))
    except MalbildError as exc:
        return Failure(source_file=str(path), sha256=sha, stage=exc.stage, message=str(exc))


def ingest_paths(
    paths: Iterable[str | Path],
    db_path: str | Path = DEFAULT_DB,
    workers: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    after_store: AfterStore | None = None,
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
        jobs: list[_Job] = []
        for path in files:
            planned = _plan(path, known)
            if planned is None:
                report.skipped.append(str(path))
            elif isinstance(planned, Failure):
                report.failures.append(planned)
                store_failure(con, planned)
            else:
                jobs.append(planned)
        page_counts = {job.path: job.page_count for job in jobs}
        total_pages = sum(page_counts.values())
        pages_done = 0
        for done, result in enumerate(_run(jobs, workers or default_workers()), start=1):
            message = _store_result(con, result, report)
            pages_done += result.pages or page_counts[result.source_file]
            if on_progress:
                on_progress(
                    Progress(
                        done, len(jobs), result.source_file, result.pages, result.ok, message, pages_done, total_pages
                    )
                )
        if report.stored and after_store is not None:
            after_store(con, [doc.document_id for doc in report.stored])
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def _store_result(con: duckdb.DuckDBPyConnection, result: FileResult, report: IngestReport) -> str:
    if result.failure is not None or result.records is None:
        failure = result.failure or Failure(source_file=result.source_file, stage="unknown", message="no result")
        report.failures.append(failure)
        store_failure(con, failure)
        return failure.message
    records = result.records
    try:
        store_document(con, records)
    except MalbildError as exc:
        failure = Failure(source_file=result.source_file, sha256=result.sha256, stage="load", message=str(exc))
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
