"""The work for one file, run by an executor's worker: count its pages, read page chunks, parse, enrich, validate.

A task never raises. Bad input (a MalbildError) becomes the file's Failure naming the stage; any other
exception becomes a Crash, which the runner reports as a failure of that file or, in strict mode, raises:
a bug must not hide among bad files.
"""

from __future__ import annotations

import logging
import pickle
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from ..extract.model import Page, PdfDocument
from ..extract.parse.document import parse_document
from ..extract.pdf import assemble_document, count_pages, read_raw_pages
from ..extract.settings import ExtractSettings
from ..normalize.enrich import enrich
from ..schemas.build import build_records
from ..schemas.errors import MalbildError, PdfError
from ..schemas.records import DocumentRecords, Failure
from ..schemas.terms import Stage, WarningKind

NO_TEXT_LAYER = "no text layer (scanned? OCR it first)"
NO_GOAL_STRUCTURE = "no goal structure found (no goals, indicators or activities)"
MAX_MESSAGE = 300
# Library warnings kept per task, and the libraries whose warnings are about the file.
MAX_NOTES = 20
PDF_LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")


@dataclass(frozen=True)
class FileJob:
    """One file to read: what every task of it needs."""

    path: str
    sha256: str
    pages: int  # the page count the file declares
    settings: ExtractSettings


@dataclass(frozen=True)
class Crash:
    """An exception that is not bad input: a bug, or input that no check foresaw."""

    stage: Stage
    summary: str  # "TypeError: …", one line
    traceback: str
    pickled: bytes | None  # the exception itself, to raise again in strict mode

    def exception(self) -> BaseException:
        if self.pickled is not None:
            try:
                exc = pickle.loads(self.pickled)
                if isinstance(exc, BaseException):
                    return exc
            except Exception:
                pass
        return RuntimeError(self.summary)


@dataclass(frozen=True)
class Outcome:
    """What a task gives back: its value, or the Failure (bad input) or Crash (anything else) that stopped it."""

    value: Any = None
    failure: Failure | None = None
    crash: Crash | None = None
    notes: tuple[str, ...] = ()  # warnings the libraries logged while the task ran (damage read past)

    @property
    def ok(self) -> bool:
        return self.failure is None and self.crash is None


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Whitespace collapsed, control characters escaped (text from a file must not drive a terminal), cut."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pickled(exc: BaseException) -> bytes | None:
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return data
    except Exception:
        return None


class _Stage:
    """The stage a task is in, for the failure it may end with."""

    def __init__(self, stage: Stage) -> None:
        self.now: Stage = stage


class _Notes(logging.Handler):
    """Collects what the PDF libraries log while a task runs: it becomes the document's warnings, not noise."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.found) < MAX_NOTES:
            self.found[one_line(record.getMessage(), 200)] = None


@contextmanager
def _library_notes() -> Iterator[_Notes]:
    notes = _Notes()
    loggers = [logging.getLogger(name) for name in PDF_LIBRARIES]
    before = [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.addHandler(notes)
        logger.propagate = False
    try:
        yield notes
    finally:
        for logger, propagate in zip(loggers, before, strict=True):
            logger.removeHandler(notes)
            logger.propagate = propagate


def _guarded(stage: _Stage, path: str, sha256: str | None, fn: Any, *args: Any) -> Outcome:
    with _library_notes() as notes:
        outcome = _call(stage, path, sha256, fn, *args)
    return replace(outcome, notes=tuple(notes.found)) if notes.found else outcome


def _call(stage: _Stage, path: str, sha256: str | None, fn: Any, *args: Any) -> Outcome:
    try:
        return Outcome(value=fn(*args))
    except MalbildError as exc:
        message = one_line(str(exc))
        detail = "".join(traceback.format_exception(exc))
        return Outcome(
            failure=Failure(source_file=path, sha256=sha256, stage=stage.now, message=message, detail=detail)
        )
    except MemoryError:
        message = f"{path}: too large (out of memory while {stage.now})"
        return Outcome(failure=Failure(source_file=path, sha256=sha256, stage=stage.now, message=message))
    except Exception as exc:
        summary = one_line(f"{type(exc).__name__}: {exc}", 200)
        return Outcome(crash=Crash(stage.now, summary, "".join(traceback.format_exception(exc)), _pickled(exc)))


def count_task(path: str, settings: ExtractSettings) -> Outcome:
    """The number of pages the file declares (cheap: no page is read)."""
    return _guarded(_Stage("open"), path, None, count_pages, path, settings)


def read_task(path: str, start: int, stop: int | None, settings: ExtractSettings) -> Outcome:
    """Pages start..stop-1 (0-based), furniture not yet stripped."""
    return _guarded(_Stage("extract"), path, None, read_raw_pages, path, start, stop, settings)


def _warning(job: FileJob, kind: WarningKind | None, message: str, stage: Stage = "extract") -> Failure:
    return Failure(
        source_file=job.path,
        sha256=job.sha256,
        stage=stage,
        message=one_line(message),
        severity="warning",
        kind=kind,
    )


def reader_warnings(job: FileJob, pdf: PdfDocument) -> list[Failure]:
    """The readers' own warnings (another reader used, pages missing), and pages read ≠ pages declared."""
    found = [_warning(job, note.kind, note.message) for note in pdf.warnings]
    if pdf.page_count != job.pages and not any(f.kind == "page_count_mismatch" for f in found):
        message = f"{job.path}: the file declares {job.pages} pages but {pdf.page_count} were read"
        found.append(_warning(job, "page_count_mismatch", message))
    return found


def _records(job: FileJob, pages: list[Page], stage: _Stage, notes: tuple[str, ...]) -> DocumentRecords:
    stage.now = "extract"
    pdf = assemble_document(job.path, job.sha256, pages, job.settings)
    if not pdf.has_text:
        raise PdfError(f"{job.path}: {NO_TEXT_LAYER}")
    stage.now = "parse"
    parsed = parse_document(pdf, job.settings)
    stage.now = "validate"
    records = build_records(enrich(parsed), pdf, job.path)
    warnings = reader_warnings(job, pdf)
    warnings += [_warning(job, "damaged_file", f"{job.path}: the reader read past damage: {note}") for note in notes]
    if not (records.goals or records.indicators or records.activities):
        warnings.append(_warning(job, "no_goal_structure", f"{job.path}: {NO_GOAL_STRUCTURE}", "parse"))
    return records.model_copy(update={"failures": [*warnings, *records.failures]}) if warnings else records


def finish_task(job: FileJob, *chunks: Outcome) -> Outcome:
    """The file's records from its page chunks (each an Outcome of read_task); the first bad chunk fails it."""
    for chunk in chunks:
        if chunk.failure is not None:
            return Outcome(failure=chunk.failure.model_copy(update={"sha256": job.sha256}))
        if chunk.crash is not None:
            return chunk
    pages = [page for chunk in chunks for page in chunk.value]
    notes = tuple(dict.fromkeys(note for chunk in chunks for note in chunk.notes))
    stage = _Stage("extract")
    return _guarded(stage, job.path, job.sha256, _records, job, pages, stage, notes)


def whole_task(job: FileJob) -> Outcome:
    """Read every page of the file and build its records, in one task (a short file)."""
    return finish_task(job, read_task(job.path, 0, None, job.settings))
