"""Page furniture (running heads, "Sid N (M)", footers): text repeated at the same place across pages."""

from __future__ import annotations

import re
from collections import defaultdict
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


def furniture_key(line: Line) -> str:
    """Text with every number replaced, so "Sid 3 (18)" and "Sid 4 (18)" repeat."""
    text = re.sub(r"\d+", "#", line.text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _bucket(y: float, tolerance: float) -> int:
    return int(round(y / tolerance))


def find_repeated(pages: list[Page], settings: ExtractSettings) -> set[tuple[int, int]]:
    """(page number, line index) of every line repeated at the same height on enough pages."""
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
            if len(seen[(key, _bucket(line.top, settings.furniture_y_tolerance))]) >= needed:
                found.add((page.number, index))
    return found


def _is_page_number(line: Line, index: int, count: int) -> bool:
    outer = index < OUTER_LINES or index >= count - OUTER_LINES
    return outer and bool(PAGE_NUMBER.match(line.text.strip()))


def _margin_cut(spans: Sequence[tuple[float, float]], run: int) -> int:
    """Of the first `run` (top, bottom) spans, how many form the margin: those above the widest gap."""
    best, cut = -1.0, run
    for k in range(1, run + 1):
        below = spans[k][0] if k < len(spans) else float("inf")
        gap = below - spans[k - 1][1]
        if gap > best:
            best, cut = gap, k
    return cut


def _furniture_indexes(page: Page, repeated: set[tuple[int, int]]) -> set[int]:
    """Running head and footer: repeated lines at the top and bottom edge of the page, cut at the margin."""
    lines = page.lines
    count = len(lines)

    def is_candidate(index: int) -> bool:
        return (page.number, index) in repeated or _is_page_number(lines[index], index, count)

    found = {i for i in range(count) if _is_page_number(lines[i], i, count)}
    head = 0
    while head < count and is_candidate(head):
        head += 1
    if head:
        found.update(range(_margin_cut([(line.top, line.bottom) for line in lines], head)))
    tail = 0
    while tail < count - head and is_candidate(count - 1 - tail):
        tail += 1
    if tail:
        from_bottom = [(-line.bottom, -line.top) for line in reversed(lines)]  # the footer, seen upside down
        found.update(count - 1 - i for i in range(_margin_cut(from_bottom, tail)))
    return found


def strip_furniture(pages: list[Page], settings: ExtractSettings) -> list[Page]:
    """Move running heads, footers and page numbers out of each page's body lines."""
    repeated = find_repeated(pages, settings) if len(pages) > 1 else set()
    result = []
    for page in pages:
        margin = _furniture_indexes(page, repeated)
        body = tuple(line for i, line in enumerate(page.lines) if i not in margin)
        furniture = tuple(line for i, line in enumerate(page.lines) if i in margin)
        result.append(replace(page, lines=body, furniture=furniture))
    return result
