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


def test_a_conceded_criticism_weighs_less_than_the_judgement() -> None:
    result = tone(["Malgré quelques critiques, la nouvelle application a séduit les militants."])
    assert (result.label, result.evidence) == (
        "positive",
        ("la nouvelle application a séduit les militants",),
    )


def test_one_clear_judgement_labels_a_short_article() -> None:
    result = tone(["Le directeur de campagne se félicite du bilan."])
    assert (result.label, result.evidence) == ("positive", ("campagne se félicite du bilan",))


def test_one_judgement_in_a_long_article_is_not_enough() -> None:
    filler = "Le bureau national se réunira jeudi matin au siège du parti avec les délégués."
    assert tone([filler] * 4 + ["Le trésorier se félicite du bilan."]).label == "neutral"


def test_problems_settled_further_down_the_clause_are_not_negative() -> None:
    assert tone(["Les pannes signalées le premier jour ont toutes été réglées."]).score == 0.0


def test_targets_exceeded_are_positive() -> None:
    result = tone(["La collecte a dépassé largement les objectifs.", "Les dons ont afflué."])
    assert result.evidence == ("La collecte a dépassé largement les objectifs",)
