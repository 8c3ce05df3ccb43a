"""Benchmark the ingest, as ratios against baselines measured in the same run.

    python bench/ingest.py [FOLDER] [--workers N] [--scale PAGES] [--executor ray]

1. pdfplumber alone (extract_text + extract_tables on every page) vs the full malbild ingest
   (extract, parse, validate, store) with 1 worker: pages/s and their ratio.
2. The ingest with N workers (default: all cores) vs 1 worker: the speed-up.
3. A no-op re-ingest of the already ingested folder: seconds.
4. With --scale P: a batch of about P pages made by copying the PDFs with different bytes (a
   changed trailing comment, so every copy has its own sha256), ingested in a child process
   whose peak RSS is measured; time per page at 10 % of the batch vs the whole batch.
5. With --executor ray: the ingest on a local Ray of N CPUs (start-up included) vs the local executor.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from malbild.extract.pdf import count_pages
from malbild.load.ingest import collect_pdfs, default_workers, ingest_paths


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


def timed_ingest(folder: Path, db: Path, workers: int, executor: str = "local") -> tuple[int, float]:
    started = time.perf_counter()
    report = ingest_paths([folder], db, workers=workers, executor=executor)
    seconds = time.perf_counter() - started
    if report.failures:
        print(f"warning: {len(report.failures)} files failed", file=sys.stderr)
    return report.pages, seconds


def make_batch(files: list[Path], out: Path, target_pages: int) -> int:
    """Copies of the PDFs, each with different bytes, until the batch holds target_pages pages."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {f: count_pages(f) for f in files}
    pages, copy = 0, 0
    while pages < target_pages:
        for f in files:
            data = f.read_bytes() + f"\n% malbild bench copy {copy}\n".encode()
            (out / f"{f.stem}-copy{copy:04d}.pdf").write_bytes(data)
            pages += counts[f]
        copy += 1
    return pages


def child_ingest(folder: Path, db: Path, workers: int) -> tuple[int, float, float]:
    """Ingest in a fresh process: (pages, seconds, peak RSS MB of it and its workers)."""
    code = (
        "import resource, sys, time\n"
        "from malbild.load.ingest import ingest_paths\n"
        "t = time.perf_counter()\n"
        f"r = ingest_paths([{str(folder)!r}], {str(db)!r}, workers={workers})\n"
        "s = time.perf_counter() - t\n"
        "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024\n"
        "print(r.pages, s, peak)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="data/raw", type=Path)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--scale", type=int, default=0, help="pages in the scale run (0: skip it)")
    parser.add_argument("--executor", choices=["local", "ray"], default="local", help="ray: also time Ray")
    args = parser.parse_args()
    files = collect_pdfs([args.folder]).files
    if not files:
        print(f"no PDFs under {args.folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base_pages, base_seconds = bare_pdfplumber(files)
        pages, one = timed_ingest(args.folder, tmp_path / "one.duckdb", 1)
        _, many = timed_ingest(args.folder, tmp_path / "many.duckdb", args.workers)
        started = time.perf_counter()
        again = ingest_paths([args.folder], tmp_path / "many.duckdb", workers=args.workers)
        noop = time.perf_counter() - started
        assert not again.stored, "the re-ingest stored something"
        base_rate, rate1, rate_n = base_pages / base_seconds, pages / one, pages / many
        print(f"{len(files)} files, {pages} pages")
        print(f"pdfplumber text+tables: {base_rate:.1f} pages/s")
        print(f"malbild ingest, 1 worker: {rate1:.1f} pages/s (ratio to pdfplumber {rate1 / base_rate:.2f})")
        print(
            f"malbild ingest, {args.workers} workers: {rate_n:.1f} pages/s (speed-up over 1 worker {one / many:.2f}x)"
        )
        print(f"no-op re-ingest of the same folder: {noop:.3f} s ({len(again.skipped)} files skipped)")
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process: {self_rss:.0f} MB")
        if args.executor == "ray":
            _, on_ray = timed_ingest(args.folder, tmp_path / "ray.duckdb", args.workers, "ray")
            print(
                f"malbild ingest on Ray, {args.workers} CPUs (start-up included): {pages / on_ray:.1f} pages/s "
                f"(wall time {on_ray / many:.2f}x the local executor's)"
            )
        if args.scale:
            batch = tmp_path / "batch"
            small = tmp_path / "small"
            total = make_batch(files, batch, args.scale)
            make_batch(files, small, max(1, args.scale // 10))
            small_pages, small_seconds, _ = child_ingest(small, tmp_path / "small.duckdb", args.workers)
            big_pages, big_seconds, peak = child_ingest(batch, tmp_path / "batch.duckdb", args.workers)
            per_small = 1000 * small_seconds / small_pages
            per_big = 1000 * big_seconds / big_pages
            print(
                f"scale: {small_pages} pages {per_small:.1f} ms/page; {big_pages} pages {per_big:.1f} ms/page "
                f"(ratio {per_big / per_small:.3f}); peak RSS {peak:.0f} MB; batch made of {total} pages"
            )
            shutil.rmtree(batch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
