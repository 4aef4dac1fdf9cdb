"""Speakers the press names by a description: a nationality, a trade, a role given elsewhere."""

from __future__ import annotations

import pytest

from bot.news.quotes import find_quotes


def _said(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(text, use_model=False)]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Julien Marchal sera au départ du Giro.\n"
            "Hier, le Français a dévoilé ses intentions : « Je suis extrêmement motivé pour ce "
            "retour. »",
            "Julien Marchal",
        ),
        (
            "Johan Bruyneel, directeur d'Astana, a parlé mercredi.\n"
            "« Nous verrons bien au printemps prochain », a ajouté le Belge.",
            "Johan Bruyneel",
        ),
        (
            "Johan Bruyneel dirige Astana.\n"
            "« Pour l'instant, je dirais que c'est du cinquante-cinquante », a dit le manager "
            "d'Astana.",
            "Johan Bruyneel",
        ),
    ],
)
def test_a_description_is_the_person_it_describes(text: str, speaker: str) -> None:
    assert [who for who, _ in _said(text)] == [speaker]


def test_a_lower_case_nationality_is_an_adjective_not_a_person() -> None:
    text = (
        "Julien Marchal sera au départ du Giro.\n"
        "Le rapport français le dit clairement : « Les contrôles seront renforcés dès juillet. »"
    )
    assert _said(text) == [(None, "Les contrôles seront renforcés dès juillet.")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # a caption in capitals under a quotation standing alone
            "Le texte sera revu.\n"
            "« Rien n'interdit des dispositions spécifiques dans ces circonstances. »\n"
            "JEAN LEONETTI, CHARGÉ D'UNE MISSION D'ÉVALUATION\n",
            "Jean Leonetti",
        ),
        (  # the next sentence's subject, named before its verb of speech
            "Le texte sera revu.\n"
            "« Peut-être y a-t-il des insuffisances auxquelles il faut remédier. »\n"
            "À mots prudents, Julien Marchal le reconnaît : la loi sera réexaminée.\n",
            "Julien Marchal",
        ),
        (  # the previous paragraph's subject, who speaks in it
            "Julien Marchal, en stage à Gréoux, regrette que le Texan attire les médias.\n"
            "« Pendant ce temps, on ne parle pas des jeunes coureurs. »\n",
            "Julien Marchal",
        ),
    ],
)
def test_a_quotation_alone_in_its_paragraph_takes_the_speaker_of_the_line_beside_it(
    text: str, speaker: str
) -> None:
    assert [who for who, _ in _said(text)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        (  # spoken to, not speaking
            "Julien Marchal, l'un des responsables, avait été alerté.\n"
            "« Les limites ne seront plus dépassées sans accord. »\n"
        ),
        (  # a subheading: no final punctuation, often the journalist's words
            "« Pas question de ficher les militants »\n"
            "Julien Marchal a protesté lundi contre le fichier.\n"
        ),
        (  # the line after names someone who does not speak
            "« Les limites ne seront plus dépassées sans accord. »\n"
            "La réunion a rassemblé Julien Marchal et ses collègues.\n"
        ),
    ],
)
def test_the_line_beside_names_no_speaker(text: str) -> None:
    assert [who for who, _ in _said(text)] == [None]


def _said_with(text: str, organisations: list[str]) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, [], organisations, use_model=False)]


def test_a_body_named_by_its_noun_is_the_organisation_of_that_name() -> None:
    text = (
        "Les banques s'étaient engagées, par la Fédération bancaire française, à aider les "
        "ménages.\n"
        "Parmi ces solutions, la fédération évoquait « l'allongement de la durée du prêt ».\n"
    )
    assert _said_with(text, ["Fédération bancaire française"]) == ["Fédération bancaire française"]


def test_a_body_noun_is_nobody_when_two_bodies_answer_to_it() -> None:
    text = (
        "La Fédération bancaire française et la Fédération française de l'assurance ont parlé.\n"
        "Parmi ces solutions, la fédération évoquait « l'allongement de la durée du prêt ».\n"
    )
    bodies = ["Fédération bancaire française", "Fédération française de l'assurance"]
    assert _said_with(text, bodies) == [None]


def test_a_subheading_repeating_a_quotation_but_for_one_word_has_its_speaker() -> None:
    text = (
        "« Il n'y a aucun problème »\n"
        "« Il n'y aucun problème. Ma soeur va me faxer le document », assure Claire Vasseur.\n"
    )
    assert [who for who, _ in _said(text)] == ["Claire Vasseur", "Claire Vasseur"]


