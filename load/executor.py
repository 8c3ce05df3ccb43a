"""The seam between the batch runner and whatever runs its tasks: local worker processes, or a Ray cluster.

The runner submits Calls (a module-level function and its arguments, with a time limit) and collects each
one's Done as it finishes, in any order. A Call marked `keep` leaves its result with the executor: its Done
carries a reference that a later Call takes as an argument (a file's page chunks go to the task that parses
them without passing through the runner). An executor stops a call that runs past its limit or uses more
memory than allowed, and reports it; it never raises for what a call did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..schemas.errors import MalbildError

# Why an executor stopped a call: past its time limit, past the memory limit, or its process died.
Stop = Literal["too slow", "too large", "crashed"]
# The executors `ingest --executor` names: worker processes on this machine (load/pool.py), or Ray tasks
# (load/ray_executor.py, the `ray` extra, imported only when asked for).
ExecutorKind = Literal["local", "ray"]


class ExecutorUnavailable(MalbildError):
    """The executor asked for cannot run here: its extra is not installed, or its cluster cannot be reached."""


@dataclass(frozen=True)
class Call:
    key: int  # the runner's id for the call, unique within a batch
    fn: Callable[..., Any]  # a module-level function (it travels by name to another process)
    args: tuple[Any, ...]
    limit: float  # seconds the call may run
    keep: bool = False  # keep the result with the executor: Done.value is a reference for a later Call's args


@dataclass(frozen=True)
class Done:
    key: int
    value: Any = None  # fn's return value (a reference when the Call was kept); None when stopped
    stopped: Stop | None = None
    reason: str = ""  # for a stopped call, the details (limit, signal)
    seconds: float = 0.0  # how long the call ran


class Executor(Protocol):
    def submit(self, call: Call) -> None:
        """Queue a call; it runs when a worker is free."""

    def wait(self, timeout: float) -> list[Done]:
        """The calls that finished (or were stopped) within timeout seconds, possibly none."""

    def cancel(self, keys: Iterable[int]) -> None:
        """Drop these calls: unqueue them, or stop them if running; no Done will come for them."""

    def close(self) -> None:
        """Stop every call and worker now and free kept results (also on Ctrl-C: must return within a second)."""
