#!/usr/bin/env python3
"""Score the pipeline over random render styles of every gold document (issue 9.5, issue 16.2).

    nice -n 10 python bench/robustness.py --styles 50 [--docs NAME ...] [--workers N] [--cache DIR] [--json OUT]
    python bench/robustness.py --seed 7 --seed 12 -v        # some seeds only, misses listed

Renders every gold document in N random styles (seeds 0..N-1, tests/render_style.py random_style; the renderings
are cached under --cache by a hash of the renderer and the gold), ingests them all into one database with malbild
(ingest_paths; a database per version of the package source, so an interrupted run resumes where it stopped),
scores each style with ../shared/eval/score.py and ../shared/eval/score_tables.py, and prints the distribution of
every metric over the styles (min / p10 / median / mean), the worst seeds with describe(), per failing seed the
metrics under target and the documents behind them, and which axis values go with which metric's drops.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from render_gold import render_one  # noqa: E402
from render_style import EXTRA_HEADING, axes, describe, random_style  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_GOLD = SHARED / "corpus" / "gold"
DEFAULT_CACHE = Path(os.environ.get("MALBILD_ROBUSTNESS_CACHE", "/tmp/malbild-robustness"))
PACKAGE_DIRS = ("extract", "normalize", "schemas", "load", "compare")
# metric -> target the parsers must reach on every style (issue 9 and 16)
TARGETS = {
    "goals_f1": 0.99,
    "indicators_f1": 0.99,
    "activities_f1": 0.99,
    "values": 0.98,
    "goal_attrs": 0.98,
    "metadata": 0.96,
    "dates": 0.98,
    "tables_recall": 0.97,
    "tables_precision": 0.97,
}
METRICS = list(TARGETS)
INFO = ["corpus_tables_recall", "extra_recall"]  # parts of tables_recall, shown without a target
EXTRA = EXTRA_HEADING  # the heading of the generated tables


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader, path
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(p.parents[1])).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def render_key(gold: Path) -> str:
    return _digest([ROOT / "tests" / "render.py", ROOT / "tests" / "render_style.py", *gold.glob("*.json")])


def code_key() -> str:
    files = [ROOT / "cli.py", ROOT / "__init__.py", ROOT / "pyproject.toml"]
    for folder in PACKAGE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return _digest(files)


# --------------------------------------------------------------------------------------------
# rendering (cached)


def seed_dir(cache: Path, rkey: str, seed: int) -> Path:
    return cache / "render" / rkey / f"seed-{seed}"


def _render_task(args: tuple[Path, Path, int]) -> tuple[int, str, str | None]:
    gold_path, out, seed = args
    try:
        render_one(gold_path, out, f"seed-{seed}", pdf_name=f"{gold_path.stem}.s{seed}.pdf")
    except Exception as e:  # one failing rendering is reported, the others go on
        return seed, gold_path.stem, repr(e)
    return seed, gold_path.stem, None


def render_all(golds: list[Path], seeds: list[int], cache: Path, rkey: str, workers: int) -> list[str]:
    """Render what is not in the cache yet; returns the failures."""
    todo = []
    for seed in seeds:
        out = seed_dir(cache, rkey, seed)
        for gp in golds:
            if not (out / f"{gp.stem}.s{seed}.pdf").is_file() or not (out / f"{gp.stem}.s{seed}.json").is_file():
                todo.append((gp, out, seed))
    if not todo:
        return []
    t0 = time.perf_counter()
    failures = []
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for seed, name, err in pool.map(_render_task, todo, chunksize=2):
            if err:
                failures.append(f"seed {seed} {name}: {err}")
    print(f"rendered {len(todo)} PDFs in {time.perf_counter() - t0:.0f}s ({len(failures)} failed)", flush=True)
    return failures


# --------------------------------------------------------------------------------------------
# ingest and score


def ingest_all(pdfs: list[Path], db: Path, workers: int) -> list[str]:
    from malbild.load.ingest import ingest_paths

    t0 = time.perf_counter()
    report = ingest_paths(pdfs, db, workers=workers)
    failures = [f"{Path(f.source_file).name}: {f.stage}: {f.message}" for f in report.failures]
    print(f"ingested {len(pdfs)} PDFs in {time.perf_counter() - t0:.0f}s ({len(failures)} failed)", flush=True)
    return failures


def _ratio(ok: int, n: int) -> float:
    return ok / n if n else 1.0


def score_seed(con: Any, scorer: ModuleType, tables: ModuleType, golds: list[Path], verbose: bool) -> dict:
    """The metrics of one style over its documents (aggregated as score.py and score_tables.py do)."""
    rows = con.execute("select document_id, source_file from documents").fetchall()
    by_file = {Path(str(f)).name: d for d, f in rows}
    totals: dict[str, tuple] = {}
    per_doc: dict[str, dict] = {}
    for gp in golds:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        name = gold["document"]["file"]
        if name not in by_file:
            res = {
                "goals": (0, len(gold["goals"]), 0),
                "indicators": (0, len(gold["indicators"]), 0),
                "activities": (0, len(gold["activities"]), 0),
                "goal_attrs": (0, 0),
                "values": (0, 0),
                "dates": (0, 0),
                "metadata": (0, 5),
            }
        else:
            if verbose:
                print(f"  {name}")
            res = scorer.score_document(con, by_file[name], gold, verbose)
        g = tables.gold_cells(gold)
        f = tables.db_cells(con, by_file[name]) if name in by_file else Counter()
        res["tables"] = (sum((g & f).values()), sum(g.values()), sum(f.values()))
        extra = tables.gold_cells({"tables": [t for t in gold.get("tables") or [] if t.get("heading") == EXTRA]})
        res["extra_tables"] = (sum((extra & f).values()), sum(extra.values()))
        if verbose:
            for k in sorted((g - f).elements()):
                print(f"    missed cell {k}")
        per_doc[gp.stem] = _metrics({k: tuple(v) for k, v in res.items()})
        for k, v in res.items():
            totals[k] = tuple(x + y for x, y in zip(totals.get(k, (0,) * len(v)), v, strict=True))
    return {"metrics": _metrics(totals), "docs": per_doc}


def _metrics(t: dict[str, tuple]) -> dict[str, float]:
    out = {}
    for k in ("goals", "indicators", "activities"):
        tp, ng, nf = t.get(k, (0, 0, 0))
        p = tp / nf if nf else (1.0 if ng == 0 else 0.0)
        r = tp / ng if ng else 1.0
        out[f"{k}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    for k in ("values", "goal_attrs", "metadata", "dates"):
        out[k] = _ratio(*t.get(k, (0, 0)))
    em, eg = t.get("extra_tables", (0, 0))
    out["extra_recall"] = _ratio(em, eg)  # the generated unit lists only (issue 16.1); no target of its own
    out["corpus_tables_recall"] = _ratio(t.get("tables", (0, 0))[0] - em, t.get("tables", (0, 0))[1] - eg)
    tm, tg, tf = t.get("tables", (0, 0, 0))
    out["tables_recall"] = _ratio(tm, tg)
    out["tables_precision"] = tm / tf if tf else (1.0 if not tg else 0.0)
    return out


# --------------------------------------------------------------------------------------------
# report


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]


def failing(metrics: dict[str, float]) -> list[str]:
    return [m for m in METRICS if metrics[m] < TARGETS[m] - 1e-9]


def print_distribution(results: dict[int, dict]) -> None:
    print(f"\n{'metric':<20} {'target':>6} {'min':>6} {'p10':>6} {'median':>6} {'mean':>6}  styles under target")
    for m in METRICS + INFO:
        vals = [r["metrics"][m] for r in results.values()]
        if m in INFO:
            print(
                f"{m:<20} {'':>6} {min(vals):>6.3f} {_pct(vals, 0.1):>6.3f} {statistics.median(vals):>6.3f} "
                f"{statistics.mean(vals):>6.3f}"
            )
            continue
        under = sum(v < TARGETS[m] - 1e-9 for v in vals)
        print(
            f"{m:<20} {TARGETS[m]:>6.2f} {min(vals):>6.3f} {_pct(vals, 0.1):>6.3f} {statistics.median(vals):>6.3f} "
            f"{statistics.mean(vals):>6.3f}  {under}/{len(vals)}"
        )


def _shortfall(metrics: dict[str, float]) -> float:
    return sum(max(0.0, TARGETS[m] - metrics[m]) for m in METRICS)


def _short(stem: str) -> str:
    """A short document name: "socialnamnden-vb-2019.s3" -> "socialnamnden-vb-2019"."""
    return stem.rsplit(".s", 1)[0][:28]


def print_worst(results: dict[int, dict], n: int) -> None:
    bad = [s for s in results if failing(results[s]["metrics"])]
    bad.sort(key=lambda s: -_shortfall(results[s]["metrics"]))
    print(f"\n{len(bad)}/{len(results)} styles under a target; worst first:")
    for seed in bad[:n]:
        r = results[seed]
        print(describe(random_style(seed)))
        for m in failing(r["metrics"]):
            docs = ", ".join(f"{_short(d)}={v[m]:.2f}" for d, v in r["docs"].items() if v[m] < TARGETS[m] - 1e-9)
            print(f"    {m}={r['metrics'][m]:.3f}  ({docs})")


def print_axes(results: dict[int, dict], top: int = 4) -> None:
    """For each metric: the axis values whose styles fail it most often, against the styles without them."""
    print("\naxis values that go with each metric's drops (fail rate with the value vs without; mean with):")
    table = {s: axes(random_style(s)) for s in results}
    for m in METRICS:
        fails = {s: results[s]["metrics"][m] < TARGETS[m] - 1e-9 for s in results}
        if not any(fails.values()):
            continue
        rows = []
        for axis in next(iter(table.values())):
            for value in sorted({t[axis] for t in table.values()}):
                with_v = [s for s in results if table[s][axis] == value]
                without = [s for s in results if table[s][axis] != value]
                if len(with_v) < 3 or not without:
                    continue
                rate_w = sum(fails[s] for s in with_v) / len(with_v)
                rate_o = sum(fails[s] for s in without) / len(without)
                mean_w = statistics.mean(results[s]["metrics"][m] for s in with_v)
                rows.append((rate_w - rate_o, f"{axis}={value}", rate_w, rate_o, mean_w, len(with_v)))
        rows.sort(reverse=True)
        line = "; ".join(f"{name} {rw:.0%} vs {ro:.0%} (mean {mw:.3f}, n={k})" for _, name, rw, ro, mw, k in rows[:top])
        print(f"  {m} ({sum(fails.values())} fail): {line}")


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--styles", type=int, default=50, help="random styles of seeds 0..N-1 (default 50)")
    ap.add_argument("--seed", type=int, action="append", default=[], help="only these seeds (repeatable)")
    ap.add_argument("--docs", nargs="+", default=[], help="gold document names (stems) to use; default all")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--workers", type=int, default=2, help="rendering and ingest processes (default 2)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"cache directory (default {DEFAULT_CACHE})")
    ap.add_argument("--json", type=Path, help="write every seed's metrics (per document too) here")
    ap.add_argument("--worst", type=int, default=15, help="how many of the worst seeds to show")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss (score.py -v)")
    a = ap.parse_args(argv)
    seeds = sorted(set(a.seed)) or list(range(a.styles))
    golds = sorted(a.gold.glob("*.json"))
    if a.docs:
        golds = [g for g in golds if g.stem in set(a.docs) or g.stem + ".pdf" in set(a.docs)]
    if not golds:
        print(f"no gold documents in {a.gold} (--docs {' '.join(a.docs)})", file=sys.stderr)
        return 2
    rkey = render_key(a.gold)
    problems = render_all(golds, seeds, a.cache, rkey, a.workers)
    pdfs = [seed_dir(a.cache, rkey, s) / f"{g.stem}.s{s}.pdf" for s in seeds for g in golds]
    pdfs = [p for p in pdfs if p.is_file()]
    db = a.cache / "db" / f"{code_key()}-{rkey}.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    problems += ingest_all(pdfs, db, a.workers)
    return report(a, seeds, golds, rkey, db, problems)


def report(a: argparse.Namespace, seeds: list[int], golds: list[Path], rkey: str, db: Path, problems: list[str]) -> int:
    import duckdb

    scorer = _load(SHARED / "eval" / "score.py")
    tables = _load(SHARED / "eval" / "score_tables.py")
    con = duckdb.connect(str(db), read_only=True)
    results = {}
    for s in seeds:
        if a.verbose:
            print(describe(random_style(s)))
        gjson = [seed_dir(a.cache, rkey, s) / f"{g.stem}.s{s}.json" for g in golds]
        results[s] = score_seed(con, scorer, tables, [p for p in gjson if p.is_file()], a.verbose)
    con.close()
    for p in problems:
        print(f"problem: {p}")
    print(f"{len(seeds)} styles x {len(golds)} documents; database {db}")
    print_distribution(results)
    print_worst(results, a.worst)
    print_axes(results)
    if a.json:
        a.json.write_text(json.dumps({str(s): r for s, r in results.items()}, indent=1) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
