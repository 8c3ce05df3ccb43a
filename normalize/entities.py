"""Amounts, percentages, dates and Stockholm organisations named in running text, found by spaCy rules.

An offline pipeline: spaCy's blank Swedish tokenizer and an EntityRuler with token patterns, loaded once
per process. Each hit is returned with its number and unit parsed, so researchers can query every amount
or organisation a goal text mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .dates import MONTHS, parse_swedish_date_in_text
from .numbers import MONEY_SPELLINGS, parse_value

if TYPE_CHECKING:
    from spacy.language import Language

# One-token spellings ("tkr") are matched as a token; "miljoner kronor" as two.
MONEY_UNITS = [s for s in MONEY_SPELLINGS if " " not in s]
SCALE_WORDS = sorted({s.split()[0] for s in MONEY_SPELLINGS if s.endswith(" kronor")})
PERCENT_UNITS = ["%", "procent"]
# Organisations end in these words: Socialnämnden, Hägersten-Liljeholmens stadsdelsnämnd, Socialförvaltningen, …
ORG_SUFFIX = r"(nämnd|nämnden|förvaltning|förvaltningen|styrelse|styrelsen|kontor|kontoret|fullmäktige)$"
GROUPED = r"^\d{3}(,\d+)?$"
FIRST = r"^[-−–]?\d{1,3}(,\d+)?$"
PLAIN = r"^[-−–]?\d+(,\d+)?$"
# Every pattern needs a digit (amounts, percentages, dates) or one of these words (organisations): texts with
# neither cannot hold an entity and skip the pipeline.
MAY_HOLD_ENTITY = re.compile(r"\d|" + ORG_SUFFIX.strip("()$") + r"|enhet", re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    label: str  # MONEY, PERCENT, DATE, ORG
    text: str
    start: int  # character offsets in the text
    end: int
    value: float | None = None
    unit: str | None = None
    kronor: float | None = None
    normalized: str | None = None  # ISO date for DATE


def _number_patterns(units: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    grouped: list[dict[str, Any]] = [{"TEXT": {"REGEX": FIRST}}, {"TEXT": {"REGEX": GROUPED}, "OP": "+"}, *units]
    plain: list[dict[str, Any]] = [{"TEXT": {"REGEX": PLAIN}}, *units]
    return [grouped, plain]


def _patterns() -> list[dict]:
    money_unit: list[dict[str, Any]] = [{"LOWER": {"IN": MONEY_UNITS}}]
    money_words: list[dict[str, Any]] = [{"LOWER": {"IN": SCALE_WORDS}}, {"LOWER": "kronor"}]
    percent: list[dict[str, Any]] = [{"LOWER": {"IN": PERCENT_UNITS}}]
    patterns: list[dict] = []
    for units, label in ((money_unit, "MONEY"), (money_words, "MONEY"), (percent, "PERCENT")):
        patterns += [{"label": label, "pattern": p} for p in _number_patterns(units)]
    months = sorted(MONTHS)
    patterns += [
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^(19|20)\d\d-\d{1,2}-\d{1,2}$"}}]},
        {
            "label": "DATE",
            "pattern": [
                {"TEXT": {"REGEX": r"^\d{1,2}$"}},
                {"LOWER": {"IN": months}},
                {"TEXT": {"REGEX": r"^(19|20)\d\d$"}},
            ],
        },
        {
            "label": "ORG",
            "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ][\w-]*s$"}}, {"LOWER": {"REGEX": r"^stadsdels" + ORG_SUFFIX}}],
        },
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ]"}, "LOWER": {"REGEX": ORG_SUFFIX}}]},
        {
            "label": "ORG",
            "pattern": [
                {"TEXT": {"REGEX": r"^[A-ZÅÄÖ][\w-]*-$"}},
                {"LOWER": "och"},
                {"LOWER": {"REGEX": r"enhet(en)?$"}},
            ],
        },
    ]
    return patterns


@lru_cache(maxsize=1)
def entity_pipeline() -> Language:
    import spacy

    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(_patterns())  # type: ignore[attr-defined]  # add_pipe is typed as returning a Callable
    return nlp


def _entity(label: str, text: str, start: int, end: int) -> Entity:
    if label in ("MONEY", "PERCENT"):
        parsed = parse_value(text)
        return Entity(label, text, start, end, parsed.value, parsed.unit, parsed.kronor)
    if label == "DATE":
        found = parse_swedish_date_in_text(text)
        return Entity(label, text, start, end, normalized=found.isoformat() if found else None)
    return Entity(label, text, start, end)


def find_entities(texts: Iterable[str]) -> list[list[Entity]]:
    """The entities of each text, in order of appearance."""
    texts = list(texts)
    found: list[list[Entity]] = [[] for _ in texts]
    candidates = [i for i, text in enumerate(texts) if MAY_HOLD_ENTITY.search(text)]
    if not candidates:
        return found
    docs = entity_pipeline().pipe([texts[i] for i in candidates], batch_size=128)
    for i, doc in zip(candidates, docs, strict=True):
        found[i] = [_entity(ent.label_, ent.text, ent.start_char, ent.end_char) for ent in doc.ents]
    return found
