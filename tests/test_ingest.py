"""Batch ingest: bad files fail alone with a clear reason, good ones are stored, re-runs are idempotent."""

from __future__ import annotations

import shutil

import badfiles
import duckdb
from conftest import CORPUS_PDF, needs_corpus

from malbild.load.ingest import NEEDS_OCR, ingest_paths


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "goals", "indicators", "indicator_values", "activities")
        }
    finally:
        con.close()


@needs_corpus
def test_bad_files_fail_alone_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS_PDF / "socialnamnden-vp-2017.pdf", folder / "vp 2017 åäö.pdf")
    badfiles.not_a_pdf(folder / "a-not-a-pdf.pdf")
    badfiles.empty_file(folder / "b-empty.pdf")
    badfiles.truncated_pdf(folder / "c-truncated.pdf")
    badfiles.encrypted_pdf(folder / "d-encrypted.pdf")
    badfiles.image_only_pdf(folder / "e-scan.pdf", tmp_path)
    db = tmp_path / "db.duckdb"
    report = ingest_paths([folder], db, workers=2)
    stored = {d.source_file.split("/")[-1]: d for d in report.stored}
    assert set(stored) == {"vp 2017 åäö.pdf", "e-scan.pdf"}
    assert stored["vp 2017 åäö.pdf"].goals == 5
    assert stored["e-scan.pdf"].needs_ocr and stored["e-scan.pdf"].goals == 0
    reasons = {f.source_file.split("/")[-1]: f.message for f in report.failures}
    assert "not a PDF" in reasons["a-not-a-pdf.pdf"]
    assert "empty file" in reasons["b-empty.pdf"]
    assert "truncated" in reasons["c-truncated.pdf"]
    assert "encrypted" in reasons["d-encrypted.pdf"]
    assert NEEDS_OCR in reasons["e-scan.pdf"]
    assert not report.ok
    con = duckdb.connect(str(db), read_only=True)
    failed = {r[0].split("/")[-1] for r in con.execute("SELECT source_file FROM failures").fetchall()}
    con.close()
    assert {"a-not-a-pdf.pdf", "b-empty.pdf", "c-truncated.pdf", "d-encrypted.pdf", "e-scan.pdf"} <= failed


@needs_corpus
def test_reingest_skips_stored_files_and_force_redoes_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS_PDF / "socialnamnden-vp-2017.pdf", folder)
    db = tmp_path / "db.duckdb"
    first = ingest_paths([folder], db, workers=1)
    before = _counts(db)
    again = ingest_paths([folder], db, workers=1)
    assert len(first.stored) == 1 and again.stored == [] and len(again.skipped) == 1
    forced = ingest_paths([folder], db, workers=1, force=True)
    assert len(forced.stored) == 1
    assert _counts(db) == before


@needs_corpus
def test_changed_file_replaces_its_rows(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "plan.pdf"
    shutil.copy(CORPUS_PDF / "socialnamnden-vp-2017.pdf", target)
    db = tmp_path / "db.duckdb"
    ingest_paths([folder], db, workers=1)
    shutil.copy(CORPUS_PDF / "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf", target)
    report = ingest_paths([folder], db, workers=1)
    assert len(report.stored) == 1
    counts = _counts(db)
    assert counts["documents"] == 1
    assert counts["goals"] == 19


def test_missing_path_is_reported(tmp_path):
    report = ingest_paths([tmp_path / "finns-inte.pdf"], tmp_path / "db.duckdb", workers=1)
    assert report.failures and "no such file" in report.failures[0].message
