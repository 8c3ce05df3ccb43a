"""Document metadata from the first page: title, kind, year, organisation, unit, dnr, date."""

from __future__ import annotations

import re
from collections import Counter

from ...normalize.dates import parse_swedish_date_in_text
from ...normalize.text import join_lines, one_line
from ...schemas.terms import Kind
from ..model import Line, PdfDocument
from . import vocab
from .drafts import MetadataDraft

# The title's type is at least this much larger than the running text.
TITLE_SIZE_STEP = 1.5
# Type this large is a title whatever the running text is set in (a one-page document has little of it).
TITLE_MIN_SIZE = 14.0
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
DNR = re.compile(r"\bDnr\b\.?:?\s*([0-9A-ZÅÄÖa-zåäö][\w./:\-]*\d)", re.I)
DATE_LINE = re.compile(r"^\s*Datum\b:?\s*(.+)$", re.I)
HANDLAGGARE = re.compile(r"^\s*Handläggare\b:?\s*(.+)$", re.I)
RECIPIENT = re.compile(r"^\s*Till\b:?\s*(.+)$", re.I)
PAGE_MARK = re.compile(r"\s*\bsid(?:a|an)?\.?\s*\d+.*$", re.I)
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


def parse_metadata(doc: PdfDocument) -> MetadataDraft:
    """Read the first page (running head included) into a MetadataDraft; unknowns stay None."""
    meta = MetadataDraft()
    if not doc.pages:
        return meta
    first = doc.pages[0]
    title_lines = _title_lines(list(first.lines), _body_size(doc))
    if title_lines:
        meta.title = one_line(join_lines([line.text for line in title_lines]))
    everything = sorted(first.furniture + first.lines, key=lambda line: (line.top, line.x0))
    texts = [line.text for line in everything]
    office = PAGE_MARK.sub("", everything[0].text).strip() if everything else ""
    recipient = None
    for text in texts:
        if meta.dnr is None and (m := DNR.search(text)):
            meta.dnr = m.group(1)
        if meta.date is None and (m := DATE_LINE.match(text)):
            found = parse_swedish_date_in_text(m.group(1))
            meta.date = found.isoformat() if found else None
        if meta.handlaggare is None and (m := HANDLAGGARE.match(text)):
            meta.handlaggare = m.group(1).strip()
        if recipient is None and (m := RECIPIENT.match(text)):
            recipient = m.group(1).strip()
    title = meta.title or ""
    meta.kind = _kind(title)
    if m := YEAR.search(title):
        meta.year = int(m.group(1))
    whom = FOR_WHOM.search(title)
    target = whom.group(1).rstrip(".") if whom else None
    if target and UNIT.search(target) and not NAMND.search(target):
        meta.unit = target
    if target and NAMND.search(target):
        meta.organisation = target
    elif recipient and NAMND.search(recipient):
        meta.organisation = recipient  # a tjänsteutlåtande goes from the förvaltning to its nämnd
    elif office and (FORVALTNING.search(office) or NAMND.search(office)):
        meta.organisation = organisation_from_office(office)
    meta.district = _district(meta.organisation)
    return meta
