"""Page furniture (running heads, "Sid N (M)", footers): text repeated at the same place across pages."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from malbild.extract.model import Line, Page
from malbild.extract.settings import ExtractSettings

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


def strip_furniture(pages: list[Page], settings: ExtractSettings) -> list[Page]:
    """Move running heads, footers and page numbers out of each page's body lines."""
    repeated = find_repeated(pages, settings) if len(pages) > 1 else set()
    result = []
    for page in pages:
        body: list[Line] = []
        furniture: list[Line] = []
        count = len(page.lines)
        for index, line in enumerate(page.lines):
            if (page.number, index) in repeated or _is_page_number(line, index, count):
                furniture.append(line)
            else:
                body.append(line)
        result.append(replace(page, lines=tuple(body), furniture=tuple(furniture)))
    return result
