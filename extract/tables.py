"""Tables read from word positions and the header's columns, ruled or not, joined over page breaks.

Generic table finders split a borderless table into one row per text line; here the header
row fixes the columns, each word goes to the column its left edge falls in, and rows are cut
where a rule, a wider line gap, or (failing both) the start of a new first-column entry says so.
A table that runs to the bottom of a page continues on the next one: a repeated header is
dropped and a row broken by the page break is joined back into one row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .lines import line_cells
from .model import DEFAULT_SPACE, Line, Page, Word
from .settings import ExtractSettings

# Characters that open a row as a status or type mark (✓ done, ▶ ongoing, ✗ cancelled, ♀, ◆ …).
ROW_MARKS = "✓✔▶►✗✘♀◆●■□"
# How far (points) a word may start left of its column's header and still belong to it.
COLUMN_SLACK = 2.0
# Baseline pitch this much wider than the table's tightest pitch starts a new row.
ROW_PITCH_FACTOR = 1.18
# How close (points) a cell's right edge must come to its header's right edge to count as right-aligned.
RIGHT_ALIGN_TOLERANCE = 1.5
# Lines of one cell are set at most this many font sizes apart; rows further apart are one line each.
SINGLE_LINE_ROW_PITCH = 1.6
# A rule must span this share of the table's width to separate rows.
RULE_SPAN_SHARE = 0.5

# A cell that holds a value, not a header: "-508,6", "1 673,6", "12 %", "-87" (a year such as "2019" is a header).
VALUE_CELL = re.compile(r"[-−–+]?\d[\d\s]*[,.]\d+\s*%?|[-−–]\d[\d\s]*%?|\d[\d\s]*\s%")

HeaderTest = Callable[[list[str]], bool]
# A line no table may take as a row (a goal level label): the table ends above it.
LineTest = Callable[[Line], bool]


@dataclass(frozen=True)
class Column:
    left: float  # words starting at or right of this (minus slack) belong here …
    header: str
    right: float | None = None  # right edge of the header text: right-aligned cells end here
    start: float | None = None  # left edge of the header text (None: the column's left is a drawn cell's)
    drawn: bool = False  # the left edge is a drawn (shaded or ruled) header cell's


@dataclass
class TableRow:
    cells: list[str]
    page: int
    full_width: str | None = None  # a row that spans the whole table, e.g. "Analys …"
    lines: list[list[str]] = field(default_factory=list, repr=False)

    @property
    def is_full_width(self) -> bool:
        return self.full_width is not None


@dataclass
class Table:
    columns: list[Column]
    rows: list[TableRow]
    page: int
    header_key: str
    left: float
    right: float
    body_size: float = 0.0
    body_bold: bool = False
    right_aligned: set[int] | None = None
    pages: list[int] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [c.header for c in self.columns]


Block = Line | Table


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def default_header_test(cells: list[str]) -> bool:
    return False


def _is_mark(word_text: str) -> bool:
    return bool(word_text) and all(ch in ROW_MARKS for ch in word_text)


def _header_block(lines: Sequence[Line], start: int, settings: ExtractSettings, space: float) -> list[Line]:
    """The lines of a header starting at lines[start]: bold lines set close together in one size (each cell
    may wrap, top-, middle- or bottom-aligned), or plain lines after the first that leave its first cell empty."""
    line = lines[start]
    header = [line]
    cells = line_cells(line, settings, space)
    second_left = cells[1][0] if len(cells) >= 2 else None
    for nxt in lines[start + 1 :]:
        prev = header[-1]
        close = nxt.center - prev.center <= prev.size * 1.6
        same_size = abs(nxt.size - line.size) < 0.6
        if line.bold:
            joins = nxt.bold
        else:
            joins = (
                not nxt.bold
                and second_left is not None
                and all(w.x0 >= second_left - COLUMN_SLACK for w in nxt.words)
                and nxt.x0 >= line.x0 - COLUMN_SLACK
            )
        if not (close and same_size and joins):
            break
        header.append(nxt)
    return header


def find_header(
    lines: Sequence[Line],
    start: int,
    page: Page,
    is_header: HeaderTest,
    settings: ExtractSettings,
    generic: bool = True,
) -> list[Line] | None:
    """The header lines of a table starting at lines[start], or None when no table starts there.

    A header is named (``is_header`` knows its cells), or a bold shaded row of three or more cells, or a
    bold row of cells over plain rows whose cells fall under them (a generic table, whatever it lists)."""
    line = lines[start]
    if _is_contents_line(line):
        return None
    header = _header_block(lines, start, settings, page.space)
    groups = header_groups(header, settings, page.space)
    if line.bold and any(len(g.words) > 1 for g in groups):  # header cells set close may have run together
        width = max(h.x1 for h in header) - min(h.x0 for h in header)
        groups = split_groups(groups, _body_sample(lines, start + len(header), width, page, settings))
    if len(groups) < 2:
        return None
    texts = [" ".join(w.text for w in g.words) for g in groups]
    if any(VALUE_CELL.fullmatch(t) for t in texts):
        return None  # a row of values (a total set in bold) is no header
    if is_header(texts) or is_header([t.replace(" ", "") for t in texts]):
        return header  # (a word a narrow column broke over two lines reads whole without the spaces)
    if not line.bold:
        return None
    shaded = any(b.top - 2 <= line.top and line.bottom <= b.bottom + 2 for b in page.boxes)
    if shaded and len(groups) >= 3:
        return header
    after = start + len(header)
    if not generic or after >= len(lines):
        return None
    return header if _generic_body(header, groups, lines[after], page) else None


def _is_contents_line(line: Line) -> bool:
    """A table-of-contents entry: a dot leader before a page number."""
    return bool(re.search(r"\.{4,}|…{2,}", line.text))


def _generic_body(header: Sequence[Line], groups: Sequence[HeaderGroup], first: Line, page: Page) -> bool:
    """Does ``first`` read as the first row of a table under these header cells (no header words needed)?

    Plain, not larger than the header, its cells starting under two or more different header cells, and
    (without rules or shading) three or more header cells, so that a bold line with a page number is no table."""
    head = header[0]
    if first.bold or _is_contents_line(first) or first.size > head.size + 0.6:
        return False
    if first.top - header[-1].bottom > 2.5 * head.size:
        return False
    drawn = any(r.y < first.center and r.y > head.top - 3 for r in page.rules) or any(
        b.top - 2 <= head.top and head.bottom <= b.bottom + 2 for b in page.boxes
    )
    if len(groups) < (2 if drawn else 3):
        return False
    lefts = [g.left for g in groups]
    cells = line_cells(first, space=page.space)
    hit = {_column_index(lefts, x0) for x0, _x1, _t in cells}
    return len(hit) >= 2


@dataclass
class HeaderGroup:
    """The words of one header cell over all header lines: cells of the lines that overlap horizontally."""

    left: float
    right: float
    words: list[Word]


def _cell_words(line: Line, settings: ExtractSettings | None, space: float) -> list[list[Word]]:
    cells: list[list[Word]] = []
    position = 0
    for _x0, _x1, text in line_cells(line, settings, space):
        count = len(text.split(" "))
        cells.append(list(line.words[position : position + count]))
        position += count
    return cells


def header_groups(header: Sequence[Line], settings: ExtractSettings | None, space: float) -> list[HeaderGroup]:
    """The header's cells, each all the header text of one column whatever its lines and alignment."""
    pieces: list[tuple[float, float, int, list[Word]]] = []
    for row, line in enumerate(header):
        for words in _cell_words(line, settings, space):
            pieces.append((words[0].x0, max(w.x1 for w in words), row, words))
    pieces.sort(key=lambda p: p[0])
    groups: list[tuple[float, float, list[tuple[int, Word]]]] = []
    for x0, x1, row, words in pieces:
        if groups and x0 < groups[-1][1] - 0.5:
            left, right, held = groups[-1]
            groups[-1] = (left, max(right, x1), held + [(row, w) for w in words])
        else:
            groups.append((x0, x1, [(row, w) for w in words]))
    out = []
    for left, right, held in groups:
        held.sort(key=lambda rw: (rw[0], rw[1].x0))
        out.append(HeaderGroup(left, right, [w for _r, w in held]))
    return out


