"""One PDF's page model → a ParsedDocument of draft records, by running each parser in turn."""

from __future__ import annotations

from ...normalize.text import one_line
from ..model import Line, PdfDocument
from ..settings import ExtractSettings
from ..tables import Table, pages_to_blocks
from . import vocab
from .activities import activity_warnings, is_activity_table, table_to_activities
from .contents import split_contents
from .decisions import parse_decisions
from .drafts import ParsedDocument, ParseWarning, TableDraft
from .finance import is_money_table, table_to_finance_lines
from .goals import is_label_line, parse_goals
from .indicators import generic_table_warning, indicator_warnings, is_indicator_table, table_to_indicators
from .metadata import parse_metadata
from .places import locate_records


def _title_above(blocks: list, index: int) -> str | None:
    if index > 0 and isinstance(blocks[index - 1], Line):
        return one_line(blocks[index - 1].text)
    return None


def parse_document(doc: PdfDocument, settings: ExtractSettings | None = None) -> ParsedDocument:
    pages, _contents = split_contents(doc.pages)  # the contents list the headings: not goals, not a table
    blocks = pages_to_blocks(pages, vocab.is_table_header, settings, stop=is_label_line)
    goals, owner, goal_warnings = parse_goals(blocks)
    parsed = ParsedDocument(
        metadata=parse_metadata(doc),
        goals=goals,
        indicators=[],
        activities=[],
        tables=[],
        decisions=parse_decisions(doc.pages),
        warnings=goal_warnings,
    )
    money_tables = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        goal = owner[index]
        if is_indicator_table(block):
            parsed.indicators.extend(table_to_indicators(block, goal, len(parsed.indicators)))
            parsed.warnings.extend(indicator_warnings(block))
        elif is_activity_table(block):
            parsed.activities.extend(table_to_activities(block, goal, len(parsed.activities)))
            parsed.warnings.extend(activity_warnings(block))
        elif is_money_table(block, title := _title_above(blocks, index)):
            parsed.finance_lines.extend(table_to_finance_lines(block, goal, money_tables, title))
            money_tables += 1
        else:
            parsed.tables.append(
                TableDraft(
                    ordinal=len(parsed.tables),
                    goal=goal,
                    page=block.page,
                    header=[one_line(h) for h in block.header],
                    rows=[[one_line(c) for c in r.cells] for r in block.rows if not r.is_full_width],
                    title=_title_above(blocks, index),
                )
            )
            parsed.warnings.append(generic_table_warning(block))
        if not block.rows:
            header = " | ".join(one_line(h) for h in block.header)
            parsed.warnings.append(
                ParseWarning("empty_table", block.page, "table header with no rows under it", header)
            )
    parsed.places, unlocated = locate_records(doc.pages, parsed)
    parsed.warnings.extend(unlocated)
    return parsed
