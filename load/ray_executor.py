"""The Ray executor: each Call runs as a Ray task, on a local Ray or a cluster; kept results stay in Ray's object store.

Imported only for `--executor ray` (the `ray` extra). The runner, the tasks and the store are those of the local
executor; only where a call runs differs. A task whose worker dies (killed, a node lost) is run again by Ray
(max_retries), so a file is stored once whatever happened to its tasks; what a call raises is not retried (the
task functions never raise: an exception here is the executor's own failure, reported as the file's).

At most two calls per CPU of the cluster (or per --workers) are in flight: one running, one queued in Ray, so
a CPU does not wait while the driver stores a document. Ray does not say when a task starts: a call's time
limit counts from when it is among the oldest calls in flight, one per CPU (Ray runs them in about the order
given); past it the task is cancelled (its worker killed). A worker's first call includes its start-up.

Memory: each task watches its worker's resident memory and stops the call past the limit (the file fails "too
large", as locally); a node short of memory is Ray's to handle (its memory monitor kills a task: too large).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .executor import Call, Done, ExecutorUnavailable
from .pool import resident_mb

RAY_EXTRA = "ray"
# Times Ray runs a task again whose worker process died (a node lost, the OOM killer, a kill -9).
MAX_RETRIES = 3
POLL_SECONDS = 0.1
# Calls in flight per CPU: one running and one waiting in Ray's queue.
IN_FLIGHT_PER_CPU = 2
# How often the cluster's CPU count is read again (a cluster that scales up takes more calls at once).
RESIZE_SECONDS = 10.0
# Test hook only (tests/test_ray.py): MALBILD_TEST_KILL_ONCE=FUNCTION:PATH makes the first task of FUNCTION
# (e.g. read_task) to create the file PATH kill its worker (os._exit), so Ray's retry can be seen. Unset in
# production, where it costs one environment lookup per task.
KILL_ONCE_ENV = "MALBILD_TEST_KILL_ONCE"


def import_ray() -> Any:
    """The ray module, or ExecutorUnavailable naming the extra to install (never a traceback)."""
    try:
        import ray
    except ImportError as exc:
        raise ExecutorUnavailable(
            f"--executor ray needs Ray: pip install 'malbild[{RAY_EXTRA}]' (or -e '.[{RAY_EXTRA}]'); {exc}"
        ) from exc
    return ray


def _kill_once_hook(fn: Any) -> None:
    name, _, marker = os.environ.get(KILL_ONCE_ENV, "").partition(":")
    if not marker or getattr(fn, "__name__", None) != name:
        return
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, f"{getattr(fn, '__name__', fn)} pid {os.getpid()}\n".encode())
    os.close(fd)
    os._exit(1)


class OverMemory(BaseException):
    """Raised in a call whose worker passed the memory limit: a BaseException, so the tasks' guards let it by."""


