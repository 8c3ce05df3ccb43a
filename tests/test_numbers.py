from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from malbild.normalize.numbers import (
    MONEY_SCALE,
    UNITS,
    ParsedValue,
    format_swedish,
    parse_number,
    parse_value,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"
THOUSANDS_SPACES = (" ", NBSP, NNBSP, THIN)


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("1 643,1", 1643.1, None),
        (f"1{NBSP}643,1", 1643.1, None),
        (f"1{NNBSP}643,1", 1643.1, None),
        (f"1{THIN}643,1", 1643.1, None),
        ("9 000 st", 9000.0, "st"),
        ("2 850 st", 2850.0, "st"),
        (f"2{NBSP}850{NBSP}st", 2850.0, "st"),
        ("5 958,6 tkr", 5958.6, "tkr"),
        ("154,5 mnkr", 154.5, "mnkr"),
        ("0,03 %", 0.03, "%"),
        ("50%", 50.0, "%"),
        ("-48,1", -48.1, None),
        ("\u22120,9", -0.9, None),
        ("\u20130,9", -0.9, None),
        ("+5", 5.0, None),
        ("1945 GWh", 1945.0, "GWh"),
        ("82", 82.0, None),
        ("3,41", 3.41, None),
        ("60,5 %", 60.5, "%"),
        ("93,33 %", 93.33, "%"),
        ("100", 100.0, None),
        ("10 st", 10.0, "st"),
        ("12 dagar", 12.0, "dagar"),
        ("1 dag", 1.0, "dag"),
        ("5 kr", 5.0, "kr"),
        ("1 400 tkr", 1400.0, "tkr"),
        ("2 mdkr", 2.0, "mdkr"),
        ("1.5", 1.5, None),
        ("1.643", 1.643, None),
        ("2019", 2019.0, None),
        ("0", 0.0, None),
        ("1 000 000", 1_000_000.0, None),
        ("12 345 678,9 kr", 12_345_678.9, "kr"),
        ("  82 \n %  ", 82.0, "%"),
        ("-3 %", -3.0, "%"),
        ("\u22121 200 tkr", -1200.0, "tkr"),
    ],
)
def test_parse_value_numbers(raw: str, value: float, unit: str | None) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == "number"
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("%", "%"),
        ("procent", "%"),
        ("Procent", "%"),
        ("st", "st"),
        ("St", "st"),
        ("kr", "kr"),
        ("kronor", "kr"),
        ("SEK", "kr"),
        ("tkr", "tkr"),
        ("TKr", "tkr"),
        ("Tkr", "tkr"),
        ("TSEK", "tkr"),
        ("mnkr", "mnkr"),
        ("Mnkr", "mnkr"),
        ("MSEK", "mnkr"),
        ("miljoner kronor", "mnkr"),
        ("Miljoner Kronor", "mnkr"),
        ("mdkr", "mdkr"),
        ("GWh", "GWh"),
        ("gwh", "GWh"),
        ("GWH", "GWh"),
        ("MWh", "MWh"),
        ("kWh", "kWh"),
        ("KWH", "kWh"),
        ("dagar", "dagar"),
        ("dag", "dag"),
        ("timmar", "timmar"),
        ("h", "h"),
        ("år", "år"),
        ("År", "år"),
        ("månader", "månader"),
        ("veckor", "veckor"),
        ("personer", "personer"),
        ("ton", "ton"),
        ("kg", "kg"),
        ("m2", "m²"),
        ("m²", "m²"),
        ("M²", "m²"),
    ],
)
def test_units_are_case_insensitive_and_canonical(printed: str, canonical: str) -> None:
    parsed = parse_value(f"7 {printed}")
    assert (parsed.kind, parsed.value, parsed.unit) == ("number", 7.0, canonical)


def test_unit_table_maps_to_canonical_spellings() -> None:
    assert all(key == key.lower() for key in UNITS)
    canonical = set(UNITS.values())
    assert set(MONEY_SCALE) <= canonical
    assert all(UNITS[unit.lower()] == unit for unit in canonical)


@pytest.mark.parametrize(
    ("raw", "kronor"),
    [
        ("5 958,6 tkr", 5_958_600.0),
        ("154,5 mnkr", 154_500_000.0),
        ("2 mdkr", 2_000_000_000.0),
        ("1,25 mdkr", 1_250_000_000.0),
        ("5 kr", 5.0),
        ("1 400 tkr", 1_400_000.0),
        ("0,1 tkr", 100.0),
        ("-48,1 mnkr", -48_100_000.0),
        ("3 MSEK", 3_000_000.0),
        ("7 kronor", 7.0),
    ],
)
def test_money_is_converted_to_kronor_exactly(raw: str, kronor: float) -> None:
    assert parse_value(raw).kronor == kronor


@pytest.mark.parametrize("raw", ["82", "50 %", "9 000 st", "1945 GWh", "Ej aktuellt", "", "±1 %"])
def test_non_money_has_no_kronor(raw: str) -> None:
    assert parse_value(raw).kronor is None


