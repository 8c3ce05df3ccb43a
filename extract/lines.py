"""Reading order: words grouped into lines, lines sorted top to bottom, and lines cut into cells."""

from __future__ import annotations

from collections.abc import Iterable

from malbild.extract.model import Line, Word
from malbild.extract.settings import ExtractSettings


def _center(word: Word) -> float:
    return (word.top + word.bottom) / 2


def words_to_lines(words: Iterable[Word], page: int, settings: ExtractSettings) -> list[Line]:
    """Group words whose vertical centres are close into lines, in reading order."""
    ordered = sorted(words, key=lambda w: (_center(w), w.x0))
    groups: list[list[Word]] = []
    centers: list[float] = []
    for word in ordered:
        tolerance = max(word.size, 4.0) * settings.line_tolerance
        if groups and abs(_center(word) - centers[-1]) <= tolerance:
            groups[-1].append(word)
            # the centre of a line follows its letters, not its marks and superscripts
            body = [w for w in groups[-1] if w.size >= 0.8 * max(x.size for x in groups[-1])]
            centers[-1] = sum(_center(w) for w in body) / len(body)
        else:
            groups.append([word])
            centers.append(_center(word))
    lines = [Line(tuple(sorted(group, key=lambda w: w.x0)), page) for group in groups]
    return sorted(lines, key=lambda line: (line.top, line.x0))


def line_cells(line: Line, settings: ExtractSettings | None = None) -> list[tuple[float, float, str]]:
    """Cut a line where the gap between words is wider than a space: (x0, x1, text) per cell."""
    settings = settings or ExtractSettings()
    cells: list[list[Word]] = []
    for word in line.words:
        gap_limit = max(word.size, 4.0) * settings.cell_gap
        if cells and word.x0 - cells[-1][-1].x1 <= gap_limit:
            cells[-1].append(word)
        else:
            cells.append([word])
    return [(c[0].x0, max(w.x1 for w in c), " ".join(w.text for w in c)) for c in cells]
