"""Clean PDF-extracted text: glyph junk, bullets, whitespace and line-end hyphenation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SOFT_HYPHEN = "\u00ad"

# Typographic ligatures pdfplumber hands back as single code points.
LIGATURES: dict[str, str] = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

# Bullet glyphs removed when they open a line; elsewhere they are left alone.
BULLETS = "•●▪◦‣∙■►▸➢"

# Words that may follow "X-" at a line end in a Swedish suspended compound ("hälso- och sjukvård").
SUSPENDED_COMPOUND_WORDS = frozenset({"och", "eller", "samt", "till", "som", "resp", "respektive", "men", "utan"})

# Hyphen-minus, U+2010 HYPHEN and U+2011 NON-BREAKING HYPHEN: may be line-end hyphenation.
_HYPHENS = "-\u2010\u2011"
# Dashes that are never hyphenation but glue ranges/names together ("2019–" + "2022").
_DASHES = "\u2013"

# Every line boundary str.splitlines knows, so bullets "at line start" means the same everywhere.
_LINE_BREAK_RE = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Soft hyphens, zero-width characters, non-whitespace C0/C1 controls and every private-use code point.
_DROP_RE = re.compile(
    "["
    "\u00ad"
    "\u200b-\u200d\u2060\ufeff\u180e"
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
    "]"
)
_LIGATURE_RE = re.compile("[" + "".join(LIGATURES) + "]")
_LEADING_BULLETS_RE = re.compile(rf"^(?:[^\S\n]*[{BULLETS}])+", re.MULTILINE)
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")


def clean_text(text: str) -> str:
    """Return one clean line: drop glyph junk and line-start bullets, expand ligatures, squash whitespace."""
    text = _LINE_BREAK_RE.sub("\n", text)
    text = _DROP_RE.sub("", text)
    text = _LIGATURE_RE.sub(lambda match: LIGATURES[match.group()], text)
    # NFC only (not NFKC): composes "a" + U+030A into "å" but keeps "♀", "✓", "²" and "§" as printed.
    text = unicodedata.normalize("NFC", text)
    text = _LEADING_BULLETS_RE.sub("", text)
    return " ".join(text.split())


def _joiner(previous: str, following: str) -> tuple[str, str]:
    """Decide how two cleaned lines meet: (previous, minus its hyphen if hyphenated, separator)."""
    last = previous[-1]
    fragment = previous.rsplit(" ", 1)[-1][:-1]  # the word before a final hyphen/dash, "" if spaced
    if last in _DASHES and fragment:
        return previous, ""
    if last not in _HYPHENS or not fragment:
        return previous, " "
    first_word = _FIRST_WORD_RE.match(following)
    if first_word and first_word.group().lower() in SUSPENDED_COMPOUND_WORDS:
        return previous, " "
    start = following[0]
    # "förvalt-" + "ningen": a lower-case word broken before a lower-case rest. Keep "e-" and "IT-" hyphens.
    if len(fragment) > 1 and fragment[-1].isalpha() and fragment[-1].islower() and start.islower():
        return previous[:-1], ""
    if start.isalnum():
        return previous, ""
    return previous, " "


def join_lines(lines: Sequence[str]) -> str:
    """Join the text lines of one paragraph or cell into one clean line, undoing line-end hyphenation."""
    joined = ""
    soft_hyphenated = False
    for raw_line in lines:
        for part in _LINE_BREAK_RE.split(raw_line):
            line = clean_text(part)
            if not line:
                continue
            if not joined:
                joined = line
            elif soft_hyphenated:
                joined += line
            else:
                joined, separator = _joiner(joined, line)
                joined += separator + line
            soft_hyphenated = part.rstrip().endswith(SOFT_HYPHEN)
    return joined


def one_line(text: str) -> str:
    """Clean a multi-line title or name into one line, joining hyphenated line breaks."""
    return join_lines(_LINE_BREAK_RE.split(text))
