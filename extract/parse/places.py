"""Where each draft of a parsed document was printed: a pass over the pages after the parsers, keyed like the drafts.

It reads only each draft's page and text (see extract/locate.py), so it does not depend on how a parser found
the record. Records of one kind are printed in document order, so each is looked for after the one before it
on its page first (two rows with the same text get their own boxes). A record not found is reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby, islice
from math import inf

from ..locate import (
    CELL_SLACK,
    PAGE_FOOT_LINES,
    PAGE_HEAD_LINES,
    ROW_REACH_LINES,
    Stream,
    Token,
    page_stream,
    skipped_lines,
    spell,
    spellings,
    where_of,
)
from ..model import Page
from ..where import Places, Where
from .drafts import FinanceLineDraft, IndicatorDraft, ParsedDocument, ParseWarning

# How much of a record's text a warning quotes.
QUOTE = 80
# How many places a row's name is tried at before the best of them is taken.
ROW_CANDIDATES = 20


@dataclass
class _Finder:
    """Looks records of one kind up in the stream, each after the previous one found."""

    stream: Stream
    kind: str
    warnings: list[ParseWarning]
    after: int = 0
    found: dict[int, list[int]] = field(default_factory=dict)

    def hits(self, page: int, *texts: str) -> Iterator[list[int]]:
        """Token indices spelling one of texts on page, best first: the fewest lines skipped (words set together,
        not picked from around them), then the first after the previous record."""
        pages = self.stream.page_range(page)
        first = min(max(self.after, pages.start), pages.stop)
        tokens = self.stream.tokens
        for text in texts:
            if text:
                found = spellings(tokens, text, chain(range(first, pages.stop), range(pages.start, first)))
                yield from sorted(found, key=lambda hit: skipped_lines(tokens, hit))

    def take(self, key: int, hit: list[int]) -> Where:
        self.after = hit[0] + 1
        self.found[key] = hit
        return where_of(self.stream.tokens, hit)

    def missing(self, page: int, text: str) -> None:
        message = f"{self.kind} text not found on page {page}: stored without a box"
        self.warnings.append(ParseWarning("unlocated", page, message, text[:QUOTE]))

    def locate(self, key: int, page: int, *texts: str) -> Where | None:
        hit = next(self.hits(page, *texts), None)
        if hit is None:
            self.missing(page, texts[-1])
            return None
        return self.take(key, hit)

    def locate_row(self, key: int, page: int, text: str, raws: Sequence[str]) -> Where | None:
        """A row's name cell: the first one found beside all its value cells, else the one beside most of them."""
        best: list[int] | None = None
        best_count = -1
        for hit in islice(self.hits(page, text), ROW_CANDIDATES):
            row = _Row([self.stream.tokens[i] for i in hit], inf)
            count = sum(cell is not None for cell in _cells(row, self.stream, raws))
            if count > best_count:
                best, best_count = hit, count
            if count == len(raws):
                break
        if best is None:
            self.missing(page, text)
            return None
        return self.take(key, best)


@dataclass(frozen=True)
class _Row:
    """A table row's name or label cell as found, and how far down the row may reach."""

    tokens: list[Token]
    limit: float  # value words start above this (the next row's top on the page)

    @property
    def page(self) -> int:
        return self.tokens[0].page

    def band(self, stream: Stream) -> list[Token]:
        """The words right of the cell within the row's reach; for the last row at a page's foot, also the words
        at the top of the next page (a cell broken by the page break)."""
        first = [t for t in self.tokens if t.page == self.page]
        top = min(t.word.top for t in first)
        bottom = max(t.word.bottom for t in first)
        height = max(t.word.bottom - t.word.top for t in first)
        right = max(t.word.x1 for t in first) - CELL_SLACK
        low = min(self.limit, bottom + ROW_REACH_LINES * height)
        tokens = stream.tokens
        band = [
            tokens[i]
            for i in stream.page_range(self.page)
            if tokens[i].word.x0 >= right and top - ROW_REACH_LINES * height <= tokens[i].word.top < low
        ]
        last = first[-1]
        if self.limit == inf and last.lines_on_page - last.line <= PAGE_FOOT_LINES:
            following = (tokens[i] for i in stream.page_range(self.page + 1))
            band += [t for t in following if t.line < PAGE_HEAD_LINES and t.word.x0 >= right]
        return band


def _cells(row: _Row, stream: Stream, raws: Sequence[str]) -> list[list[Token] | None]:
    """The words of each value cell of a row, left to right; a cell printed nearest the row's top wins."""
    band = row.band(stream)
    top = row.tokens[0].word.top
    left = 0.0
    found: list[list[Token] | None] = []
    for raw in raws:
        hits = []
        for start, token in enumerate(band):
            if token.word.x0 < left - CELL_SLACK:
                continue
            # every printed mark of the cell ("0,03 %"), else its letters (a hyphen joined at a line end)
            hit = spell(band, raw, [start], exact=True) or spell(band, raw, [start])
            if hit:
                hits.append([band[i] for i in hit])
        best = min(hits, key=lambda h: abs(h[0].word.top - top) if h[0].page == row.page else inf, default=None)
        if best is not None:
            left = max(t.word.x1 for t in best)
        found.append(best)
    return found


