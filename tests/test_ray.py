"""Ingest on Ray (`--executor ray`): the same database as the local executor, Ray's retries, one-line errors.

The tests that run Ray share one local Ray of 2 CPUs (no dashboard), shut down at the end of the module;
the CLI tests start their own, as `malbild ingest --executor ray` does without --address.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import badfiles
import duckdb
import pytest
from conftest import CORPUS_PDF, REPO, copy_corpus, needs_corpus
from typer.testing import CliRunner

from malbild.cli import app
from malbild.compare.links import update_links
from malbild.load.executor import Call, Done
from malbild.load.ingest import ingest_paths

HAVE_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="the ray extra is not installed (pip install -e '.[test,ray]')")
SMALL = ["socialnamnden-vp-2017.pdf", "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"]
BILAGA = "socialforvaltningen-bilaga-1-2-oppenvard.pdf"
MALBILD = Path(sys.executable).with_name("malbild")


def _dbdiff():
    spec = importlib.util.spec_from_file_location("dbdiff", REPO / "bench" / "dbdiff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(db: Path) -> dict:
    """Every table's rows without ids that name the run (bench/dbdiff.py: times, paths, versions)."""
    dbdiff = _dbdiff()
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {table: dbdiff.rows(con, table) for table in dbdiff.TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _until_done(executor, keys: set[int], seconds: float = 120.0) -> dict[int, Done]:
    found: dict[int, Done] = {}
    deadline = time.monotonic() + seconds
    while set(found) != keys and time.monotonic() < deadline:
        found.update((d.key, d) for d in executor.wait(0.5))
    return found


def test_without_the_extra_ray_is_a_one_line_error_naming_it_and_local_needs_no_ray(tmp_path, monkeypatch):
    folder = copy_corpus([BILAGA], tmp_path / "in")
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails, as without the extra
    db = tmp_path / "db.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--executor", "ray"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert lines[0].startswith("error: ") and "malbild[ray]" in lines[0]
    assert not db.exists()  # failed before anything was made
    local = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert local.exit_code == 0, local.output
    bad = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--address", "auto"])
    assert bad.exit_code == 2 and "--executor ray" in bad.output


def test_the_package_does_not_import_ray_unless_asked():
    code = "import sys, malbild.cli, malbild.load.ingest; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@needs_ray
@needs_corpus
def test_ray_ingests_the_corpus_and_bad_files_into_the_same_rows_as_the_local_executor(tmp_path, local_ray):
    folder = tmp_path / "in"
    shutil.copytree(CORPUS_PDF, folder)
    badfiles.truncated_pdf(folder / "trasig.pdf")
    badfiles.image_only_pdf(folder / "skannad.pdf", tmp_path)
    runs = {}
    for name in ("local", "ray"):
        events = []
        report = ingest_paths(
            [folder], tmp_path / f"{name}.duckdb", workers=2, executor=name, after_store=update_links,
            on_progress=events.append, strict=False,
        )  # fmt: skip
        runs[name] = (report, events)
    (local, local_events), (ray, ray_events) = runs["local"], runs["ray"]
    assert len(ray.stored) == 4 and len(ray.failures) == 2
    assert sorted(d.source_file for d in ray.stored) == sorted(d.source_file for d in local.stored)
    assert sorted(f.message for f in ray.failures) == sorted(f.message for f in local.failures)
    assert _rows(tmp_path / "ray.duckdb") == _rows(tmp_path / "local.duckdb")
    files = {
        name: sorted((e.source_file, e.ok, e.message) for e in ev if e.kind == "file") for name, (_, ev) in runs.items()
    }
    assert files["ray"] == files["local"] and len(files["ray"]) == 6
    assert (ray_events[-1].done, ray_events[-1].pages_done) == (6, local_events[-1].pages_total)
    again = ingest_paths([folder], tmp_path / "ray.duckdb", executor="ray", strict=False)
    assert len(again.skipped) == 4 and not again.stored  # sha256 skip, as locally
    forced = ingest_paths([folder / SMALL[0]], tmp_path / "ray.duckdb", executor="ray", force=True)
    assert len(forced.stored) == 1
    assert _rows(tmp_path / "ray.duckdb")["goals"] == _rows(tmp_path / "local.duckdb")["goals"]


@needs_ray
def test_a_call_that_raises_dies_or_runs_long_is_reported_and_kept_results_pass_to_later_calls(local_ray):
    from malbild.load.ray_executor import RayExecutor

    executor = RayExecutor()
    try:
        executor.submit(Call(0, int, ("x",), 60))  # raises ValueError in the worker
        executor.submit(Call(1, os._exit, (3,), 60))  # kills its worker on every attempt
        executor.submit(Call(2, time.sleep, (60,), 1.0))
        executor.submit(Call(3, len, ("abcd",), 60, keep=True))
        done = _until_done(executor, {0, 1, 2, 3})
        assert done[0].stopped == "crashed" and "ValueError: invalid literal" in done[0].reason
        assert done[1].stopped == "crashed" and "died" in done[1].reason
        assert done[2].stopped == "too slow" and done[2].seconds < 5
        assert done[3].stopped is None and isinstance(done[3].value, local_ray.ObjectRef)
        executor.submit(Call(4, abs, (done[3].value,), 60))  # the kept 4, resolved in the worker
        assert _until_done(executor, {4})[4].value == 4
    finally:
        executor.close()


@needs_ray
@needs_corpus
def test_a_worker_past_the_memory_limit_fails_its_file_as_too_large(tmp_path, local_ray):
    folder = copy_corpus([BILAGA], tmp_path / "in")
    db = tmp_path / "db.duckdb"
    report = ingest_paths([folder], db, executor="ray", memory_mb=64)  # below a Ray worker at rest
    assert not report.stored and len(report.failures) == 1
    assert "too large (over 64 MB" in report.failures[0].message
    assert len(ingest_paths([folder], db, executor="ray").stored) == 1  # the workers went on


def _malbild(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [str(MALBILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        **popen,
    )


@needs_ray
@needs_corpus
@pytest.mark.parametrize("killed", ["read_task", "finish_task"])
def test_a_worker_killed_mid_task_is_retried_and_the_document_stored_once(tmp_path, killed):
    folder = copy_corpus(SMALL, tmp_path / "in")  # 18 pages each: chunks read, then parsed from the kept chunks
    marker = tmp_path / "killed"
    db = tmp_path / "ray.duckdb"
    run = _malbild(
        "ingest", str(folder), "--db", str(db), "--executor", "ray", "--workers", "2", "--json",
        env={"MALBILD_TEST_KILL_ONCE": f"{killed}:{marker}"},
    )  # fmt: skip
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert marker.read_text().startswith(killed)  # one worker died in that task
    ingest_paths([folder], tmp_path / "local.duckdb", workers=2, after_store=update_links)
    assert _rows(db) == _rows(tmp_path / "local.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (2, 2)
    con.close()


@needs_ray
@needs_corpus
def test_with_address_auto_the_ingest_joins_a_running_ray_and_leaves_it_running(tmp_path, local_ray):
    folder = copy_corpus([BILAGA], tmp_path / "in")
    db = tmp_path / "db.duckdb"
    run = _malbild("ingest", str(folder), "--db", str(db), "--executor", "ray", "--address", "auto", "--json")
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert json.loads(out)["stored"][0]["pages"] == 6

    @local_ray.remote
    def alive() -> int:
        return 1

    assert local_ray.get(alive.remote(), timeout=60) == 1  # the cluster outlived the ingest that joined it


def _session_processes(sid: int) -> list[int]:
    pids = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


@needs_ray
@needs_corpus
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_ctrl_c_leaves_only_whole_documents_and_exits_130(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for copy in range(6):  # the documents finish close together: enough of them that Ctrl-C lands among them
        data = (CORPUS_PDF / SMALL[0]).read_bytes() + f"\n% copy {copy}\n".encode()
        (folder / f"{copy}.pdf").write_bytes(data)
    db = tmp_path / "db.duckdb"
    run = _malbild(
        "ingest", str(folder), "--db", str(db), "--executor", "ray", "--workers", "2", start_new_session=True
    )
    assert any(" ok " in line for line in run.stderr), "the ingest stored nothing"  # reads up to the first stored
    pressed = time.perf_counter()
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert time.perf_counter() - pressed < 10
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted: ")
    deadline = time.monotonic() + 5
    while _session_processes(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(run.pid) == []  # Ray's processes went with it
    con = duckdb.connect(str(db), read_only=True)
    counts = con.execute(
        "SELECT (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id),"
        " (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id),"
        " (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id) FROM documents d"
    ).fetchall()
    con.close()
    assert 1 <= len(counts) < 6 and set(counts) == {(5, 8, 7)}  # every document stored whole
