"""Render the HTML diff report of two stored documents in headless Chromium and save a screenshot.

    python bench/screenshot_report.py DB FROM TO OUT.png [--width 1200] [--height 1600] [--threshold 70] [--no-pictures]

FROM and TO are document ids or PDF file names. The HTML is written beside OUT.png (OUT.html),
so what was photographed can be opened too. Needs `chromium` (Debian's package) on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from malbild.compare.crops import diff_crops
from malbild.compare.diff import diff_documents
from malbild.compare.report import diff_to_html
from malbild.load.db import connect
from malbild.normalize.match import DEFAULT_THRESHOLD

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def screenshot(html: Path, out: Path, width: int = 1200, height: int = 1600, timeout: float = 120) -> Path:
    """Photograph a local HTML file with headless Chromium; raises RuntimeError when no PNG comes out."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    out = out.resolve()
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="malbild-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={out}",
            f"--window-size={width},{height}",
            html.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("from_ref")
    parser.add_argument("to_ref")
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1600)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--no-pictures", action="store_true", help="leave out the crops of the printed originals")
    args = parser.parse_args(argv)
    con = connect(args.db, read_only=True)
    try:
        diff = diff_documents(con, args.from_ref, args.to_ref, threshold=args.threshold)
        crops = None if args.no_pictures else diff_crops(con, diff)
        html = diff_to_html(diff, crops)
    finally:
        con.close()
    for problem in crops.problems if crops else []:
        print(f"warning: {problem}", file=sys.stderr)
    page = args.out.with_suffix(".html")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    try:
        screenshot(page, args.out, args.width, args.height)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) from {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