def _cell_where(name: Where, cell: list[Token]) -> Where:
    """A value's box: from the row's name cell through the value cell, on the value's page."""
    value = where_of(cell, range(len(cell)))
    return name.union(value) if name.page == value.page else value


def _row_limits(tokens: dict[int, list[int]], stream: Stream, keys: Sequence[int]) -> dict[int, float]:
    """Each found row's lower limit: the top of the next found row on the same page, else the page's foot."""
    limits: dict[int, float] = {}
    found = [k for k in keys if k in tokens]
    for k, key in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else None
        first = stream.tokens[tokens[key][0]]
        below = stream.tokens[tokens[nxt][0]] if nxt is not None else None
        limits[key] = below.word.top if below is not None and below.page == first.page else inf
    return limits


def _locate_indicators(stream: Stream, parsed: ParsedDocument, places: Places, warnings: list[ParseWarning]) -> None:
    finder = _Finder(stream, "indicator", warnings)
    for ind in parsed.indicators:
        where = finder.locate_row(ind.ordinal, ind.page, ind.name, [v.raw for v in ind.values])
        if where:
            places.indicators[ind.ordinal] = where
    limits = _row_limits(finder.found, stream, [i.ordinal for i in parsed.indicators])
    for ind in parsed.indicators:
        if ind.ordinal in finder.found:
            row = _Row([stream.tokens[i] for i in finder.found[ind.ordinal]], limits[ind.ordinal])
            _locate_values(stream, ind, row, places, warnings)


def _locate_values(
    stream: Stream, ind: IndicatorDraft, row: _Row, places: Places, warnings: list[ParseWarning]
) -> None:
    name = places.indicators[ind.ordinal]
    for k, (value, cell) in enumerate(zip(ind.values, _cells(row, stream, [v.raw for v in ind.values]), strict=True)):
        if cell is None:
            message = f"value {value.raw!r} of indicator not found in its row on page {row.page}: stored without a box"
            warnings.append(ParseWarning("unlocated", row.page, message, ind.name[:QUOTE]))
        else:
            places.values[(ind.ordinal, k)] = _cell_where(name, cell)


def _locate_finance(
    stream: Stream, lines: Sequence[FinanceLineDraft], places: Places, warnings: list[ParseWarning]
) -> None:
    finder = _Finder(stream, "money table row", warnings)
    rows = [list(group) for _key, group in groupby(enumerate(lines), key=lambda p: (p[1].table_no, p[1].row_no))]
    labelled = [r for r in rows if r[0][1].row_label]
    for row in labelled:
        index, first = row[0]
        finder.locate_row(index, first.page, first.row_label, [line.raw for _k, line in row])
    limits = _row_limits(finder.found, stream, [r[0][0] for r in labelled])
    for row in labelled:
        index, first = row[0]
        if index not in finder.found:
            continue
        cells = _Row([stream.tokens[i] for i in finder.found[index]], limits[index])
        label = where_of(stream.tokens, finder.found[index])
        for (k, line), cell in zip(row, _cells(cells, stream, [line.raw for _k, line in row]), strict=True):
            if cell is None:
                message = f"money cell {line.raw!r} not found in its row on page {line.page}: stored without a box"
                warnings.append(ParseWarning("unlocated", line.page, message, line.row_label[:QUOTE]))
            else:
                places.finance_lines[k] = _cell_where(label, cell)


def locate_records(pages: Sequence[Page], parsed: ParsedDocument) -> tuple[Places, list[ParseWarning]]:
    """Where every goal, indicator, value, activity, decision and money cell of parsed was printed."""
    stream = page_stream(pages)
    places = Places()
    warnings: list[ParseWarning] = []
    goals = _Finder(stream, "goal heading", warnings)
    for goal in parsed.goals:
        numbered = f"{goal.number_raw} {goal.title}" if goal.number_raw else ""
        if where := goals.locate(goal.ordinal, goal.page, numbered, goal.title):
            places.goals[goal.ordinal] = where
    _locate_indicators(stream, parsed, places, warnings)
    activities = _Finder(stream, "activity", warnings)
    for act in parsed.activities:
        if where := activities.locate(act.ordinal, act.page, act.text):
            places.activities[act.ordinal] = where
    decisions = _Finder(stream, "decision", warnings)
    for item in parsed.decisions:
        if where := decisions.locate(item.number, item.page, item.text):
            places.decisions[item.number] = where
    _locate_finance(stream, parsed.finance_lines, places, warnings)
    return places, warnings
