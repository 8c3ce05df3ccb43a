"""Spelling a record's text from a page's words: case, spaces, hyphens and other columns' words in between."""

from __future__ import annotations

import pytest

from malbild.extract.locate import letters, marks, page_stream, skipped_lines, spell, spellings, where_of
from malbild.extract.model import Line, Page, Word


def _line(y: float, *words: tuple[float, str], page: int = 1, size: float = 10.0) -> Line:
    """A line of words at height y; each word (x0, text), about half the font size wide per letter."""
    return Line(tuple(Word(t, x, x + size * 0.5 * len(t), y, y + size, "Helvetica", size) for x, t in words), page)


def _page(number: int, *lines: Line) -> Page:
    return Page(number=number, width=595.0, height=842.0, lines=tuple(lines))


def _spelled(pages: list[Page], text: str, page: int = 1, exact: bool = False) -> list[str] | None:
    stream = page_stream(pages)
    found = spell(stream.tokens, text, stream.page_range(page), exact=exact)
    return None if found is None else [stream.tokens[i].word.text for i in found]


@pytest.mark.parametrize(
    ("text", "key"),
    [("Andel elever (%)", "andelelever"), ("ﬁnansiering", "finansiering"), ("IT-stöd", "itstöd"), ("-", "")],
)
def test_letters_ignore_case_punctuation_and_ligatures(text, key):
    assert letters(text) == key


def test_marks_keep_everything_printed_but_spaces():
    assert marks("0,03 %") == "0,03%" and marks(" - ") == "-"


def test_a_wrapped_cell_is_spelled_across_the_other_columns_of_its_lines():
    page = _page(
        1,
        _line(100, (50, "Andel"), (80, "elever"), (300, "80"), (320, "%")),
        _line(112, (50, "som"), (75, "klarar"), (300, "Tertial")),
        _line(124, (50, "målen.")),
    )
    assert _spelled([page], "Andel elever som klarar målen.") == ["Andel", "elever", "som", "klarar", "målen."]


def test_a_word_hyphenated_at_the_line_end_is_spelled_from_both_halves():
    page = _page(1, _line(100, (50, "förvalt-")), _line(112, (50, "ningens"), (110, "uppdrag")))
    assert _spelled([page], "förvaltningens uppdrag") == ["förvalt-", "ningens", "uppdrag"]


def test_text_at_a_page_foot_goes_on_at_the_next_page_top():
    first = _page(1, _line(100, (50, "Intro")), _line(700, (50, "Aktiviteten"), (120, "fortsätter")))
    second = _page(2, _line(60, (300, "Startdatum")), _line(80, (50, "på"), (70, "nästa"), (110, "sida")))
    stream = page_stream([first, second])
    found = spell(stream.tokens, "Aktiviteten fortsätter på nästa sida", stream.page_range(1))
    assert found is not None
    where = where_of(stream.tokens, found)
    assert (where.page, where.page_end) == (1, 2)
    assert where.top == 700 and where.x0 == 50  # the box of the first part only


def test_text_that_is_not_on_the_page_is_not_found():
    page = _page(1, _line(100, (50, "Barn"), (80, "och"), (110, "unga")))
    assert _spelled([page], "Barn och äldre") is None
    assert _spelled([page], "Barn och unga", page=2) is None


def test_words_far_below_do_not_continue_a_text():
    lines = (
        [_line(100, (50, "Barn"))]
        + [_line(112 + 12 * k, (50, f"rad{k}")) for k in range(5)]
        + [_line(200, (50, "unga"))]
    )
    assert _spelled([_page(1, *lines)], "Barn unga") is None


def test_a_spelling_set_line_after_line_skips_no_lines_one_picked_from_around_skips_some():
    page = _page(
        1,
        _line(100, (50, "Om"), (70, "socialnämnden")),
        _line(112, (50, "övrig"), (80, "text")),
        _line(124, (50, "Socialnämnden"), (130, "ska"), (150, "samverka")),
    )
    stream = page_stream([page])
    found = list(spellings(stream.tokens, "Socialnämnden ska samverka", stream.page_range(1)))
    assert [skipped_lines(stream.tokens, f) for f in found] == [1, 0]
    assert stream.tokens[found[1][0]].word.top == 124


def test_exact_spelling_takes_the_marks_of_a_cell():
    page = _page(1, _line(100, (50, "Sjukfrånvaro"), (300, "5,2"), (318, "%"), (400, "-")))
    assert _spelled([page], "5,2 %", exact=True) == ["5,2", "%"]
    assert _spelled([page], "5,2 %") == ["5,2"]  # letters only: the % is not needed
    assert _spelled([page], "-", exact=True) == ["-"]
