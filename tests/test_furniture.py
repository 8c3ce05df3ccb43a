"""Page furniture (running heads and feet, page labels) told apart from the body in every placement: only at the
top, only at the bottom, both; "Sid N (M)", "Sida N av M", "N/M", "N (M)"; organisation, unit, dnr and date in the
head; portrait and landscape pages. The PDFs are built here with tests/render.py; what the renderer puts in the
margins is known from the style, so every page is checked both ways (furniture kept apart, body text kept)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from render import STYLES, RenderStyle, render_document
from render_style import EXTRA_HEADER, extra_table
from test_goals_looks import SPEC

from malbild.extract.pdf import read_pdf

ORG = "Exempelförvaltningen"
UNIT = "Avdelningen för stöd"
DNR = "1.2.3-456/2020"
DATE = "2020-12-10"
BASE = replace(STYLES["ruled"], head_org=ORG, head_second=UNIT, dnr_in_head=True, date_in_head=True)
LAYOUTS: dict[str, RenderStyle] = {
    "top, Sid N (M)": BASE,
    "bottom only, Sida N av M": replace(
        BASE,
        head_pos="bottom",
        page_label="Sida {n} av {m}",
        page_label_pos="bottom-right",
        footer_text="",
        content_top=50.0,
        content_bottom=720.0,
    ),
    "bottom only, N/M centred": replace(
        BASE,
        head_pos="bottom",
        page_label="{n}/{m}",
        page_label_pos="bottom-center",
        footer_line="Stockholms stad",
        content_top=40.0,
        content_bottom=700.0,
    ),
    "top only, N (M) left, no foot": replace(
        BASE, page_label="{n} ({m})", page_label_pos="top-left", footer_text="", head_second=None, content_bottom=800.0
    ),
    "head top, label and web address at the foot": replace(
        BASE, page_label="Sida {n}", page_label_pos="bottom-left", footer_text="www.stockholm.se"
    ),
    "landscape, both": replace(
        BASE,
        page_width=842.0,
        page_height=595.0,
        content_bottom=520.0,
        page_label="Sida {n} av {m}",
        page_label_pos="bottom-right",
    ),
}
# a document long enough to repeat its furniture, with a generic table running over pages (its header repeated
# at the top of each page) and a lone year at the end of a table cell
SPEC_LONG = {
    **SPEC,
    "document": {**SPEC["document"], "dnr": DNR, "date": DATE},
    "tables": [extra_table(140, seed=3)],
}


def _margin_texts(style: RenderStyle, n: int, m: int) -> list[str]:
    """What this style prints in the margins of page n of m."""
    texts = [ORG, f"Dnr: {DNR}", f"Datum: {DATE}", style.page_label.format(n=n, m=m)]
    if style.head_second:
        texts.append(style.head_second)
    return texts + [t for t in (style.footer_text, style.footer_line) if t]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_furniture_is_kept_apart_and_the_body_is_kept(tmp_path, layout):
    style = LAYOUTS[layout]
    doc = read_pdf(render_document(SPEC_LONG, tmp_path / "doc.pdf", style))
    m = len(doc.pages)
    assert m >= 4
    header = " ".join(EXTRA_HEADER)
    table_pages = 0
    for page in doc.pages:
        furniture = " | ".join(line.text for line in page.furniture)
        body = [line.text for line in page.lines]
        for text in _margin_texts(style, page.number, m):
            assert text in furniture, (page.number, text, furniture)
            assert text not in body, (page.number, text)
        # nothing but margin text in the margins
        assert all(any(t in line.text for t in _margin_texts(style, page.number, m)) for line in page.furniture)
        table_pages += header in body
    assert table_pages >= 3  # the table's header, repeated at the top of every page it runs over, is body text


def test_a_lone_number_at_a_page_foot_is_no_page_number(tmp_path):
    # a one-column table of years running over pages: every page ends (and the next begins) with a bare number
    # at its edge, at the same height page after page, that does not follow the page count
    rows = [[str(1990 + k % 35)] for k in range(260)]
    spec = {**SPEC, "tables": [{"kind": "other", "header": ["Årtal"], "rows": rows, "heading": "Årtal"}]}
    doc = read_pdf(render_document(spec, tmp_path / "doc.pdf", BASE))
    assert len(doc.pages) >= 4
    labels = [line.text for page in doc.pages for line in page.furniture if "(" in line.text]
    assert len(labels) == len(doc.pages)  # "Sid N (M)" on every page is still furniture
    assert not [line.text for page in doc.pages for line in page.furniture if line.text.strip().isdigit()]
    years = [line.text for page in doc.pages for line in page.lines if line.text.strip().isdigit()]
    assert len(years) == len(rows)
