"""Swedish lemmas for comparing titles across years: spaCy's tokenizer and its lookup lemma table, loaded once."""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy takes a second to import: only normalized_title's callers pay for it
    from spacy.tokenizer import Tokenizer

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


# The lookup table spaCy's Swedish lookup lemmatizer uses (spacy-lookups-data), and where its fast copy is kept.
LOOKUP_FILE = "sv_lemma_lookup.json.gz"
CACHE_ENV = "MALBILD_CACHE"


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """spaCy's blank Swedish tokenizer, loaded once per process."""
    import spacy

    return spacy.blank("sv").tokenizer


def _cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV) or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "malbild"


def _lookup_source() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / LOOKUP_FILE


def _build_table(source: Path, target: Path) -> None:
    """Copy spaCy's lemma lookup table (a 660,000-entry JSON) into SQLite once: a process then opens it in ~1 ms
    instead of spending ~3 s loading it into spaCy's string store."""
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    con = sqlite3.connect(partial)
    con.execute("CREATE TABLE lemma (surface TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
    con.executemany("INSERT OR REPLACE INTO lemma VALUES (?, ?)", table.items())
    con.commit()
    con.close()
    os.replace(partial, target)  # atomic: concurrent builders each write their own file, the last one wins


@lru_cache(maxsize=1)
def lemma_table() -> sqlite3.Connection:
    """The lemma lookup table, built on first use under the user's cache folder (or $MALBILD_CACHE)."""
    source = _lookup_source()
    stamp = f"{source.stat().st_size}-{int(source.stat().st_mtime)}"
    target = _cache_dir() / f"sv_lemma_lookup-{stamp}.sqlite"
    try:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _build_table(source, target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
    except OSError:  # no writable cache folder: build the table in memory for this process
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        memory.execute("CREATE TABLE lemma (surface TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
        with gzip.open(source, "rt", encoding="utf-8") as fh:
            memory.executemany("INSERT OR REPLACE INTO lemma VALUES (?, ?)", json.load(fh).items())
        return memory


@lru_cache(maxsize=1 << 16)
def lookup_lemma(surface: str) -> str:
    """spaCy's lookup lemma of one lower-case token, the token itself when the table has none."""
    row = lemma_table().execute("SELECT lemma FROM lemma WHERE surface = ?", (surface,)).fetchone()
    return row[0] if row else surface


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


@lru_cache(maxsize=1 << 16)
def normalized_title(text: str) -> str:
    """Lower-cased lemmas without punctuation and light stop words: the form titles are compared in."""
    prepared = _prepare(text)
    if not prepared:
        return ""
    return _clean((token.text, lookup_lemma(token.text)) for token in tokenizer()(prepared))


def normalized_titles(texts: Iterable[str]) -> list[str]:
    """normalized_title of each text."""
    return [normalized_title(text) for text in texts]
