"""Benchmark the ingest, as ratios against baselines measured in the same run (the machine may be loaded).

    python bench/ingest.py [FOLDER] [--workers N] [--reader pdfium|pdfplumber] [--scale PAGES] [--executor ray]
                           [--browser-pages N] [--noop-files N]

Prints, in one run:
1. pages/s of a bare pdfplumber pass (extract_words + lines + rects per page), of a bare pypdfium2 text pass
   (the floor), and of the full malbild ingest (extract, parse, validate, store) at 1 worker and at N workers
   (default: all cores), with their ratios; peak RSS of the whole process tree of the 1-worker ingest.
2. The same ratio on a browser-printed PDF (thousands of tiny vector objects per page, tests/browserlike.py).
3. A no-op re-ingest of --noop-files stored files: seconds.
4. With --scale P: one long PDF of about P pages (the folder's pages repeated) and one of P/20 pages, each
   ingested in a fresh process: time per page and peak RSS of each, and their ratio (flat: about 1).
Every ingest runs in a fresh child process (spaCy loads and workers start as they would for a user).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browserlike import browser_like  # noqa: E402
from treerss import TreeSampler  # noqa: E402

from malbild.load.ingest import collect_pdfs, default_workers  # noqa: E402

CHILD = """
import json, sys, time
from malbild.extract.settings import ExtractSettings
from malbild.load.ingest import ingest_paths
if __name__ == "__main__":
    folder, db, workers, reader = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    executor = sys.argv[5] if len(sys.argv) > 5 else "local"
    t = time.perf_counter()
    r = ingest_paths([folder], db, workers=workers, settings=ExtractSettings(reader=reader), executor=executor)
    print(json.dumps({"pages": r.pages, "seconds": time.perf_counter() - t, "stored": len(r.stored),
                      "skipped": len(r.skipped), "failed": len(r.failures)}))
"""


def bare_pdfplumber(files: list[Path]) -> tuple[int, float]:
    started, pages = time.perf_counter(), 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words(x_tolerance=1.5, keep_blank_chars=False, extra_attrs=["fontname", "size"])
                _ = page.lines, page.rects
                page.close()
                pages += 1
    return pages, time.perf_counter() - started


def bare_pdfium(files: list[Path]) -> tuple[int, float]:
    started, pages = time.perf_counter(), 0
    for path in files:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            text.get_text_range()
            text.close()
            page.close()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - started


def child_ingest(folder: Path, db: Path, workers: int, reader: str, script: Path, executor: str = "local") -> dict:
    """Ingest in a fresh process; adds the peak RSS (MB) of its whole process tree."""
    argv = [sys.executable, str(script), str(folder), str(db), str(workers), reader, executor]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"the ingest of {folder} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["rss"] = sampler.peak_rss_sum
    return result


def long_pdf(files: list[Path], target: Path, pages: int) -> int:
    """One PDF of about `pages` pages: the files' pages repeated (pdfium copies them)."""
    out = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(f) for f in files]
    while len(out) < pages:
        for src in sources:
            if len(out) >= pages:
                break
            count = min(len(src), pages - len(out))
            pdfium_c.FPDF_ImportPages(out.raw, src.raw, f"1-{count}".encode(), len(out))
    out.save(target)
    total = len(out)
    out.close()
    for src in sources:
        src.close()
    return total


def tiny_pdfs(folder: Path, count: int) -> None:
    """`count` one-page PDFs with different text (so different sha256), for the no-op re-ingest."""
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        c = canvas.Canvas(str(folder / f"tiny-{n:04d}.pdf"), invariant=1)
        c.drawString(72, 760, f"Verksamhetsplan {2000 + n % 30} nummer {n}")
        c.drawString(72, 740, "Mål 1: Stockholm är en stad för alla")
        c.save()


def rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("inf")


def main_ratios(files: list[Path], folder: Path, tmp: Path, args: argparse.Namespace, script: Path) -> None:
    base_pages, base_s = bare_pdfplumber(files)
    floor_pages, floor_s = bare_pdfium(files)
    one = child_ingest(folder, tmp / "one.duckdb", 1, args.reader, script)
    many = child_ingest(folder, tmp / "many.duckdb", args.workers, args.reader, script)
    base, floor = rate(base_pages, base_s), rate(floor_pages, floor_s)
    r1, rn = rate(one["pages"], one["seconds"]), rate(many["pages"], many["seconds"])
    print(f"{len(files)} files, {one['pages']} pages, reader {args.reader}")
    print(f"bare pdfplumber (words + lines + rects): {base:8.1f} pages/s  ({1000 / base:.1f} ms/page)")
    print(f"bare pypdfium2 text pass (the floor):    {floor:8.1f} pages/s  ({1000 / floor:.1f} ms/page)")
    print(f"malbild ingest, 1 worker:                {r1:8.1f} pages/s  ({1000 / r1:.1f} ms/page)")
    print(f"malbild ingest, {args.workers} workers:               {rn:8.1f} pages/s  ({1000 / rn:.1f} ms/page)")
    print(f"ratio ingest(1 worker) / bare pdfplumber: {r1 / base:.2f}x   (target >= 5)")
    print(f"ratio ingest(1 worker) / pypdfium2 floor: {r1 / floor:.3f}")
    print(f"speed-up {args.workers} workers over 1: {rn / r1:.2f}x   (target >= 1.8 with 2 workers)")
    print(f"peak RSS, process tree, 1 worker: {one['rss']:.0f} MB; {args.workers} workers: {many['rss']:.0f} MB")
    if args.executor == "ray":
        ray = child_ingest(folder, tmp / "ray.duckdb", args.workers, args.reader, script, "ray")
        print(
            f"ray executor, {args.workers} CPUs (start-up included): {ray['seconds']:.1f} s"
            f" vs local {many['seconds']:.1f} s"
            f" = {ray['seconds'] / many['seconds']:.2f}x the wall time (target <= 1.5)"
        )


