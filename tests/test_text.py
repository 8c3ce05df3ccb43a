from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from malbild.normalize.text import clean_text, join_lines, one_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("för\u00advaltningen", "förvaltningen"),
        ("\ufb01nansiering", "finansiering"),
        ("\ufb02ytt", "flytt"),
        ("e\ufb00ekt", "effekt"),
        ("e\ufb03cient", "efficient"),
        ("\ufb04uence", "ffluence"),
        ("\uf0b7 Likställighet", "Likställighet"),
        ("\uf0a7 Punkt", "Punkt"),
        ("\uf076 Punkt", "Punkt"),
        ("mål\ue000 och \U000f0001 medel", "mål och medel"),
        ("• Likställighet", "Likställighet"),
        ("● Likställighet", "Likställighet"),
        ("▪ Likställighet", "Likställighet"),
        ("  •  Likställighet", "Likställighet"),
        ("•Likställighet", "Likställighet"),
        ("• • dubbel", "dubbel"),
        ("Första\n• andra\n\u25cf tredje", "Första andra tredje"),
        ("Första\r\n• andra", "Första andra"),
        ("Första\u2028• andra", "Första andra"),
        ("A • B", "A • B"),
        ("a\u00a0b", "a b"),
        ("a\u202fb\u2009c", "a b c"),
        ("a\t\tb\n\nc", "a b c"),
        ("  kant  ", "kant"),
        ("noll\u200bbredd\u200c\u200d\ufeff", "nollbredd"),
        ("kontroll\x00tecken\x07", "kontrolltecken"),
        ("♀ kvinnor ✓ klar", "♀ kvinnor ✓ klar"),
        ("2019 – 2022", "2019 – 2022"),
        ("enligt § 5", "enligt § 5"),
        ("100 m²", "100 m²"),
        ("a\u030angest", "ångest"),
        ("\ufffd", "\ufffd"),
        ("", ""),
        (" \n\t\u00a0", ""),
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["förvalt-", "ningen"], "förvaltningen"),
        (["Stads-", "ledningskontoret ansvarar"], "Stadsledningskontoret ansvarar"),
        (["hälso-", "och sjukvård"], "hälso- och sjukvård"),
        (["förskole-", "eller skolverksamhet"], "förskole- eller skolverksamhet"),
        (["kultur-", "samt fritidsverksamhet"], "kultur- samt fritidsverksamhet"),
        (["barn-", "till ungdomsåren"], "barn- till ungdomsåren"),
        (["grund-", "som gymnasieskola"], "grund- som gymnasieskola"),
        (["sjuk-", "resp. friskvård"], "sjuk- resp. friskvård"),
        (["sjuk-", "respektive friskvård"], "sjuk- respektive friskvård"),
        (["vård-", "men inte omsorg"], "vård- men inte omsorg"),
        (["vård-", "utan omsorg"], "vård- utan omsorg"),
        (["Farsta-", "Skärholmen"], "Farsta-Skärholmen"),
        (["BBIC -", "metodstöd"], "BBIC - metodstöd"),
        (["BBIC –", "metodstöd"], "BBIC – metodstöd"),
        (["0-", "3 år"], "0-3 år"),
        (["2019\u2013", "2022"], "2019\u20132022"),
        (["COVID-", "19"], "COVID-19"),
        (["IT-", "stöd"], "IT-stöd"),
        (["e-", "tjänster"], "e-tjänster"),
        (["Mål för", "verksamhetsområdet"], "Mål för verksamhetsområdet"),
        (["för\u00ad", "valtningen"], "förvaltningen"),
        (["för\u00ad ", "valtningen"], "förvaltningen"),
        (["Stockholm", "", "växer"], "Stockholm växer"),
        (["  • Ökad  ", "\uf0b7 trygghet"], "Ökad trygghet"),
        (["\ufb01nan-", "siering"], "finansiering"),
        (["a\u00a0b", "c"], "a b c"),
        (["förvalt-\nningen och stads-", "delarna"], "förvaltningen och stadsdelarna"),
        (["-", "x"], "- x"),
        (["slut-", "(parentes)"], "slut- (parentes)"),
        ([], ""),
        (["", "  "], ""),
    ],
)
def test_join_lines(lines: list[str], expected: str) -> None:
    assert join_lines(lines) == expected


def test_join_lines_accepts_tuples() -> None:
    assert join_lines(("förvalt-", "ningen")) == "förvaltningen"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Förvaltnings-\nberättelse 2019", "Förvaltningsberättelse 2019"),
        ("Hälso-\noch sjukvårdsnämnden", "Hälso- och sjukvårdsnämnden"),
        ("Farsta-\nSkärholmen", "Farsta-Skärholmen"),
        ("Verksamhets\u00ad\nplan", "Verksamhetsplan"),
        ("Mål  och\r\nbudget\u00a02020", "Mål och budget 2020"),
        ("\uf0b7 Stadsdels-\n\uf0b7 nämnden", "Stadsdelsnämnden"),
        ("", ""),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


def _is_clean(text: str) -> bool:
    """A cleaned string is stripped, single-spaced and free of soft hyphens, ligatures and private use."""
    return (
        text == text.strip()
        and "  " not in text
        and not any(char.isspace() and char != " " for char in text)
        and "\u00ad" not in text
        and not any("\ufb00" <= char <= "\ufb06" for char in text)
        and not any("\ue000" <= char <= "\uf8ff" for char in text)
    )


@given(st.text())
def test_clean_text_output_is_clean_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert _is_clean(cleaned)
    assert clean_text(cleaned) == cleaned


@given(st.lists(st.text()))
def test_join_lines_output_is_clean(lines: list[str]) -> None:
    assert _is_clean(join_lines(lines))


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", categories=["L"]), min_size=1), min_size=1))
def test_join_lines_without_hyphens_is_space_join(words: list[str]) -> None:
    assert join_lines(words) == clean_text(" ".join(words))


@given(st.text())
def test_one_line_is_clean_and_idempotent(text: str) -> None:
    result = one_line(text)
    assert _is_clean(result)
    assert one_line(result) == result
