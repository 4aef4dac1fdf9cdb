"""Sentence splitting of glued sentences, and how the summariser picks its sentences."""

from __future__ import annotations

import pytest

from bot.news.sentences import split_sentences
from bot.news.summarise import SINGLE, _Candidate, _quality, _select


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


def test_a_nearly_as_good_sentence_that_fits_is_taken_whole() -> None:
    first, long, short = _candidate(20, 1.0, 0), _candidate(30, 0.9, 1), _candidate(10, 0.88, 2)
    assert _select([first, long, short], 35, SINGLE) == [first.sentence, short.sentence]


def test_a_much_better_sentence_is_cut_rather_than_skipped() -> None:
    first, long, short = _candidate(20, 1.0, 0), _candidate(30, 0.9, 1), _candidate(10, 0.5, 2)
    summary = _select([first, long, short], 35, SINGLE)
    assert summary == [first.sentence, " ".join(f"mot1x{i}" for i in range(15)) + " …"]
