"""Quote attribution on the patterns French and English press use (issue: 3 of 12 right before)."""

from __future__ import annotations

import pytest

from bot.news.quotes import find_quotes


def _said(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(text, use_model=False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "« Le calendrier sera tenu », a déclaré à l'Agence Claire Vasseur.",
            [("Claire Vasseur", "Le calendrier sera tenu")],
        ),
        (
            "« Les militants ont enfin un outil à leur mesure », ironise presque Claire Vasseur.",
            [("Claire Vasseur", "Les militants ont enfin un outil à leur mesure")],
        ),
        (
            "Selon Julien Marchal, consultant en stratégie numérique, « les chiffres sont flatteurs ».",
            [("Julien Marchal", "les chiffres sont flatteurs")],
        ),
        (
            "« Une usine à gaz sans mode d'emploi », tacle Julien Marchal.",
            [("Julien Marchal", "Une usine à gaz sans mode d'emploi")],
        ),
        (
            "« Mille inscrits en une semaine, c'est inespéré », se réjouit Claire Vasseur.",
            [("Claire Vasseur", "Mille inscrits en une semaine, c'est inespéré")],
        ),
        (
            "Julien Marchal tacle : « Personne ne sait où cliquer. »",
            [("Julien Marchal", "Personne ne sait où cliquer.")],
        ),
        (
            "Julien Marchal a publié un billet. « L'outil est lent, écrit-il, mais il progresse. »",
            [("Julien Marchal", "L'outil est lent … mais il progresse.")],
        ),
        (
            "Claire Vasseur a répondu aux critiques. « Nous corrigerons tout, a-t-elle ajouté. »",
            [("Claire Vasseur", "Nous corrigerons tout")],
        ),
        (
            "Le préfet a rappelé la règle : « Chaque responsable doit montrer l'exemple ».",
            [(None, "Chaque responsable doit montrer l'exemple")],
        ),
        (
            'According to Sarah Jones, "the numbers will not last the winter".',
            [("Sarah Jones", "the numbers will not last the winter")],
        ),
        (
            "“It is a fine start,” said Tom Baker, who runs the campaign.",
            [("Tom Baker", "It is a fine start")],
        ),
        (
            "Sarah Jones was blunt. “Nobody uses it,” she said.",
            [("Sarah Jones", "Nobody uses it")],
        ),
    ],
)
def test_speaker_and_quotation(text: str, expected: list[tuple[str | None, str]]) -> None:
    assert _said(text) == expected


def test_pronoun_is_the_last_person_of_its_gender() -> None:
    text = (
        "Claire Vasseur a reçu Julien Marchal hier. Le consultant a posé ses conditions.\n"
        "« Je ne signerai rien sans garanties », a-t-elle prévenu."
    )
    assert _said(text) == [("Claire Vasseur", "Je ne signerai rien sans garanties")]


def test_description_is_the_person_given_that_role() -> None:
    text = (
        "La porte-parole du parti, Claire Vasseur, a tenu une conférence avec Julien Marchal.\n"
        "« Nous n'avons rien à cacher », a assuré la porte-parole."
    )
    assert _said(text) == [("Claire Vasseur", "Nous n'avons rien à cacher")]


def test_an_unnamed_source_is_unknown() -> None:
    text = "Claire Vasseur se tait. « Elle est furieuse », confie un proche."
    assert _said(text) == [(None, "Elle est furieuse")]


def test_surname_and_title_resolve_to_the_full_name() -> None:
    text = "Julien Marchal conseille le parti.\n« Le site doit changer », insiste M. Marchal."
    assert _said(text) == [("Julien Marchal", "Le site doit changer")]


def test_dialogue_dash_with_an_incise() -> None:
    text = (
        "Julien Marchal reçoit dans son bureau.\n"
        "– Le réseau ne décolle pas, reconnaît Julien Marchal, il faut du temps.\n"
    )
    assert _said(text) == [("Julien Marchal", "Le réseau ne décolle pas … il faut du temps.")]


def test_a_quotation_alone_in_its_paragraph_continues_the_speaker() -> None:
    text = (
        "« Nous avons tout repris depuis le début », explique Claire Vasseur.\n"
        "« Les pannes sont derrière nous. »\n"
    )
    assert _said(text) == [
        ("Claire Vasseur", "Nous avons tout repris depuis le début"),
        ("Claire Vasseur", "Les pannes sont derrière nous."),
    ]


def test_a_headline_quoting_the_body_has_the_body_speaker() -> None:
    text = (
        "« Les choses pourront bouger »\n"
        "« Dès la semaine prochaine, je crois que les choses pourront bouger », a indiqué "
        "Ségolène Royal.\n"
    )
    assert [q.speaker for q in find_quotes(text, use_model=False)] == [
        "Ségolène Royal",
        "Ségolène Royal",
    ]


def test_an_incise_whose_subject_follows_the_closing_mark() -> None:
    text = (
        "Le procureur de Marseille, Jacques Dallest, a reçu la presse.\n"
        "« Nous avons beaucoup de doutes sur sa version, a ainsi expliqué » le procureur.\n"
    )
    assert _said(text) == [("Jacques Dallest", "Nous avons beaucoup de doutes sur sa version")]
