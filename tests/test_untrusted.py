"""Untrusted input: corrupt PDFs, hostile names and titles, special files. Every file gets its own outcome."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import CORPUS_PDF, needs_corpus
from mutants import KINDS, write_mutants
from render import document, goal, render_document, spec
from typer.testing import CliRunner

from malbild.cli import app
from malbild.load.ingest import ingest_paths

runner = CliRunner()
SHORT = "socialforvaltningen-bilaga-1-2-oppenvard.pdf"  # 6 pages: most mutants, to keep the test cheap
PLAN = "socialnamnden-vp-2017.pdf"  # 18 pages, with goals, indicators and activities
MUTANT_TIMEOUT = 30.0

# Rows that point at a parent that is not there.
ORPHANS = {
    "goals": "document_id NOT IN (SELECT document_id FROM documents)",
    "indicators": "document_id NOT IN (SELECT document_id FROM documents)",
    "activities": "document_id NOT IN (SELECT document_id FROM documents)",
    "table_cells": "document_id NOT IN (SELECT document_id FROM documents)",
    "finance_lines": "document_id NOT IN (SELECT document_id FROM documents)",
    "decisions": "document_id NOT IN (SELECT document_id FROM documents)",
    "entities": "document_id NOT IN (SELECT document_id FROM documents)",
    "goal_sections": "goal_id NOT IN (SELECT goal_id FROM goals)",
    "indicator_values": "indicator_id NOT IN (SELECT indicator_id FROM indicators)",
    "indicator_cells": "indicator_id NOT IN (SELECT indicator_id FROM indicators)",
    "document_paths": "document_id NOT IN (SELECT document_id FROM documents)",
    "documents": "document_id NOT IN (SELECT document_id FROM document_paths)",
}


def orphan_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t} WHERE {w}").fetchone()[0] for t, w in ORPHANS.items()}
    finally:
        con.close()
    return {table: n for table, n in counts.items() if n}


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "malbild.cli", *args], capture_output=True, text=True, timeout=timeout, stdin=None
    )


@needs_corpus
def test_a_batch_of_seeded_mutants_gives_every_file_one_outcome_and_no_orphans(tmp_path):
    files = write_mutants({CORPUS_PDF / SHORT: 76, CORPUS_PDF / PLAN: 24}, tmp_path / "mutants")
    assert len(files) == 100 and {f.stem.rsplit("-", 1)[1] for f in files} == set(KINDS)
    db = tmp_path / "db.duckdb"
    started = time.perf_counter()
    report = ingest_paths([tmp_path / "mutants"], db, workers=2, timeout=MUTANT_TIMEOUT, strict=False)
    seconds = time.perf_counter() - started
    stored = {d.source_file for d in report.stored} | {path for path, _of in report.duplicates}
    failed = [f.source_file for f in report.failures]
    assert sorted(stored | set(failed)) == sorted(map(str, files)), "a file without an outcome"
    assert not stored & set(failed) and len(failed) == len(set(failed)), "a file with two outcomes"
    assert report.stored and report.failures, "mutants should both survive and fail"
    ours = [f.message for f in report.failures if "internal error" in f.message and f.stage in ("parse", "validate")]
    assert not ours, ours
    assert orphan_rows(db) == {}
    assert seconds < len(files) * MUTANT_TIMEOUT / 2
    con = duckdb.connect(str(db), read_only=True)
    outcomes = con.execute(
        "SELECT count(DISTINCT source_file) FROM (SELECT source_file FROM document_paths UNION ALL "
        "SELECT source_file FROM failures WHERE severity = 'error')"
    ).fetchone()[0]
    con.close()
    assert outcomes == len(files)


@needs_corpus
def test_markup_in_file_names_and_titles_is_printed_as_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS_PDF / PLAN, folder / "nope[i][red].pdf")  # a name cannot hold "/": opening tags
    title = "Verksamhetsplan [/b'A'] 2019 för Exempelnämnden"
    doc = spec(document=document(title=title), goals=[goal("g1", "namndmal", "Nämndens [bold]mål[/] är [/i]nåbara")])
    render_document(doc, folder / "titel.pdf")
    (folder / "bad[b]x[link=y].pdf").write_text("ingen PDF", encoding="utf-8")
    db = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "nope[i][red].pdf" in result.output and "bad[b]x[link=y].pdf" in result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    listed = runner.invoke(app, ["failures", "--db", str(db)])
    assert listed.exit_code == 0 and "bad[b]x[link=y].pdf" in listed.output
    shown = runner.invoke(app, ["show", "titel.pdf", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "[/b'A']" in shown.output and "[/i]nåbara" in shown.output
    missing = runner.invoke(app, ["show", "nope[/i].pdf", "--db", str(db)])
    assert missing.exit_code == 1 and "nope[/i].pdf: no such document" in missing.output


@needs_corpus
def test_special_files_are_refused_at_once_and_the_rest_is_ingested(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS_PDF / SHORT, folder / "good.pdf")
    os.mkfifo(folder / "fifo.pdf")
    (folder / "folder.pdf").mkdir()
    shutil.copy(CORPUS_PDF / SHORT, folder / "folder.pdf" / "inside.pdf")
    os.symlink("loop.pdf", folder / "loop.pdf")
    os.symlink(folder / "missing.pdf", folder / "dangling.pdf")
    db = tmp_path / "db.duckdb"
    # the FIFO also given on the command line: opening it must not wait for a writer
    result = _cli("ingest", str(folder), str(folder / "fifo.pdf"), "--db", str(db), "--workers", "1", timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    reasons = {line.split(" failed ", 1)[0] for line in result.stderr.splitlines()}
    assert any("fifo.pdf: not a regular file (a FIFO)" in line for line in result.stderr.splitlines()), reasons
    assert "loop.pdf: symbolic link loop" in result.stderr
    assert "dangling.pdf: broken symbolic link" in result.stderr
    assert "1 stored" in result.stdout and "1 duplicates" in result.stdout  # inside.pdf repeats good.pdf


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
@needs_corpus
def test_unreadable_file_given_on_the_command_line_fails_alone(tmp_path):
    shutil.copy(CORPUS_PDF / SHORT, tmp_path / "good.pdf")
    secret = tmp_path / "secret.pdf"
    shutil.copy(CORPUS_PDF / PLAN, secret)
    secret.chmod(0)
    result = runner.invoke(app, ["ingest", str(tmp_path / "good.pdf"), str(secret), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 1
    assert "secret.pdf: cannot be read (permission denied)" in result.output and "1 stored" in result.output


def test_a_path_that_does_not_exist_is_a_usage_error_and_creates_nothing(tmp_path):
    db = tmp_path / "db" / "x.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "does-not-exist"), "--db", str(db)])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert not (tmp_path / "db").exists()


def test_an_empty_folder_warns_and_creates_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "db" / "x.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 1
    assert "no PDFs found" in result.output
    assert not (tmp_path / "db").exists()
