"""The numbered items under "Förslag till beslut" and the amounts of money they name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...normalize.numbers import MONEY_UNIT_PATTERN
from ..model import Line, Page
from . import vocab
from .drafts import DecisionDraft

ITEM = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
# "5 958,6 tkr", "154,5 mnkr", "2 mnkr", "1 400 tkr", "3 miljoner kronor"
AMOUNT = re.compile(
    r"(?<![\w,])([-−–]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?|[-−–]?\d+(?:,\d+)?)\s*"
    rf"({MONEY_UNIT_PATTERN})(?!\w)",
    re.I,
)
# Pages after the first on which the decisions may continue.
SEARCH_PAGES = 2
# A line further below the previous one than this many font sizes does not continue an item.
CONTINUATION_PITCH = 1.45


def amounts_in(text: str) -> list[str]:
    """Every amount of money in the text, as printed ("5 958,6 tkr")."""
    return [m.group(1) + " " + " ".join(m.group(2).split()) for m in AMOUNT.finditer(text)]


def parse_decisions(pages: Sequence[Page]) -> list[DecisionDraft]:
    lines: list[Line] = [line for page in pages[: SEARCH_PAGES + 1] for line in page.lines]
    start = next((i for i, line in enumerate(lines) if vocab.DECISIONS_HEADING.match(line.text.strip())), None)
    if start is None:
        return []
    decisions: list[DecisionDraft] = []
    prev: Line | None = None
    for line in lines[start + 1 :]:
        text = line.text.strip()
        m = ITEM.match(text)
        expected = decisions[-1].number + 1 if decisions else 1
        if m and int(m.group(1)) == expected:
            decisions.append(DecisionDraft(number=expected, page=line.page, lines=[m.group(2)]))
        elif decisions and prev is not None and _continues(prev, line):
            decisions[-1].lines.append(text)
        else:
            break
        prev = line
    for decision in decisions:
        decision.amounts = amounts_in(decision.text)
    return decisions


def _continues(prev: Line, line: Line) -> bool:
    same_page_close = line.page == prev.page and line.center - prev.center <= CONTINUATION_PITCH * prev.size
    return same_page_close and not line.bold and abs(line.size - prev.size) < 0.6
