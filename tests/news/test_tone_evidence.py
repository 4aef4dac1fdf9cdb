"""Tone evidence reads as whole phrases, and remedied problems are not evidence."""

from __future__ import annotations

from bot.news.tone import tone


def test_evidence_stops_at_a_conjunction() -> None:
    evidence = tone(
        ["Les forums restent déserts et plusieurs responsables dénoncent un outil lent."]
    )
    assert evidence.evidence == (
        "Les forums restent déserts",
        "plusieurs responsables dénoncent un outil lent",
    )


def test_evidence_stops_at_a_relative_pronoun() -> None:
    assert tone(["Un mauvais démarrage qui surprend les cadres."]).evidence == (
        "Un mauvais démarrage",
    )


def test_evidence_does_not_end_on_a_preposition() -> None:
    assert tone(["Un démarrage catastrophique pour un des réseaux du parti."]).evidence == (
        "Un démarrage catastrophique",
    )


def test_evidence_keeps_the_determiner_of_its_noun() -> None:
    assert tone(["Pour le parti, ce démarrage est un échec."]).evidence == (
        "ce démarrage est un échec",
    )


def test_english_evidence_is_the_clause_around_the_cue() -> None:
    evidence = tone(["It was a disaster.", "The first version was slow and confusing."]).evidence
    assert evidence == ("It was a disaster", "The first version was slow")


def test_negated_praise_is_negative_evidence_with_its_negation() -> None:
    assert tone(["It was not a success and sign-ups were disappointing."]).evidence == (
        "It was not a success",
        "sign-ups were disappointing",
    )


def test_fixing_problems_is_not_negative() -> None:
    result = tone(["Officials said an update would fix the problems by the end of the month."])
    assert (result.label, result.evidence) == ("neutral", ())


def test_corrected_failures_are_not_negative() -> None:
    assert tone(["La mise à jour a corrigé les pannes de la messagerie."]).score == 0.0
