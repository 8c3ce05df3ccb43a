"""The goal hierarchy: level labels, the headings under them, assessments and sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ...normalize.text import join_lines, one_line
from ...schemas.terms import LEVELS, Level
from ..lines import same_style, text_style
from ..model import Line, Word
from ..tables import Block
from . import vocab
from .drafts import GoalDraft, ParseWarning

# "1.", "1.2", "1.2.", "1.2.1." at the start of a heading.
GOAL_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?=\s)")
# A heading's next line is at most its leading plus this share of the font size below (first continuation).
HEADING_SLACK = 0.4
# Later continuations keep the heading's own line pitch, within this factor (plus a point).
PITCH_TOLERANCE = 1.15
# Line pitch as a share of the font size, when the document has too little running text to measure it.
DEFAULT_LEADING = 1.25
# Paragraph break inside a section: vertical gap wider than this share of the font size.
PARAGRAPH_GAP = 0.45

Style = tuple[str, float, bool]


@dataclass
class Heading:
    """A goal heading as read: its lines (label line first), title text, the block after it, and any guess made."""

    lines: list[Line]
    title: str
    after: int
    style: Style
    guess: str | None = None


@dataclass(frozen=True)
class Looks:
    """What the document's running text looks like: the yardstick a heading is told apart by."""

    body: Style
    leading: float


def body_style(blocks: Sequence[Block]) -> tuple[float, bool]:
    """The (size, bold) most running text of the document is set in."""
    counts = Counter(b.style for b in blocks if isinstance(b, Line) for _ in b.words)
    return counts.most_common(1)[0][0] if counts else (0.0, False)


