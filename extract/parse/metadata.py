"""Document metadata from the first page: title, kind, year, organisation, unit, dnr, date."""

from __future__ import annotations

import re
from collections import Counter

from ...normalize.dates import parse_swedish_date_in_text
from ...normalize.text import join_lines, one_line
from ...schemas.terms import Kind
from ..model import Line, Page, PdfDocument
from . import vocab
from .drafts import MetadataDraft

# The title's type is at least this much larger than the running text.
TITLE_SIZE_STEP = 1.5
# Type this large is a title whatever the running text is set in (a one-page document has little of it).
TITLE_MIN_SIZE = 14.0
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
DNR = re.compile(r"\bDnr\b\.?:?\s*([0-9A-ZÅÄÖa-zåäö][\w./:\-]*\d)", re.I)
# A labelled field of the first page's head block: "Handläggare: …", "Till …", "Datum …", "Dnr …".
FIELD_LABEL = re.compile(r"^\s*(datum|handläggare|till|dnr)\b\.?:?(?=\s|$)", re.I)
# A page label anywhere in a running head: "Sid 3 (18)", "Sida 3 av 18", "Sida 3", "3 (18)", "3/18".
PAGE_LABEL = re.compile(
    r"\bsid(?:a|an)?\.?\s*\d{1,4}(?:\s*(?:\(\s*\d{1,4}\s*\)|(?:av|/)\s*\d{1,4}))?"
    r"|(?<![\w./-])\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|(?:av|/)\s*\d{1,4})(?![\w./-])",
    re.I,
)
# An office or board name is short: a line ending in "nämnden" with more words than this is a sentence.
NAME_WORDS = 6
# "… för Socialnämnden", "… för Barn- och ungdomsenheten"
FOR_WHOM = re.compile(r"\bför\s+(.+?)\s*$", re.I)
NAMND = re.compile(r"(nämnd(?:en)?|styrelse(?:n)?|fullmäktige)$", re.I)
UNIT = re.compile(r"\b\w*enhet(?:en)?\b", re.I)
FORVALTNING = re.compile(r"förvaltning(en)?$", re.I)
STADSDEL = re.compile(r"^(.+?)s?\s+stadsdels(?:nämnd|förvaltning)(?:en)?$", re.I)


def _title_lines(lines: list[Line], body_size: float) -> list[Line]:
    """The title: the first page's largest type when it stands out, else the first line naming a document kind."""
    if not lines:
        return []
    biggest = max(line.size for line in lines)
    if biggest < body_size + TITLE_SIZE_STEP and biggest < TITLE_MIN_SIZE:
        named = next((line for line in lines if any(p.search(line.text) for p, _ in vocab.KINDS)), None)
        return [named] if named else []
    title: list[Line] = []
    for line in lines:
        if abs(line.size - biggest) < 0.3:
            if title and line.center - title[-1].center > 1.8 * biggest:
                break
            title.append(line)
        elif title:
            break
    return title


def _body_size(doc: PdfDocument) -> float:
    sizes = Counter(line.size for page in doc.pages for line in page.lines for _ in line.words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def organisation_from_office(office: str) -> str:
    """The nämnd that a förvaltning works for: "Socialförvaltningen" → "Socialnämnden"."""
    office = office.strip()
    if FORVALTNING.search(office):
        return FORVALTNING.sub(lambda m: "nämnd" + (m.group(1) or ""), office)
    return office


def _district(organisation: str | None) -> str | None:
    if not organisation:
        return None
    m = STADSDEL.match(organisation)
    return m.group(1) if m else None


def _kind(title: str) -> Kind:
    for pattern, kind in vocab.KINDS:
        if pattern.search(title):
            return kind
    return "other"


def _labelled(lines: list[Line], index: int, value_start: int) -> str:
    """A labelled field's value: the rest of its line and the lines wrapped under the value (same left edge)."""
    line = lines[index]
    words = line.words[value_start:]
    parts = [" ".join(w.text for w in words)]
    if not words:
        return parts[0]
    left, prev = words[0].x0, line
    for below in lines[index + 1 :]:
        aligned = abs(below.x0 - left) <= 2.0 and below.page == prev.page
        close = 0 < below.center - prev.center <= 1.8 * max(below.size, 1.0)
        if not (aligned and close) or FIELD_LABEL.match(below.text):
            break
        parts.append(below.text)
        prev = below
    return one_line(join_lines(parts)).strip()


def _fields(everything: list[Line]) -> dict[str, str]:
    """The first page's labelled fields ("Till", "Datum", "Handläggare", "Dnr"), each value read whole."""
    fields: dict[str, str] = {}
    for index, line in enumerate(everything):
        if (m := FIELD_LABEL.match(line.text)) is None:
            if "dnr" not in fields and (d := DNR.search(line.text)):
                fields["dnr"] = d.group(1)
            continue
        label = m.group(1).lower()
        if label in fields:
            continue
        consumed = len(line.text[: m.end()].split())
        value = _labelled(everything, index, consumed)
        if label == "dnr":
            d = DNR.search(f"Dnr {value}")
            value = d.group(1) if d else ""
        if value:
            fields[label] = value
    return fields


def _is_name(text: str) -> bool:
    return bool(text) and bool(FORVALTNING.search(text) or NAMND.search(text)) and len(text.split()) <= NAME_WORDS


def _office(first: Page) -> str | None:
    """The förvaltning or nämnd the running head or foot (or the body's first line) names, page labels dropped."""
    for line in sorted([*first.furniture, *first.lines[:1]], key=lambda line: (line.top, line.x0)):
        text = re.sub(r"\s+", " ", PAGE_LABEL.sub(" ", line.text)).strip()
        if _is_name(text):
            return text
    return None


def parse_metadata(doc: PdfDocument) -> MetadataDraft:
    """Read the first page (running head and foot included) into a MetadataDraft; unknowns stay None."""
    meta = MetadataDraft()
    if not doc.pages:
        return meta
    first = doc.pages[0]
    title_lines = _title_lines(list(first.lines), _body_size(doc))
    if title_lines:
        meta.title = one_line(join_lines([line.text for line in title_lines]))
    everything = sorted(first.furniture + first.lines, key=lambda line: (line.top, line.x0))
    fields = _fields(everything)
    meta.dnr = fields.get("dnr")
    if "datum" in fields and (found := parse_swedish_date_in_text(fields["datum"])):
        meta.date = found.isoformat()
    meta.handlaggare = fields.get("handläggare")
    recipient = fields.get("till")
    title = meta.title or ""
    meta.kind = _kind(title)
    if m := YEAR.search(title):
        meta.year = int(m.group(1))
    whom = FOR_WHOM.search(title)
    target = whom.group(1).rstrip(".") if whom else None
    if target and UNIT.search(target) and not NAMND.search(target):
        meta.unit = target
    office = _office(first)
    if target and NAMND.search(target):
        meta.organisation = target
    elif recipient and NAMND.search(recipient) and len(recipient.split()) <= NAME_WORDS:
        meta.organisation = recipient  # a tjänsteutlåtande goes from the förvaltning to its nämnd
    elif office:
        meta.organisation = organisation_from_office(office)
    meta.district = _district(meta.organisation)
    return meta
