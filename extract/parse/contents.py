"""The table of contents: entries with dot leaders and a page number, in one column or two, taken out of the text.

A contents page repeats the goal headings (labels included, in some documents) and can line up like a table;
neither the goal parser nor the table reader may take it for what it lists. An entry is a line holding dot
leaders and a page number ("Inledning ........ 3"; in two columns, two of them side by side); the lines of an
entry's wrapped text above its leader line go with it, as does the "Innehållsförteckning" heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...normalize.text import one_line
from ..lines import same_style, text_style
from ..model import Line, Page

# Dot leaders (or spaced dots) ending in a page number: the mark of a contents entry.
LEADER = re.compile(r"(?:\.\s?){3,}\s*\d{1,4}(?=\s|$)")
CONTENTS_HEADING = re.compile(r"^(innehåll|innehållsförteckning|innehållsförtekning)$", re.I)
# Lines of one entry (or of neighbouring entries) are at most this many font sizes apart.
ENTRY_PITCH = 2.0


def is_entry(line: Line) -> bool:
    return bool(LEADER.search(line.text))


def _close(upper: Line, lower: Line) -> bool:
    """Do two lines read as one block of the contents: same style, the lower close under the upper?"""
    near = 0 < lower.center - upper.center <= ENTRY_PITCH * max(lower.size, 1.0)
    return near and same_style(text_style(upper.words), text_style(lower.words))


def contents_indexes(page: Page) -> set[int]:
    """Indexes of the page's lines that belong to its table of contents (none without two leader lines).

    The lines run in blocks of one style and spacing; in a block holding entries, every line up to its last entry
    is contents (an entry's text wraps above its leader line, in two columns beside another entry's)."""
    lines = page.lines
    if sum(is_entry(line) for line in lines) < 2:
        return set()  # one leader line is a sentence with dots in it, not a table of contents
    found: set[int] = set()
    start = 0
    for index in range(len(lines) + 1):
        if index < len(lines) and (index == start or _close(lines[index - 1], lines[index])):
            continue
        entries = [k for k in range(start, index) if is_entry(lines[k])]
        if entries:
            found.update(range(start, entries[-1] + 1))
        start = index
    first = min(found)
    for k in range(first - 1, max(first - 3, -1), -1):
        if CONTENTS_HEADING.match(lines[k].text.strip()):
            found.update(range(k, first))
            break
    return found


def split_contents(pages: tuple[Page, ...] | list[Page]) -> tuple[list[Page], list[str]]:
    """Pages with their contents lines taken out, and the contents lines' text in reading order."""
    out: list[Page] = []
    entries: list[str] = []
    for page in pages:
        found = contents_indexes(page)
        if not found:
            out.append(page)
            continue
        entries += [one_line(line.text) for i, line in enumerate(page.lines) if i in found]
        out.append(replace(page, lines=tuple(line for i, line in enumerate(page.lines) if i not in found)))
    return out, entries
