from __future__ import annotations

import pytest

from bot.registration.departments import departments


def test_there_are_101_departments_in_18_regions() -> None:
    assert len(departments()) == 101
    assert len(departments().regions()) == 18


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("56", "56"),
        ("1", "01"),
        ("01", "01"),
        ("2a", "2A"),
        ("2B", "2B"),
        ("974", "974"),
        ("Morbihan", "56"),
        ("morbihan", "56"),
        ("FINISTERE", "29"),
        ("cotes d armor", "22"),
        ("Côtes-d’Armor", "22"),
        ("Réunion", "974"),
        ("56 – Morbihan", "56"),
        ("56 - Morbihan", "56"),
    ],
)
def test_lookup_accepts_codes_names_and_labels(text: str, code: str) -> None:
    found = departments().lookup(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["", "20", "123", "975", "Atlantide"])
def test_lookup_refuses_what_is_not_a_department(text: str) -> None:
    assert departments().lookup(text) is None


@pytest.mark.parametrize(
    ("postcode", "code"),
    [
        ("56000", "56"),
        ("01983", "01"),
        ("1983", "01"),
        ("20000", "2A"),
        ("20190", "2A"),
        ("20200", "2B"),
        ("20620", "2B"),
        ("97110", "971"),
        ("97400", "974"),
        ("97600", "976"),
        ("75011", "75"),
    ],
)
def test_postcode_gives_the_department(postcode: str, code: str) -> None:
    found = departments().from_postcode(postcode)
    assert found is not None and found.code == code


@pytest.mark.parametrize("postcode", ["", "97500", "98000", "ABCDE", "123"])
def test_postcode_outside_the_101_departments_gives_none(postcode: str) -> None:
    assert departments().from_postcode(postcode) is None


def test_search_returns_autocomplete_labels() -> None:
    assert [d.label for d in departments().search("morb")] == ["56 – Morbihan"]
    assert departments().search("2")[0].label == "02 – Aisne"
    assert [d.code for d in departments().search("bretagne")] == ["22", "29", "35", "56"]


def test_departments_are_in_insee_order() -> None:
    codes = [d.code for d in departments().all()]
    assert codes[18:22] == ["19", "2A", "2B", "21"]
    assert codes[-5:] == ["971", "972", "973", "974", "976"]
