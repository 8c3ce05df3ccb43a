"""Shared fixtures: the corpus (PDFs + gold), its parse and its database, built once per session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from malbild.extract.parse.document import parse_document
from malbild.extract.pdf import read_pdf
from malbild.load.db import connect
from malbild.load.ingest import ingest_paths

# Tests ingest strictly: an exception that is not bad input (a bug) raises instead of failing its file.
os.environ.setdefault("MALBILD_STRICT", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS_PDF = SHARED / "corpus" / "pdf"
CORPUS_GOLD = SHARED / "corpus" / "gold"
SCORER = SHARED / "eval" / "score.py"

CORPUS_FILES = sorted(p.name for p in CORPUS_PDF.glob("*.pdf")) if CORPUS_PDF.exists() else []

needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not beside the repo")


def copy_corpus(names, folder: Path) -> Path:
    """A folder holding copies of these corpus PDFs."""
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CORPUS_PDF / name, folder / name)
    return folder


def gold_for(pdf_name: str) -> dict:
    return json.loads((CORPUS_GOLD / pdf_name.replace(".pdf", ".json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_docs() -> dict:
    """Each corpus PDF read into the page model (read once: the 78-page report takes seconds)."""
    return {name: read_pdf(CORPUS_PDF / name) for name in CORPUS_FILES}


@pytest.fixture(scope="session")
def corpus_parsed(corpus_docs) -> dict:
    return {name: parse_document(doc) for name, doc in corpus_docs.items()}


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A database with the whole corpus ingested."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    report = ingest_paths([CORPUS_PDF], db, workers=2)
    assert report.ok, report.failures
    return db


@pytest.fixture
def fresh_db(tmp_path):
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="session")
def corpus_linked_db(corpus_db, tmp_path_factory) -> Path:
    """The corpus database with the cross-year links `malbild ingest` adds (series_members, indicator_links)."""
    from malbild.compare.links import update_links

    db = tmp_path_factory.mktemp("corpus_linked") / "corpus.duckdb"
    shutil.copy(corpus_db, db)
    con = connect(db)
    try:
        update_links(con)
    finally:
        con.close()
    return db
