"""Benchmark: malbild's ingest against a bare pdfplumber pass over the same PDFs, in one process.

    python bench/ingest.py [FOLDER] [--workers N] [--repeat K]

Reports pages/second of (a) pdfplumber alone (extract_text + extract_tables on every page) and
(b) the full malbild ingest (extract, parse, validate, store) into a fresh database, and their
ratio. Both run here, one after the other, so the ratio is comparable across machines.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from malbild.load.ingest import collect_pdfs, ingest_paths


def bare_pdfplumber(files: list[Path]) -> tuple[int, float]:
    started = time.perf_counter()
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return pages, time.perf_counter() - started


def malbild_ingest(folder: Path, workers: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = ingest_paths([folder], Path(tmp) / "bench.duckdb", workers=workers)
        seconds = time.perf_counter() - started
    if report.failures:
        print(f"warning: {len(report.failures)} files failed", file=sys.stderr)
    return report.pages, seconds


def peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, children_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="data/raw", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files, _ = collect_pdfs([args.folder])
    if not files:
        print(f"no PDFs under {args.folder}", file=sys.stderr)
        return 2
    for run in range(1, args.repeat + 1):
        base_pages, base_seconds = bare_pdfplumber(files)
        pages, seconds = malbild_ingest(args.folder, args.workers)
        base_rate = base_pages / base_seconds
        rate = pages / seconds
        print(
            f"run {run}: {len(files)} files, {pages} pages | pdfplumber text+tables: {base_rate:.1f} pages/s | "
            f"malbild ingest (workers={args.workers}): {rate:.1f} pages/s | ratio malbild/pdfplumber: "
            f"{rate / base_rate:.2f} | peak RSS {peak_rss_mb():.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
