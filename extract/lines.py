"""Reading order: words grouped into lines, lines sorted top to bottom, and lines cut into cells."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .model import DEFAULT_SPACE, Line, Word
from .settings import ExtractSettings

# A cell boundary is a gap at least this many word spaces wide.
CELL_GAP_SPACES = 2.0


def space_ratio(lines: Iterable[Line]) -> float:
    """The document's word space as a share of the font size (about 0.28 in proportional fonts, 0.6 in mono)."""
    gaps: list[float] = []
    for line in lines:
        if len(line.words) < 6:
            continue
        for left, right in zip(line.words, line.words[1:], strict=False):
            size = max(left.size, 4.0)
            gap = (right.x0 - left.x1) / size
            if 0 < gap < 1.5:
                gaps.append(gap)
    if len(gaps) < 20:
        return DEFAULT_SPACE
    gaps.sort()
    return gaps[len(gaps) // 3]


def _center(word: Word) -> float:
    return (word.top + word.bottom) / 2


def words_to_lines(words: Iterable[Word], page: int, settings: ExtractSettings) -> list[Line]:
    """Group words whose vertical centres are close into lines, in reading order."""
    ordered = sorted(words, key=lambda w: (_center(w), w.x0))
    groups: list[list[Word]] = []
    centers: list[float] = []
    biggest, total, count = 0.0, 0.0, 0  # the current line's largest size, and its body words' centre sum
    for word in ordered:
        tolerance = max(word.size, 4.0) * settings.line_tolerance
        if groups and abs(_center(word) - centers[-1]) <= tolerance:
            groups[-1].append(word)
            # the centre of a line follows its letters, not its marks and superscripts
            if word.size > biggest:
                biggest = word.size
                body = [_center(w) for w in groups[-1] if w.size >= 0.8 * biggest]
                total, count = sum(body), len(body)
            elif word.size >= 0.8 * biggest:
                total, count = total + _center(word), count + 1
            centers[-1] = total / count
        else:
            groups.append([word])
            centers.append(_center(word))
            biggest, total, count = word.size, _center(word), 1
    lines = [Line(tuple(sorted(group, key=lambda w: w.x0)), page) for group in groups]
    return sorted(lines, key=lambda line: (line.top, line.x0))


def line_cells(
    line: Line, settings: ExtractSettings | None = None, space: float = DEFAULT_SPACE
) -> list[tuple[float, float, str]]:
    """Cut a line where the gap between words is clearly wider than a space: (x0, x1, text) per cell."""
    settings = settings or ExtractSettings()
    ratio = max(settings.cell_gap, CELL_GAP_SPACES * space)
    cells: list[list[Word]] = []
    for word in line.words:
        gap_limit = max(word.size, 4.0) * ratio
        if cells and word.x0 - cells[-1][-1].x1 <= gap_limit:
            cells[-1].append(word)
        else:
            cells.append([word])
    return [(c[0].x0, max(w.x1 for w in c), " ".join(w.text for w in c)) for c in cells]


# Suffixes of a font name that name its weight or slant, not its family ("Arial-BoldMT", "Times-Roman").
_FONT_VARIANT = re.compile(r"(bold|black|heavy|semibold|demi|italic|oblique|regular|roman|medium|book|mt|ps)+$")


@lru_cache(maxsize=256)  # a document has a few font names, asked for on every word
def font_family(fontname: str) -> str:
    """A PDF font name without subset prefix, weight and slant ("ABCDEF+DejaVuSans-Bold" → dejavusans)."""
    name = fontname.split("+", 1)[-1]
    base = re.split(r"[-,]", name, maxsplit=1)[0].lower()
    return _FONT_VARIANT.sub("", base) or base


def text_style(words: Sequence[Word]) -> tuple[str, float, bool]:
    """(font family, size, bold) most of the letters of these words are set in."""
    counts: Counter[tuple[str, float, bool]] = Counter()
    for word in words:
        letters = sum(c.isalnum() for c in word.text) or len(word.text)
        counts[(font_family(word.fontname), round(word.size, 1), word.bold)] += letters
    return counts.most_common(1)[0][0] if counts else ("", 0.0, False)


def same_style(a: tuple[str, float, bool], b: tuple[str, float, bool]) -> bool:
    """Two text styles are one when family and weight agree and the sizes differ by less than 0.3 pt."""
    return a[0] == b[0] and a[2] == b[2] and abs(a[1] - b[1]) < 0.3