def _header_box_lefts(header: Sequence[Line], page: Page) -> list[float]:
    """Left edges of the shaded or ruled header cells that hold header words, if the header has them."""
    first, last = header[0], header[-1]
    boxes = sorted(
        {
            (round(b.x0, 1), round(b.x1, 1))
            for b in page.boxes
            if b.top - 2 <= first.center <= b.bottom + 2 and b.top - 2 <= last.center <= b.bottom + 2
        }
    )
    words = [w for line in header for w in line.words]
    lefts: list[tuple[float, float]] = []
    for x0, x1 in boxes:
        if x1 - x0 < 3 or (lefts and x0 < lefts[-1][1] - 1):
            continue
        if any(x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 for w in words):
            lefts.append((x0, x1))
    return [x0 + COLUMN_SLACK for x0, _x1 in lefts] if len(lefts) >= 2 else []


def _header_span(header: Sequence[Line], page: Page) -> tuple[float, float]:
    """Left and right edge of the table: its header boxes if drawn, else the header's words."""
    first = header[0]
    boxes = [b for b in page.boxes if b.top - 2 <= first.center <= b.bottom + 2]
    left = min([line.x0 for line in header] + [b.x0 for b in boxes])
    right = max([line.x1 for line in header] + [b.x1 for b in boxes])
    return left, right


