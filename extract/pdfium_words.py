"""Characters to words exactly as pdfplumber's extract_words(x_tolerance=1.5, keep_blank_chars=False,
extra_attrs=["fontname", "size"]) groups them, so that both readers give the later stages the same words."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from .model import Word
from .pdfium_chars import Char

X_TOLERANCE = 1.5
Y_TOLERANCE = 3.0  # pdfplumber's default
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _clusters(chars: list[Char], key_of: dict[int, float], tolerance: float) -> list[list[Char]]:
    """pdfplumber's cluster_objects: distinct keys chained within tolerance, objects kept in order inside a cluster."""
    values = sorted(set(key_of.values()))
    cluster_of: dict[float, int] = {}
    group, last = 0, None
    for value in values:
        if last is not None and value > last + tolerance:
            group += 1
        cluster_of[value] = group
        last = value
    ordered = sorted(range(len(chars)), key=lambda i: cluster_of[key_of[i]])
    return [
        [chars[i] for i in members] for _, members in itertools.groupby(ordered, key=lambda i: cluster_of[key_of[i]])
    ]


def _lines(chars: list[Char]) -> Iterator[tuple[list[Char], bool]]:
    upright = chars[0].upright
    if upright:
        tops = [c.top for c in chars]
        if max(tops) - min(tops) <= Y_TOLERANCE:  # one line (the usual run): no clustering needed
            yield sorted(chars, key=lambda c: c.x0), True
            return
        keys = dict(enumerate(tops))
        for line in _clusters(chars, keys, Y_TOLERANCE):
            yield sorted(line, key=lambda c: c.x0), True
    else:  # rotated text: lines are columns, read top to bottom
        keys = {i: c.x0 for i, c in enumerate(chars)}
        for line in _clusters(chars, keys, X_TOLERANCE):
            yield sorted(line, key=lambda c: (c.top, c.bottom)), False


def _begins_word(prev: Char, cur: Char, upright: bool) -> bool:
    if upright:
        return cur.x0 < prev.x0 or cur.x0 > prev.x1 + X_TOLERANCE or abs(cur.top - prev.top) > Y_TOLERANCE
    return cur.top < prev.top or cur.top > prev.bottom + Y_TOLERANCE or abs(cur.x0 - prev.x0) > X_TOLERANCE


def _word(chars: list[Char]) -> Word:
    first = chars[0]
    if len(chars) == 1:
        return Word(
            LIGATURES.get(first.text, first.text),
            first.x0,
            first.x1,
            first.top,
            first.bottom,
            first.fontname,
            first.size,
        )
    return Word(
        text="".join([LIGATURES.get(c.text, c.text) for c in chars]),
        x0=min([c.x0 for c in chars]),
        x1=max([c.x1 for c in chars]),
        top=min([c.top for c in chars]),
        bottom=max([c.bottom for c in chars]),
        fontname=first.fontname,
        size=first.size,
    )


def _upright_words(line: list[Char]) -> Iterator[list[Char]]:
    """_line_words for upright text, inlined: the hot loop of the reader."""
    current: list[Char] = []
    prev: Char | None = None
    for char in line:
        if char.text.isspace():
            if current:
                yield current
            current, prev = [], None
        elif prev is not None and (
            char.x0 < prev.x0 or char.x0 > prev.x1 + X_TOLERANCE or abs(char.top - prev.top) > Y_TOLERANCE
        ):
            yield current
            current, prev = [char], char
        else:
            current.append(char)
            prev = char
    if current:
        yield current


def _line_words(line: list[Char], upright: bool) -> Iterator[list[Char]]:
    if upright:
        yield from _upright_words(line)
        return
    current: list[Char] = []
    for char in line:
        if char.text.isspace():
            if current:
                yield current
            current = []
        elif current and _begins_word(current[-1], char, upright):
            yield current
            current = [char]
        else:
            current.append(char)
    if current:
        yield current


def _run_key(c: Char) -> tuple[bool, str, int, float]:
    return (c.upright, c.fontname, c.font, c.size)


def chars_to_words(chars: Iterable[Char]) -> list[Word]:
    """Runs of characters sharing uprightness, font and size (in content order) → lines → words."""
    words: list[Word] = []
    for _, run in itertools.groupby(chars, key=_run_key):
        group = list(run)
        for line, upright in _lines(group):
            words.extend(_word(part) for part in _line_words(line, upright))
    return words