def test_a_subheading_sharing_only_some_words_keeps_no_speaker() -> None:
    text = (
        "« Il y a un vrai problème de papiers »\n"
        "« Il n'y aucun problème. Ma soeur va me faxer le document », assure Claire Vasseur.\n"
    )
    assert [who for who, _ in _said(text)] == [None, "Claire Vasseur"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "« La Chine n'est pas montée sur le podium de la liberté de la presse », juge le Club "
            "de la presse étrangère en Chine qui dénonce les intimidations.",
            "Club de la presse étrangère en Chine",
        ),
        (
            "« Il était mis en demeure par ses supérieurs de ne pas recommencer », résume l'arrêt "
            "de la chambre de l'instruction prononcé mardi.",
            "chambre de l'instruction",
        ),
        (
            "« Il faudra des sanctions contre ce régime », estime le Conseil de sécurité réuni hier.",
            "Conseil de sécurité",
        ),
    ],
)
def test_a_body_after_the_verb_of_speech_is_named_by_its_full_name(text: str, speaker: str) -> None:
    assert [who for who, _ in _said(text)] == [speaker]


def test_a_lower_case_body_noun_alone_is_no_name() -> None:
    text = "« Il était mis en demeure de ne pas recommencer », résume la chambre en une phrase."
    assert [who for who, _ in _said(text)] == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # "juges", "proposition": nouns, not verbs of speech
            "Mis en examen par les juges Renaud Marchal et Claire Vasseur pour « faux et usage "
            "de faux », il a demandé sa remise en liberté.",
            None,
        ),
        (
            "Le député Julien Marchal présentera une proposition de loi « visant à encadrer "
            "l'aide active à mourir ».",
            None,
        ),
        (  # "l'explique": the pronoun, then the verb
            "Comme l'explique Julien Marchal, « c'était loin d'être gagné pour nous ».",
            "Julien Marchal",
        ),
        (
            "Julien Marchal avait formulé un appel pour que les otages « soient rendus à leurs "
            "familles ».",
            "Julien Marchal",
        ),
    ],
)
def test_a_noun_of_speech_after_a_determiner_is_no_verb(text: str, speaker: str | None) -> None:
    assert [who for who, _ in _said(text)][:1] == [speaker]


def test_straight_quotation_marks_with_spaces_inside_and_a_lost_opening_mark() -> None:
    text = (
        "Les sportifs se disent sceptiques.\n"
        " A mon grand désespoir, j'y crois à cent pour cent. Franchement je suis dégoûté \", "
        "s'indignait le vététiste Julien Marchal.\n"
        "Comme l'explique le barreur français Paul Durand : \" Certes, il n'a jamais été "
        'contrôlé positif. "\n'
    )
    assert _said(text) == [
        (
            "Julien Marchal",
            "A mon grand désespoir, j'y crois à cent pour cent. Franchement je suis dégoûté",
        ),
        ("Paul Durand", "Certes, il n'a jamais été contrôlé positif."),
    ]


def test_a_closing_mark_alone_after_a_quotation_on_its_line_opens_nothing() -> None:
    text = 'Il a dit « nous verrons bien demain matin » puis il est parti ", a-t-on noté.\n'
    assert [q for _, q in _said(text)] == ["nous verrons bien demain matin"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "À commencer par Julien Marchal, patron de la banque, qui affirmait : « Nous n'avons "
            "pas besoin du guichet public. »",
            "Julien Marchal",
        ),
        (
            "À commencer par Julien Marchal, patron de la banque, qui partait : « Nous n'avons "
            "pas besoin du guichet public. »",
            None,
        ),
    ],
)
def test_a_name_after_a_preposition_speaks_through_its_relative_clause(
    text: str, speaker: str | None
) -> None:
    assert [who for who, _ in _said(text)] == [speaker]


def test_a_body_after_the_noun_of_its_kind_is_the_subject() -> None:
    text = (
        "Vendredi, le groupe Caisse d'Epargne a annoncé une perte en raison d'un « incident de "
        "marché dans l'activité dérivés actions »."
    )
    found = find_quotes(text, [], ["Caisse d'Epargne"], use_model=False)
    assert [q.speaker for q in found] == ["Caisse d'Epargne"]
