"""Reports of a diff: Markdown and a self-contained HTML page with the summary and word-level highlights."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys

import duckdb
import pytest
from conftest import REPO, needs_corpus
from test_diff import ADDED, MOVED, REMOVED, build_pair_db

from malbild.compare.diff import diff_documents, word_diff
from malbild.compare.report import diff_to_html, diff_to_markdown, words_plain

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    db = build_pair_db(tmp_path_factory.mktemp("report"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        yield db, diff_documents(con, "exempel-vp-2018.pdf", "exempel-vp-2019.pdf")
    finally:
        con.close()


def _summary_counts(html: str, title: str) -> list[int]:
    table = re.search(rf"<table class=\"summary\"><tr><th>{title}</th>.*?</table>", html).group(0)
    return [int(n) for n in re.findall(r'<td class="n">(\d+)</td>', table)]


def test_html_has_summary_counts_and_word_highlights(pair):
    _, diff = pair
    html = diff_to_html(diff)
    assert _summary_counts(html, "goals") == [6, 1, 1, 1, 1]
    assert _summary_counts(html, "indicators") == [1, 1, 2]
    assert (
        "Barn och <del>unga</del> <ins>ungdomar</ins> växer upp under trygga <ins>och stabila</ins> förhållanden"
        in html
    )
    assert "<del>80 %</del>" in html and "<ins>85 %</ins>" in html
    headings = re.findall(r"<h2>(.*?) \(\d+\)</h2>", html)
    assert headings == ["KF:s inriktningsmål", "KF:s mål för verksamhetsområdet", "Nämndmål", "Indicator changes"]
    for title in (ADDED, MOVED, REMOVED):
        assert title in html


def test_html_is_self_contained(pair):
    html = diff_to_html(pair[1])
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"""(src|href)\s*=\s*"(?!data:image/png;base64,)|@import|url\(""", html)


def test_html_escapes_titles(pair):
    _, diff = pair
    change = diff.changes[0]
    evil = type(change.to_goal)(change.to_goal.goal_id, "1", "<script>alert(1)</script> & co", None)
    hostile = type(diff)(diff.from_doc, diff.to_doc, [type(change)("added", "inriktningsmal", None, evil, 0.0)], [])
    html = diff_to_html(hostile)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_markdown_has_counts_levels_and_word_diff(pair):
    md = diff_to_markdown(pair[1])
    assert "| count | 6 | 1 | 1 | 1 | 1 |" in md
    assert "Barn och ~~unga~~ **ungdomar** växer upp under trygga **och stabila** förhållanden" in md
    assert md.index("## KF:s inriktningsmål") < md.index("## Nämndmål") < md.index("## Indicator changes")
    assert "| changed | Andel barn som placeras nära hemmet | Årsmål | 80 % | 85 % |" in md


@pytest.mark.parametrize(
    ("old", "new", "plain"),
    [
        ("A B C", "A C", "A [-B-] C"),
        ("A B", "A C", "A [-B-]{+C+}"),
        ("A", "A B C", "A {+B C+}"),
        ("A B", "B", "[-A-] B"),
        ("Barn och unga växer", "Barn och ungdomar växer", "Barn och [-unga-]{+ungdomar+} växer"),
    ],
)
def test_plain_word_diff_marks_deletions_and_insertions_as_git_does(old, new, plain):
    assert words_plain(word_diff(old, new)) == plain


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _distinct_colours(path) -> int:
    """A rough count of distinct byte values in the compressed image data: blank pages have very few."""
    return len(set(path.read_bytes()[100:20000]))


@needs_chromium
@needs_corpus
def test_screenshot_of_the_corpus_report(corpus_db, tmp_path):
    out = tmp_path / "report.png"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "screenshot_report.py"),
            str(corpus_db),
            "socialnamnden-vp-2017.pdf",
            "socialnamnden-vb-2019.pdf",
            str(out),
            "--width",
            "1000",
            "--height",
            "1200",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _png_size(out) == (1000, 1200)
    assert out.stat().st_size > 30_000 and _distinct_colours(out) > 200
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert _summary_counts(html, "goals") == [0, 0, 0, 31, 5]
    # the printed heading beside each changed goal: the 2019 one beside an added goal, the 2017 one beside a removed
    for status, count in (("added", 31), ("removed", 5)):
        rows = re.findall(rf'<tr class="{status}">(.*?)</tr>', html)
        assert len(rows) == count and all(row.count('src="data:image/png;base64,') == 1 for row in rows)
