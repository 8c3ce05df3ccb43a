"""One batch on an executor: each file's tasks submitted in turn, each outcome stored as soon as it is in.

A file goes: count its pages → read them (one task for a short file; page chunks spread over the workers
for a long one, then a task that parses them) → store. Whatever stops a file (bad input, a limit, a crash)
fails that file alone; in strict mode an exception that is not bad input is raised here instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..extract.settings import ExtractSettings
from ..schemas.errors import StoreError
from ..schemas.records import DocumentRecords, Failure
from ..schemas.terms import Stage
from .db import writing
from .executor import Call, Done, Executor
from .report import IngestReport, Progress, ProgressCallback, ProgressKind, StoredDocument
from .store import store_document, store_failure
from .tasks import Crash, FileJob, Outcome, count_task, finish_task, read_task, whole_task

# Pages one worker task reads: small enough to spread one long document over all cores.
CHUNK_PAGES = 8
# Seconds a store waits for a database another process (a query) holds.
STORE_WAIT = 60.0

Step = Literal["count", "read", "whole", "finish"]
STEP_STAGE: dict[Step, Stage] = {"count": "open", "read": "extract", "whole": "extract", "finish": "parse"}
STEP_WORDS: dict[Step, str] = {
    "count": "counting pages",
    "read": "reading pages",
    "whole": "reading and parsing",
    "finish": "parsing",
}


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as its cause."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


@dataclass
class FileState:
    """One file of the batch (with the other paths its content was given under) and how far it got."""

    path: str
    sha256: str
    settings: ExtractSettings
    aliases: list[str] = field(default_factory=list)
    pages: int = 0  # the page count it declares, once counted
    pages_reported: int = 0  # pages counted as done in the progress
    busy: float = 0.0  # seconds its finished tasks ran
    calls: set[int] = field(default_factory=set)  # its tasks queued or running
    chunks: list[Any] = field(default_factory=list)  # kept results of its page chunks, in page order
    done: bool = False

    def job(self) -> FileJob:
        return FileJob(self.path, self.sha256, self.pages, self.settings)


@dataclass(frozen=True)
class _Pending:
    file: FileState
    step: Step
    chunk: int = 0


def raise_crash(crash: Crash) -> None:
    raise crash.exception() from RemoteTraceback(crash.traceback)


class Batch:
    def __init__(
        self,
        executor: Executor,
        db_path: str | Path,
        report: IngestReport,
        timeout: float,
        strict: bool,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.executor = executor
        self.db_path = db_path
        self.report = report
        self.timeout = timeout
        self.strict = strict
        self.on_progress = on_progress
        self._pending: dict[int, _Pending] = {}
        self._keys = 0
        self._files: list[FileState] = []
        self._uncounted = 0
        self._done = 0
        self._pages_done = 0
        self._pages_total = 0

    def run(self, files: list[FileState]) -> None:
        self._files = files
        self._uncounted = len(files)
        for file in files:
            self._submit(file, "count", count_task, (file.path, file.settings))
        while self._pending:
            for done in self.executor.wait(0.5):
                self._on_done(done)

    def _submit(self, file: FileState, step: Step, fn: Any, args: tuple, chunk: int = 0, keep: bool = False) -> None:
        key = self._keys
        self._keys += 1
        self._pending[key] = _Pending(file, step, chunk)
        file.calls.add(key)
        self.executor.submit(Call(key, fn, args, max(1.0, self.timeout - file.busy), keep))

    def _on_done(self, done: Done) -> None:
        pending = self._pending.pop(done.key, None)
        if pending is None:
            return
        file = pending.file
        file.calls.discard(done.key)
        file.busy += done.seconds
        if file.done:
            return
        # a call stopped as too slow had what the file had left of its own limit: the file's limit is the reason
        if done.stopped == "too slow" or (done.stopped is None and file.busy > self.timeout):
            self._stopped(file, pending.step, "too slow", f"over {self.timeout:g} s")
        elif done.stopped is not None:
            self._stopped(file, pending.step, done.stopped, done.reason)
        elif pending.step == "count":
            self._counted(file, done.value)
        elif pending.step == "read":
            self._chunk_read(file, pending.chunk, done.value)
        else:
            self._finished(file, pending.step, done.value)

    def _counted(self, file: FileState, outcome: Outcome) -> None:
        self._uncounted -= 1
        if outcome.ok:
            file.pages = int(outcome.value)
            self._pages_total += file.pages
        if self._uncounted == 0:
            self._emit(self._event("", 0, True, "counted", "counted"))
        if not outcome.ok:
            self._outcome_failed(file, "count", outcome)
        elif file.pages <= CHUNK_PAGES:
            self._submit(file, "whole", whole_task, (file.job(),))
        else:
            starts = range(0, file.pages, CHUNK_PAGES)
            file.chunks = [None] * len(starts)
            for index, start in enumerate(starts):
                stop = None if index == len(starts) - 1 else start + CHUNK_PAGES
                self._submit(file, "read", read_task, (file.path, start, stop, file.settings), index, keep=True)

    def _chunk_read(self, file: FileState, index: int, kept: Any) -> None:
        file.chunks[index] = kept
        pages = min(CHUNK_PAGES, file.pages - index * CHUNK_PAGES)
        self._advance(file, pages)
        self._emit(self._event(file.path, pages, True, "", "pages"))
        if all(chunk is not None for chunk in file.chunks):
            self._submit(file, "finish", finish_task, (file.job(), *file.chunks))

    def _finished(self, file: FileState, step: Step, outcome: Outcome) -> None:
        if outcome.ok:
            self._store(file, outcome.value)
        else:
            self._outcome_failed(file, step, outcome)

    def _event(self, file: str, pages: int, ok: bool, message: str, kind: ProgressKind = "file") -> Progress:
        total = len(self._files)
        return Progress(self._done, total, file, pages, ok, message, self._pages_done, self._pages_total, kind)

    def _advance(self, file: FileState, pages: int) -> None:
        pages = max(0, min(pages, file.pages - file.pages_reported))
        file.pages_reported += pages
        self._pages_done += pages

    def _emit(self, event: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(event)

    def _file_done(self, file: FileState, ok: bool, message: str) -> None:
        file.done = True
        file.chunks = []
        if file.calls:
            self.executor.cancel(list(file.calls))
            for key in file.calls:
                self._pending.pop(key, None)
            file.calls.clear()
        self._done += 1
        self._advance(file, file.pages)
        self._emit(self._event(file.path, file.pages, ok, message))

    def _fail(self, file: FileState, failure: Failure) -> None:
        failure = failure.model_copy(update={"sha256": file.sha256})
        with writing(self.db_path, wait=STORE_WAIT) as con:
            store_failure(con, failure)
        self.report.failures.append(failure)
        self._file_done(file, False, failure.message)

    def _stopped(self, file: FileState, step: Step, stopped: str, reason: str) -> None:
        message = f"{file.path}: {stopped} ({reason}, while {STEP_WORDS[step]})"
        self._fail(file, Failure(source_file=file.path, stage=STEP_STAGE[step], message=message))

    def _outcome_failed(self, file: FileState, step: Step, outcome: Outcome) -> None:
        if outcome.failure is not None:
            self._fail(file, outcome.failure)
            return
        crash = outcome.crash
        assert crash is not None
        if self.strict:
            raise_crash(crash)
        message = f"{file.path}: internal error while {STEP_WORDS[step]} ({crash.stage}): {crash.summary}"
        self._fail(file, Failure(source_file=file.path, stage=crash.stage, message=message, detail=crash.traceback))

    def _store(self, file: FileState, records: DocumentRecords) -> None:
        try:
            with writing(self.db_path, wait=STORE_WAIT) as con:
                store_document(con, records, file.aliases)
        except StoreError as exc:
            self._fail(file, Failure(source_file=file.path, stage="load", message=str(exc)))
            return
        doc = records.document
        self.report.stored.append(
            StoredDocument(
                file.path,
                doc.document_id,
                doc.pages,
                len(records.goals),
                len(records.indicators),
                len(records.activities),
                len(records.failures),
            )
        )
        self.report.warnings.extend(records.failures)
        self.report.duplicates.extend((alias, file.path) for alias in file.aliases)
        self._file_done(file, True, f"{doc.pages} pages, {len(records.goals)} goals, {len(records.failures)} warnings")
