"""The random style generator (tests/render_style.py) and the pipeline on a handful of its fixed seeds.

The generator: the same style for the same seed, every axis takes each of its values over 200 seeds, and the
rendered text is the gold's (nothing lost or altered, glyphs a font lacks come from a fallback font). The pipeline:
each fixed seed's rendering of every gold document scores at the targets of issue 9 / 16 (bench/robustness.py
--styles 50 measures the same over 50 seeds). Seeds the parsers cannot read yet are xfail(strict): they start
failing once fixed, and the mark is then removed.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from conftest import CORPUS_GOLD, REPO, SHARED, needs_corpus
from render import DROPPED, render_document
from render_style import FAMILIES, PAGE_LABELS, PAGE_SIZES, axes, describe, random_style, with_extras

sys.path.insert(0, str(REPO / "bench"))
import robustness  # noqa: E402
from render_gold import render_one  # noqa: E402

# axis -> the values it must take (axes whose values are numbers only need two of them)
AXIS_VALUES = {
    "page": {f"{p}-{o}" for p in PAGE_SIZES for o in ("portrait", "landscape")},
    "font": {f[0] for f in FAMILIES},
    "columns": {"narrow", "wide"},
    "rules": {"none", "horiz", "frame", "all"},
    "shading": {"none", "cells", "band"},
    "zebra": {"on", "off"},
    "valign": {"top", "middle", "bottom"},
    "halign": {"left", "center", "right"},
    "body_align": {"left", "center", "right"},
    "label": {"above", "inline"},
    "goal_weight": {"bold", "regular"},
    "furniture": {"top", "bottom", "both"},
    "page_label": {p.replace("{n}", "N").replace("{m}", "M") for p in PAGE_LABELS},
    "repeat_header": {"on", "off"},
    "split_rows": {"on", "off"},
    "toc": {"1col", "2col"},
    "extra": {"none", "goal", "end"},
    "front": {"labels", "title-first", "right", "labels:", "title-first:", "right:"},
    "head_org": {"city", "derived"},
}


def test_random_style_is_the_same_for_the_same_seed():
    for seed in (0, 1, 17, 4242):
        assert random_style(seed) == random_style(seed)
        assert describe(random_style(seed)) == describe(random_style(seed))
    assert len({describe(random_style(s)).split(": ", 1)[1] for s in range(50)}) == 50


def test_every_axis_takes_each_of_its_values_over_200_seeds():
    seen: dict[str, set[str]] = {}
    for seed in range(200):
        for axis, value in axes(random_style(seed)).items():
            seen.setdefault(axis, set()).add(value)
    for axis, values in seen.items():
        assert values >= AXIS_VALUES.get(axis, set()), (axis, AXIS_VALUES[axis] - values)
        assert len(values) >= 2, (axis, values)
    assert set(AXIS_VALUES) <= set(seen)


def test_describe_is_one_line_naming_every_axis():
    line = describe(random_style(3))
    assert "\n" not in line and line.startswith("seed-3: ")
    assert all(f" {axis}=" in line for axis in axes(random_style(3)))


def _gold_strings(spec: dict) -> list[str]:
    """Every text of the gold that the parsers extract (and so the rendering must show as it is)."""
    doc = spec.get("document") or {}
    out = [doc.get("title") or "", doc.get("organisation") or ""]
    for g in spec.get("goals") or []:
        out += [g.get("title") or "", g.get("number_raw") if g.get("number_raw") not in (None, "-") else ""]
        out += [(s.get("heading") or "") + " " + (s.get("text") or "") for s in g.get("sections") or []]
    headers = {(i.get("goal"), tuple(i.get("cells") or {})) for i in spec.get("indicators") or []}
    out += [h for _, keys in headers for h in keys]  # one header row per goal's table
    for i in spec.get("indicators") or []:
        out += [str(v) for v in (i.get("cells") or {}).values()] + [i.get("analysis") or ""]
    for a in spec.get("activities") or []:
        out += [a.get("text") or "", a.get("start") or "", a.get("end") or "", a.get("deviation") or ""]
    for t in spec.get("tables") or []:
        out += [str(h or "") for h in t.get("header") or []] + [str(c or "") for r in t.get("rows") or [] for c in r]
    out += [e.get("text") or "" for e in spec.get("toc") or [] if isinstance(e, dict)]
    return [s for s in out if s.strip()]


def _pdf_words(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        words = [w["text"] for p in pdf.pages for w in p.extract_words()]
    return [re.sub(r"\.{3,}.*$", "", w) for w in words]  # a contents line's dot leader and page number


def _seed_with(**want: str) -> int:
    return next(s for s in range(500) if all(axes(random_style(s))[k] == v for k, v in want.items()))


# a base-14 font (Swedish letters in WinAnsi, ♀ ◆ ✓ from the fallback), narrow columns, inline labels, a 2-column toc
TEXT_SEEDS = [
    _seed_with(font="Times", columns="narrow"),
    _seed_with(label="inline", toc="2col", extra="goal"),
    _seed_with(font="DejaVuSansMono", page="A4-landscape"),
]


@needs_corpus
@pytest.mark.parametrize("seed", TEXT_SEEDS)
def test_rendered_text_is_the_gold_text(tmp_path, seed):
    style = random_style(seed)
    for gp in sorted(CORPUS_GOLD.glob("*.json")):
        spec = with_extras(json.loads(gp.read_text(encoding="utf-8")), style)
        DROPPED.clear()
        pdf = render_document(spec, tmp_path / f"{gp.stem}.pdf", style)
        assert not DROPPED, (describe(style), gp.stem, DROPPED)
        words = _pdf_words(pdf)
        gold = " ".join(_gold_strings(spec))
        have, want = Counter(words), Counter(gold.split())
        flat = "".join(words)
        missing = [w for w in (want - have).elements() if w not in flat]  # a long word broken over lines is whole
        assert not missing, (describe(style), gp.stem, missing[:10])
        chars_missing = Counter(gold.replace(" ", "").replace("\n", "")) - Counter(flat)
        assert not chars_missing, (describe(style), gp.stem, chars_missing)


# --------------------------------------------------------------------------------------------
# the pipeline on fixed seeds


def _xfail(seed: int, reason: str) -> object:
    return pytest.param(seed, marks=pytest.mark.xfail(strict=True, reason=reason))


# Seven seeds of bench/robustness.py --styles 50 (first numbers measured on main @ 70a0cb1, before the header,
# heading and metadata work): five now meet every target; an xfail names what its seed still misses. Remove an
# xfail when its seed passes (strict: the test then fails until the mark goes).
CI_SEEDS: list = [
    46,  # A4 landscape, DejaVu Serif Condensed, narrow, frame rules, cell shading, 2-column toc, unit list at the end
    39,  # Letter, Times, no rules, band shading, inline labels, regular-weight headings, furniture at the bottom
    6,  # first-page block in the right half, 'Till' value wraps (metadata was 0.95)
    0,  # narrow columns wrap 'KF:s årsmål' / 'Prognos helår' over lines, right/bottom headers (values were 0.84)
    29,  # inline labels, wrapped headings, right/bottom headers (goals_f1 was 0.69, values 0.84)
    _xfail(8, "values 0.978 (vb-2019): monospaced body, centred/middle headers without shading (was: no rows at all)"),
    _xfail(11, "indicators_f1 0.985 (vp-2017 0.88): Times body, right/middle headers (was: goals_f1 0.04, tables 0)"),
]


@pytest.fixture(scope="module")
def scored_seeds(tmp_path_factory) -> dict[int, dict]:
    """Every gold document rendered in each CI seed, ingested into one database and scored per seed."""
    import duckdb

    from malbild.load.ingest import ingest_paths

    root = tmp_path_factory.mktemp("random-styles")
    golds = sorted(CORPUS_GOLD.glob("*.json"))
    seeds = [p.values[0] if hasattr(p, "values") else p for p in CI_SEEDS]
    for seed in seeds:
        for gp in golds:
            render_one(gp, root / f"seed-{seed}", f"seed-{seed}", pdf_name=f"{gp.stem}.s{seed}.pdf")
    db = root / "db.duckdb"
    report = ingest_paths([root / f"seed-{s}" for s in seeds], db, workers=2)
    assert report.ok, report.failures
    scorer = robustness._load(SHARED / "eval" / "score.py")
    tables = robustness._load(SHARED / "eval" / "score_tables.py")
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            s: robustness.score_seed(con, scorer, tables, sorted((root / f"seed-{s}").glob("*.json")), False)
            for s in seeds
        }
    finally:
        con.close()


@needs_corpus
@pytest.mark.parametrize("seed", CI_SEEDS)
def test_fixed_seed_scores_at_the_targets(scored_seeds, seed):
    metrics = scored_seeds[seed]["metrics"]
    under = {m: round(metrics[m], 3) for m in robustness.failing(metrics)}
    assert not under, f"{describe(random_style(seed))}: under target {under}"


def test_seeds_keep_their_styles():
    """Seeds are quoted (bench results, xfail reasons below): a new axis must be drawn after the others."""
    assert describe(random_style(11)).startswith(
        "seed-11: page=A4-portrait font=Times head_font=DejaVuSerif body_size=10 columns=wide rules=frame "
        "shading=band zebra=off valign=middle halign=right body_align=left label=inline goal_weight=bold "
        "furniture=top page_label=Sida N repeat_header=on split_rows=on toc=2col extra=none row_pad=1.5"
    )