def document_looks(blocks: Sequence[Block]) -> Looks:
    """The running text's style (by letters) and its line pitch as a share of its size (median over neighbours)."""
    counts: Counter[Style] = Counter()
    styles: list[Style | None] = []
    for block in blocks:
        style = text_style(block.words) if isinstance(block, Line) else None
        styles.append(style)
        if style and isinstance(block, Line):
            counts[style] += len(block.text)
    body = counts.most_common(1)[0][0] if counts else ("", 0.0, False)
    ratios = []
    for i in range(1, len(blocks)):
        a, b = blocks[i - 1], blocks[i]
        if isinstance(a, Line) and isinstance(b, Line) and a.page == b.page and styles[i] == styles[i - 1] == body:
            ratio = (b.center - a.center) / max(body[1], 1.0)
            if 0.9 < ratio < 2.0:
                ratios.append(ratio)
    ratios.sort()
    return Looks(body, ratios[len(ratios) // 2] if len(ratios) >= 5 else DEFAULT_LEADING)


def _label_words(line: Line, rest: str) -> tuple[tuple[Word, ...], tuple[Word, ...]]:
    """The line's words split into (label, title) by the text after the label."""
    n = min(len(rest.split()), len(line.words) - 1) if rest else 0
    return (line.words[: len(line.words) - n], line.words[len(line.words) - n :]) if n else (line.words, ())


def label_of(line: Line) -> tuple[Level, str] | None:
    """(level, text after the label) when the line is a goal level label such as "Nämndmål:"."""
    text = line.text.strip()
    if not text or not text[0].isupper():
        return None
    found = vocab.level_of_label(text)
    if found is None:
        return None
    level, rest = found
    if not rest:
        return level, rest
    # on the heading's own line: the label ends with a colon, or is set apart (bold, or another style than the title)
    label, title = _label_words(line, rest)
    colon = ":" in text[: len(text) - len(rest)]
    set_apart = all(w.bold for w in label) or (bool(title) and not same_style(text_style(label), text_style(title)))
    return (level, rest) if colon or set_apart else None


def is_label_line(line: Line) -> bool:
    """Does this line open a goal heading (a level label)? For other parsers that must stop there."""
    return label_of(line) is not None


def split_number(heading: str) -> tuple[str | None, str | None, str]:
    """("1.2", "1.2.", title) from "1.2. Title"; (None, None, heading) when unnumbered."""
    m = GOAL_NUMBER.match(heading)
    if not m:
        return None, None, heading
    raw = heading[: m.end()].strip()
    return m.group(1), raw, heading[m.end() :].strip()


def assessment_of(line: Line) -> str | None:
    m = vocab.ASSESSMENT.match(line.text.strip())
    return vocab.ASSESSMENT_VALUES[m.group(1).lower()] if m else None


def _is_stop_line(line: Line) -> bool:
    text = line.text.strip()
    return bool(label_of(line) or assessment_of(line) or vocab.SECTION_HEADINGS.match(text))


def _first_line(blocks: Sequence[Block], start: int, rest: str) -> tuple[Line, Style, int] | None:
    """The heading's first line, the style its title is set in, and the index after that line."""
    label = blocks[start]
    assert isinstance(label, Line)
    if rest:
        _, title_words = _label_words(label, rest)
        return label, text_style(title_words or label.words), start + 1
    if start + 1 < len(blocks) and isinstance(nxt := blocks[start + 1], Line) and not _is_stop_line(nxt):
        return nxt, text_style(nxt.words), start + 2
    return None


def _continues(prev: Line, nxt: Line, style: Style, pitch: float | None, looks: Looks) -> bool:
    """Is `nxt` the next line of the heading ending in `prev`: same style, as close as the heading's own leading?"""
    if nxt.page != prev.page or _is_stop_line(nxt) or not same_style(text_style(nxt.words), style):
        return False
    step = nxt.center - prev.center
    limit = pitch * PITCH_TOLERANCE + 1.0 if pitch else style[1] * (looks.leading + HEADING_SLACK)
    return 0 < step <= limit


def read_heading(blocks: Sequence[Block], start: int, rest: str, looks: Looks) -> Heading:
    """The heading opened by the label at blocks[start]: it runs while the lines keep its style and spacing."""
    label = blocks[start]
    assert isinstance(label, Line)
    first = _first_line(blocks, start, rest)
    if first is None:
        return Heading([label], "", start + 1, text_style(label.words), "a level label with no heading under it")
    line, style, index = first
    lines, texts = [line], [rest or line.text]
    plain = same_style(style, looks.body)  # set like the running text: only the words can tell where it ends
    guess = None
    pitch: float | None = None
    while index < len(blocks) and isinstance(nxt := blocks[index], Line):
        if not _continues(lines[-1], nxt, style, pitch, looks):
            break
        if plain:
            guess = "goal heading set like the running text: where it ends was guessed"
            if not nxt.text[:1].islower():
                break  # only an obvious continuation joins
        pitch = pitch or nxt.center - lines[-1].center
        lines.append(nxt)
        texts.append(nxt.text)
        index += 1
    head = [label, *lines] if lines[0] is not label else lines
    return Heading(head, one_line(join_lines(texts)), index, style, guess)


def _parent(goals: list[GoalDraft], open_goals: dict[str, int], level: str) -> int | None:
    depth = LEVELS.index(level)
    for upper in reversed(LEVELS[:depth]):
        if upper in open_goals:
            return open_goals[upper]
    return None


def _closes_hierarchy(line: Line, top_heading_size: float | None) -> bool:
    """A heading as big as the top goal headings that is not a goal ends the goal part."""
    return top_heading_size is not None and line.bold and line.size >= top_heading_size - 0.1


@dataclass
class _State:
    """The goal parser's running state: goals so far, the open goal per level, the owner of each block."""

    goals: list[GoalDraft]
    owner: list[int | None]
    warnings: list[ParseWarning]
    open_goals: dict[str, int]
    heading_blocks: set[int]
    top_heading_size: float | None = None
    current: int | None = None


def _add_goal(state: _State, blocks: Sequence[Block], index: int, level: Level, heading: Heading) -> int:
    """Record the goal read at blocks[index]; return the index after its heading and assessment."""
    label = blocks[index]
    assert isinstance(label, Line)
    number, number_raw, title = split_number(heading.title)
    goal = GoalDraft(
        ordinal=len(state.goals),
        level=level,
        title=title,
        page=label.page,
        number=number,
        number_raw=number_raw,
        parent=_parent(state.goals, state.open_goals, level),
    )
    after = heading.after
    if after < len(blocks) and isinstance(below := blocks[after], Line):
        goal.assessment = assessment_of(below)
        if goal.assessment:
            after += 1
    if level == LEVELS[0]:
        state.top_heading_size = max(state.top_heading_size or 0.0, heading.style[1])
    for deeper in LEVELS[LEVELS.index(level) :]:
        state.open_goals.pop(deeper, None)
    state.open_goals[level] = goal.ordinal
    state.goals.append(goal)
    state.current = goal.ordinal
    for k in range(index, after):
        state.owner[k] = goal.ordinal
        state.heading_blocks.add(k)
    return after


def parse_goals(blocks: Sequence[Block]) -> tuple[list[GoalDraft], list[int | None], list[ParseWarning]]:
    """Goals in document order, for each block the ordinal of the goal it stands under, and what was guessed."""
    state = _State([], [None] * len(blocks), [], {}, set())
    looks = document_looks(blocks)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Line):
            found = label_of(block)
            if found:
                level, rest = found
                heading = read_heading(blocks, index, rest, looks)
                text = " / ".join(line.text for line in heading.lines)
                if heading.guess:
                    state.warnings.append(ParseWarning("guessed_heading", block.page, heading.guess, text))
                if heading.title:
                    index = _add_goal(state, blocks, index, level, heading)
                    continue
            elif _closes_hierarchy(block, state.top_heading_size):
                state.open_goals.clear()
                state.current = None
        state.owner[index] = state.current
        index += 1
    _attach_sections(blocks, state.goals, state.owner, state.heading_blocks)
    return state.goals, state.owner, state.warnings


def _is_section_heading(line: Line, body: tuple[float, bool]) -> bool:
    if vocab.SECTION_HEADINGS.match(line.text.strip()) and len(line.text) < 120:
        return True
    return line.bold and not body[1] and abs(line.size - body[0]) <= 1.5 and len(line.text) < 160


def _attach_sections(
    blocks: Sequence[Block], goals: list[GoalDraft], owner: list[int | None], heading_blocks: set[int]
) -> None:
    """Give each goal its sections: (heading, text) from the running text under it."""
    body = body_style(blocks)
    by_goal: dict[int, list[Line]] = {}
    for index, block in enumerate(blocks):
        ordinal = owner[index]
        if ordinal is not None and isinstance(block, Line) and index not in heading_blocks:
            by_goal.setdefault(ordinal, []).append(block)
    for goal in goals:
        lines = by_goal.get(goal.ordinal, [])
        # skip the label, heading and assessment lines
        sections: list[tuple[str, list[Line]]] = []
        for line in lines:
            if _is_section_heading(line, body):
                if sections and sections[-1][1] == [] and sections[-1][0]:
                    # consecutive heading lines (a wrapped heading) stay one heading
                    prev_heading = sections[-1][0]
                    if not vocab.SECTION_HEADINGS.match(line.text.strip()):
                        sections[-1] = (prev_heading + " " + line.text, [])
                        continue
                sections.append((line.text, []))
            else:
                if not sections:
                    sections.append(("", []))
                sections[-1][1].append(line)
        goal.sections = [(one_line(h), _paragraphs(ls)) for h, ls in sections]


def _paragraphs(lines: list[Line]) -> str:
    paragraphs: list[list[str]] = []
    prev: Line | None = None
    for line in lines:
        gap = line.top - prev.bottom if prev and prev.page == line.page else 0.0
        if prev is None or gap > PARAGRAPH_GAP * line.size:
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        prev = line
    return "\n".join(join_lines(p) for p in paragraphs)
