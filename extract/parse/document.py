"""One PDF's page model → a ParsedDocument of draft records, by running each parser in turn."""

from __future__ import annotations

from malbild.extract.model import Line, PdfDocument
from malbild.extract.parse import vocab
from malbild.extract.parse.activities import is_activity_table, table_to_activities
from malbild.extract.parse.decisions import parse_decisions
from malbild.extract.parse.drafts import ParsedDocument, TableDraft
from malbild.extract.parse.finance import is_money_table, table_to_finance_lines
from malbild.extract.parse.goals import parse_goals
from malbild.extract.parse.indicators import is_indicator_table, table_to_indicators
from malbild.extract.parse.metadata import parse_metadata
from malbild.extract.settings import ExtractSettings
from malbild.extract.tables import Table, pages_to_blocks
from malbild.normalize.text import one_line


def _title_above(blocks: list, index: int) -> str | None:
    if index > 0 and isinstance(blocks[index - 1], Line):
        return one_line(blocks[index - 1].text)
    return None


def parse_document(doc: PdfDocument, settings: ExtractSettings | None = None) -> ParsedDocument:
    blocks = pages_to_blocks(doc.pages, vocab.is_table_header, settings)
    goals, owner = parse_goals(blocks)
    parsed = ParsedDocument(
        metadata=parse_metadata(doc),
        goals=goals,
        indicators=[],
        activities=[],
        tables=[],
        decisions=parse_decisions(doc.pages),
    )
    money_tables = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        goal = owner[index]
        if is_indicator_table(block):
            parsed.indicators.extend(table_to_indicators(block, goal, len(parsed.indicators)))
        elif is_activity_table(block):
            parsed.activities.extend(table_to_activities(block, goal, len(parsed.activities)))
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
        if not block.rows:
            parsed.warnings.append((block.page, f"table {block.header[:3]} has no rows"))
    return parsed
