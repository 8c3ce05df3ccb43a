"""Sample the resident memory of a process tree (Linux /proc): the peak of the sum, and of any one process."""

from __future__ import annotations

import os
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(root: int) -> list[int]:
    kids, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(kids.get(pid, []))
    return found


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages split among the processes that share them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeSampler:
    """A thread that samples the tree under `root` every `every` seconds until stopped."""

    def __init__(self, root: int | None = None, every: float = 0.05) -> None:
        self.root = root or os.getpid()
        self.every = every
        self.peak_rss_sum = self.peak_pss_sum = self.peak_single = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.root)
            rss = [rss_mb(p) for p in pids]
            self.peak_rss_sum = max(self.peak_rss_sum, sum(rss))
            self.peak_single = max(self.peak_single, max(rss, default=0.0))
            self.peak_pss_sum = max(self.peak_pss_sum, sum(pss_mb(p) for p in pids))
            time.sleep(self.every)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
