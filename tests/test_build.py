"""Record builders: enriched drafts → validated records; a bad record is skipped with a warning, never the document."""

from __future__ import annotations

import pytest
from conftest import CORPUS_FILES, needs_corpus

from malbild.extract.model import Page, PdfDocument
from malbild.extract.parse.drafts import (
    ActivityDraft,
    GoalDraft,
    IndicatorDraft,
    MetadataDraft,
    ParsedDocument,
    ParseWarning,
    TableDraft,
    ValueDraft,
)
from malbild.normalize.enrich import enrich
from malbild.schemas.build import build_records, document_id_of
from malbild.schemas.errors import RecordInvalid

SHA = "ab" * 32


def _with_pages(n: int) -> PdfDocument:
    return PdfDocument(path="x.pdf", sha256=SHA, pages=tuple(Page(i + 1, 595, 842, ()) for i in range(n)))


def _parsed(**parts: object) -> ParsedDocument:
    base: dict[str, object] = {
        "metadata": MetadataDraft(title="Verksamhetsplan 2019", kind="verksamhetsplan", year=2019),
        "goals": [],
        "indicators": [],
        "activities": [],
        "tables": [],
    }
    base.update(parts)
    return ParsedDocument(**base)  # type: ignore[arg-type]


def test_ids_derive_from_the_content_hash_and_the_position():
    goals = [
        GoalDraft(0, "inriktningsmal", "Ett Stockholm som håller samman", 2),
        GoalDraft(1, "namndmal", "Barn", 3, parent=0),
    ]
    records = build_records(enrich(_parsed(goals=goals)), _with_pages(3), "x.pdf")
    doc = document_id_of(SHA)
    assert records.document.document_id == doc
    assert [g.goal_id for g in records.goals] == [f"{doc}:g0000", f"{doc}:g0001"]
    assert records.goals[1].parent_goal_id == records.goals[0].goal_id
    assert records.goals[0].title_norm  # lemmatized by the enrichment step


def test_an_invalid_goal_is_skipped_with_a_warning_and_its_children_lose_the_parent():
    goals = [
        GoalDraft(0, "inriktningsmal", "Bra", 1, number="1.x"),  # not a goal number
        GoalDraft(1, "namndmal", "Under", 1, parent=0),
    ]
    indicators = [IndicatorDraft(0, goal=0, name="Antal", page=1)]
    records = build_records(enrich(_parsed(goals=goals, indicators=indicators)), _with_pages(1), "x.pdf")
    assert [g.title for g in records.goals] == ["Under"]
    assert records.goals[0].parent_goal_id is None
    assert records.indicators[0].goal_id is None
    (warning,) = records.failures
    assert (warning.severity, warning.kind, warning.stage, warning.page) == ("warning", "invalid_record", "validate", 1)
    assert "1.x" in warning.message


def test_one_value_per_measure_every_cell_kept_and_numbers_typed():
    values = [
        ValueDraft("annual_target", "Årsmål", "2 850 st"),
        ValueDraft("annual_target", "Årsmål (reviderat)", "3 000 st"),
        ValueDraft(None, "Kommentar", "se ovan"),
    ]
    ind = IndicatorDraft(0, goal=None, name="Antal platser", page=2, values=values)
    records = build_records(enrich(_parsed(indicators=[ind])), _with_pages(2), "x.pdf")
    (value,) = records.values
    assert (value.measure, value.raw, value.value, value.unit, value.value_kind) == (
        "annual_target",
        "2 850 st",
        2850.0,
        "st",
        "number",
    )
    assert [(c.header, c.measure, c.raw) for c in records.cells] == [
        ("Årsmål", "annual_target", "2 850 st"),
        ("Årsmål (reviderat)", "annual_target", "3 000 st"),
        ("Kommentar", None, "se ovan"),
    ]


def test_activity_dates_are_typed_and_an_unreadable_date_is_a_warning_on_that_activity():
    acts = [
        ActivityDraft(0, None, "Införa nytt system", 4, start_raw="2019-01-01", end_raw="2019-13-40"),
        ActivityDraft(1, None, "Utbilda personal", 4, start_raw="1 mars 2019"),
    ]
    records = build_records(enrich(_parsed(activities=acts)), _with_pages(4), "x.pdf")
    first, second = records.activities
    assert str(first.start_date) == "2019-01-01" and first.end_date is None
    assert first.date_warning and "2019-13-40" in first.date_warning
    assert str(second.start_date) == "2019-03-01" and second.date_warning is None
    assert [(f.kind, f.page) for f in records.failures] == [("invalid_date", 4)]


def test_parse_warnings_become_warning_rows_with_kind_and_text():
    warning = ParseWarning("unmapped_column", 5, "a value column maps to no measure", "Utfall 2017")
    table = TableDraft(0, None, 5, ["Enhet", "Adress"], [["Enhet A", "Gatan 1"], ["Enhet B", ""]])
    records = build_records(enrich(_parsed(warnings=[warning], tables=[table])), _with_pages(5), "x.pdf")
    (row,) = records.failures
    assert (row.severity, row.kind, row.page, row.text) == ("warning", "unmapped_column", 5, "Utfall 2017")
    assert [(c.row_label, c.column_label, c.raw) for c in records.table_cells] == [("Enhet A", "Adress", "Gatan 1")]


def test_document_metadata_that_cannot_be_valid_fails_the_file():
    parsed = _parsed(metadata=MetadataDraft(title="Plan", year=1066))
    with pytest.raises(RecordInvalid, match="year"):
        build_records(enrich(parsed), _with_pages(1), "x.pdf")


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_draft_becomes_a_record(name, corpus_docs, corpus_parsed):
    parsed = corpus_parsed[name]
    records = build_records(enrich(parsed), corpus_docs[name], name)
    assert len(records.goals) == len(parsed.goals)
    assert len(records.indicators) == len(parsed.indicators)
    assert len(records.activities) == len(parsed.activities)
    assert not [f for f in records.failures if f.kind == "invalid_record"]
    assert all(v.indicator_id in {i.indicator_id for i in records.indicators} for v in records.values)
