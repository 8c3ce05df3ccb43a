"""Batch ingest: bad files fail alone with a clear reason, good ones are stored, re-runs are idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import badfiles
import duckdb
import pytest
from conftest import CORPUS_PDF, needs_corpus
from typer.testing import CliRunner

from malbild.cli import app
from malbild.extract.model import Page, PdfDocument
from malbild.extract.settings import ExtractSettings
from malbild.load.discover import NoSuchPath
from malbild.load.ingest import ingest_paths
from malbild.load.queries import resolve_document
from malbild.load.tasks import NO_GOAL_STRUCTURE, NO_TEXT_LAYER, FileJob, reader_warnings


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
    assert set(stored) == {"vp 2017 åäö.pdf"}
    assert stored["vp 2017 åäö.pdf"].goals == 5
    reasons = {f.source_file.split("/")[-1]: f.message for f in report.failures}
    assert "not a PDF" in reasons["a-not-a-pdf.pdf"]
    assert "empty file" in reasons["b-empty.pdf"]
    assert "truncated" in reasons["c-truncated.pdf"]
    assert "encrypted" in reasons["d-encrypted.pdf"]
    assert NO_TEXT_LAYER in reasons["e-scan.pdf"]
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


def test_missing_path_is_a_usage_error_and_creates_nothing(tmp_path):
    with pytest.raises(NoSuchPath, match="no such file"):
        ingest_paths([tmp_path / "finns-inte.pdf"], tmp_path / "db" / "db.duckdb", workers=1)
    assert not (tmp_path / "db").exists()


def _corpus_copy(folder, name: str, as_name: str):
    folder.mkdir(exist_ok=True)
    return shutil.copy(CORPUS_PDF / name, folder / as_name)


@needs_corpus
def test_same_content_under_two_names_is_stored_once_with_an_alias(tmp_path):
    folder = tmp_path / "in"
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "a.pdf")
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "b.pdf")
    db = tmp_path / "db.duckdb"
    report = ingest_paths([folder], db, workers=2)
    assert [Path(d.source_file).name for d in report.stored] == ["a.pdf"]
    assert [(Path(p).name, Path(of).name) for p, of in report.duplicates] == [("b.pdf", "a.pdf")]
    later = tmp_path / "later"
    _corpus_copy(later, "socialnamnden-vp-2017.pdf", "c.pdf")
    again = ingest_paths([folder, later], db, workers=1)
    assert again.stored == [] and sorted(Path(p).name for p in again.skipped) == ["a.pdf", "b.pdf"]
    assert [(Path(p).name, Path(of).name) for p, of in again.duplicates] == [("c.pdf", "a.pdf")]
    con = duckdb.connect(str(db), read_only=True)
    assert _counts(db)["documents"] == 1
    paths = sorted(Path(r[0]).name for r in con.execute("SELECT source_file FROM document_paths").fetchall())
    assert paths == ["a.pdf", "b.pdf", "c.pdf"]
    assert resolve_document(con, "c.pdf").document_id == resolve_document(con, "a.pdf").document_id
    con.close()
    shown = CliRunner().invoke(app, ["show", "b.pdf", "--db", str(db)])
    assert shown.exit_code == 0 and "Socialnämnden" in shown.output


@needs_corpus
def test_a_path_with_new_content_leaves_the_old_content_under_its_other_names(tmp_path):
    folder = tmp_path / "in"
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "a.pdf")
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "b.pdf")
    db = tmp_path / "db.duckdb"
    ingest_paths([folder], db, workers=1)
    _corpus_copy(folder, "socialforvaltningen-bilaga-1-2-oppenvard.pdf", "a.pdf")
    report = ingest_paths([folder / "a.pdf"], db, workers=1)
    assert len(report.stored) == 1
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT d.kind, list(p.source_file ORDER BY p.source_file) FROM documents d "
        "JOIN document_paths p USING (document_id) GROUP BY ALL ORDER BY 1"
    ).fetchall()
    primary = con.execute("SELECT source_file FROM documents WHERE kind = 'verksamhetsplan'").fetchone()[0]
    con.close()
    assert [(kind, [Path(p).name for p in paths]) for kind, paths in rows] == [
        ("bilaga", ["a.pdf"]),
        ("verksamhetsplan", ["b.pdf"]),
    ]
    assert Path(primary).name == "b.pdf"


@needs_corpus
def test_progress_knows_the_page_totals_before_the_first_file_is_done(tmp_path):
    folder = tmp_path / "in"
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "plan.pdf")
    _corpus_copy(folder, "socialforvaltningen-bilaga-1-2-oppenvard.pdf", "bilaga.pdf")
    events = []
    ingest_paths([folder], tmp_path / "db.duckdb", workers=2, on_progress=events.append)
    assert events[0].kind == "counted" and events[0].pages_total == 24 and events[0].done == 0
    files = [e for e in events if e.kind == "file"]
    assert [e.done for e in files] == [1, 2] and files[-1].pages_done == 24
    assert all(e.pages_total == 24 for e in events)


@needs_corpus
def test_a_document_without_goals_is_stored_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    _corpus_copy(folder, "socialforvaltningen-bilaga-1-2-oppenvard.pdf", "bilaga.pdf")
    db = tmp_path / "db.duckdb"
    report = ingest_paths([folder], db, workers=1)
    assert report.ok and len(report.stored) == 1
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT severity, kind, message FROM failures").fetchall()
    con.close()
    assert ("warning", "no_goal_structure") in {(s, k) for s, k, _ in rows}
    assert any(NO_GOAL_STRUCTURE in m for *_, m in rows)


def test_reader_warnings_keep_their_kind_and_a_page_count_mismatch_is_reported():
    page = Page(number=1, width=595, height=842, lines=())
    job = FileJob("x.pdf", "0" * 64, 3, ExtractSettings())
    pdf = PdfDocument("x.pdf", "0" * 64, (page,))
    found = reader_warnings(job, pdf)
    assert [(f.kind, f.severity) for f in found] == [("page_count_mismatch", "warning")]
    assert "declares 3 pages but 1 were read" in found[0].message
    assert reader_warnings(FileJob("x.pdf", "0" * 64, 1, ExtractSettings()), pdf) == []


def _long_pdf(path: Path, copies: int) -> Path:
    """A long document: the 78-page report's pages several times over."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(CORPUS_PDF / "socialnamnden-vb-2019.pdf"))
    for _ in range(copies):
        out.import_pages(source)
    out.save(str(path))
    return path