def _sides(line: Line, x: float, lo: float, hi: float) -> bool:
    """Has the line words in (lo, x) and in (x, hi)?"""
    left = any(w.x1 <= x and w.x0 >= lo for w in line.words)
    return left and any(w.x0 >= x and w.x1 <= hi for w in line.words)


def _split_point(group: HeaderGroup, body: Sequence[Line], hi: float) -> float | None:
    """An x between two words of one header line that no header word and no body word covers, with body
    words on both sides of it in two or more rows: two columns whose header cells ran together."""
    words = sorted(group.words, key=lambda w: (round(w.top), w.x0))
    held = [Line((w,), 0) for w in group.words]
    pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if abs(a.top - b.top) <= 1.0]
    for a, b in sorted(pairs, key=lambda ab: ab[0].x1):
        if b.x0 - a.x1 < 1.0:
            continue
        least, width, x = _free_run([*held, *body], a.x1, b.x0)
        if least == 0 and width >= 1.0 and sum(_sides(line, x, group.left - 1, hi) for line in body) >= 2:
            return x
    return None


def split_groups(groups: list[HeaderGroup], body: Sequence[Line]) -> list[HeaderGroup]:
    """Header cells split where the rows show a column boundary the header's spacing did not."""
    out: list[HeaderGroup] = []
    todo = list(groups)
    while todo:
        group = todo.pop(0)
        hi = todo[0].left if todo else group.right + 1000.0
        x = _split_point(group, body, hi) if body else None
        if x is None:
            out.append(group)
            continue
        left = [w for w in group.words if w.x1 <= x]
        right = [w for w in group.words if w.x0 >= x]
        todo[:0] = [
            HeaderGroup(min(w.x0 for w in left), max(w.x1 for w in left), left),
            HeaderGroup(min(w.x0 for w in right), max(w.x1 for w in right), right),
        ]
    return out


def columns_from_header(
    header: Sequence[Line], settings: ExtractSettings, page: Page | None = None, body: Sequence[Line] = ()
) -> list[Column]:
    """Columns from the header cells' boxes when drawn, else from the header cells over all header lines
    (split where the body rows show a boundary the header's spacing did not)."""
    space = page.space if page is not None else DEFAULT_SPACE
    box_lefts = _header_box_lefts(header, page) if page is not None else []
    if not box_lefts:
        groups = split_groups(header_groups(header, settings, space), body)
        return [
            Column(left=g.left, header=" ".join(w.text for w in g.words), right=g.right, start=g.left) for g in groups
        ]
    texts: list[list[str]] = [[] for _ in box_lefts]
    rights: list[float | None] = [None for _ in box_lefts]
    for line in header:
        for word in line.words:
            index = _column_index(box_lefts, (word.x0 + word.x1) / 2)
            texts[index].append(word.text)
            rights[index] = max(rights[index] or word.x1, word.x1)
    return [
        Column(left=left, header=" ".join(t), right=right, drawn=True)
        for left, t, right in zip(box_lefts, texts, rights, strict=True)
    ]


def _coverage(lines: Sequence[Line], x: float) -> int:
    return sum(any(w.x0 - 0.5 <= x <= w.x1 + 0.5 for w in line.words) for line in lines)


