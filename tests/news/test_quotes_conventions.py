"""Press conventions of attribution: inverted subjects, groups, documents, bodies, introductions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.news.quotes import find_quotes


def _speakers(
    text: str, people: Sequence[str] | None = None, organisations: Sequence[str] | None = None
) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, people, organisations, use_model=False)]


def test_a_name_after_a_verb_opening_its_clause_is_its_subject() -> None:
    text = (
        "Étienne Tête, adjoint au maire, avait obtenu l'invalidation de Charles Millon.\n"
        "Or, relève Étienne Tête, le décret est plus général.\n"
        "L'élu note par ailleurs que certaines informations sont inutiles.\n"
        "« Difficile, illustre-t-il, de comprendre l'intérêt de préciser cela ».\n"
    )
    assert _speakers(text, ["Étienne Tête", "Charles Millon"]) == ["Étienne Tête"]


def test_a_body_qualifying_a_group_is_not_the_speaker() -> None:
    text = (
        "Des parlementaires UMP et PS souhaitent une « aide active à mourir »\n"
        "Plusieurs parlementaires UMP et PS ont souhaité une loi sur « l'aide active à mourir ».\n"
    )
    assert _speakers(text, [], ["UMP", "PS"]) == [None, None]


def test_a_person_named_after_a_preposition_and_a_role_is_not_the_subject() -> None:
    text = (
        "Déçus par le rapport du député Jean Leonetti, des élus ont souhaité une loi sur "
        "« l'aide active à mourir pour tous »."
    )
    assert _speakers(text, ["Jean Leonetti"], []) == [None]


def test_a_verb_in_the_future_after_a_comma_is_the_quotation_going_on() -> None:
    text = (
        "« Nous ferons un compte rendu », explique Tang Yangke, l'un de ses responsables.\n"
        "« Les journalistes feront des entretiens. Les autres réaliseront des analyses, "
        "écriront des portraits des athlètes, en mettant la priorité sur les Chinois. »\n"
    )
    assert _speakers(text, ["Tang Yangke"], []) == ["Tang Yangke", "Tang Yangke"]


def test_a_subheading_is_not_said_by_the_paragraph_before_it() -> None:
    text = (
        "Le procureur Jacques Dallest avait estimé jeudi que la piste n'était pas possible.\n"
        '"Il n\'y a aucun problème"\n'
        '"Il n\'y aucun problème. Ma soeur va me faxer le document", assure Fatma.\n'
    )
    assert _speakers(text, ["Jacques Dallest", "Fatma"], []) == ["Fatma", "Fatma"]


def test_a_body_with_an_adjective_speaks_through_its_relative_clause() -> None:
    text = (
        "Une version corroborée par la Société générale, qui indique ne pas avoir identifié "
        "de « complicité interne ou externe »."
    )
    assert _speakers(text, []) == ["Société générale"]


def test_a_body_described_by_its_kind_is_the_organisation_quoted_just_before() -> None:
    text = (
        "Et le pire est à venir, selon l'Afub : « Nous identifions des pratiques contraires "
        "à la concurrence. »\n"
        "L'association évoque « des pactes de non-agression ».\n"
    )
    assert _speakers(text, [], ["Afub"]) == ["Afub", "Afub"]


def test_selon_a_body_described_by_its_kind_names_the_organisation_quoted_before() -> None:
    text = (
        "La Société générale précise que ces écritures correspondent « à une carence connue "
        "de l'outil informatique » du système Eliot.\n"
        "Selon la banque, Kerviel « interprète abusivement des imprécisions de vocabulaire ».\n"
    )
    assert _speakers(text, ["Jérôme Kerviel", "Eliot"], ["Société générale"]) == [
        "Société générale",
        "Société générale",
    ]


def test_a_body_noun_after_another_body_named_is_nobody() -> None:
    text = (
        "Et le pire est à venir, selon l'Afub : « Nous identifions des pratiques contraires "
        "à la concurrence. »\n"
        "La Cnil a été saisie. L'association évoque « des pactes de non-agression ».\n"
    )
    assert _speakers(text, [], ["Afub", "Cnil"]) == ["Afub", None]


def test_an_unnamed_person_introduced_between_ends_the_previous_speaker() -> None:
    text = (
        "« Les banques vont renforcer leurs ententes », suppute l'Afub.\n"
        "Un emprunteur coincé par un taux révisable trouvait encore une banque.\n"
        "« Le taux passait de 5,8 % à 5,1 %. »\n"
    )
    assert _speakers(text, [], ["Afub"]) == ["Afub", None]


def test_a_pronoun_standing_for_a_report_is_the_report_s_author() -> None:
    text = (
        "Le rapport Leonetti a été remis hier au Premier ministre François Fillon.\n"
        "Mais le rapport reste ferme sur les principes : « C'est avec une extrême prudence "
        "qu'il convient de recevoir une demande de mort », souligne-t-il.\n"
    )
    assert _speakers(text, ["François Fillon", "Jean Leonetti"], []) == ["Jean Leonetti"]


def test_a_pronoun_standing_for_a_writing_nobody_signed_is_nobody() -> None:
    text = (
        "François Fillon a reçu le texte hier.\n"
        "Le texte reste ferme sur les principes : « Il convient de recevoir une demande avec "
        "prudence », souligne-t-il.\n"
    )
    assert _speakers(text, ["François Fillon"], []) == [None]


def test_paragraphs_going_on_about_the_same_one_keep_the_speaker() -> None:
    text = (
        "« Il faut une extrême prudence face à ces demandes », souligne Jean Leonetti.\n"
        "Il fait valoir que le droit, selon François Fillon, n'incrimine pas l'aide au suicide.\n"
        "Il rappelle enfin que « donner la mort à un tiers est un homicide volontaire ».\n"
    )
    assert _speakers(text, ["François Fillon", "Jean Leonetti"], []) == ["Jean Leonetti"] * 2


def test_a_description_is_not_the_one_its_own_sentence_names_before_it() -> None:
    text = (
        '"On roulera pour le plus fort", a assuré Johan Bruyneel.\n'
        "Prié de dire si Armstrong était le genre de coureur à servir un autre, le Belge a "
        'répondu : "Lance lui-même sera capable de rouler pour Contador."\n'
    )
    assert _speakers(text, ["Johan Bruyneel", "Armstrong"], []) == ["Johan Bruyneel"] * 2


def test_a_paragraph_all_quotation_after_one_presenting_a_person_is_theirs() -> None:
    text = (
        "Certains anciens, à l'image de Stéphane Augé, restent admiratifs du champion.\n"
        "\"Je n'ai rien contre lui. Je ne vois pas vraiment l'intérêt qu'il a à revenir.\"\n"
    )
    assert _speakers(text, ["Stéphane Augé"], []) == ["Stéphane Augé"]


def test_a_paragraph_all_quotation_after_one_presenting_two_people_is_nobody_s() -> None:
    text = (
        "Certains anciens, comme Stéphane Augé et Guillaume Blot, restent admiratifs.\n"
        "\"Je n'ai rien contre lui. Je ne vois pas vraiment l'intérêt qu'il a à revenir.\"\n"
    )
    assert _speakers(text, ["Stéphane Augé", "Guillaume Blot"], []) == [None]


def test_a_communique_nobody_is_said_to_sign_is_from_whoever_announced_just_before() -> None:
    text = (
        "Le Crédit Foncier a annoncé jeudi qu'il prorogerait les prêts relais de ses clients.\n"
        'Cette mesure s\'applique aux "clients dont le crédit relais arrive à échéance", '
        "précise le communiqué.\n"
    )
    assert _speakers(text, [], ["Crédit Foncier"]) == ["Crédit Foncier"]


def test_a_communique_after_nobody_announcing_is_nobody_s() -> None:
    text = (
        "Le Crédit Foncier est une filiale des Caisses d'Epargne.\n"
        'Cette mesure s\'applique aux "clients dont le crédit relais arrive à échéance", '
        "précise le communiqué.\n"
    )
    assert _speakers(text, [], ["Crédit Foncier"]) == [None]


def test_an_adverb_after_a_comma_is_the_quotation_going_on() -> None:
    text = (
        "Bernard Kouchner a demandé une exception à la loi, pour lui permettre de ne pas mourir "
        "« dans une clandestinité dont tout le monde souffrirait, surtout ses proches »."
    )
    assert _speakers(text, ["Bernard Kouchner"], []) == ["Bernard Kouchner"]


def test_a_body_after_the_noun_of_its_kind_and_adjectives_is_who_spoke() -> None:
    text = (
        "La Chine « a émis une forte protestation au sujet de cette rencontre », a relayé la "
        "chaîne de télévision publique CCTV lors de son journal."
    )
    assert _speakers(text, [], ["CCTV"]) == ["CCTV"]
