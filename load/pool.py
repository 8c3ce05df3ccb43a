"""The local executor: a pool of worker processes that can stop any one call (too slow, too large) and go on.

Each worker runs one call at a time. The pool watches every running call: past its time limit, or when the
worker's resident memory passes the limit (read from /proc, so it counts what pdfium and pdfplumber really
use, unlike RLIMIT_AS, which counts reserved address space and makes pdfium abort), the worker is killed and
replaced. Workers come from a forkserver that has the stages' libraries and spaCy loaded once (shared
copy-on-write); they die with the parent (PR_SET_PDEATHSIG, and a pipe whose end only the parent holds).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .executor import Call, Done
from .worker import worker_main

# How often running calls are checked against their limits (seconds).
POLL_SECONDS = 0.1
# A worker that kept more than this share of its headroom (limit − memory at start) after a call is replaced.
RECYCLE_SHARE = 0.5
# Modules the forkserver imports before forking workers (the libraries and the spaCy pipelines).
PRELOAD = ["malbild.load.warm"]
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (Linux /proc), None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE_SIZE / 2**20
    except (OSError, ValueError, IndexError):
        return None


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass
class _Worker:
    process: Any
    conn: Connection
    call: Call | None = None
    started: float = 0.0
    baseline: float | None = None  # resident MB when it took its first call (the shared libraries)


class LocalExecutor:
    """Up to `workers` processes; memory_mb limits each worker's resident memory (None: no limit)."""

    def __init__(self, workers: int, memory_mb: float | None = None) -> None:
        self.size = max(1, workers)
        self.memory_mb = memory_mb
        self._ctx = _context()
        self._alive_r, self._alive_w = self._ctx.Pipe(duplex=False)
        self._spill = tempfile.mkdtemp(prefix="malbild-chunks-")
        self._queue: deque[Call] = deque()
        self._workers: list[_Worker] = []
        self._closed = False

    def submit(self, call: Call) -> None:
        self._queue.append(call)

    def _start(self) -> _Worker:
        mine, theirs = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker_main, args=(theirs, self._alive_r, self._spill), daemon=True, name="malbild-worker"
        )
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        self._workers.append(worker)
        return worker

    def _dispatch(self) -> None:
        while self._queue:
            idle = next((w for w in self._workers if w.call is None), None)
            if idle is None and len(self._workers) < self.size:
                idle = self._start()
            if idle is None:
                return
            call = self._queue.popleft()
            idle.call, idle.started = call, time.perf_counter()
            if idle.baseline is None:
                idle.baseline = resident_mb(idle.process.pid)
            # a worker that died while idle: wait() sees its sentinel and reports the call as crashed
            with contextlib.suppress(OSError, EOFError):
                idle.conn.send((call.key, call.fn, call.args, call.keep))

    def _kill(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(1.0)
        worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    def _receive(self, worker: _Worker) -> Done:
        call = worker.call
        assert call is not None
        try:
            status, key, value, seconds = worker.conn.recv()
        except (EOFError, OSError):
            return self._crashed(worker)
        worker.call = None
        if status == "ok":
            return Done(key, value, seconds=seconds)
        if status == "memory":
            return Done(key, stopped="too large", reason="out of memory", seconds=seconds)
        return Done(key, stopped="crashed", reason=f"worker error: {value.strip().splitlines()[-1]}", seconds=seconds)

    def _crashed(self, worker: _Worker) -> Done:
        call = worker.call
        assert call is not None
        seconds = time.perf_counter() - worker.started
        self._kill(worker)
        code = worker.process.exitcode
        reason = f"killed by signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        return Done(call.key, stopped="crashed", reason=f"the worker process died ({reason})", seconds=seconds)

    def _over_limit(self, worker: _Worker, now: float) -> Done | None:
        call = worker.call
        assert call is not None
        seconds = now - worker.started
        if seconds > call.limit:
            self._kill(worker)
            return Done(call.key, stopped="too slow", reason=f"over {call.limit:g} s", seconds=seconds)
        if self.memory_mb is not None and (rss := resident_mb(worker.process.pid)) and rss > self.memory_mb:
            self._kill(worker)
            return Done(call.key, stopped="too large", reason=f"over {self.memory_mb:g} MB", seconds=seconds)
        return None

    def _recycle(self, worker: _Worker) -> None:
        """Replace a worker that kept much of its memory after a call (Python rarely gives memory back)."""
        if self.memory_mb is None or worker.call is not None:
            return
        rss = resident_mb(worker.process.pid)
        base = worker.baseline or 0.0
        if rss is not None and rss > base + RECYCLE_SHARE * max(0.0, self.memory_mb - base):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            self._kill(worker)

    def wait(self, timeout: float) -> list[Done]:
        self._dispatch()
        busy = [w for w in self._workers if w.call is not None]
        if not busy:
            return []
        handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(handles, timeout=max(0.0, min(timeout, POLL_SECONDS))))
        finished: list[Done] = []
        now = time.perf_counter()
        for worker in busy:
            if worker.conn in ready:
                finished.append(self._receive(worker))
                self._recycle(worker)
            elif worker.process.sentinel in ready:
                finished.append(self._crashed(worker))
            elif (stopped := self._over_limit(worker, now)) is not None:
                finished.append(stopped)
        self._dispatch()
        return finished

    @property
    def pending(self) -> int:
        return len(self._queue) + sum(w.call is not None for w in self._workers)

    def cancel(self, keys: Iterable[int]) -> None:
        drop = set(keys)
        self._queue = deque(c for c in self._queue if c.key not in drop)
        for worker in [w for w in self._workers if w.call is not None and w.call.key in drop]:
            self._kill(worker)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        for worker in list(self._workers):  # SIGKILL: nothing of a worker's is worth waiting for
            self._kill(worker)
        self._alive_w.close()
        self._alive_r.close()
        shutil.rmtree(self._spill, ignore_errors=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