def browser_ratio(files: list[Path], tmp: Path, args: argparse.Namespace, script: Path) -> None:
    folder = tmp / "browser"
    folder.mkdir()
    source = max(files, key=lambda f: f.stat().st_size)
    count = long_pdf([source], tmp / "browser-source.pdf", args.browser_pages)
    browser_like(tmp / "browser-source.pdf", folder / "browser.pdf", per_page=args.browser_objects)
    base_pages, base_s = bare_pdfplumber(sorted(folder.glob("*.pdf")))
    run = child_ingest(folder, tmp / "browser.duckdb", 1, args.reader, script)
    base, r1 = rate(base_pages, base_s), rate(run["pages"], run["seconds"])
    print(
        f"browser-like PDF ({count} pages x {args.browser_objects} tiny paths): bare pdfplumber {base:.2f} pages/s, "
        f"ingest 1 worker {r1:.1f} pages/s, ratio {r1 / base:.1f}x (target >= 5); peak RSS {run['rss']:.0f} MB"
    )


def noop(tmp: Path, args: argparse.Namespace, script: Path) -> None:
    folder = tmp / "tiny"
    tiny_pdfs(folder, args.noop_files)
    db = tmp / "tiny.duckdb"
    child_ingest(folder, db, args.workers, args.reader, script)
    code = (
        "import sys, time\nfrom malbild.load.ingest import ingest_paths\n"
        "if __name__ == '__main__':\n    t = time.perf_counter()\n"
        f"    r = ingest_paths([{str(folder)!r}], {str(db)!r}, workers={args.workers})\n"
        "    print(time.perf_counter() - t, len(r.stored), len(r.skipped))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    print(
        f"no-op re-ingest of {args.noop_files} stored files: {float(out[0]):.3f} s "
        f"({out[2]} skipped, {out[1]} stored; target < 1 s)"
    )


def scale(files: list[Path], tmp: Path, args: argparse.Namespace, script: Path) -> None:
    results = []
    for pages in (max(20, args.scale // 20), args.scale):
        folder = tmp / f"scale-{pages}"
        folder.mkdir()
        made = long_pdf(files, folder / f"long-{pages}.pdf", pages)
        run = child_ingest(folder, tmp / f"scale-{pages}.duckdb", 1, args.reader, script)
        results.append((made, 1000 * run["seconds"] / max(1, run["pages"]), run["rss"]))
        print(f"scale: one PDF of {made} pages, 1 worker: {results[-1][1]:.1f} ms/page, peak RSS {run['rss']:.0f} MB")
    (_, small_ms, small_rss), (_, big_ms, big_rss) = results
    print(f"scale: time per page ratio {big_ms / small_ms:.2f}, RSS ratio {big_rss / small_rss:.2f} (flat: ~1)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="data/raw", type=Path)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--reader", default="pdfium", choices=("pdfium", "pdfplumber"))
    parser.add_argument("--executor", default="local", choices=("local", "ray"), help="ray: also time a local Ray")
    parser.add_argument("--scale", type=int, default=0, help="pages of the long PDF (0: skip)")
    parser.add_argument("--browser-pages", type=int, default=10, help="pages of the browser-like PDF (0: skip)")
    parser.add_argument("--browser-objects", type=int, default=3000, help="tiny paths per browser-like page")
    parser.add_argument("--noop-files", type=int, default=1000, help="files for the no-op re-ingest (0: skip)")
    args = parser.parse_args()
    files = collect_pdfs([args.folder]).files
    if not files:
        print(f"no PDFs under {args.folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="malbild-bench-") as name:
        tmp = Path(name)
        script = tmp / "child_ingest.py"
        script.write_text(CHILD, encoding="utf-8")
        main_ratios(files, args.folder, tmp, args, script)
        if args.browser_pages:
            browser_ratio(files, tmp, args, script)
        if args.noop_files:
            noop(tmp, args, script)
        if args.scale:
            scale(files, tmp, args, script)
    return 0


if __name__ == "__main__":
    sys.exit(main())
