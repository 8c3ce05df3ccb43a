#!/usr/bin/env python3
"""Render every gold document in each style, for scoring the pipeline on unseen renderings.

    python bench/render_gold.py OUT_DIR [--style NAME ...] [--seeds N] [--seed K ...] [--gold DIR] [--workers N]

Named styles (--style, default all of them unless seeds are asked for) and random styles (--seeds N: seeds
0..N-1; --seed K: that seed, repeatable; see tests/render_style.py random_style). Writes
OUT_DIR/<style>/<name>.pdf and, next to it, OUT_DIR/<style>/<name>.json: a copy of the gold annotation whose
document.file is the new PDF's basename and whose tables include the style's generated extra tables, so that

    python ../shared/eval/score.py DB OUT_DIR/<style>

scores a database built from OUT_DIR/<style>/*.pdf.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from render import STYLES, RenderStyle, describe, get_style, random_style, render_document, with_extras  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "corpus" / "gold"


def page_count(pdf: Path) -> int | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def style_for(name: str) -> RenderStyle:
    """A named style, or "seed-K" for random_style(K)."""
    if name.startswith("seed-") and name[5:].isdigit():
        return random_style(int(name[5:]))
    return get_style(name)


def render_one(gold_path: Path, out: Path, style_name: str, pdf_name: str | None = None) -> Path:
    """Render one gold document in one style to ``out``/<pdf_name> with its gold JSON beside it.

    The PDF and the JSON are written under temporary names and renamed, so a half-written pair is never
    taken for a finished one (robustness.py caches renderings)."""
    style = style_for(style_name)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    spec = with_extras(gold, style)
    pdf_name = pdf_name or gold_path.stem + ".pdf"
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{pdf_name}.{os.getpid()}.tmp"
    render_document(spec, tmp, style)
    copy = json.loads(json.dumps(spec))
    copy.setdefault("document", {})["file"] = pdf_name
    stem = pdf_name.removesuffix(".pdf")
    tmp_json = out / f".{stem}.json.{os.getpid()}.tmp"
    tmp_json.write_text(json.dumps(copy, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp_json.replace(out / f"{stem}.json")
    tmp.replace(out / pdf_name)
    return out / pdf_name


def _task(args: tuple[Path, Path, str]) -> tuple[str, str, str, float]:
    gold_path, out, style_name = args
    t0 = time.perf_counter()
    try:
        pdf = render_one(gold_path, out, style_name)
    except Exception as e:  # report and go on with the others
        return style_name, gold_path.stem, f"FAILED: {e!r}", time.perf_counter() - t0
    return style_name, gold_path.stem, f"pages={page_count(pdf)}", time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--style", action="append", choices=sorted(STYLES), help="style name (repeatable)")
    ap.add_argument("--seeds", type=int, default=0, help="also random styles of seeds 0..N-1")
    ap.add_argument("--seed", type=int, action="append", default=[], help="a random style's seed (repeatable)")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"gold directory (default {DEFAULT_GOLD})")
    ap.add_argument("--workers", type=int, default=1, help="rendering processes (default 1)")
    a = ap.parse_args(argv)
    seeds = sorted(set(range(a.seeds)) | set(a.seed))
    styles = list(a.style or ([] if seeds else STYLES)) + [f"seed-{k}" for k in seeds]
    golds = sorted(a.gold.glob("*.json"))
    if not golds:
        print(f"no gold JSON in {a.gold}", file=sys.stderr)
        return 1
    for k in seeds:
        print(describe(random_style(k)))
    tasks = [(gp, a.out_dir / style, style) for style in styles for gp in golds]
    failures = 0
    with ProcessPoolExecutor(max_workers=max(1, a.workers)) as pool:
        for style, name, outcome, secs in pool.map(_task, tasks):
            failures += outcome.startswith("FAILED")
            print(f"{style:<18} {name + '.pdf':<60} {outcome} ({secs:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
