"""People and organisations the rules name: compound first names, bodies with an adjective."""

from __future__ import annotations

import pytest

from bot.news.entities import find_organisations, find_people


def test_a_compound_first_name_keeps_the_surname_after_it() -> None:
    text = "présenté par le ministre colombien de la Défense Juan Manuel Santos, l'armée"
    assert find_people(text) == ["Juan Manuel Santos"]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("corroborée par la Société générale, qui indique", "Société générale"),
        ("Le Crédit Foncier a annoncé jeudi", "Crédit Foncier"),
        ("une filiale du Crédit agricole rebaptisée", "Crédit agricole"),
        ("la Banque centrale européenne a relevé ses taux", "Banque centrale européenne"),
    ],
)
def test_a_body_is_named_with_its_adjective(text: str, body: str) -> None:
    assert find_organisations(text) == [body]
