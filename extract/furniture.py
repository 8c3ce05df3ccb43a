"""Page furniture (running heads, "Sid N (M)", footers): text repeated at the same place across pages."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .model import Line, Page
from .settings import ExtractSettings

# A line that is nothing but a page number, in the forms Swedish documents print them.
PAGE_NUMBER = re.compile(
    r"^(?:sid(?:a|an)?\.?\s*)?[-–]?\s*\d{1,4}\s*(?:(?:\(|av\s*|/\s*)\d{1,4}\)?)?\s*[-–]?$",
    re.IGNORECASE,
)
# How many lines at the very top and bottom of a page may hold a lone page number.
OUTER_LINES = 2


# Printed page labels: the first number is the page's ("Sid 3 (18)", "Sida 3 av 18", "3/18", "- 3 -").
PAGE_NUMBER_VALUE = re.compile(r"\d{1,4}")
# The margin between a running head (or foot) and the body is at least this many of the head's font sizes,
# and at least this many times the body's own gap between lines: a table's header repeated at the page top
# sits as close to its rows as the rows to each other.
MARGIN_SIZES = 0.9
MARGIN_BODY_GAPS = 2.0


def furniture_key(line: Line) -> str:
    """Text with every number replaced, so "Sid 3 (18)" and "Sid 4 (18)" repeat."""
    text = re.sub(r"\d+", "#", line.text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _bucket(y: float, tolerance: float) -> int:
    return int(round(y / tolerance))


def find_repeated(pages: list[Page], settings: ExtractSettings) -> set[tuple[int, int]]:
    """(page number, line index) of every line with words repeated at the same height on enough pages.

    Lines of nothing but numbers do not count: rows of a long table of figures land at the same heights page after
    page; a bare page number is told by its value instead (see page_number_offset)."""
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            key = furniture_key(line)
            bucket = _bucket(line.top, settings.furniture_y_tolerance)
            for b in (bucket - 1, bucket, bucket + 1):
                seen[(key, b)].add(page.number)
    needed = max(2, int(settings.furniture_share * len(pages) + 0.999))
    found: set[tuple[int, int]] = set()
    for page in pages:
        for index, line in enumerate(page.lines):
            key = furniture_key(line)
            if not any(c.isalpha() for c in key):
                continue
            if len(seen[(key, _bucket(line.top, settings.furniture_y_tolerance))]) >= needed:
                found.add((page.number, index))
    return found


def _outer(index: int, count: int) -> bool:
    return index < OUTER_LINES or index >= count - OUTER_LINES


def _printed_number(line: Line) -> int | None:
    """The page number a line prints, when the line is nothing but a page label."""
    text = line.text.strip()
    if not PAGE_NUMBER.match(text):
        return None
    m = PAGE_NUMBER_VALUE.search(text)
    return int(m.group()) if m else None


def page_number_offset(pages: Sequence[Page]) -> int | None:
    """Printed minus physical page number that most page labels at the pages' edges agree on (None: no labels).

    A lone "2019" or "12" at the foot of one page is a table cell, not a page number: it does not follow the count."""
    offsets: Counter[int] = Counter()
    for page in pages:
        count = len(page.lines)
        for index, line in enumerate(page.lines):
            number = _printed_number(line) if _outer(index, count) else None
            if number is not None:
                offsets[number - page.number] += 1
    if not offsets:
        return None
    offset, hits = offsets.most_common(1)[0]
    return offset if hits >= min(2, len(pages)) else None


def _is_page_number(line: Line, index: int, page: Page, offset: int | None) -> bool:
    number = _printed_number(line) if _outer(index, len(page.lines)) else None
    return number is not None and offset is not None and number - page.number == offset


def _margin_cut(spans: Sequence[tuple[float, float]], run: int, least: float) -> int:
    """Of the first `run` (top, bottom) spans, how many form the margin: those above the widest gap, if it is one.

    The gap must be at least `least` wide (a margin, not the spacing of the lines below); 0 when none is."""
    best, cut = -1.0, 0
    for k in range(1, run + 1):
        below = spans[k][0] if k < len(spans) else float("inf")
        gap = below - spans[k - 1][1]
        if gap > best:
            best, cut = gap, k
    return cut if best >= least else 0


def _least_margin(lines: Sequence[Line], k: int, body_gap: float) -> float:
    return max(MARGIN_SIZES * lines[k].size, MARGIN_BODY_GAPS * body_gap)


def _furniture_indexes(page: Page, repeated: set[tuple[int, int]], offset: int | None, body_gap: float) -> set[int]:
    """Running head and footer: repeated lines at the top and bottom edge of the page, cut at the margin."""
    lines = page.lines
    count = len(lines)

    def is_candidate(index: int) -> bool:
        return (page.number, index) in repeated or _is_page_number(lines[index], index, page, offset)

    found = {i for i in range(count) if _is_page_number(lines[i], i, page, offset)}
    head = 0
    while head < count and is_candidate(head):
        head += 1
    if head:
        spans = [(line.top, line.bottom) for line in lines]
        found.update(range(_margin_cut(spans, head, _least_margin(lines, 0, body_gap))))
    tail = 0
    while tail < count - head and is_candidate(count - 1 - tail):
        tail += 1
    if tail:
        from_bottom = [(-line.bottom, -line.top) for line in reversed(lines)]  # the footer, seen upside down
        cut = _margin_cut(from_bottom, tail, _least_margin(lines, count - 1, body_gap))
        found.update(count - 1 - i for i in range(cut))
    return found


def body_line_gap(pages: Sequence[Page]) -> float:
    """The white space between two lines of one paragraph or cell: the lower quartile of the document's line gaps
    (the median would be a table's row spacing in a document of long tables)."""
    gaps = sorted(
        b.top - a.bottom
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if 0 <= b.top - a.bottom < 3 * max(a.size, 1.0)
    )
    return gaps[len(gaps) // 4] if gaps else 0.0


def strip_furniture(pages: list[Page], settings: ExtractSettings) -> list[Page]:
    """Move running heads, footers and page numbers out of each page's body lines."""
    repeated = find_repeated(pages, settings) if len(pages) > 1 else set()
    offset = page_number_offset(pages)
    body_gap = body_line_gap(pages)
    result = []
    for page in pages:
        margin = _furniture_indexes(page, repeated, offset, body_gap)
        body = tuple(line for i, line in enumerate(page.lines) if i not in margin)
        furniture = tuple(line for i, line in enumerate(page.lines) if i in margin)
        result.append(replace(page, lines=body, furniture=furniture))
    return result
