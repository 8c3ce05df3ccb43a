"""Swedish lemmas for comparing titles across years: an offline spaCy pipeline, loaded once per process."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy takes a second to import: only normalized_title's callers pay for it
    from spacy.language import Language

# Function words that carry no meaning in a goal title; negations and quantifiers ("inte", "alla") stay.
LIGHT_STOP_WORDS = frozenset(
    {
        "och", "samt", "eller", "att", "som", "de", "den", "det", "dem", "en", "ett",
        "vara", "bli", "ha", "sin", "sitt", "sina", "deras", "dess", "denna", "detta", "dessa",
    }
)  # fmt: skip

# Words the lookup table lemmatizes as a rarer homograph ("för" → "föra", "har" → "hare", "plan" → "plana").
SURFACE_LEMMAS = {
    "för": "för", "med": "med", "en": "en", "har": "ha", "hos": "hos", "får": "få", "fler": "fler",
    "god": "god", "modern": "modern", "planer": "plan", "ska": "ska", "kan": "kan", "man": "man",
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")


@lru_cache(maxsize=1)
def swedish_pipeline() -> Language:
    """spaCy's blank Swedish tokenizer plus the lookup lemmatizer (tables from spacy-lookups-data)."""
    import spacy

    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    # Loading leaves cyclic garbage whose collection crashes in a fork()ed child (ingest's workers): collect it here.
    gc.collect()
    return nlp


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").lower()
    return " ".join(text.replace("\u2013", " ").replace("\u2014", " ").split())


def _lemma(surface: str, lemma: str) -> str:
    """The table's lemma, except that a base form is not turned into a verb ("trygg" → "trygga", "kort" → "korta")."""
    if surface in SURFACE_LEMMAS:
        return SURFACE_LEMMAS[surface]
    if not lemma or lemma == surface + "a":
        return surface
    return lemma


def _clean(pairs: Iterable[tuple[str, str]]) -> str:
    words: list[str] = []
    for surface, lemma in pairs:
        if surface in LIGHT_STOP_WORDS:
            continue
        words.extend(w for w in _WORD.findall(_lemma(surface, lemma)) if w not in LIGHT_STOP_WORDS)
    return " ".join(words)


def normalized_title(text: str) -> str:
    """Lower-cased lemmas without punctuation and light stop words: the form titles are compared in."""
    return normalized_titles([text])[0]


def normalized_titles(texts: Iterable[str]) -> list[str]:
    """normalized_title for many texts, batched through nlp.pipe."""
    prepared = [_prepare(t) for t in texts]
    if not prepared:
        return []
    nlp = swedish_pipeline()
    out = [_clean((t.text, t.lemma_) for t in doc) for doc in nlp.pipe(prepared, batch_size=256)]
    gc.collect()  # the Docs' garbage too: see swedish_pipeline
    return out
