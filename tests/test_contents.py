"""Tables of contents, in one column or two, are contents: not goals (even when their entries carry level labels),
not tables. The PDFs are built here with tests/render.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from render import STYLES, render_document
from test_goals_looks import SPEC, TEXT

from malbild.extract.parse.contents import contents_indexes
from malbild.extract.parse.document import parse_document
from malbild.extract.pdf import read_pdf

LABELS = {
    "inriktningsmal": "KF:s inriktningsmål:",
    "kf_mal": "KF:s mål för verksamhetsområdet:",
    "namndmal": "Nämndmål:",
}
# the contents of a document whose headings carry their level label: every entry opens like a goal heading
TOC = (
    [{"text": "Inledning", "page": 2}]
    + [
        {"text": f"{LABELS[g['level']]} {g.get('number_raw') or ''} {g['title']}".replace("  ", " "), "page": 3 + i}
        for i, g in enumerate(SPEC["goals"])
        if g["level"] in LABELS
    ]
    + [
        {"text": "Budget och utfall", "page": 12},
        {"text": "Prognos och avvikelse mot budget", "page": 13},
        {"text": "Bilaga 1: Indikatorer och aktiviteter", "page": 14},
    ]
)


@pytest.mark.parametrize("columns", [1, 2])
def test_contents_with_labelled_entries_are_not_goals_or_tables(tmp_path, columns):
    style = replace(STYLES["ruled"], toc_columns=columns, label_placement="inline")
    spec = {**SPEC, "toc": TOC}
    pdf = render_document(spec, tmp_path / "doc.pdf", style)
    doc = read_pdf(pdf)
    parsed = parse_document(doc)
    assert [(g.level, g.title) for g in parsed.goals] == [(g["level"], g["title"]) for g in SPEC["goals"]]
    assert parsed.tables == [] and parsed.finance_lines == []
    # the contents page: its heading and every entry line are contents, the decisions above them are not
    page = next(p for p in doc.pages if any(line.text.startswith("Innehållsförteckning") for line in p.lines))
    found = contents_indexes(page)
    contents = [line.text for i, line in enumerate(page.lines) if i in found]
    assert contents[0] == "Innehållsförteckning"
    assert not any(line.text.startswith("Förslag till beslut") for i, line in enumerate(page.lines) if i in found)
    entry_words = {w for e in TOC for w in e["text"].split()}
    assert all(set(text.replace(".", " ").split()) & entry_words for text in contents[1:])


def test_dots_in_running_text_are_no_contents(tmp_path):
    spec = {
        "document": {"kind": "verksamhetsplan", "year": 2021, "organisation": "Exempelnämnden"},
        "intro": [{"heading": "Inledning", "text": f"{TEXT} Se vidare... 12 stycken enheter. {TEXT}"}],
        "goals": SPEC["goals"][:2],
    }
    doc = read_pdf(render_document(spec, tmp_path / "doc.pdf", STYLES["ruled"]))
    assert all(not contents_indexes(page) for page in doc.pages)