def _free_run(lines: Sequence[Line], lo: float, hi: float) -> tuple[int, float, float]:
    """(lines covering it, width, middle) of the widest x run in (lo, hi) that the fewest lines have words over."""
    if hi - lo <= 1.0:
        return _coverage(lines, (lo + hi) / 2), hi - lo, (lo + hi) / 2
    steps = max(2, int((hi - lo) / 0.5))
    xs = [lo + (hi - lo) * i / steps for i in range(steps + 1)]
    counts = [_coverage(lines, x) for x in xs]
    least = min(counts)
    best: tuple[float, float] = (-1.0, (lo + hi) / 2)
    run_start: int | None = None
    for i, count in enumerate([*counts, least + 1]):
        if count == least and run_start is None:
            run_start = i
        elif count != least and run_start is not None:
            width = xs[i - 1] - xs[run_start]
            if width > best[0]:
                best = (width, (xs[run_start] + xs[i - 1]) / 2)
            run_start = None
    return least, best[0], best[1]


def _body_columns(body: Sequence[Line], bridge: float) -> list[tuple[float, float]]:
    """The x extents the body rows' words fill, gaps narrower than ``bridge`` (a word space) closed: one
    extent per column whose cells are aligned in any way, where every column holds something."""
    spans = sorted((w.x0, w.x1) for line in body for w in line.words if not _is_mark(w.text))
    out: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if out and x0 <= out[-1][1] + bridge:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def columns_by_body(columns: list[Column], body: Sequence[Line], space: float) -> list[Column] | None:
    """Columns cut between the body's own columns when there are as many as header cells (or one more, under
    a blank first header cell) and each header cell stands within its column; None when they do not agree.
    Whatever the header's and the cells' alignment, the n-th header cell heads the n-th column of values."""
    if not body or any(c.drawn for c in columns):
        return None
    extents = _body_columns(body, 1.3 * space * body[0].size)
    blank = len(extents) == len(columns) + 1 and extents[0][1] < columns[0].left
    if len(extents) != len(columns) + blank:
        return None
    heads = [Column(left=extents[0][0], header=""), *columns] if blank else list(columns)
    cuts: list[float] = []
    for j in range(1, len(heads)):
        # between the values and header text of the column before and those of this one
        before, start = heads[j - 1].right, heads[j].start
        lo: float = max(extents[j - 1][1], before if before is not None else -1e9)
        hi: float = min(extents[j][0], start if start is not None else 1e9)
        if hi - lo < 0.5:
            return None
        # after the first (text) column, whose lines vary most in length, the cut stands next to the values
        cuts.append(hi - min(1.5, (hi - lo) / 2) if j == 1 else (lo + hi) / 2)
    lefts = [extents[0][0], *[cut + COLUMN_SLACK for cut in cuts]]
    return [replace(col, left=left) for col, left in zip(heads, lefts, strict=True)]


def refine_columns(columns: list[Column], body: Sequence[Line]) -> list[Column]:
    """Column boundaries where the body rows leave free vertical space between two header cells: a header
    centred or set right over left-aligned cells does not push a cell's first words into the column before."""
    if not body:
        return columns
    out = [columns[0]]
    for prev, col in zip(columns, columns[1:], strict=False):
        if col.drawn or prev.right is None or col.start is None or col.start <= prev.right:
            out.append(col)
            continue
        least, _width, x = _free_run(body, prev.right, col.start)
        if len(out) == 1:  # after the text column, whose lines vary most in length: next to the values
            while x + 0.5 < col.start and _coverage(body, x + 0.5) <= least:
                x += 0.5
            x -= 1.0
        out.append(replace(col, left=x + COLUMN_SLACK))
    return out


def _body_sample(
    lines: Sequence[Line],
    start: int,
    width: float,
    page: Page,
    settings: ExtractSettings,
    wide: list[Line] | None = None,
) -> list[Line]:
    """The plain lines after a header, up to a wide gap, a change of size or a bold line: the likely rows.
    Running text across the table (an "Analys" row) is left out: it says nothing about the columns (``wide``, when
    given, collects those lines)."""
    sample: list[Line] = []
    prev: Line | None = None
    for line in lines[start : start + 60]:
        if prev is not None:
            if line.top - prev.bottom > settings.table_end_gap * prev.size * 0.7:
                break
            if abs(line.size - prev.size) > 0.15 * prev.size:
                break
        if line.bold:
            break
        prev = line
        if line.x1 - line.x0 > 0.5 * width and len(line_cells(line, settings, page.space)) == 1:
            if wide is not None:
                wide.append(line)
            continue
        sample.append(line)
    return sample


