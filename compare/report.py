"""Render a GoalDiff for people: plain-text word diffs, Markdown, and a self-contained HTML page an auditor can mail."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from ..extract.parse.vocab import LEVEL_NAMES, MEASURE_NAMES
from ..extract.where import Where
from ..load.queries import DocumentInfo
from .crops import Crops
from .diff import (
    INDICATOR_STATUSES,
    STATUSES,
    GoalChange,
    GoalDiff,
    GoalSide,
    IndicatorChange,
    WordOp,
    changes_by_level,
)

STATUS_COLORS = {
    "unchanged": "#6b7280",
    "reworded": "#b45309",
    "moved": "#1d4ed8",
    "added": "#15803d",
    "removed": "#b91c1c",
    "changed": "#b45309",
}


def document_label(doc: DocumentInfo) -> str:
    """The document's printed title, else its file name."""
    return doc.title or doc.name


def _document_line(doc: DocumentInfo) -> str:
    facts = [doc.name, doc.kind, str(doc.year) if doc.year else None, doc.organisation, doc.unit]
    return ", ".join(f for f in facts if f)


def goal_label(side: GoalSide) -> str:
    return f"{side.number} {side.title}" if side.number else side.title


# ---------------------------------------------------------------------------------------------- plain text

_PLAIN_MARKS = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}


def words_plain(words: Sequence[WordOp]) -> str:
    """A word diff in plain text, as `git diff --word-diff`: [-deleted-]{+inserted+}, a replacement run together."""
    out: list[str] = []
    for i, word in enumerate(words):
        replaced = i > 0 and words[i - 1].op == "delete" and word.op == "insert"
        out.append(("" if replaced or i == 0 else " ") + _PLAIN_MARKS[word.op].format(word.text))
    return "".join(out)


# ---------------------------------------------------------------------------------------------- Markdown


def _md(text: str | None) -> str:
    """Escape the characters that would turn text into Markdown markup or break a table cell."""
    if text is None:
        return ""
    for ch in "\\`*_[]|<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_words(change: GoalChange) -> str:
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return " ".join(marks[w.op].format(_md(w.text)) for w in change.words)


def place_text(where: Where | None) -> str:
    """Where a record was printed, for people: "p. 12 (71.0, 256.2)–(470.1, 268.4)" in points from the top-left."""
    if where is None:
        return "box not found"
    pages = f"pp. {where.page}–{where.page_end}" if where.page_end > where.page else f"p. {where.page}"
    return f"{pages} ({where.x0:.1f}, {where.top:.1f})–({where.x1:.1f}, {where.bottom:.1f})"


def _md_places(change: GoalChange) -> str:
    sides = [("from", change.from_goal), ("to", change.to_goal)]
    return "; ".join(f"{name} {place_text(side.where)}" for name, side in sides if side is not None)


def _md_change(change: GoalChange) -> str:
    side = change.to_goal or change.from_goal
    number = f"{side.number} " if side and side.number else ""
    if change.status in ("reworded", "moved") and change.words:
        text = number + _md_words(change)
    else:
        text = number + _md(side.title if side else "")
    line = f"- **{change.status}** {text}"
    if change.status in ("reworded", "moved"):
        line += f" ({change.similarity:.0f} %)"
    if change.status in ("added", "removed") and side and side.parent_title:
        line += f" (under *{_md(side.parent_title)}*)"
    if change.status == "moved" and change.from_goal and change.to_goal:
        line += (
            f"  \n  moved from under *{_md(change.from_goal.parent_title or '(top level)')}* "
            f"to under *{_md(change.to_goal.parent_title or '(top level)')}*"
        )
    return line + f"  \n  printed: {_md(_md_places(change))}"


def _indicator_places(change: IndicatorChange) -> str:
    if change.status != "changed":
        return ""
    return f"from {place_text(change.from_where)}; to {place_text(change.to_where)}"


