#!/usr/bin/env python3
"""Render every gold document in each style, for scoring the pipeline on unseen renderings.

    python bench/render_gold.py OUT_DIR [--style NAME ...] [--gold DIR]

Writes OUT_DIR/<style>/<name>.pdf and, next to it, OUT_DIR/<style>/<name>.json: a copy of
the gold annotation whose document.file is the new PDF's basename, so that

    python ../shared/eval/score.py DB OUT_DIR/<style>

scores a database built from OUT_DIR/<style>/*.pdf.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from render import STYLES, render_document  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "corpus" / "gold"


def page_count(pdf: Path) -> int | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--style", action="append", choices=sorted(STYLES), help="style name (repeatable); default: all")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"gold directory (default {DEFAULT_GOLD})")
    a = ap.parse_args(argv)
    styles = a.style or list(STYLES)
    golds = sorted(a.gold.glob("*.json"))
    if not golds:
        print(f"no gold JSON in {a.gold}", file=sys.stderr)
        return 1
    failures = 0
    for style in styles:
        out = a.out_dir / style
        out.mkdir(parents=True, exist_ok=True)
        for gp in golds:
            gold = json.loads(gp.read_text(encoding="utf-8"))
            name = gp.stem + ".pdf"
            t0 = time.perf_counter()
            try:
                pdf = render_document(gold, out / name, style)
            except Exception as e:  # report and go on with the others
                failures += 1
                print(f"{style:<18} {name:<60} FAILED: {e!r}")
                continue
            copy = json.loads(json.dumps(gold))
            copy.setdefault("document", {})["file"] = pdf.name
            (out / (gp.stem + ".json")).write_text(
                json.dumps(copy, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            n = page_count(pdf)
            print(f"{style:<18} {name:<60} pages={n} ({time.perf_counter() - t0:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