def _column_index(lefts: Sequence[float], x0: float) -> int:
    index = 0
    for i, left in enumerate(lefts):
        if x0 >= left - COLUMN_SLACK:
            index = i
    return index


def _ends_at_column_right(word: Word, columns: Sequence[Column]) -> bool:
    return any(c.right is not None and abs(word.x1 - c.right) <= RIGHT_ALIGN_TOLERANCE for c in columns[1:])


def _straddles(line: Line, columns: Sequence[Column]) -> bool:
    """True when a word runs across a column's left edge: running text, not a table row."""
    lefts = [c.left for c in columns]
    for word in line.words:
        if _ends_at_column_right(word, columns):
            continue  # a right-aligned cell may start left of its header
        for left in lefts[1:]:
            if word.x0 < left - COLUMN_SLACK and word.x1 > left + COLUMN_SLACK:
                return True
    return False


def _labelled_full_row(line: Line, table: Table) -> bool:
    """A row opened by a bold label ("Analys …") in a table whose rows are plain: a full-width row."""
    first = line.words[0]
    return (
        bool(table.body_size)
        and not table.body_bold
        and first.bold
        and not all(w.bold for w in line.words)
        and any(c.isalpha() for c in first.text)
    )


def right_aligned_columns(lines: Sequence[Line], columns: Sequence[Column]) -> set[int]:
    """Columns whose cells end where their header ends (numbers set flush right), seen in at least two rows."""
    found = set()
    for index, column in enumerate(columns):
        if index == 0 or column.right is None:
            continue
        ends = sum(any(abs(w.x1 - column.right) <= RIGHT_ALIGN_TOLERANCE for w in line.words) for line in lines)
        if ends >= 2:
            found.add(index)
    return found


def split_line(
    line: Line, columns: Sequence[Column], right_aligned: set[int] | None = None, space: float = DEFAULT_SPACE
) -> list[str]:
    """The line's text per column: a cell ending at a right-aligned column's edge goes there whole,
    other words go to the column their left edge falls in."""
    lefts = [c.left for c in columns]
    parts: list[list[str]] = [[] for _ in columns]
    words = list(line.words)
    taken: set[int] = set()
    if right_aligned:
        position = 0
        for _x0, x1, text in line_cells(line, space=space):
            count = len(text.split(" "))
            for index in right_aligned:
                right = columns[index].right
                if right is not None and abs(x1 - right) <= RIGHT_ALIGN_TOLERANCE:
                    parts[index].append(text)
                    taken.update(range(position, position + count))
                    break
            position += count
    for i, word in enumerate(words):
        if i not in taken:
            parts[_column_index(lefts, word.x0)].append(word.text)
    return [" ".join(p) for p in parts]


def _rule_between(page: Page, upper: Line, lower: Line, left: float, right: float) -> bool:
    width = max(right - left, 1.0)
    for rule in page.rules:
        overlap = min(rule.x1, right) - max(rule.x0, left)
        if overlap >= RULE_SPAN_SHARE * width and upper.center < rule.y < lower.center:
            return True
    return False


def _starts_entry(cells: Sequence[str]) -> bool:
    first = cells[0].strip()
    return bool(first) and (first[0].isupper() or first[0].isdigit() or first[0] in ROW_MARKS)


@dataclass
class _Segment:
    """The lines of one table on one page."""

    page: Page
    lines: list[Line]
    kinds: list[str]  # "row" or "full" per line
    cells: list[list[str]]


