"""One person named differently in several articles is one speaker, with their role and outlets."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.news.language import Language
from bot.news.models import Analysis, Article, Document, Entities, Quote, Tone, ToneLabel
from bot.news.people import Speaker, role_of, speakers


def _article(article_id: int, text: str, outlet: str, *said: str | None) -> Article:
    quotes = tuple(Quote(f"quotation {i}", who, text) for i, who in enumerate(said))
    analysis = Analysis(
        language=Language.FR,
        sentences=(text,),
        summary=(),
        figures=(),
        quotes=quotes,
        entities=Entities((), ()),
        tone=Tone(ToneLabel.NEUTRAL, 0.0, ()),
    )
    document = Document(title="t", text=text, language=Language.FR, outlet=outlet)
    return Article(article_id, "link", document, analysis, datetime(2026, 11, 30, tzinfo=UTC), 1)


def test_full_name_honorific_and_role_are_one_person() -> None:
    articles = [
        _article(
            1,
            "Claire Vasseur, porte-parole du parti, a répondu. « Nous avançons », dit-elle.",
            "Le Courrier Civique",
            "Claire Vasseur",
            "Claire Vasseur",
        ),
        _article(2, "Mme Vasseur ne cède pas.", "La Gazette", "Mme Vasseur"),
        _article(3, "La porte-parole a répondu.", "Le Soir", "la porte-parole"),
    ]
    assert speakers(articles) == (
        Speaker(
            "Claire Vasseur",
            "porte-parole du parti",
            4,
            (1, 2, 3),
            ("Le Courrier Civique", "La Gazette", "Le Soir"),
        ),
    )


def test_two_people_with_one_surname_stay_apart() -> None:
    articles = [
        _article(1, "Claire Vasseur parle.", "A", "Claire Vasseur"),
        _article(2, "Paul Vasseur parle.", "B", "Paul Vasseur", "Paul Vasseur"),
    ]
    assert [(s.name, s.quotes) for s in speakers(articles)] == [
        ("Paul Vasseur", 2),
        ("Claire Vasseur", 1),
    ]


def test_surname_first_then_full_name_keeps_the_full_name() -> None:
    articles = [
        _article(1, "Marchal a parlé.", "A", "Marchal"),
        _article(2, "Julien Marchal a parlé.", "B", "Julien Marchal"),
    ]
    assert [(s.name, s.article_ids) for s in speakers(articles)] == [("Julien Marchal", (1, 2))]


def test_unknown_speakers_are_not_counted() -> None:
    assert speakers([_article(1, "« Bien »", "A", None)]) == ()


def test_role_from_a_title_before_the_name() -> None:
    text = "Pour la ministre de la Culture Aurore Bergé, le texte est prêt."
    assert role_of("Aurore Bergé", text) == "ministre de la Culture"


def test_role_from_an_apposition_after_the_name() -> None:
    text = "Selon Julien Marchal, consultant en stratégie numérique, « les chiffres mentent »."
    assert role_of("Julien Marchal", text) == "consultant en stratégie numérique"


def test_a_relative_clause_is_not_a_role() -> None:
    assert role_of("Julien Marchal", "Julien Marchal, qui conseille le parti, sourit.") is None


def test_english_role() -> None:
    text = "Jane Smith, spokeswoman for the campaign, said it was early."
    assert role_of("Jane Smith", text) == "spokeswoman for the campaign"


def test_a_role_is_read_after_the_name_as_a_whole_word_only() -> None:
    text = "Paul Leroux, maire de Lyon, a parlé. Ensuite Roux, porte-parole du parti, a répondu."
    assert role_of("Roux", text) == "porte-parole du parti"
    assert role_of("Leroux", text) == "maire de Lyon"
