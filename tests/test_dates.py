from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from malbild.normalize.dates import MONTHS, parse_date, parse_swedish_date_in_text

D = datetime.date

FULL_MONTH_NAMES = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-01-01", D(2019, 1, 1)),
        ("2019-1-1", D(2019, 1, 1)),
        ("2021-12-3", D(2021, 12, 3)),
        ("2019-12-31 ", D(2019, 12, 31)),
        ("  2019-12-31", D(2019, 12, 31)),
        ("2020-02-29", D(2020, 2, 29)),
        ("2019\u201301\u201301", D(2019, 1, 1)),
        ("13 februari 2019", D(2019, 2, 13)),
        ("13 Februari 2019", D(2019, 2, 13)),
        ("13\u00a0februari\u00a02019", D(2019, 2, 13)),
        ("13 februari\n2019", D(2019, 2, 13)),
        ("1 mars 2020", D(2020, 3, 1)),
        ("1 jan 2019", D(2019, 1, 1)),
        ("31 dec. 2019", D(2019, 12, 31)),
        ("31 DEC 2019", D(2019, 12, 31)),
        ("31 Dec. 2019", D(2019, 12, 31)),
        ("5 feb 2018", D(2018, 2, 5)),
        ("5 mar 2018", D(2018, 3, 5)),
        ("5 apr 2018", D(2018, 4, 5)),
        ("5 maj 2018", D(2018, 5, 5)),
        ("5 jun 2018", D(2018, 6, 5)),
        ("5 jul 2018", D(2018, 7, 5)),
        ("5 aug 2018", D(2018, 8, 5)),
        ("5 sep 2018", D(2018, 9, 5)),
        ("5 sept 2018", D(2018, 9, 5)),
        ("5 Sept. 2018", D(2018, 9, 5)),
        ("5 okt 2018", D(2018, 10, 5)),
        ("5 nov 2018", D(2018, 11, 5)),
        ("05 nov 2018", D(2018, 11, 5)),
        ("5. nov 2018", D(2018, 11, 5)),
    ],
)
def test_parse_date_valid(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == (expected, None)


@pytest.mark.parametrize("text", [None, "", "   ", "-", "\u2013", "\u2014", " - "])
def test_parse_date_blank_gives_no_warning(text: str | None) -> None:
    assert parse_date(text) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "2021-12-",
        "2021-13-01",
        "2019-02-30",
        "2019-02-29",
        "20191-01-01",
        "2019-12-3x",
        "2019-00-10",
        "2019-01-00",
        "0000-01-01",
        "2019-001-01",
        "2019-01-001",
        "2019/01/01",
        "2019",
        "32 januari 2019",
        "29 februari 2019",
        "1 janu 2019",
        "1 marsipan 2019",
        "1 januari 19",
        "januari 2019",
        "VB 2019",
        "Datum 2016-12-13",
    ],
)
def test_parse_date_invalid_warns(text: str) -> None:
    assert parse_date(text) == (None, f"invalid date {' '.join(text.split())!r}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Datum 2016-12-13", D(2016, 12, 13)),
        ("Datum: 2016-12-13.", D(2016, 12, 13)),
        ("Beslutad i kommunfullmäktige den 13 februari 2019, dnr KS 2019/1", D(2019, 2, 13)),
        ("Reviderad 31 dec. 2019 och 2020-01-05", D(2019, 12, 31)),
        ("2020-01-05 ersätter 31 dec. 2019", D(2020, 1, 5)),
        ("Sida 3 (2019-02-30) giltig 2019-03-01", D(2019, 3, 1)),
        ("Tjänsteutlåtande\u00a0\n13\u00a0februari\n2019", D(2019, 2, 13)),
        ("Dnr 12019-01-01 och 2019-01-022 sedan 2019-01-02", D(2019, 1, 2)),
        ("Den 2 mars 2021", D(2021, 3, 2)),
        ("Den 2 Maj 2021 kl 10", D(2021, 5, 2)),
        ("Inget datum här", None),
        ("KS 2019/1234", None),
        ("", None),
        ("1 marsipan 2019", None),
    ],
)
def test_parse_swedish_date_in_text(text: str, expected: datetime.date | None) -> None:
    assert parse_swedish_date_in_text(text) == expected


def test_month_table_covers_every_month_by_full_name() -> None:
    assert [MONTHS[name] for name in FULL_MONTH_NAMES] == list(range(1, 13))
    assert set(MONTHS.values()) == set(range(1, 13))


@given(st.text())
def test_parse_date_never_raises(text: str) -> None:
    parsed, warning = parse_date(text)
    assert parsed is None or isinstance(parsed, datetime.date)
    assert parsed is None or warning is None
    if parsed is None and " ".join(text.split()) not in {"", "-", "\u2013", "\u2014", "\u2212"}:
        assert warning is not None


@given(st.text(alphabet=st.sampled_from("0123456789- .januaridecmbrs")))
def test_parse_date_never_raises_on_date_like_text(text: str) -> None:
    parsed, warning = parse_date(text)
    cleaned = " ".join(text.split())
    if parsed is not None:
        assert warning is None
        assert str(parsed.year) in cleaned
    elif cleaned in {"", "-"}:
        assert warning is None
    else:
        assert warning == f"invalid date {cleaned!r}"


@given(st.text())
def test_parse_swedish_date_in_text_never_raises(text: str) -> None:
    found = parse_swedish_date_in_text(text)
    assert found is None or isinstance(found, datetime.date)


@given(st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)))
def test_iso_round_trip(day: datetime.date) -> None:
    assert parse_date(day.isoformat()) == (day, None)
    assert parse_date(f"{day.year}-{day.month}-{day.day}") == (day, None)
    assert parse_swedish_date_in_text(f"Datum {day.isoformat()} rev.") == day


@given(st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)), st.booleans())
def test_written_swedish_round_trip(day: datetime.date, upper: bool) -> None:
    month = FULL_MONTH_NAMES[day.month - 1]
    text = f"{day.day} {month.upper() if upper else month} {day.year}"
    assert parse_date(text) == (day, None)
    assert parse_swedish_date_in_text(f"Beslut den {text}.") == day