def _read_segment(
    lines: Sequence[Line],
    start: int,
    table: Table,
    page: Page,
    is_header: HeaderTest,
    settings: ExtractSettings,
    stop: LineTest | None = None,
) -> tuple[_Segment, int]:
    """Consume the table's lines on this page from lines[start]; return them and the next index."""
    seg = _Segment(page, [], [], [])
    index = start
    prev: Line | None = None
    while index < len(lines):
        line = lines[index]
        size = table.body_size or line.size
        if prev is not None and line.top - prev.bottom > settings.table_end_gap * size * 0.7:
            break
        if table.body_size and abs(line.size - table.body_size) > 0.15 * table.body_size:
            break
        if find_header(lines, index, page, is_header, settings, generic=False) or (stop is not None and stop(line)):
            break
        text_words = [w for w in line.words if not _is_mark(w.text)]
        if not text_words or text_words[0].x0 < table.left - 3 * COLUMN_SLACK:
            break
        if line.bold and not table.body_bold and not seg.lines and table.rows:
            break  # a bold line opening the next page is a heading, not the rest of the table
        full = _straddles(line, table.columns) or _labelled_full_row(line, table)
        if full:
            first_word = line.words[0]
            if seg.kinds:
                continuing_full = seg.kinds[-1] == "full"
            else:
                continuing_full = bool(table.rows) and table.rows[-1].is_full_width
            if not (first_word.bold or continuing_full):
                break
        if not table.body_size:
            table.body_size = line.size
            table.body_bold = line.bold
        seg.lines.append(line)
        seg.kinds.append("full" if full else "row")
        seg.cells.append([line.text])
        prev = line
        index += 1
    rows = [line for line, kind in zip(seg.lines, seg.kinds, strict=True) if kind == "row"]
    if table.right_aligned is None and len(rows) >= 2:
        table.right_aligned = right_aligned_columns(rows, table.columns)
    for i, line in enumerate(seg.lines):
        if seg.kinds[i] == "row":
            seg.cells[i] = split_line(line, table.columns, table.right_aligned or set(), page.space)
    return seg, index


def _row_starts(seg: _Segment, table: Table) -> list[bool]:
    """For each line of a segment: does a new row start here? Marks full-width continuations."""
    n = len(seg.lines)
    starts = [False] * n
    if not n:
        return starts
    pitches = [seg.lines[i].center - seg.lines[i - 1].center for i in range(1, n)]
    tight = min(pitches) if pitches else 0.0
    ruled = [_rule_between(seg.page, seg.lines[i - 1], seg.lines[i], table.left, table.right) for i in range(1, n)]
    has_rules = any(ruled)
    # rows spaced wider than any line pitch inside a cell: every line is a row of its own
    one_line_rows = bool(pitches) and tight > SINGLE_LINE_ROW_PITCH * seg.lines[0].size
    gapped = [one_line_rows or p > tight * ROW_PITCH_FACTOR + 0.5 for p in pitches]
    has_gaps = any(gapped)
    starts[0] = True
    for i in range(1, n):
        cells, prev_cells = seg.cells[i], seg.cells[i - 1]
        if has_rules:
            boundary = ruled[i - 1]
        elif has_gaps:
            boundary = gapped[i - 1]
        else:
            others = any(c.strip() for c in cells[1:]) if seg.kinds[i] == "row" else False
            ended = prev_cells[0].rstrip().endswith((".", "!", "?"))
            boundary = _starts_entry(cells) and (others or ended)
        if seg.kinds[i] == "full":
            # a full-width row starts with its bold label ("Analys"); otherwise it continues one
            drawn = (has_rules or has_gaps) and boundary
            starts[i] = seg.kinds[i - 1] != "full" or drawn or seg.lines[i].words[0].bold
        elif seg.kinds[i - 1] == "full" and not boundary:
            seg.kinds[i] = "full"
            seg.cells[i] = [seg.lines[i].text]
            starts[i] = False
        else:
            starts[i] = boundary
    return starts


def _continues_previous_row(seg: _Segment, last_row: TableRow) -> bool:
    """Is the first line of a continued table the rest of a row broken by the page break?"""
    if not seg.lines:
        return False
    first_word = seg.lines[0].words[0]
    if last_row.is_full_width:
        return not first_word.bold and (seg.kinds[0] == "full" or not _starts_entry(seg.cells[0]))
    if seg.kinds[0] == "full":
        return False
    cells = seg.cells[0]
    first = cells[0].strip()
    if not first:
        return True
    if first[0].islower() or first[0] in ",;:)-–":
        return True
    if any(c.strip() for c in cells[1:]):
        return False
    prev_text = last_row.lines[-1][0].rstrip() if last_row.lines else ""
    return bool(prev_text) and not prev_text.endswith((".", "!", "?"))


def _append_rows(table: Table, seg: _Segment) -> None:
    starts = _row_starts(seg, table)
    if table.rows and _continues_previous_row(seg, table.rows[-1]):
        starts[0] = False
    for i, line_cells_ in enumerate(seg.cells):
        if starts[i] or not table.rows:
            if seg.kinds[i] == "full":
                row = TableRow(cells=[""] * len(table.columns), page=seg.page.number, full_width="")
            else:
                row = TableRow(cells=[""] * len(table.columns), page=seg.page.number)
            table.rows.append(row)
        row = table.rows[-1]
        row.lines.append(line_cells_)
        if row.is_full_width:
            row.full_width = _join(row.full_width or "", seg.lines[i].text)
        else:
            row.cells = [_join(a, b) for a, b in zip(row.cells, line_cells_, strict=True)]
    if seg.page.number not in table.pages:
        table.pages.append(seg.page.number)


