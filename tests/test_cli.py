"""The CLI: every command has help; ingest summarises and sets the exit code."""

from __future__ import annotations

import json
import shutil

import badfiles
import pytest
from conftest import CORPUS_PDF, needs_corpus
from typer.main import get_command
from typer.testing import CliRunner

from malbild.cli import app

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert get_command(app).commands[command].help


@needs_corpus
def test_ingest_prints_summary_and_exit_code(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS_PDF / "socialnamnden-vp-2017.pdf", folder)
    db = tmp_path / "db.duckdb"
    ok = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json", "--workers", "1"])
    assert ok.exit_code == 0, ok.output
    summary = json.loads(ok.stdout)
    assert summary["stored"][0]["goals"] == 5 and summary["failures"] == []
    badfiles.not_a_pdf(folder / "trasig.pdf")
    bad = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert bad.exit_code == 1
    assert "1 skipped" in bad.output
    assert "trasig.pdf: not a PDF" in bad.output
    listed = runner.invoke(app, ["failures", "--db", str(db), "--json"])
    assert listed.exit_code == 0
    assert any("trasig.pdf" in f["source_file"] for f in json.loads(listed.stdout))


@needs_corpus
def test_query_reads_the_database(corpus_db):
    result = runner.invoke(app, ["query", "SELECT count(*) AS n FROM goals", "--db", str(corpus_db), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{"n": 55}]


def test_query_without_database_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no such database" in result.output
