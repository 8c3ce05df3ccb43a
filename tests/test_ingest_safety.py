"""Batch ingest an analyst can trust: same results in parallel, a locked database, a killed ingest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import CORPUS_PDF, copy_corpus, needs_corpus
from render import activity, goal, render_document, spec
from test_diff import plan_spec

from malbild.load.ingest import ingest_paths

TABLES = {
    "documents": "document_id",
    "goals": "goal_id",
    "indicators": "indicator_id",
    "indicator_values": "indicator_id, measure",
    "activities": "activity_id",
}
SMALL = ["socialnamnden-vp-2017.pdf", "hagersten-liljeholmen-barn-och-ungdomsenheten-vp-2019.pdf"]
BILAGA = "socialforvaltningen-bilaga-1-2-oppenvard.pdf"  # 6 pages: quick to store


def _dump(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, order in TABLES.items():
            cursor = con.execute(
                f"SELECT * EXCLUDE (ingested_at) FROM {table} ORDER BY {order}"
                if table == "documents"
                else f"SELECT * FROM {table} ORDER BY {order}"
            )
            out[table] = cursor.fetchall()
        return out
    finally:
        con.close()


@needs_corpus
def test_parallel_ingest_gives_the_same_database_as_one_worker(tmp_path):
    folder = copy_corpus(SMALL, tmp_path / "in")
    ingest_paths([folder], tmp_path / "one.duckdb", workers=1)
    ingest_paths([folder], tmp_path / "two.duckdb", workers=2)
    assert _dump(tmp_path / "one.duckdb") == _dump(tmp_path / "two.duckdb")


def _malbild(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "malbild.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@needs_corpus
def test_second_ingest_on_a_database_in_use_gets_a_clear_message(tmp_path):
    db = tmp_path / "db.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        folder = copy_corpus(SMALL[:1], tmp_path / "in")
        second = _malbild("ingest", str(folder), "--db", str(db), "--workers", "1")
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "database is in use" in err
        assert "Traceback" not in err
    finally:
        holder.kill()
        holder.wait()
    report = ingest_paths([folder], db, workers=1)
    assert len(report.stored) == 1


@needs_corpus
def test_killed_ingest_leaves_no_half_stored_document_and_the_next_run_completes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for copy in range(3):
        for name in SMALL:
            data = (CORPUS_PDF / name).read_bytes() + f"\n% copy {copy}\n".encode()
            (folder / f"{copy}-{name}").write_bytes(data)
    db = tmp_path / "db.duckdb"
    run = _malbild("ingest", str(folder), "--db", str(db), "--workers", "1")
    for line in run.stderr:
        if " ok " in line:  # the first document is stored: kill in the middle of the batch
            break
    time.sleep(0.3)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    expected = {"socialnamnden-vp-2017.pdf": (5, 8, 7), SMALL[1]: (19, 6, 28)}
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT d.source_file, (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id),"
        " (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id),"
        " (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id) FROM documents d"
    ).fetchall()
    con.close()
    assert 1 <= len(rows) < 6
    for source_file, *counts in rows:
        assert tuple(counts) == expected[source_file.rsplit("/", 1)[1].split("-", 1)[1]]
    report = ingest_paths([folder], db, workers=2)
    assert report.ok
    assert len(report.stored) + len(report.skipped) == 6 and len(report.skipped) == len(rows)


@needs_corpus
def test_failing_batch_leaves_the_rest_of_the_database_unchanged(tmp_path):
    folder = copy_corpus(SMALL[:1], tmp_path / "in")
    db = tmp_path / "db.duckdb"
    ingest_paths([folder], db, workers=1)
    before = _dump(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "trasig.pdf").write_bytes((CORPUS_PDF / SMALL[0]).read_bytes()[:5000])
    (bad / "tom.pdf").write_bytes(b"")
    report = ingest_paths([bad], db, workers=2)
    assert len(report.failures) == 2
    assert _dump(db) == before


def test_huge_table_over_many_pages(tmp_path):
    acts = [
        activity(
            "g1",
            f"Aktivitet nummer {n} ska genomföras under året i samverkan med nämnderna.",
            "2019-01-01",
            "2019-12-31",
            status="done" if n % 2 else "ongoing",
        )
        for n in range(400)
    ]
    doc = spec(
        document={"title": "Verksamhetsplan 2019 för Provnämnden", "kind": "verksamhetsplan"},
        goals=[goal("g1", "namndmal", "Provnämndens verksamhet är effektiv")],
        activities=acts,
    )
    folder = tmp_path / "in"
    folder.mkdir()
    render_document(doc, folder / "stor tabell.pdf", "borderless-tight")
    report = ingest_paths([folder], tmp_path / "db.duckdb", workers=2)
    assert report.ok and report.stored[0].pages > 10
    assert report.stored[0].activities == 400
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    statuses = dict(con.execute("SELECT status, count(*) FROM activities GROUP BY 1").fetchall())
    con.close()
    assert statuses == {"done": 200, "ongoing": 200}


@pytest.fixture(autouse=True)
def _no_leftover_children():
    yield


def _session_processes(sid: int) -> list[int]:
    """Pids of the live processes in a session (the ingest, its forkserver and workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields[3] is the session id; zombies are gone already
            pids.append(int(entry))
    return pids


def _copies(folder, names=(BILAGA,), count: int = 6):
    folder.mkdir()
    for copy in range(count):
        for name in names:
            data = (CORPUS_PDF / name).read_bytes() + f"\n% copy {copy}\n".encode()
            (folder / f"{copy}-{name}").write_bytes(data)
    return folder


def _first_stored(run: subprocess.Popen) -> None:
    for line in run.stderr:
        if " ok " in line:
            return
    raise AssertionError("the ingest stored nothing")


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@needs_corpus
def test_ctrl_c_stops_the_ingest_within_two_seconds_with_one_line_and_exit_130(tmp_path):
    folder = _copies(tmp_path / "in", SMALL[:1], 16)  # enough that the batch is still running when Ctrl-C comes
    db = tmp_path / "db.duckdb"
    run = _malbild("ingest", str(folder), "--db", str(db), "--workers", "2", start_new_session=True)
    _first_stored(run)
    pressed = time.perf_counter()
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _out, err = run.communicate(timeout=30)
    stopped = time.perf_counter() - pressed
    assert run.returncode == 130, err
    assert stopped < 2.0, f"took {stopped:.2f} s"
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: ")
    deadline = time.monotonic() + 2
    while _session_processes(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_processes(run.pid) == []
    con = duckdb.connect(str(db), read_only=True)
    counts = con.execute(
        "SELECT (SELECT count(*) FROM goals g WHERE g.document_id = d.document_id),"
        " (SELECT count(*) FROM indicators i WHERE i.document_id = d.document_id),"
        " (SELECT count(*) FROM activities a WHERE a.document_id = d.document_id),"
        " (SELECT count(*) FROM decisions x WHERE x.document_id = d.document_id) FROM documents d"
    ).fetchall()
    con.close()
    assert 1 <= len(counts) < 16 and set(counts) == {(5, 8, 7, 17)}  # every document stored whole


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@needs_corpus
def test_no_worker_outlives_a_killed_ingest_by_two_seconds(tmp_path):
    folder = _copies(tmp_path / "in")
    run = _malbild("ingest", str(folder), "--db", str(tmp_path / "db.duckdb"), "--workers", "2", start_new_session=True)
    _first_stored(run)
    assert len(_session_processes(run.pid)) >= 3  # the ingest, the forkserver, the workers
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 2
    while _session_processes(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_processes(run.pid) == []


@needs_corpus
def test_queries_run_while_an_ingest_is_writing(tmp_path):
    folder = _copies(tmp_path / "in")
    db = tmp_path / "db.duckdb"
    run = _malbild("ingest", str(folder), "--db", str(db), "--workers", "1")
    _first_stored(run)
    answers = []
    while run.poll() is None:
        query = subprocess.run(
            [sys.executable, "-m", "malbild.cli", "query", "SELECT count(*) AS n FROM documents", "--db", str(db)]
            + ["--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert query.returncode == 0, query.stderr
        answers.append(json.loads(query.stdout)[0]["n"])
    run.communicate()
    assert run.returncode == 0
    assert answers and answers[0] >= 1 and answers == sorted(answers)


def test_links_killed_after_the_last_store_are_rebuilt_by_the_next_run(tmp_path):
    pdfs = tmp_path / "pdf"
    render_document(plan_spec(2018), pdfs / "exempel-vp-2018.pdf")
    render_document(plan_spec(2019), pdfs / "exempel-vp-2019.pdf")
    db = tmp_path / "db.duckdb"
    # the link step (which runs after the last document is committed) kills its own process
    code = (
        "import os, signal, sys\n"
        "from malbild.load.ingest import ingest_paths\n"
        "def die(con, ids):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"ingest_paths([{str(pdfs)!r}], {str(db)!r}, workers=1, after_store=die)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM goal_links").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM stale_links").fetchone()[0] == 2
    con.close()
    again = _malbild("ingest", str(pdfs), "--db", str(db), "--workers", "1")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "0 stored" in out and "2 skipped" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM goal_links").fetchone()[0] == 8
    assert con.execute("SELECT count(*) FROM stale_links").fetchone()[0] == 0
    con.close()
