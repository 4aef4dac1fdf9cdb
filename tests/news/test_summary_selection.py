"""Sentence splitting of glued sentences, and how the summariser picks its sentences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.news.sentences import split_sentences
from bot.news.summarise import MULTI, SINGLE, _Candidate, _quality, _select, summarise_many


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Il a dit "non".Alors il part.', ['Il a dit "non".', "Alors il part."]),
        ("Josep Borrell.L'exécutif a parlé.", ["Josep Borrell.", "L'exécutif a parlé."]),
        ("Voilà, précise-t-il.Colonies, ce sont", ["Voilà, précise-t-il.", "Colonies, ce sont"]),
        ("Depuis 1945.Pas de plan.", ["Depuis 1945.", "Pas de plan."]),
        ("Le Front national (FN).Sur le plateau.", ["Le Front national (FN).", "Sur le plateau."]),
    ],
)
def test_glued_sentences_are_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_abbreviations_numbers_and_addresses_stay_whole() -> None:
    text = "Aux U.S.A. il lit www.site.fr et 3.5 pages en Ph.D chaque jour."
    assert split_sentences(text) == [text]


def test_sentence_opening_on_a_connective_is_weaker_material() -> None:
    plain = _quality("Le ministre a refusé de signer le texte hier.", SINGLE)
    dangling = _quality("Mais il a refusé de signer le texte hier.", SINGLE)
    assert dangling == pytest.approx(plain * SINGLE.dangling)


def _candidate(words: int, score: float, index: int) -> _Candidate:
    sentence = " ".join(f"mot{index}x{i}" for i in range(words)) + "."
    return _Candidate(sentence, (0, index), score, {f"t{index}": 1.0})


def test_a_sentence_too_long_for_what_is_left_is_skipped_for_one_that_fits() -> None:
    first, long, short = _candidate(20, 1.0, 0), _candidate(40, 0.9, 1), _candidate(10, 0.5, 2)
    assert _select([first, long, short], 35, SINGLE) == [first.sentence, short.sentence]


def test_the_last_sentence_runs_past_the_budget_whole_when_most_of_it_fits() -> None:
    first, long, short = _candidate(20, 1.0, 0), _candidate(24, 0.9, 1), _candidate(10, 0.5, 2)
    assert _select([first, long, short], 35, SINGLE) == [first.sentence, long.sentence]


def test_when_no_sentence_fits_the_best_one_is_taken_whole() -> None:
    long, longer = _candidate(30, 0.9, 0), _candidate(40, 1.0, 1)
    assert _select([long, longer], 10, SINGLE) == [longer.sentence]


@pytest.mark.parametrize(
    ("part", "whole"),
    [
        (
            "Les responsables locaux s'en emparent enfin depuis la mise à jour. »",
            "Les responsables locaux « s'en emparent enfin » depuis la mise à jour.",
        ),
        (
            "« Les retours sont bien meilleurs depuis la nouvelle version, affirme Claire Morel.",
            "« Les retours sont bien meilleurs depuis la nouvelle version », affirme Claire Morel.",
        ),
    ],
)
def test_part_of_a_quotation_is_weaker_material(part: str, whole: str) -> None:
    assert _quality(part, SINGLE) == pytest.approx(_quality(whole, SINGLE) * SINGLE.quote_part)


def test_the_length_weight_favours_the_longer_telling_of_a_story() -> None:
    short = "Le conseil municipal a voté le budget de la ville."
    long = (
        "Le conseil municipal de la ville a voté hier soir le budget annuel après un long débat "
        "sur les impôts locaux, les écoles et la rénovation de la piscine municipale."
    )
    articles = [
        [short, "La séance a duré trois heures."],
        [long, "Les élus de l'opposition ont quitté la salle."],
        ["Le budget de la ville a été voté par le conseil municipal.", "Le maire a parlé."],
    ]
    plain = summarise_many(articles, "fr", 30, weights=replace(MULTI, length=0.0))
    longer = summarise_many(articles, "fr", 30, weights=replace(MULTI, length=1.0))
    assert short in plain and long not in plain
    assert longer == [long]


@pytest.mark.parametrize(
    "clutter",
    [
        "/Photo prise le 17 octobre 2008/REUTERS/Jean-Paul Pélissier à Paris.",
        "Georges Pauget, directeur général du Crédit agricole (Photo Figaro), à Paris.",
        "Lire aussi : les banques françaises face à la crise financière.",
        "Read more: the banks and the financial crisis of this autumn.",
    ],
)
def test_photo_credits_and_pointers_to_other_articles_are_no_summary_material(
    clutter: str,
) -> None:
    assert _quality(clutter, SINGLE, "fr" if "Read" not in clutter else "en") == 0.0


def test_a_sentence_about_a_photo_is_ordinary_material() -> None:
    sentence = "La photo du petit garçon parue dans le journal a permis de retrouver sa famille."
    assert _quality(sentence, SINGLE) == 1.0
