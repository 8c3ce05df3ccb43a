"""The batch runner: find the PDFs, run each file's tasks on an executor, store each document as it is done.

Nothing of a PDF is read in this process: counting pages, reading, parsing, enriching and validating run as
tasks in worker processes (load/tasks.py), each under a time and memory limit, so a file that hangs, bloats
or crashes its reader fails alone. This process hashes files, stores one document per transaction (holding
the database only while it does) and brings the cross-year links up to date at the end.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..extract.files import inspect_pdf_file
from ..extract.settings import ExtractSettings
from ..schemas.errors import MalbildError
from ..schemas.records import Failure
from .db import DEFAULT_DB, writing
from .discover import collect_pdfs
from .executor import Executor, ExecutorKind
from .pool import LocalExecutor
from .report import IngestInterrupted, IngestReport, Progress, ProgressCallback, StoredDocument
from .runner import Batch, FileState
from .store import add_alias, known_hashes, known_paths, store_failure

log = logging.getLogger(__name__)

# Seconds one file may take over all its tasks, and MB of memory one worker may use.
DEFAULT_TIMEOUT = 600.0
DEFAULT_MEMORY_MB = 2048.0
# Environment variable that makes every ingest strict (the tests set it): bugs raise instead of failing a file.
STRICT_ENV = "MALBILD_STRICT"

# Called with a write connection and the ids of the documents whose links are stale (compare/'s link update).
AfterStore = Callable[[duckdb.DuckDBPyConnection, list[str]], object]

__all__ = [
    "DEFAULT_TIMEOUT",
    "IngestInterrupted",
    "IngestReport",
    "Progress",
    "ProgressCallback",
    "StoredDocument",
    "ingest_paths",
]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def strict_default() -> bool:
    return os.environ.get(STRICT_ENV, "").strip().lower() not in ("", "0", "false", "no")


@dataclass
class _Plan:
    files: list[FileState] = field(default_factory=list)
    refused: list[Failure] = field(default_factory=list)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (sha256, path, stored path)


def _inspect(paths: list[Path], settings: ExtractSettings) -> tuple[dict[str, FileState], list[Failure]]:
    """Check and hash each file; the same content under several names becomes one file with aliases."""
    by_sha: dict[str, FileState] = {}
    refused: list[Failure] = []
    for path in paths:
        try:
            facts = inspect_pdf_file(path)
        except MalbildError as exc:
            refused.append(Failure(source_file=str(path), stage="open", message=str(exc)))
            continue
        if facts.sha256 in by_sha:
            by_sha[facts.sha256].aliases.append(str(path))
        else:
            by_sha[facts.sha256] = FileState(str(path), facts.sha256, settings)
    return by_sha, refused


def _plan(paths: list[Path], con: duckdb.DuckDBPyConnection, force: bool, settings: ExtractSettings) -> _Plan:
    by_sha, refused = _inspect(paths, settings)
    plan = _Plan(refused=refused)
    stored = {} if force else known_hashes(con)
    seen = known_paths(con)
    for sha, state in by_sha.items():
        if sha not in stored:
            plan.files.append(state)
            continue
        for path in [state.path, *state.aliases]:
            if (sha, path) not in seen:
                plan.aliases.append((sha, path, stored[sha]))
            else:
                plan.aliases.append((sha, path, path))
    return plan


def _record_plan(con: duckdb.DuckDBPyConnection, plan: _Plan, report: IngestReport) -> None:
    for failure in plan.refused:
        report.failures.append(failure)
        store_failure(con, failure)
    for sha, path, stored_path in plan.aliases:
        if path == stored_path:
            report.skipped.append(path)
        else:
            add_alias(con, sha, path)
            report.duplicates.append((path, stored_path))


def _stale_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT document_id FROM stale_links ORDER BY document_id").fetchall()]


def update_stale_links(db_path: str | Path, after_store: AfterStore | None) -> int:
    """Recompute the links of every document marked stale (by this batch, or by one that was killed)."""
    if after_store is None:
        return 0
    with writing(db_path) as con:
        ids = _stale_ids(con)
        if ids:
            after_store(con, ids)
    return len(ids)


def _check_executor(executor: Executor | ExecutorKind | None) -> None:
    """Fail before anything is created when the executor asked for cannot be had (its extra not installed)."""
    if executor == "ray":
        from .ray_executor import import_ray

        import_ray()


def _start_executor(
    executor: Executor | ExecutorKind | None, workers: int | None, memory_mb: float | None, address: str | None
) -> Executor:
    if executor == "ray":
        from .ray_executor import RayExecutor  # the optional extra: imported only when asked for

        return RayExecutor(address, workers or (None if address else default_workers()), memory_mb)
    if executor is None or executor == "local":
        return LocalExecutor(workers or default_workers(), memory_mb)
    return executor


def ingest_paths(
    paths: Iterable[str | Path],
    db_path: str | Path = DEFAULT_DB,
    workers: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    after_store: AfterStore | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: float | None = DEFAULT_MEMORY_MB,
    settings: ExtractSettings | None = None,
    strict: bool | None = None,
    executor: Executor | ExecutorKind | None = None,
    address: str | None = None,
) -> IngestReport:
    """Ingest PDFs into the database; content already stored (same sha256) is skipped unless force.

    A path that does not exist raises NoSuchPath before anything is created; with no PDF found the
    report says found == 0 and no database is made. Ctrl-C raises IngestInterrupted with the report so far.
    executor: an Executor, or "local" (the default: worker processes here) or "ray" (Ray tasks: a local Ray
    sized to workers, or the cluster at address, "auto" or "ray://HOST:PORT").
    """
    started = time.perf_counter()
    report = IngestReport()
    found = collect_pdfs(paths)
    report.found = len(found.files) + len(found.refused)
    if not report.found:
        return report
    _check_executor(executor)
    settings = settings or ExtractSettings()
    with writing(db_path) as con:
        plan = _plan(found.files, con, force, settings)
        plan.refused[:0] = found.refused
        _record_plan(con, plan, report)
    try:
        if plan.files:
            run = _start_executor(executor, workers, memory_mb, address)
            batch = Batch(run, db_path, report, timeout, strict_default() if strict is None else strict, on_progress)
            try:
                batch.run(plan.files)
            finally:
                run.close()
        report.links_updated = update_stale_links(db_path, after_store)
    except KeyboardInterrupt as exc:
        report.seconds = time.perf_counter() - started
        raise IngestInterrupted(report) from exc
    report.seconds = time.perf_counter() - started
    return report
