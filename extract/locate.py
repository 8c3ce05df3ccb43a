"""Find where each draft record was printed: the words on its page that spell its text, in reading order.

This pass reads only the page model and each draft's page and text, not how a parser found the record: the
words are compared letter by letter (case, spaces, punctuation and line-end hyphens ignored), words of other
columns in between are skipped, and text that runs to the foot of a page may continue at the top of the next.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .model import Page, Word
from .where import Where, box_around

# A record's next word lies at most this many lines below the one before it (other columns' lines in between).
MAX_LINE_GAP = 3
# Text may continue on the next page when it stops within this many lines of its page's last line ...
PAGE_FOOT_LINES = 6
# ... and goes on within this many lines of the next page's top (a repeated table header in between).
PAGE_HEAD_LINES = 12
# A value cell is looked for from this many line heights above its row's name to as far below.
ROW_REACH_LINES = 3.0
# How far (points) a value's words may start left of the end of the cell before it.
CELL_SLACK = 1.0


def letters(text: str) -> str:
    """The text's letters and digits, case-folded: what is compared (ligatures and widths unified by NFKC)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def marks(text: str) -> str:
    """The text without whitespace, case-folded: compared for cells, whose marks count ("0,03 %", "-")."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Token:
    word: Word
    key: str  # letters(word.text)
    bare: str  # marks(word.text)
    page: int
    line: int  # the line's index on its page
    lines_on_page: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.word.x0, self.word.top, self.word.x1, self.word.bottom)


@dataclass(frozen=True)
class Stream:
    """Every body word of the document in reading order, and where each page's words start."""

    tokens: tuple[Token, ...]
    starts: dict[int, tuple[int, int]]  # page number → (first token index, index after its last)

    def page_range(self, page: int) -> range:
        first, stop = self.starts.get(page, (0, 0))
        return range(first, stop)


def page_stream(pages: Sequence[Page]) -> Stream:
    tokens: list[Token] = []
    starts: dict[int, tuple[int, int]] = {}
    for page in pages:
        first = len(tokens)
        for index, line in enumerate(page.lines):
            for word in line.words:
                tokens.append(Token(word, letters(word.text), marks(word.text), page.number, index, len(page.lines)))
        starts[page.number] = (first, len(tokens))
    return Stream(tuple(tokens), starts)


def _follows(before: Token, after: Token) -> bool:
    """After can be the next word of a text whose word so far is before."""
    if after.page == before.page:
        return after.line - before.line <= MAX_LINE_GAP
    return (
        after.page == before.page + 1
        and before.lines_on_page - before.line <= PAGE_FOOT_LINES
        and after.line < PAGE_HEAD_LINES
    )


@dataclass
class Spelling:
    """One search for the words spelling a target among some tokens (all of them, or a row's)."""

    tokens: Sequence[Token]
    target: str
    exact: bool  # compare every printed character but spaces, not only letters and digits

    @classmethod
    def of(cls, tokens: Sequence[Token], text: str, exact: bool = False) -> Spelling | None:
        key = "" if exact else letters(text)
        if key:
            return cls(tokens, key, False)
        bare = marks(text)
        return cls(tokens, bare, True) if bare else None

    def key(self, index: int) -> str:
        token = self.tokens[index]
        return token.bare if self.exact else token.key

    def starts_at(self, index: int) -> bool:
        key = self.key(index)
        return bool(key) and (self.target.startswith(key) or key.startswith(self.target))

    def from_start(self, index: int) -> list[int] | None:
        """The token indices spelling the target from tokens[index] on, else None."""
        if not self.starts_at(index):
            return None
        return self._extend(index, len(self.key(index)), set())

    def _extend(self, index: int, pos: int, seen: set[tuple[int, int]]) -> list[int] | None:
        if pos >= len(self.target):
            return [index]
        if (index, pos) in seen:
            return None
        seen.add((index, pos))
        rest = self.target[pos:]
        here = self.tokens[index]
        for nxt in range(index + 1, len(self.tokens)):
            token = self.tokens[nxt]
            if not _follows(here, token):
                break
            key = self.key(nxt)
            if key and (rest.startswith(key) or key.startswith(rest)):
                found = self._extend(nxt, pos + len(key), seen)
                if found:
                    return [index, *found]
        return None


def spellings(tokens: Sequence[Token], text: str, starts: Iterable[int], exact: bool = False) -> Iterator[list[int]]:
    """Every run of tokens, starting at an index in starts (in that order), whose words spell text."""
    search = Spelling.of(tokens, text, exact)
    if search is None:
        return
    for index in starts:
        found = search.from_start(index)
        if found:
            yield found


def skipped_lines(tokens: Sequence[Token], indices: Sequence[int]) -> int:
    """How many lines a spelling jumps over between its words: 0 for text set line after line."""
    jumps = 0
    for before, after in zip(indices, indices[1:], strict=False):
        a, b = tokens[before], tokens[after]
        jumps += max(0, b.line - a.line - 1) if a.page == b.page else (a.lines_on_page - a.line - 1) + b.line
    return jumps


def spell(tokens: Sequence[Token], text: str, starts: Iterable[int], exact: bool = False) -> list[int] | None:
    """The first run of tokens, starting at an index in starts, whose words spell text."""
    return next(spellings(tokens, text, starts, exact), None)


def where_of(tokens: Sequence[Token], indices: Sequence[int]) -> Where:
    """The box of the words on the first one's page, and the page the last one is on."""
    first = tokens[indices[0]].page
    boxes = [tokens[i].box for i in indices if tokens[i].page == first]
    return box_around(first, boxes, tokens[indices[-1]].page)