@needs_corpus
def test_a_file_past_the_time_limit_fails_as_too_slow_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    badfiles.text_pdf(folder / "small.pdf", ["Verksamhetsplan 2019", "En rad text."])
    _long_pdf(folder / "long.pdf", 8)  # 624 pages
    report = ingest_paths([folder], tmp_path / "db.duckdb", workers=2, timeout=3)
    assert [Path(d.source_file).name for d in report.stored] == ["small.pdf"]
    assert [Path(f.source_file).name for f in report.failures] == ["long.pdf"]
    assert "long.pdf: too slow (over 3 s" in report.failures[0].message


@needs_corpus
def test_a_worker_past_the_memory_limit_fails_its_file_as_too_large_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    _corpus_copy(folder, "socialforvaltningen-bilaga-1-2-oppenvard.pdf", "a.pdf")
    _corpus_copy(folder, "socialnamnden-vp-2017.pdf", "b.pdf")
    db = tmp_path / "db.duckdb"
    # below what a worker holds at rest (the readers and spaCy): every file is stopped, the batch still ends
    report = ingest_paths([folder], db, workers=2, memory_mb=64)
    assert len(report.failures) == 2 and not report.stored
    assert all("too large (over 64 MB" in f.message for f in report.failures)
    assert len(ingest_paths([folder], db, workers=2).stored) == 2