def diff_to_markdown(diff: GoalDiff) -> str:
    """The diff as Markdown: documents, counts per status, changes by level, indicator changes."""
    out = [
        f"# Goal changes: {_md(document_label(diff.from_doc))} → {_md(document_label(diff.to_doc))}",
        "",
        f"- **From:** {_md(_document_line(diff.from_doc))}",
        f"- **To:** {_md(_document_line(diff.to_doc))}",
        "",
        "| goals | " + " | ".join(STATUSES) + " |",
        "|---|" + "---:|" * len(STATUSES),
        "| count | " + " | ".join(str(n) for n in diff.counts().values()) + " |",
        "",
        "| indicators | " + " | ".join(INDICATOR_STATUSES) + " |",
        "|---|" + "---:|" * len(INDICATOR_STATUSES),
        "| count | " + " | ".join(str(n) for n in diff.indicator_counts().values()) + " |",
    ]
    for level, changes in changes_by_level(diff):
        out += ["", f"## {LEVEL_NAMES.get(level, level)}", ""]
        out += [_md_change(c) for c in changes]
    if diff.indicator_changes:
        out += ["", "## Indicator changes", "", "| status | indicator | measure | from | to | printed |"]
        out.append("|---|---|---|---|---|---|")
        for c in diff.indicator_changes:
            measure = MEASURE_NAMES.get(c.measure or "", c.measure or "")
            cells = (c.status, c.name, measure, c.from_raw, c.to_raw, _indicator_places(c))
            out.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- HTML

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #111827; margin: 2em auto;
       max-width: 60em; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #d1d5db; padding-bottom: 0.2em; }
