"""The goal hierarchy: level labels, the headings under them, assessments and sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ...normalize.text import join_lines, one_line
from ...schemas.terms import LEVELS, Level
from ..model import Line
from ..tables import Block
from . import vocab
from .drafts import GoalDraft

# "1.", "1.2", "1.2.", "1.2.1." at the start of a heading.
GOAL_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?=\s)")
# A heading line continues the previous one when its centre is at most this many font sizes below.
HEADING_PITCH = 1.7
# Paragraph break inside a section: vertical gap wider than this share of the font size.
PARAGRAPH_GAP = 0.45


def body_style(blocks: Sequence[Block]) -> tuple[float, bool]:
    """The (size, bold) most running text of the document is set in."""
    counts = Counter(b.style for b in blocks if isinstance(b, Line) for _ in b.words)
    return counts.most_common(1)[0][0] if counts else (0.0, False)


def label_of(line: Line) -> tuple[Level, str] | None:
    """(level, text after the label) when the line is a goal level label such as "Nämndmål:"."""
    text = line.text.strip()
    if not text or not text[0].isupper():
        return None
    found = vocab.level_of_label(text)
    if found is None:
        return None
    level, rest = found
    # a label stands alone on its line, or is set in bold, or ends with a colon before the title
    if rest and not (line.words[0].bold or ":" in text[: len(text) - len(rest)]):
        return None
    return level, rest


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


def _heading(blocks: Sequence[Block], start: int, rest: str) -> tuple[list[str], int]:
    """The heading's lines after the label at blocks[start], and the index after them."""
    label = blocks[start]
    assert isinstance(label, Line)
    lines: list[str] = []
    index = start + 1
    anchor: Line | None = label if rest else None
    if rest:
        lines.append(rest)
    elif index < len(blocks) and isinstance(nxt := blocks[index], Line) and not _is_stop_line(nxt):
        anchor = nxt
        lines.append(anchor.text)
        index += 1
    if anchor is None:
        return lines, index
    prev = anchor
    while index < len(blocks):
        nxt = blocks[index]
        if not isinstance(nxt, Line) or nxt.page != prev.page or _is_stop_line(nxt):
            break
        close = 0 < nxt.center - prev.center <= HEADING_PITCH * prev.size
        same_style = abs(nxt.size - anchor.size) < 0.3 and nxt.bold == anchor.bold
        styled = anchor.bold or anchor.size > 0
        if not (close and same_style and styled):
            break
        if not anchor.bold and not nxt.text[:1].islower():
            break  # plain-text headings: only an obvious continuation joins
        lines.append(nxt.text)
        prev = nxt
        index += 1
    return lines, index


def _parent(goals: list[GoalDraft], open_goals: dict[str, int], level: str) -> int | None:
    depth = LEVELS.index(level)
    for upper in reversed(LEVELS[:depth]):
        if upper in open_goals:
            return open_goals[upper]
    return None


def _closes_hierarchy(line: Line, top_heading_size: float | None) -> bool:
    """A heading as big as the top goal headings that is not a goal ends the goal part."""
    return top_heading_size is not None and line.bold and line.size >= top_heading_size - 0.1


def parse_goals(blocks: Sequence[Block]) -> tuple[list[GoalDraft], list[int | None]]:
    """Goals in document order, and for each block the ordinal of the goal it stands under."""
    goals: list[GoalDraft] = []
    owner: list[int | None] = [None] * len(blocks)
    open_goals: dict[str, int] = {}
    current: int | None = None
    top_heading_size: float | None = None
    heading_blocks: set[int] = set()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Line):
            found = label_of(block)
            if found:
                level, rest = found
                title_lines, after = _heading(blocks, index, rest)
                title = one_line(join_lines(title_lines))
                if title:
                    number, number_raw, title = split_number(title)
                    goal = GoalDraft(
                        ordinal=len(goals),
                        level=level,
                        title=title,
                        page=block.page,
                        number=number,
                        number_raw=number_raw,
                        parent=_parent(goals, open_goals, level),
                    )
                    if after < len(blocks) and isinstance(below := blocks[after], Line):
                        goal.assessment = assessment_of(below)
                        if goal.assessment:
                            after += 1
                    if level == LEVELS[0] and not rest and index + 1 < len(blocks):
                        heading_line = blocks[index + 1]
                        if isinstance(heading_line, Line):
                            top_heading_size = max(top_heading_size or 0.0, heading_line.size)
                    depth = LEVELS.index(level)
                    for deeper in LEVELS[depth:]:
                        open_goals.pop(deeper, None)
                    open_goals[level] = goal.ordinal
                    goals.append(goal)
                    current = goal.ordinal
                    for k in range(index, after):
                        owner[k] = current
                        heading_blocks.add(k)
                    index = after
                    continue
            elif _closes_hierarchy(block, top_heading_size):
                open_goals.clear()
                current = None
        owner[index] = current
        index += 1
    _attach_sections(blocks, goals, owner, heading_blocks)
    return goals, owner


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
