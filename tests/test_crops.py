"""Pictures of the printed originals: `show --goal --image`, and the crops beside each change in the HTML diff."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys

import duckdb
import numpy as np
import pytest
from conftest import CORPUS_PDF, REPO, needs_corpus
from PIL import Image
from test_diff import build_pair_db
from typer.testing import CliRunner

from malbild.cli import app
from malbild.compare.crops import diff_crops
from malbild.compare.diff import diff_documents
from malbild.compare.report import diff_to_html
from malbild.extract.crops import DPI, PAD, PAD_BOTTOM, PAD_TOP, render_boxes, verified_source
from malbild.extract.where import Where
from malbild.load.ingest import ingest_paths
from malbild.schemas.errors import PdfError

runner = CliRunner()
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
PNG = b"\x89PNG\r\n\x1a\n"


def _dark_share(image: Image.Image) -> float:
    """The share of pixels darker than mid grey: printed text has some, a blank crop none."""
    grey = np.asarray(image.convert("L"))
    return float((grey < 128).mean())


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    db = build_pair_db(tmp_path_factory.mktemp("crops"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        diff = diff_documents(con, "exempel-vp-2018.pdf", "exempel-vp-2019.pdf")
        yield db, diff, diff_crops(con, diff)
    finally:
        con.close()


@needs_corpus
def test_show_goal_prints_page_and_box_and_renders_the_heading(corpus_db, tmp_path):
    image = tmp_path / "goal.png"
    args = ["show", "socialnamnden-vb-2019.pdf", "--goal", "1.1.1", "--db", str(corpus_db), "--format", "json"]
    done = runner.invoke(app, [*args, "--image", str(image)])
    assert done.exit_code == 0, done.output
    (goal,) = json.loads(done.stdout)
    assert goal["number"] == "1.1.1" and goal["title"] == "Stockholmare arbetar och är självförsörjande"
    assert goal["page"] == goal["page_end"] and 0 < goal["x0"] < goal["x1"] and 0 < goal["top"] < goal["bottom"]
    assert image.read_bytes()[:8] == PNG
    picture = Image.open(image)
    scale = DPI / 72
    assert abs(picture.width - (goal["x1"] - goal["x0"] + 2 * PAD) * scale) <= 2
    assert abs(picture.height - (goal["bottom"] - goal["top"] + PAD_TOP + PAD_BOTTOM) * scale) <= 2
    assert 0.02 < _dark_share(picture) < 0.5  # bold heading text on white


@needs_corpus
def test_show_goal_by_id_and_errors_are_one_line(corpus_db, tmp_path):
    db = ["--db", str(corpus_db)]
    listed = runner.invoke(app, ["show", "socialnamnden-vp-2017.pdf", *db, "--format", "json"])
    goal_id = json.loads(listed.stdout)[0]["goal_id"]
    by_id = runner.invoke(app, ["show", "socialnamnden-vp-2017.pdf", "--goal", goal_id, *db, "--format", "tsv"])
    assert by_id.exit_code == 0 and goal_id in by_id.stdout and "x0\ttop\tx1\tbottom" in by_id.stdout
    for args, message in (
        (["show", "socialnamnden-vp-2017.pdf", "--goal", "9.9"], "no such goal"),
        (["show", "--goal", "1.1"], "--goal needs DOC"),
        (["show", "socialnamnden-vp-2017.pdf", "--image", str(tmp_path / "x.png")], "--image needs --goal"),
    ):
        done = runner.invoke(app, [*args, *db])
        assert done.exit_code != 0 and message in done.output, done.output
        assert "Traceback" not in done.output


def test_a_moved_or_changed_pdf_gives_one_line_and_no_picture(tmp_path):
    folder = tmp_path / "pdf"
    folder.mkdir()
    pdf = shutil.copy(CORPUS_PDF / "socialnamnden-vp-2017.pdf", folder / "plan.pdf") if CORPUS_PDF.exists() else None
    if pdf is None:
        pytest.skip("../shared/corpus is not beside the repo")
    db = tmp_path / "db.duckdb"
    assert ingest_paths([folder], db, workers=1).ok
    image = tmp_path / "goal.png"
    args = ["show", "plan.pdf", "--goal", "1.1", "--db", str(db), "--image", str(image)]
    moved = folder / "plan.pdf"
    moved.rename(tmp_path / "elsewhere.pdf")
    done = runner.invoke(app, args)
    assert done.exit_code == 1 and "no longer there" in done.output and len(done.output.strip().splitlines()) == 1
    (tmp_path / "elsewhere.pdf").rename(moved)
    with moved.open("ab") as fh:
        fh.write(b"\n% appended after ingest\n")
    done = runner.invoke(app, args)
    assert done.exit_code == 1 and "changed since it was ingested" in done.output
    assert not image.exists()


def test_verified_source_takes_the_first_path_with_the_right_content(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"%PDF-1.4 one")
    b.write_bytes(b"%PDF-1.4 two")
    from malbild.extract.files import file_sha256

    assert verified_source([str(tmp_path / "gone.pdf"), str(a), str(b)], file_sha256(b)) == b
    with pytest.raises(PdfError, match="changed since"):
        verified_source([str(a)], file_sha256(b))


def test_render_boxes_rejects_pages_and_boxes_outside_the_document(pair):
    db, diff, _crops = pair
    path = verified_source([diff.to_doc.source_file], diff.to_doc.sha256)
    with pytest.raises(PdfError, match="has no page 99"):
        render_boxes(path, [Where(99, 10, 10, 20, 20, 99)])
    with pytest.raises(PdfError, match="outside the page"):
        render_boxes(path, [Where(1, 2000, 10, 2100, 20, 1)])


def _figures(html: str, status: str) -> list[list[str]]:
    """For each goal row of a status: the data URIs of its pictures."""
    rows = re.findall(rf'<tr class="{status}">(.*?)</tr>', html)
    return [re.findall(r'src="data:image/png;base64,([^"]+)"', row) for row in rows]


def test_html_report_has_a_crop_of_each_side_of_every_changed_goal(pair):
    _db, diff, crops = pair
    assert not crops.problems
    html = diff_to_html(diff, crops)
    sides = {"reworded": 2, "moved": 2, "added": 1, "removed": 1}
    for status, count in sides.items():
        rows = _figures(html, status)
        assert len(rows) == diff.counts()[status] == 1
        assert [len(r) for r in rows] == [count]
        for data in rows[0]:
            picture = Image.open(io.BytesIO(base64.b64decode(data)))
            assert picture.width > 100 and 15 < picture.height < 200 and _dark_share(picture) > 0.01
    assert _figures(html, "unchanged") == [[]] * diff.counts()["unchanged"]
    changed_values = [c for c in diff.indicator_changes if c.status == "changed"]
    table = html[html.index("Indicator changes") :]
    assert len(re.findall(r"data:image/png;base64,", table)) == 2 * len(changed_values) == 4
    assert "<img" not in diff_to_html(diff)  # without crops, no pictures


def test_cli_diff_html_embeds_pictures_unless_asked_not_to(pair, tmp_path):
    db, _diff, _crops = pair
    args = ["diff", "exempel-vp-2018.pdf", "exempel-vp-2019.pdf", "--db", str(db), "--format", "html"]
    with_pictures = runner.invoke(app, args)
    without = runner.invoke(app, [*args, "--no-pictures"])
    assert with_pictures.exit_code == 0 and without.exit_code == 0
    assert with_pictures.stdout.count("<img") == 10 and "<img" not in without.stdout
    markdown = runner.invoke(app, [*args[:-1], "markdown"]).stdout
    assert re.search(r"printed: from p\. \d+ \(\d+\.\d, \d+\.\d\)–\(\d+\.\d, \d+\.\d\); to p\. \d+", markdown)


def _find(shot: np.ndarray, crop: np.ndarray) -> bool:
    """Whether crop appears in shot at 1:1 (a browser's rendering of it, within a little anti-aliasing)."""
    row = int(np.argmin(crop.mean(axis=1)))  # the crop's darkest row: text
    h, w = crop.shape
    for y in range(row, shot.shape[0] - (h - row)):
        windows = np.lib.stride_tricks.sliding_window_view(shot[y], w)
        close = np.abs(windows - crop[row]).mean(axis=1) < 6
        for x in np.flatnonzero(close):
            if np.abs(shot[y - row : y - row + h, x : x + w] - crop).mean() < 6:
                return True
    return False


@needs_chromium
def test_screenshot_shows_the_printed_heading_beside_a_changed_goal(pair, tmp_path):
    db, diff, crops = pair
    out = tmp_path / "report.png"
    command = [sys.executable, str(REPO / "bench" / "screenshot_report.py"), str(db)]
    command += ["exempel-vp-2018.pdf", "exempel-vp-2019.pdf", str(out), "--width", "1100", "--height", "2400"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    shot = np.asarray(Image.open(out).convert("L"), dtype=np.int16)
    added = next(c for c in diff.changes if c.status == "added")
    png = crops.get(diff.to_doc.document_id, added.to_goal.where)
    crop = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)
    assert _find(shot, crop)