.documents { color: #374151; margin: 0 0 1.2em 0; padding: 0; list-style: none; }
.documents b { display: inline-block; width: 3.5em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #d1d5db; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary td, table.summary th { text-align: center; min-width: 5.5em; }
.status { font-size: 0.8em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; white-space: nowrap; }
table.changes { width: 100%; border: none; margin: 0; }
table.changes td { border: none; border-bottom: 1px solid #f3f4f6; padding: 0.45em 0.8em 0.45em 0; }
table.changes td.s { width: 7.5em; }
tr.unchanged { color: #6b7280; }
.number { font-weight: 600; margin-right: 0.3em; }
.note { display: block; font-size: 0.85em; color: #4b5563; }
.sim { font-size: 0.8em; color: #6b7280; margin-left: 0.4em; }
del { background: #fee2e2; color: #991b1b; text-decoration: line-through; }
ins { background: #dcfce7; color: #166534; text-decoration: none; }
footer { margin-top: 2.5em; font-size: 0.8em; color: #6b7280; }
.printed { display: flex; flex-wrap: wrap; gap: 0.6em; margin-top: 0.35em; }
.printed figure { margin: 0; border: 1px solid #e5e7eb; padding: 0.2em; background: #fff; max-width: 100%; }
.printed img { display: block; max-width: 100%; height: auto; }
.printed figcaption { font-size: 0.75em; color: #6b7280; }
.problems { color: #b91c1c; }
"""


def _status(status: str) -> str:
    return f'<span class="status" style="color:{STATUS_COLORS.get(status, "#111827")}">{escape(status)}</span>'


def _html_words(change: GoalChange) -> str:
    tags = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    return " ".join(tags[w.op].format(escape(w.text)) for w in change.words)


def _figure(png: bytes | None, caption: str, where: Where | None) -> str:
    """A crop of the page as an inline PNG with where it was printed under it; a note when there is none."""
    place = escape(place_text(where))
    if png is None:
        return f'<figure class="missing"><figcaption>{escape(caption)}: no picture ({place})</figcaption></figure>'
    data = base64.b64encode(png).decode("ascii")
    alt = escape(f"{caption} as printed, {place_text(where)}")
    return (
        f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">'
        f"<figcaption>{escape(caption)}, {place}</figcaption></figure>"
    )


def _goal_pictures(diff: GoalDiff, change: GoalChange, crops: Crops | None) -> str:
    """The changed goal's printed heading from each side that has it."""
    if crops is None or change.status == "unchanged":
        return ""
    sides = ((diff.from_doc, change.from_goal), (diff.to_doc, change.to_goal))
    return _pictures(crops, [(doc, side.where) for doc, side in sides if side is not None])


def _pictures(crops: Crops, sides: Sequence[tuple[DocumentInfo, Where | None]]) -> str:
    """Each side's picture of a box (a placeholder where there is none), side by side."""
    figures = [_figure(crops.get(doc.document_id, where), _side_name(doc), where) for doc, where in sides]
    return '<div class="printed">' + "".join(figures) + "</div>"


def _side_name(doc: DocumentInfo) -> str:
    return " ".join(str(f) for f in (doc.kind, doc.year) if f) or doc.name


def _html_change(change: GoalChange, pictures: str = "") -> str:
    side = change.to_goal or change.from_goal
    number = f'<span class="number">{escape(side.number)}</span>' if side and side.number else ""
    title = _html_words(change) if change.words else escape(side.title if side else "")
    parts = [number, title]
    if change.status in ("reworded", "moved") and change.similarity < 100:
        parts.append(f'<span class="sim">{change.similarity:.0f} % similar</span>')
    if change.status == "moved" and change.from_goal and change.to_goal:
        parts.append(
            f'<span class="note">moved from under “{escape(change.from_goal.parent_title or "(top level)")}” '
            f"to under “{escape(change.to_goal.parent_title or '(top level)')}”</span>"
        )
    if change.status in ("added", "removed") and side and side.parent_title:
        parts.append(f'<span class="note">under “{escape(side.parent_title)}”</span>')
    if change.from_goal and change.to_goal and change.from_goal.number != change.to_goal.number:
        parts.append(f'<span class="note">numbered {escape(change.from_goal.number or "–")} before</span>')
    content = " ".join(p for p in parts if p) + pictures
    return f'<tr class="{escape(change.status)}"><td class="s">{_status(change.status)}</td><td>{content}</td></tr>'


def _summary_table(title: str, counts: dict[str, int]) -> str:
    head = "".join(f"<th>{_status(s)}</th>" for s in counts)
    cells = "".join(f'<td class="n">{n}</td>' for n in counts.values())
    return f'<table class="summary"><tr><th>{escape(title)}</th>{head}</tr><tr><th>count</th>{cells}</tr></table>'


def _value_pictures(diff: GoalDiff, change: IndicatorChange, crops: Crops | None) -> str:
    """A changed value's printed row from each side."""
    if crops is None or change.status != "changed":
        return ""
    return _pictures(crops, [(diff.from_doc, change.from_where), (diff.to_doc, change.to_where)])


def _indicator_row(change: IndicatorChange, pictures: str = "") -> str:
    name = escape(change.name)
    if change.from_name:
        name += f'<span class="note" style="margin-left:0">was: {escape(change.from_name)}</span>'
    measure = escape(MEASURE_NAMES.get(change.measure or "", change.measure or ""))
    old = f"<del>{escape(change.from_raw)}</del>" if change.from_raw is not None else ""
    new = f"<ins>{escape(change.to_raw)}</ins>" if change.to_raw is not None else ""
    cells = f"<td>{_status(change.status)}</td><td>{name}{pictures}</td><td>{measure}</td><td>{old}</td><td>{new}</td>"
    return f"<tr>{cells}</tr>"


def diff_to_html(diff: GoalDiff, crops: Crops | None = None) -> str:
    """A self-contained HTML report (inline CSS, no external assets) of the diff; with crops, the printed heading
    of every changed goal and the row of every changed value beside it, as inline PNGs."""
    title = f"Goal changes: {document_label(diff.from_doc)} → {document_label(diff.to_doc)}"
    body = [
        f"<h1>{escape(title)}</h1>",
        '<ul class="documents">',
        f"<li><b>From</b> {escape(_document_line(diff.from_doc))}</li>",
        f"<li><b>To</b> {escape(_document_line(diff.to_doc))}</li>",
        "</ul>",
        _summary_table("goals", diff.counts()),
        _summary_table("indicators", diff.indicator_counts()),
        *(f'<p class="problems">{escape(problem)}</p>' for problem in (crops.problems if crops else [])),
    ]
    for level, changes in changes_by_level(diff):
        body.append(f"<h2>{escape(LEVEL_NAMES.get(level, level))} ({len(changes)})</h2>")
        rows = "".join(_html_change(c, _goal_pictures(diff, c, crops)) for c in changes)
        body.append(f'<table class="changes">{rows}</table>')
    if diff.indicator_changes:
        body.append(f"<h2>Indicator changes ({len(diff.indicator_changes)})</h2>")
        body.append("<table><tr><th>status</th><th>indicator</th><th>measure</th><th>from</th><th>to</th></tr>")
        body.extend(_indicator_row(c, _value_pictures(diff, c, crops)) for c in diff.indicator_changes)
        body.append("</table>")
    body.append(
        f"<footer>Goals matched within each level on lemmatized titles (threshold {diff.threshold:.0f}). "
        f"Document ids {escape(diff.from_doc.document_id)} → {escape(diff.to_doc.document_id)}.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
