"""Figures, quotes, tone, sentences, language and numbers: tables of cases."""

from __future__ import annotations

import pytest

from bot.news.figures import find_figures, parse_number
from bot.news.language import detect_language
from bot.news.numbers import words_value
from bot.news.quotes import find_quotes
from bot.news.sentences import split_sentences
from bot.news.tone import tone


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        (
            "Il y a 1 500 inscrits les premiers jours.",
            "fr",
            [(1500, "1 500 inscrits les premiers jours")],
        ),
        (
            "Le budget atteint 1,5 million d'euros selon le parti.",
            "fr",
            [(1_500_000, "1,5 million d'euros")],
        ),
        ("Soit 12,5 % des voix.", "fr", [(12.5, "12,5 % des voix")]),
        ("Il compte 3 200 000 euros de dettes.", "fr", [(3_200_000, "3 200 000 euros de dettes")]),
        ("Il y avait deux mille adhérents.", "fr", [(2000, "deux mille adhérents")]),
        ("Un millier d'invités sont attendus.", "fr", [(1000, "Un millier d'invités")]),
        ("Le site a ouvert le 9 février 2010 à 10h30.", "fr", []),
        ("Il parlait sur Europe 1 pendant trois jours.", "fr", []),
        ("It lost 464,000 subscribers.", "en", [(464_000, "464,000 subscribers")]),
        ("Profits rose to $1.13bn.", "en", [(1_130_000_000, "$1.13bn")]),
        ("Sales rose 2% in March.", "en", [(2, "2% in March")]),
        ("Two thousand people came.", "en", [(2000, "Two thousand people came")]),
    ],
)
def test_figures(sentence: str, language: str, expected: list[tuple[float, str]]) -> None:
    assert [(f.value, f.text) for f in find_figures([sentence], language)] == expected


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("1 500", "fr", 1500),
        ("1\u202f500", "fr", 1500),
        ("1,5", "fr", 1.5),
        ("1,500", "en", 1500),
        ("1.5", "en", 1.5),
        ("1.000.000", "fr", 1_000_000),
    ],
)
def test_parse_number(text: str, language: str, value: float) -> None:
    assert parse_number(text, language) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("mille", 1000),
        ("deux mille", 2000),
        ("deux mille cinq cents", 2500),
        ("quatre-vingt-dix", 90),
        ("soixante-dix", 70),
        ("cinq", 5),
        ("three hundred", 300),
        ("two million", 2_000_000),
    ],
)
def test_words_value(words: str, value: int) -> None:
    assert words_value(words) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "« Le site ne marche pas, confirme Guy Birenbaum, chroniqueur. C'est un ratage. »",
            [("Guy Birenbaum", "Le site ne marche pas … C'est un ratage.")],
        ),
        (
            "« Nous sommes satisfaits du lancement », a déclaré Paul Martin.",
            [("Paul Martin", "Nous sommes satisfaits du lancement")],
        ),
        (
            "Selon Marie Dupont, « le projet avance bien malgré tout ».",
            [("Marie Dupont", "le projet avance bien malgré tout")],
        ),
        (
            '"We are very pleased with the result," said John Smith.',
            [("John Smith", "We are very pleased with the result")],
        ),
        (
            "Claire Morel était là. « Il faut grandement nous mobiliser, conclut-elle. »",
            [("Claire Morel", "Il faut grandement nous mobiliser")],
        ),
        # every quotation is kept; with no speaker named, the speaker is unknown
        ("Il a regardé « Touche pas à mon poste » hier.", [(None, "Touche pas à mon poste")]),
    ],
)
def test_quotes(text: str, expected: list[tuple[str | None, str]]) -> None:
    assert [(q.speaker, q.text) for q in find_quotes(text)] == expected


@pytest.mark.parametrize(
    ("sentences", "label"),
    [
        (["Le lancement est un franc succès : les militants sont enthousiastes."], "positive"),
        (["Le site ne séduit pas grand monde : c'est un échec."], "negative"),
        (["Le parti a présenté son site mardi à Paris."], "neutral"),
        (["The launch was a success, with strong growth in sign-ups."], "positive"),
        (["It was not a success and sign-ups were disappointing."], "negative"),
    ],
)
def test_tone_label(sentences: list[str], label: str) -> None:
    assert tone(sentences).label == label


def test_tone_evidence_quotes_the_text() -> None:
    assert tone(["Le site ne séduit pas grand monde : c'est un échec."]).evidence == (
        "Le site ne séduit pas grand monde",
        "c'est un échec",
    )


def test_neutral_tone_has_no_evidence() -> None:
    assert tone(["Le parti a présenté son site mardi à Paris."]).evidence == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Une séquence domestique.Consternant, le résultat.",
            ["Une séquence domestique.", "Consternant, le résultat."],
        ),
        ("Selon M. Dupont, c'est fini. Il part.", ["Selon M. Dupont, c'est fini.", "Il part."]),
        (
            "« Le site ne marche pas. Il devait être un fer de lance. » Puis il part.",
            ["« Le site ne marche pas.", "Il devait être un fer de lance. »", "Puis il part."],
        ),
        (
            "Premier paragraphe\nDeuxième paragraphe.",
            ["Premier paragraphe", "Deuxième paragraphe."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le site ne séduit pas grand monde dans les départements.", "fr"),
        ("The site has not attracted many people in the regions.", "en"),
        ("", "fr"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
