#!/usr/bin/env python3
"""How many stored records have a box that holds their printed text, on the corpus and on renderings of its gold.

    python bench/box_coverage.py [--style NAME ...] [--seeds N | --seed S ...] [--no-corpus] [--no-renderings]
                                 [--work DIR] [-v]

Ingests ../shared/corpus/pdf and each style's rendering of every gold document (tests/render.py; with
--seeds/--seed also random styles, tests/render_style.py) into databases under --work, then crops each
record's box out of its PDF with pdfplumber (tests/boxes.py) and checks the text inside holds the record's
text. Prints one line per set and table: found / records, and the share; -v lists every record whose box
does not hold its text. Exit status 1 when goals, indicators or activities of a set are under the 99 % target.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from boxes import RECORDS, TEXT_COLUMNS, check_database  # noqa: E402
from render import STYLES, render_document  # noqa: E402
from render_style import RenderStyle, describe, random_style  # noqa: E402

from malbild.load.ingest import ingest_paths  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TARGET = 0.99


def render_set(style: str | RenderStyle, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for gold_file in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        render_document(gold, out / f"{gold_file.stem}.pdf", style)
    return out


def measure(name: str, pdfs: Path, db: Path, verbose: bool) -> bool:
    """Ingest pdfs into db, check every box, print the counts; True when the target is met."""
    start = time.perf_counter()
    db.unlink(missing_ok=True)
    report = ingest_paths([pdfs], db, workers=2)
    if not report.ok:
        print(f"{name}: ingest failed: {report.failures}")
        return False
    total: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for checked in check_database(db, tuple(TEXT_COLUMNS)):
        total[checked.table] += 1
        held[checked.table] += checked.ok
        if verbose and not checked.ok:
            where = f"{Path(checked.source_file).name} p{checked.page} {checked.box}"
            print(f"  miss {checked.table}: {where} {checked.text[:70]!r} → {checked.box_text[:90]!r}")
    ok = True
    parts = []
    for table in TEXT_COLUMNS:
        share = held[table] / total[table] if total[table] else 1.0
        ok &= share >= TARGET or table not in RECORDS
        parts.append(f"{table}={held[table]}/{total[table]} ({share:.1%})")
    print(f"{name:18} " + " ".join(parts) + f"  [{time.perf_counter() - start:.0f} s]")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--style", action="append", choices=sorted(STYLES), help="rendering style (default: all)")
    ap.add_argument("--seeds", type=int, default=0, help="also random styles 0..N-1")
    ap.add_argument("--seed", type=int, action="append", default=[], help="also this random style")
    ap.add_argument("--no-corpus", action="store_true", help="skip the corpus PDFs")
    ap.add_argument("--no-renderings", action="store_true", help="skip the renderings")
    ap.add_argument("--work", type=Path, help="folder for renderings and databases (default: a temporary one)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every record whose box misses its text")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="malbild-boxes-"))
    ok = True
    if not args.no_corpus:
        ok &= measure("corpus", CORPUS / "pdf", work / "corpus.duckdb", args.verbose)
    if not args.no_renderings:
        for style in args.style or sorted(STYLES):
            pdfs = render_set(style, work / style)
            ok &= measure(style, pdfs, work / f"{style}.duckdb", args.verbose)
    for seed in [*range(args.seeds), *args.seed]:
        random = random_style(seed)
        pdfs = render_set(random, work / f"seed-{seed}")
        ok &= measure(f"seed-{seed}", pdfs, work / f"seed-{seed}.duckdb", args.verbose)
        if args.verbose:
            print(f"  {describe(random)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
