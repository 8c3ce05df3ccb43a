"""Robustness: the corpus gold rendered in other styles (fonts, no ruling lines, other furniture) is
read back as well as the originals. The renderings are made here, from the gold, with tests/render.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import CORPUS_GOLD, SCORER, needs_corpus
from render import STYLES, render_document

from malbild.load.ingest import ingest_paths

DOCS = ["socialnamnden-vp-2017", "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019"]


@needs_corpus
@pytest.mark.parametrize("style", sorted(STYLES))
def test_rendered_gold_scores_like_the_original(tmp_path, style):
    for name in DOCS:
        gold = json.loads((CORPUS_GOLD / f"{name}.json").read_text(encoding="utf-8"))
        render_document(gold, tmp_path / f"{name}.pdf", style)
        (tmp_path / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "db.duckdb"
    report = ingest_paths([tmp_path], db, workers=2)
    assert report.ok, report.failures
    out = subprocess.run(
        [sys.executable, str(SCORER), str(db), str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    line = out.strip().splitlines()[-1]
    scores = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
    for metric in ("goals_f1", "indicators_f1", "activities_f1", "goal_attrs_acc", "values_acc", "dates_acc"):
        assert scores[metric] >= 0.98, line
