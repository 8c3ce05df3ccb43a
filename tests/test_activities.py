"""Aktivitet tables: texts joined over lines and page breaks, dates and status marks."""

from __future__ import annotations

import collections

import pytest
from conftest import CORPUS_FILES, gold_for, needs_corpus

from malbild.normalize.text import one_line


def _norm(text):
    return one_line(text or "").rstrip(".").lower()


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_activities_match_gold(corpus_parsed, name):
    gold = gold_for(name)
    parsed = corpus_parsed[name]
    found = collections.Counter((_norm(a.text), a.start_raw, a.end_raw, a.status) for a in parsed.activities)
    expected = collections.Counter((_norm(a["text"]), a["start"], a["end"], a["status"]) for a in gold["activities"])
    assert found == expected


@needs_corpus
def test_row_split_over_page_break_is_joined(corpus_parsed):
    parsed = corpus_parsed["hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"]
    texts = [a.text for a in parsed.activities]
    joined = next(t for t in texts if t.startswith("Förvaltningen ska under perioden stärka samarbete"))
    assert joined.endswith("säkerställa att resurser riktas där behoven finns.")
    assert not any(t.startswith("effektiv, samordnad") for t in texts)


@needs_corpus
def test_status_marks(corpus_parsed):
    parsed = corpus_parsed["socialnamnden-vb-2019.pdf"]
    statuses = collections.Counter(a.status for a in parsed.activities)
    assert statuses["ongoing"] == 5
    assert statuses["done"] >= 50
