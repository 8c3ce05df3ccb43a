"""Storing: one document per transaction — stored whole or not at all; a changed file replaces its old rows."""

from __future__ import annotations

import pytest
from conftest import needs_corpus

from malbild.load.store import known_hashes, store_document, store_failure
from malbild.normalize.enrich import enrich
from malbild.schemas.build import build_records
from malbild.schemas.errors import StoreError
from malbild.schemas.records import DocumentRecords, Failure

NAME = "socialnamnden-vp-2017.pdf"
COUNTED = ("documents", "goals", "goal_sections", "indicators", "indicator_values", "activities", "entities")


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


@pytest.fixture(scope="module")
def records(corpus_docs, corpus_parsed) -> DocumentRecords:
    return build_records(enrich(corpus_parsed[NAME]), corpus_docs[NAME], f"in/{NAME}")


@needs_corpus
def test_a_document_is_stored_whole_and_storing_it_again_changes_nothing(fresh_db, records):
    store_document(fresh_db, records)
    once = _counts(fresh_db)
    assert once["documents"] == 1 and once["goals"] == len(records.goals) == 5
    store_document(fresh_db, records)
    assert _counts(fresh_db) == once
    assert known_hashes(fresh_db) == {records.document.sha256: records.document.source_file}


@needs_corpus
def test_a_failing_insert_rolls_back_and_keeps_the_earlier_version(fresh_db, records):
    store_document(fresh_db, records)
    before = _counts(fresh_db)
    broken = records.model_copy(update={"goals": [*records.goals, records.goals[0]]})  # duplicate primary key
    with pytest.raises(StoreError, match="could not store"):
        store_document(fresh_db, broken)
    assert _counts(fresh_db) == before


@needs_corpus
def test_a_changed_file_replaces_the_rows_stored_under_its_path(fresh_db, records):
    store_document(fresh_db, records)
    doc = records.document
    changed = records.model_copy(
        update={
            "document": doc.model_copy(update={"sha256": "f" * 64, "document_id": "f" * 16}),
            "goals": [],
            "sections": [],
            "entities": [],
            "indicators": [],
            "values": [],
            "cells": [],
            "activities": [],
        }
    )
    store_document(fresh_db, changed)
    assert fresh_db.execute("SELECT document_id FROM documents").fetchall() == [("f" * 16,)]
    assert _counts(fresh_db)["goals"] == 0


def test_a_file_failure_replaces_the_earlier_failure_of_that_file(fresh_db):
    for message in ("first reason", "second reason"):
        store_failure(fresh_db, Failure(source_file="in/bad.pdf", stage="open", message=message))
    assert fresh_db.execute("SELECT message, severity FROM failures").fetchall() == [("second reason", "error")]
