"""The runner's limits, measured: memory of a long document, a huge table, reconnecting per document, Ctrl-C.

    python bench/limits.py [--pages 2000] [--skip-table]

1. A PAGES-page document (the corpus report's pages over and over): wall time and the peak resident memory
   of the whole process tree (sum of RSS, and of PSS, which splits shared pages), and of any one process.
2. A one-page PDF holding a 1000×60 ruled table: time and peak memory.
3. Storing: the cost of opening and closing the database for each document (what lets queries in during
   an ingest) against one connection for the batch, on the same records.
4. Ctrl-C: seconds from SIGINT to the ingest's exit, and its exit code.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest import long_pdf as repeated_pages
from treerss import TreeSampler

from malbild.extract.files import file_sha256
from malbild.extract.settings import ExtractSettings
from malbild.load.db import connect, writing
from malbild.load.ingest import ingest_paths
from malbild.load.store import store_document
from malbild.load.tasks import FileJob, whole_task

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdf"
REPORT = CORPUS / "socialnamnden-vb-2019.pdf"


def long_pdf(path: Path, pages: int) -> Path:
    repeated_pages([REPORT], path, pages)
    return path


def table_pdf(path: Path, rows: int = 1000, cols: int = 60) -> Path:
    from reportlab.pdfgen import canvas

    width, height = cols * 20 + 40, rows * 8 + 40
    c = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    c.setFont("Helvetica", 5)
    for r in range(rows + 1):
        c.line(20, height - 20 - r * 8, 20 + cols * 20, height - 20 - r * 8)
    for k in range(cols + 1):
        c.line(20 + k * 20, height - 20, 20 + k * 20, height - 20 - rows * 8)
    for r in range(rows):
        for k in range(cols):
            c.drawString(22 + k * 20, height - 26 - r * 8, f"{r}.{k}" if r else f"H{k}")
    c.showPage()
    c.save()
    return path


def measured_ingest(path: Path, db: Path) -> str:
    started = time.perf_counter()
    with TreeSampler() as memory:
        report = ingest_paths([path], db, workers=2)
    outcome = f"{len(report.stored)} stored" if report.ok else report.failures[0].message.split(": ", 1)[1]
    return (
        f"{time.perf_counter() - started:.1f} s, {outcome}; peak RSS tree {memory.peak_rss_sum:.0f} MB "
        f"(PSS {memory.peak_pss_sum:.0f} MB), one process {memory.peak_single:.0f} MB"
    )


def reconnect_cost(db: Path, documents: int = 40) -> str:
    path = CORPUS / "socialnamnden-vp-2017.pdf"
    job = FileJob(str(path), file_sha256(path), 18, ExtractSettings())
    outcome = whole_task(job)
    records = outcome.value
    kept = [
        records.model_copy(update={"document": records.document.model_copy(update={"source_file": f"f{n}.pdf"})})
        for n in range(documents)
    ]
    started = time.perf_counter()
    with writing(db) as con:
        for r in kept:
            store_document(con, r)
    once = time.perf_counter() - started
    started = time.perf_counter()
    for r in kept:
        with writing(db) as con:
            store_document(con, r)
    each = time.perf_counter() - started
    opened = time.perf_counter()
    connect(db).close()
    bare = time.perf_counter() - opened
    return (
        f"{1000 * once / documents:.1f} ms/document on one connection, {1000 * each / documents:.1f} ms/document "
        f"reconnecting (+{1000 * (each - once) / documents:.1f} ms; a bare open+close {1000 * bare:.1f} ms)"
    )


def ctrl_c(folder: Path, db: Path) -> str:
    run = subprocess.Popen(
        [sys.executable, "-m", "malbild.cli", "ingest", str(folder), "--db", str(db), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for line in run.stderr:  # type: ignore[union-attr]
        if " ok " in line:
            break
    pressed = time.perf_counter()
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate()
    return f"{time.perf_counter() - pressed:.2f} s to exit {run.returncode}: {err.strip().splitlines()[-1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--skip-table", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        print(f"{args.pages}-page document: {measured_ingest(long_pdf(t / 'long.pdf', args.pages), t / 'a.duckdb')}")
        if not args.skip_table:
            print(f"1000x60 ruled table: {measured_ingest(table_pdf(t / 'table.pdf'), t / 'b.duckdb')}")
        print(f"store: {reconnect_cost(t / 'c.duckdb')}")
        folder = t / "copies"
        folder.mkdir()
        for n in range(6):
            (folder / f"{n}.pdf").write_bytes(REPORT.read_bytes() + f"\n% copy {n}\n".encode())
        print(f"Ctrl-C: {ctrl_c(folder, t / 'd.duckdb')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