def _join(left: str, right: str) -> str:
    """Join two pieces of one cell broken over lines, keeping hyphenated words whole."""
    left, right = left.strip(), right.strip()
    if not left:
        return right
    if not right:
        return left
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        return left + right  # line-end hyphenation: "förvalt-" + "ningen"
    return f"{left} {right}"


def _repeated_header(lines: Sequence[Line], table: Table, page: Page, settings: ExtractSettings) -> int:
    """How many lines at the top of a page repeat the open table's header (0: none)."""
    block = _header_block(lines, 0, settings, page.space)
    for count in range(1, len(block) + 1):
        if _norm(" ".join(line.text for line in block[:count])) == table.header_key:
            return count
    return 0


def _new_table(
    lines: Sequence[Line], index: int, header: Sequence[Line], page: Page, settings: ExtractSettings
) -> Table:
    """A table under ``header`` (at lines[index]) with columns from the header cells and the rows' free space."""
    after = index + len(header)
    width = max(h.x1 for h in header) - min(h.x0 for h in header)
    wide: list[Line] = []
    body = _body_sample(lines, after, width, page, settings, wide)
    columns = columns_from_header(header, settings, page, body)
    left, right = _header_span(header, page)
    by_body = columns_by_body(columns, body, page.space)
    columns = by_body or refine_columns(columns, body)
    # long first-column lines (wrapped text that stops short of the second header cell) are rows too
    first = [w for w in wide if len(columns) > 1 and w.x1 < (columns[1].start or columns[1].left)]
    rows = [*body, *first]
    if body and by_body:
        left = min(left, body[0].x0)
    elif rows and rows[0].x0 < columns[0].left - 3 * COLUMN_SLACK:
        start = min(r.x0 for r in rows)
        least, width, x = _free_run(rows, start + 1.0, columns[0].left - COLUMN_SLACK)
        if body and least == 0 and width >= max(4.0, 1.5 * page.space * rows[0].size):
            # the header leaves its first (row label) column blank
            columns[0] = replace(columns[0], left=x + COLUMN_SLACK)
            columns.insert(0, Column(left=start, header=""))
        else:  # a first header cell centred or set right over its column
            columns[0] = replace(columns[0], left=start)
        left = min(left, start)
    return Table(
        columns=columns,
        rows=[],
        page=page.number,
        header_key=_norm(" ".join(line.text for line in header)),
        left=left,
        right=right,
        pages=[page.number],
    )


def pages_to_blocks(
    pages: Sequence[Page],
    is_header: HeaderTest = default_header_test,
    settings: ExtractSettings | None = None,
    stop: LineTest | None = None,
) -> list[Block]:
    """The document as one stream of text lines and tables, in reading order."""
    settings = settings or ExtractSettings()
    blocks: list[Block] = []
    open_table: Table | None = None
    for page in pages:
        lines = page.lines
        index = 0
        if open_table is not None and lines:
            index = _repeated_header(lines, open_table, page, settings)  # a repeated header is dropped
            header = None if index else find_header(lines, 0, page, is_header, settings)
            if header is None and not open_table.rows:  # the header stood at the foot of the page before
                body = _body_sample(lines, index, open_table.right - open_table.left, page, settings)
                open_table.columns = refine_columns(open_table.columns, body)
            if header is None:
                seg, end = _read_segment(lines, index, open_table, page, is_header, settings, stop)
                if seg.lines:
                    _append_rows(open_table, seg)
                index = end
                if index < len(lines):
                    open_table = None
            else:
                open_table = None
        elif not lines:
            continue
        else:
            open_table = None
        while index < len(lines):
            header = find_header(lines, index, page, is_header, settings)
            if header is None:
                blocks.append(lines[index])
                index += 1
                continue
            table = _new_table(lines, index, header, page, settings)
            seg, index = _read_segment(lines, index + len(header), table, page, is_header, settings, stop)
            _append_rows(table, seg)
            blocks.append(table)
            open_table = table if index >= len(lines) else None
    return blocks