@pytest.mark.parametrize("raw", [None, "", " ", "  \n\t", NBSP, f"{THIN}{NNBSP}"])
def test_empty_cells(raw: str | None) -> None:
    assert parse_value(raw) == ParsedValue(raw="", value=None, unit=None, kind="empty", kronor=None)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("tas fram av nämnden", "to_be_set_by_board"),
        ("Tas fram av nämnd", "to_be_set_by_board"),
        ("Tas fram av nämnd/styrelse", "to_be_set_by_board"),
        ("Tas fram av nämnd/ styrelse", "to_be_set_by_board"),
        ("Tas fram av\nnämnd/ styrelse", "to_be_set_by_board"),
        ("tas fram av nämnd", "to_be_set_by_board"),
        ("Fastställs av nämnden", "to_be_set_by_board"),
        ("Fastställs t1", "to_be_set_by_board"),
        ("Fastställs i T1", "to_be_set_by_board"),
        ("-", "not_applicable"),
        ("\u2013", "not_applicable"),
        ("\u2014", "not_applicable"),
        (" - ", "not_applicable"),
        ("Ej aktuellt", "not_applicable"),
        ("ej aktuell", "not_applicable"),
        ("N/A", "not_applicable"),
        ("saknas", "not_applicable"),
        ("Saknas", "not_applicable"),
        ("Ingen mätning", "not_applicable"),
        ("Mäts ej", "not_applicable"),
        ("VB 2019", "text"),
        ("Halvår", "text"),
        ("ökning", "text"),
        ("tas fram", "text"),
        ("10-15 %", "text"),
        ("10\u201315 %", "text"),
        ("82 äpplen", "text"),
        ("2019 2020", "text"),
        ("12 345 6", "text"),
        ("1,2,3", "text"),
        ("--5", "text"),
        ("5,", "text"),
        (",5", "text"),
        ("ca 50 %", "text"),
        ("Fastställande saknas i år", "text"),
    ],
)
def test_non_numbers_keep_raw_text(raw: str, kind: str) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.value is None
    assert parsed.unit is None
    assert parsed.kronor is None
    assert parsed.raw == " ".join(raw.split())


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("+/- 1 %", 1.0, "%"),
        ("±1 %", 1.0, "%"),
        ("± 2,5 %", 2.5, "%"),
        ("+/-1%", 1.0, "%"),
        ("+/\u2212 3 st", 3.0, "st"),
        ("+- 0,5", 0.5, None),
    ],
)
def test_tolerances(raw: str, value: float, unit: str | None) -> None:
    parsed = parse_value(raw)
    assert (parsed.kind, parsed.value, parsed.unit) == ("tolerance", value, unit)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 643,1 tkr", "1 643,1 tkr"),
        (f"1{NBSP}643,1{NNBSP}tkr", "1 643,1 tkr"),
        ("  Tas   fram\tav nämnd ", "Tas fram av nämnd"),
        ("VB\n2019", "VB 2019"),
    ],
)
def test_raw_is_whitespace_collapsed(raw: str, expected: str) -> None:
    assert parse_value(raw).raw == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 643,1", 1643.1),
        (f"1{NBSP}643,1", 1643.1),
        (" 82 ", 82.0),
        ("\u22120,9", -0.9),
        ("\u20130,9", -0.9),
        ("+5", 5.0),
        ("1.5", 1.5),
        ("2019", 2019.0),
        ("82 %", None),
        ("5 tkr", None),
        ("", None),
        ("-", None),
        ("±1", None),
        ("tas fram", None),
        ("1" * 400, None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "thousands", "expected"),
    [
        (1643.1, 1, " ", "1 643,1"),
        (1643.1, 0, " ", "1 643"),
        (5958.6, 1, NBSP, f"5{NBSP}958,6"),
        (1_234_567.891, 2, NNBSP, f"1{NNBSP}234{NNBSP}567,89"),
        (-48.1, 1, " ", "-48,1"),
        (0.03, 2, " ", "0,03"),
        (999.0, 0, " ", "999"),
        (1000.0, 0, " ", "1 000"),
        (2.5, 3, " ", "2,500"),
        (1000.0, 0, "", "1000"),
    ],
)
def test_format_swedish(value: float, decimals: int, thousands: str, expected: str) -> None:
    assert format_swedish(value, decimals, thousands) == expected


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_format_swedish_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError):
        format_swedish(value)


def test_format_swedish_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_swedish(1.0, -1)


@given(st.text())
def test_parse_value_never_raises(text: str) -> None:
    parsed = parse_value(text)
    assert isinstance(parsed, ParsedValue)
    assert "  " not in parsed.raw
    assert parsed.raw == parsed.raw.strip()
    assert not any(char.isspace() and char != " " for char in parsed.raw)
    assert (parsed.value is None) == (parsed.kind not in {"number", "tolerance"})


@given(st.text(alphabet=st.sampled_from("0123456789 ,.-+%\u2212\u2013\u00a0±/tkrmns")))
def test_parse_value_never_raises_on_number_like_text(text: str) -> None:
    parsed = parse_value(text)
    if parsed.value is not None:
        assert math.isfinite(parsed.value)
    number = parse_number(text)
    if number is not None:
        assert (parsed.kind, parsed.value, parsed.unit) == ("number", number, None)


@given(
    value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=3),
    unit=st.sampled_from(["%", "st", "tkr", "mnkr", "kr", "GWh", "dagar", "m²", ""]),
    thousands=st.sampled_from(THOUSANDS_SPACES),
)
def test_format_then_parse_round_trips(value: float, decimals: int, unit: str, thousands: str) -> None:
    text = f"{format_swedish(value, decimals, thousands)} {unit}"
    parsed = parse_value(text)
    assert parsed.kind == "number"
    assert parsed.value == pytest.approx(round(value, decimals), abs=1e-9)
    assert parsed.unit == (unit or None)
    if unit in MONEY_SCALE:
        assert parsed.kronor == pytest.approx(round(value, decimals) * MONEY_SCALE[unit], rel=1e-12, abs=1e-3)


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=3),
    thousands=st.sampled_from(THOUSANDS_SPACES),
)
def test_parse_number_inverts_format_swedish(value: float, decimals: int, thousands: str) -> None:
    text = format_swedish(value, decimals, thousands)
    assert parse_number(text) == pytest.approx(round(value, decimals), abs=1e-9)
