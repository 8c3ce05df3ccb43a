"""A local worker process: runs one call at a time for the pool, and never outlives the process that started it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Kept:
    """A kept result, spilled to a file in the pool's folder until a later call takes it as an argument."""

    path: str


def die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def watch_parent(alive: Connection) -> None:
    """Portable fallback: a thread that ends the process once the parent's end of the alive pipe closes."""

    def watch() -> None:
        with contextlib.suppress(OSError, EOFError):
            alive.poll(None)  # nothing is ever sent: this returns at EOF, when the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="malbild-parent-watch", daemon=True).start()


def _resolve(arg: Any) -> Any:
    if isinstance(arg, Kept):
        with open(arg.path, "rb") as fh:
            value = pickle.load(fh)
        os.unlink(arg.path)
        return value
    return arg


def _run(key: int, fn: Any, args: tuple, keep: bool, spill: Path) -> tuple:
    started = time.perf_counter()
    try:
        value = fn(*(_resolve(a) for a in args))
        if keep:
            path = spill / f"{key}.pickle"
            with open(path, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            value = Kept(str(path))
        return ("ok", key, value, time.perf_counter() - started)
    except MemoryError:
        return ("memory", key, None, time.perf_counter() - started)
    except Exception:  # the task functions catch their own errors: this is the pool's own failure, report it
        return ("error", key, traceback.format_exc(), time.perf_counter() - started)


def worker_main(conn: Connection, alive: Connection, spill: str) -> None:
    """Serve calls until the pool sends None or goes away; Ctrl-C is the parent's to handle."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(alive)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, fn, args, keep = message
        reply = _run(key, fn, args, keep, Path(spill))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            conn.send(("error", reply[1], traceback.format_exc(), reply[3]))
        except (BrokenPipeError, OSError):
            return
