"""Ingest the PDFs in other PDF projects' source distributions: nothing may hang, crash or print a traceback.

    python bench/real_world_pdfs.py [--cache DIR] [--timeout S] [--workers N]

Downloads the sdists of pdfplumber, pdfminer.six, pypdf, pikepdf, ocrmypdf, pypdfium2, img2pdf and pdftotext
with `pip download` (once, into the cache), extracts every *.pdf they hold, ingests them in one batch with a
per-file time limit, and prints the counts (stored / failed by reason / needs OCR / timed out / internal
errors / tracebacks) with the peak memory of the process tree and of any one process.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from treerss import TreeSampler

from malbild.load.ingest import ingest_paths
from malbild.load.tasks import NO_TEXT_LAYER

PACKAGES = ["pdfplumber", "pdfminer.six", "pypdf", "pikepdf", "ocrmypdf", "pypdfium2", "img2pdf", "pdftotext"]


def download(cache: Path) -> list[Path]:
    """Each package's sdist in the cache (downloaded when missing); a package pip cannot fetch is skipped."""
    cache.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        stem = re.sub(r"[-_.]+", "[-_.]", package)
        if any(re.match(stem, p.name, re.I) for p in cache.iterdir()):
            continue
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        done = subprocess.run([*cmd, "-d", str(cache), package], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{package}: pip download failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
    return sorted(p for p in cache.iterdir() if p.suffix in (".gz", ".zip") or p.name.endswith(".tar.gz"))


def extract_pdfs(archives: list[Path], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    found = []
    for archive in archives:
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as z:
                members = [(m, z.read(m)) for m in z.namelist() if m.lower().endswith(".pdf")]
        else:
            with tarfile.open(archive) as t:
                members = [
                    (m.name, t.extractfile(m).read())  # type: ignore[union-attr]
                    for m in t.getmembers()
                    if m.isfile() and m.name.lower().endswith(".pdf")
                ]
        for name, data in members:
            target = out / name.replace("/", "__")
            target.write_bytes(data)
            found.append(target)
    return found


def reason(message: str) -> str:
    """A failure's reason without the path and the library's details, for counting."""
    text = message.split(": ", 1)[-1]
    text = re.sub(r"page \d+", "page N", text)
    return re.sub(r"\s*\(.*", "", text)[:60]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "malbild-real-world")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    archives = download(args.cache / "sdists")
    pdfs = extract_pdfs(archives, args.cache / "pdfs")
    print(f"{len(archives)} sdists, {len(pdfs)} PDFs")
    db = args.cache / "bench.duckdb"
    for stale in args.cache.glob("bench.duckdb*"):
        stale.unlink()
    started = time.perf_counter()
    tracebacks = 0
    with TreeSampler() as memory:
        try:
            report = ingest_paths([args.cache / "pdfs"], db, workers=args.workers, timeout=args.timeout, strict=False)
        except Exception:
            traceback.print_exc()
            return 1
    seconds = time.perf_counter() - started
    failures = report.failures
    ocr = [f for f in failures if NO_TEXT_LAYER in f.message]
    slow = [f for f in failures if "too slow" in f.message]
    internal = [f for f in failures if "internal error" in f.message]
    print(
        f"stored {len(report.stored)} (+{len(report.duplicates)} duplicates), failed {len(failures)}: "
        f"needs OCR {len(ocr)}, timed out {len(slow)}, internal errors {len(internal)}, tracebacks {tracebacks}"
    )
    for why, n in Counter(reason(f.message) for f in failures).most_common():
        print(f"  {n:4d}  {why}")
    for f in internal:
        print(f"  internal: {Path(f.source_file).name}: {f.message.split(': ', 1)[-1][:150]}")
    kinds = Counter(w.kind for w in report.warnings)
    print(f"warnings on stored files: {dict(kinds)}")
    print(
        f"{seconds:.1f} s; peak RSS of one process {memory.peak_single:.0f} MB, of the tree "
        f"{memory.peak_rss_sum:.0f} MB (PSS {memory.peak_pss_sum:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