@contextlib.contextmanager
def _memory_guard(limit_mb: float | None) -> Iterator[None]:
    """Raise OverMemory in this thread once the process's resident memory passes limit_mb (None: no guard).

    Raised asynchronously (as Ray's own cancel raises KeyboardInterrupt), it lands as soon as the call runs
    Python code again; the call's objects are then freed, and the worker goes on to its next task.
    """
    if limit_mb is None:
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    stop = threading.Event()

    def watch() -> None:
        while True:
            rss = resident_mb(os.getpid())
            if rss is not None and rss > limit_mb:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(OverMemory))
                return
            if stop.wait(POLL_SECONDS):
                return

    watcher = threading.Thread(target=watch, name="malbild-memory-guard", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        # an exception set but not yet raised must not hit this worker's next task
        ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


def run_call(fn: Any, memory_mb: float | None, *args: Any) -> tuple[float, Any]:
    """The body of every Ray task: (seconds, fn(*args)). Kept results are Ray object refs, resolved by Ray."""
    _kill_once_hook(fn)
    started = time.perf_counter()
    try:
        with _memory_guard(memory_mb):
            value = fn(*args)
    except OverMemory:
        return time.perf_counter() - started, OverMemory
    return time.perf_counter() - started, value


@dataclass
class _Running:
    call: Call
    value: Any  # the object ref of the call's result
    submitted: float
    started: float | None = None  # when it is taken to run: once among the oldest calls, one per CPU

    def seconds(self, now: float) -> float:
        return now - (self.started if self.started is not None else self.submitted)


def _address_options(address: str | None, workers: int | None) -> dict[str, Any]:
    if address is None:  # a local Ray, sized to the machine or to --workers
        return {"num_cpus": workers}
    return {"address": address}


class RayExecutor:
    """Calls as Ray tasks; starts a local Ray (address None) or joins a cluster ("auto", "ray://HOST:PORT")."""

    def __init__(self, address: str | None = None, workers: int | None = None, memory_mb: float | None = None) -> None:
        self._ray = ray = import_ray()
        self._owned = False
        if not ray.is_initialized():
            self._init(address, workers)
        self.memory_mb = memory_mb
        self.workers = workers
        self._task = ray.remote(run_call).options(num_returns=2, max_retries=MAX_RETRIES, retry_exceptions=False)
        self._queue: deque[Call] = deque()
        self._running: dict[Any, _Running] = {}  # by the ref of the task's seconds (small: what ray.wait watches)
        self._slots = self._cluster_slots()
        self._sized = time.monotonic()
        self._closed = False

    def _init(self, address: str | None, workers: int | None) -> None:
        ray_logger = logging.getLogger("ray")
        level = ray_logger.level
        ray_logger.setLevel(logging.ERROR)  # Ray's start-up notes are not the ingest's output
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the client's "connection timed out" too: the error says it
                self._ray.init(
                    **_address_options(address, workers),
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.ERROR,
                )
        except Exception as exc:  # a cluster that cannot be reached, a port in use: one line, not a traceback
            message = " ".join(str(exc).split())[:300]
            raise ExecutorUnavailable(f"could not start or join Ray ({address or 'local'}): {message}") from exc
        finally:
            ray_logger.setLevel(level)
        self._owned = True

    def _cluster_slots(self) -> int:
        cpus = int(self._ray.cluster_resources().get("CPU", 1))
        return IN_FLIGHT_PER_CPU * max(1, min(cpus, self.workers) if self.workers else cpus)

    def submit(self, call: Call) -> None:
        self._queue.append(call)

    def _dispatch(self) -> None:
        if time.monotonic() - self._sized > RESIZE_SECONDS:
            self._slots, self._sized = self._cluster_slots(), time.monotonic()
        while self._queue and len(self._running) < self._slots:
            call = self._queue.popleft()
            seconds, value = self._task.remote(call.fn, self.memory_mb, *call.args)
            self._running[seconds] = _Running(call, value, time.perf_counter())
        self._start_clocks(time.perf_counter())

    def _start_clocks(self, now: float) -> None:
        """Ray runs the calls in about the order given: the oldest, one per CPU, run; the rest wait."""
        for running in list(self._running.values())[: self._slots // IN_FLIGHT_PER_CPU]:
            if running.started is None:
                running.started = now

    def _collect(self, ref: Any) -> Done:
        running = self._running.pop(ref)
        call = running.call
        elapsed = running.seconds(time.perf_counter())
        ray = self._ray
        try:
            seconds = ray.get(ref)
            value = running.value if call.keep else ray.get(running.value)
        except ray.exceptions.OutOfMemoryError as exc:
            return Done(call.key, stopped="too large", reason=_first_line(exc), seconds=elapsed)
        except ray.exceptions.RayTaskError as exc:
            return Done(call.key, stopped="crashed", reason=f"worker error: {_last_line(exc)}", seconds=elapsed)
        except ray.exceptions.RayError as exc:  # the worker or its node died more often than max_retries
            return Done(call.key, stopped="crashed", reason=f"the Ray task died ({_first_line(exc)})", seconds=elapsed)
        if value is OverMemory:
            return Done(call.key, stopped="too large", reason=f"over {self.memory_mb:g} MB", seconds=seconds)
        return Done(call.key, value, seconds=seconds)

    def _over_limit(self, now: float) -> list[Done]:
        late = [(ref, r) for ref, r in self._running.items() if r.started is not None and r.seconds(now) > r.call.limit]
        stopped = []
        for ref, running in late:
            del self._running[ref]
            with contextlib.suppress(Exception):
                self._ray.cancel(running.value, force=True)
            limit = running.call.limit
            stopped.append(
                Done(running.call.key, stopped="too slow", reason=f"over {limit:g} s", seconds=running.seconds(now))
            )
        return stopped

    def wait(self, timeout: float) -> list[Done]:
        self._dispatch()
        if not self._running:
            return []
        refs = list(self._running)
        ready, rest = self._ray.wait(refs, num_returns=1, timeout=max(0.0, min(timeout, POLL_SECONDS)))
        if ready and rest:  # whatever else finished meanwhile
            more, _ = self._ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        finished = [self._collect(ref) for ref in ready]
        self._start_clocks(time.perf_counter())
        finished += self._over_limit(time.perf_counter())
        self._dispatch()
        return finished

    @property
    def pending(self) -> int:
        return len(self._queue) + len(self._running)

    def cancel(self, keys: Iterable[int]) -> None:
        drop = set(keys)
        self._queue = deque(c for c in self._queue if c.key not in drop)
        for ref, running in [(ref, r) for ref, r in self._running.items() if r.call.key in drop]:
            del self._running[ref]
            with contextlib.suppress(Exception):
                self._ray.cancel(running.value, force=True)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        for running in self._running.values():
            with contextlib.suppress(Exception):
                self._ray.cancel(running.value, force=True)
        self._running.clear()
        if self._owned:
            self._ray.shutdown()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0][:200] if lines else type(exc).__name__


def _last_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1][:200] if lines else type(exc).__name__
