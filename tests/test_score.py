"""The corpus scored by ../shared/eval/score.py must meet the targets of the core pipeline."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import CORPUS_GOLD, SCORER, needs_corpus

TARGETS = {
    "goals_f1": 0.98,
    "indicators_f1": 0.98,
    "activities_f1": 0.98,
    "goal_attrs_acc": 0.97,
    "values_acc": 0.97,
    "dates_acc": 0.98,
    "metadata_acc": 0.9,
}


@pytest.fixture(scope="module")
def score_line(corpus_db) -> str:
    out = subprocess.run(
        [sys.executable, str(SCORER), str(corpus_db), str(CORPUS_GOLD)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


@needs_corpus
@pytest.mark.parametrize("metric", sorted(TARGETS))
def test_corpus_score_meets_target(score_line, metric):
    m = re.search(rf"{metric}=([0-9.]+)", score_line)
    assert m, score_line
    assert float(m.group(1)) >= TARGETS[metric], score_line


@needs_corpus
def test_every_gold_document_is_in_the_database(score_line):
    m = re.search(r"docs=(\d+)/(\d+)", score_line)
    assert m and m.group(1) == m.group(2), score_line
