"""The digest as a press officer reads it: outlets, whole phrases, one language, its period's days."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.news.digest import (
    ArticleRef,
    Digest,
    DigestStory,
    build_digest,
    unsaved_articles,
)
from bot.news.figures import find_figures
from bot.news.language import Language
from bot.news.models import Article, Document, Quote, Tone, ToneLabel
from bot.news.periods import parse_since
from bot.news.render import digest_markdown, digest_pages
from bot.news.summarise import summarise, summarise_many
from bot.news.text import document_from_text
from cogs.news._render import article_embed

PARIS = ZoneInfo("Europe/Paris")
CATALOG = Catalog.load()
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
NEUTRAL = Tone(ToneLabel.NEUTRAL, 0.0, ())


def _one_story_digest(outlets: tuple[str | None, ...]) -> Digest:
    lead = ArticleRef(1, "Le parti lance sa plateforme", outlets[0], None, date(2026, 11, 25))
    story = DigestStory(1, outlets, (lead,), ("Le parti lance sa plateforme militante.",))
    return Digest(
        NOW - timedelta(days=7),
        NOW,
        None,
        1,
        (),
        Language.FR,
        (),
        NEUTRAL,
        (),
        (story,),
        (),
        (),
        (),
    )


@pytest.mark.parametrize("outlets", [(None,), ("",), ("  ",)])
def test_a_story_of_an_unknown_outlet_says_so_with_its_headline(
    outlets: tuple[str | None, ...],
) -> None:
    markdown = digest_markdown(CATALOG, _one_story_digest(outlets), "fr")
    assert "**Sujet 1\xa0: Le parti lance sa plateforme (média inconnu)**" in markdown
    assert "?" not in markdown


def test_a_story_lists_known_outlets_then_the_unknown_once() -> None:
    markdown = digest_markdown(CATALOG, _one_story_digest(("Le Monde", None, "")), "en")
    assert "**Story 1: Le parti lance sa plateforme (Le Monde, unknown outlet)**" in markdown


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Plus de 2 000 adhérents se retrouvent chaque semaine dans ses locaux de la rue "
            "de Vaugirard à Paris.",
            "2 000 adhérents se retrouvent chaque semaine",
        ),
        (
            "Le parti revendique 1 500 militants actifs dans les quartiers populaires du nord.",
            "1 500 militants actifs dans les quartiers populaires",
        ),
        (
            "It raised 3,000 dollars for the local branch of the union.",
            "3,000 dollars for the local branch",
        ),
    ],
)
def test_figure_contexts_are_whole_phrases(sentence: str, expected: str) -> None:
    [figure] = find_figures([sentence], "en" if sentence.startswith("It") else "fr")
    assert figure.text == expected


FRENCH = [
    "Le parti a lancé lundi sa nouvelle plateforme militante destinée aux adhérents de toute la France.",
    "The party said the platform had already attracted thousands of members across the country.",
    "Les premiers jours, près de deux mille inscrits ont rejoint les forums départementaux du site.",
    "La direction espère atteindre dix mille membres avant les élections régionales du printemps.",
]


def test_a_french_summary_keeps_no_english_sentence() -> None:
    summary = summarise(FRENCH, "fr", 200, "Le parti lance sa plateforme militante")
    assert FRENCH[1] not in summary
    assert summary == [FRENCH[0], FRENCH[2], FRENCH[3]]


def test_a_summary_is_made_of_whole_sentences_only() -> None:
    long = (
        "Le parti a lancé lundi sa nouvelle plateforme militante destinée aux adhérents, avec "
        "des forums par département, un agenda partagé des réunions et un annuaire des élus locaux."
    )
    short = "Deux mille inscrits ont rejoint le site."
    for budget in range(8, 40):
        summary = summarise_many([[long, short]], "fr", budget, ["Le parti lance sa plateforme"])
        assert summary, budget
        assert all(s in (long, short) for s in summary), (budget, summary)
        assert not any(s.endswith("…") for s in summary)


def _article(number: int, text: str, published: date | None, added: datetime) -> Article:
    document = Document(
        f"Titre {number}", text, Language.FR, outlet="Le Monde", published=published
    )
    [made] = unsaved_articles([document], added)
    return dataclasses.replace(made, id=number, story_id=number)


async def test_the_chronology_keeps_to_the_digest_period() -> None:
    start = parse_since("24/11/2026", NOW, PARIS)
    articles = [
        _article(1, FRENCH[0], date(2026, 3, 2), NOW - timedelta(days=2)),  # an old page
        _article(2, FRENCH[2], date(2026, 11, 26), NOW - timedelta(days=5)),
        _article(3, FRENCH[3], None, NOW - timedelta(days=1)),
    ]
    digest = await build_digest(articles, start, NOW, None, 80, PARIS)
    assert [d.day for d in digest.timeline] == [date(2026, 11, 26), date(2026, 11, 30)]
    markdown = digest_markdown(CATALOG, digest, "fr")
    assert "mars" not in markdown.split("## Chronologie")[1].split("##")[0]


async def test_the_period_is_shown_in_local_days_as_people_write_dates() -> None:
    start = parse_since("2026-11-01", NOW, PARIS)
    articles = [_article(1, FRENCH[0], None, NOW - timedelta(days=2))]
    digest = await build_digest(articles, start, NOW, None, 80, PARIS)
    pages = digest_pages(CATALOG, digest, "fr")
    assert pages[0].description.startswith("Du 1er novembre 2026 au 1er décembre 2026\n")
    english = digest_markdown(CATALOG, digest, "en")
    assert "From November 1, 2026 to December 1, 2026" in english
    assert "2026-1" not in english and "2026-1" not in digest_markdown(CATALOG, digest, "fr")


@pytest.mark.parametrize("typed", ["2026-12-02", "15/12/2026"])
def test_a_start_in_the_future_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_since(typed, NOW, PARIS)
    assert info.value.key == "news.since.future"
    message = CATALOG.t(info.value.key, "fr", **info.value.params)
    assert "2026-12" not in message and "décembre 2026" in message


def test_today_is_a_valid_start() -> None:
    assert parse_since("2026-12-01", NOW, PARIS) == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def test_a_paragraph_opening_on_comment_is_text_not_noise() -> None:
    text = (
        "Le parti en campagne\n"
        "Comment le parti compte-t-il convaincre les abstentionnistes avant le scrutin ?\n"
        "Il mise sur le porte-à-porte et sur sa nouvelle plateforme militante.\n"
        "Commenter cet article\n"
    )
    document = document_from_text(text)
    assert document.text.split("\n") == [
        "Comment le parti compte-t-il convaincre les abstentionnistes avant le scrutin ?",
        "Il mise sur le porte-à-porte et sur sa nouvelle plateforme militante.",
    ]


def test_an_article_card_shows_its_date_as_people_write_it() -> None:
    card = article_embed(CATALOG, _article(1, FRENCH[0], date(2026, 3, 2), NOW), "fr", [])
    [day] = [f.value for f in card.fields if f.name == CATALOG.t("news.ui.field_date", "fr")]
    assert day == "2 mars 2026"


def _quoted(number: int, outlet: str, speaker: str, text: str) -> Article:
    made = _article(number, text, None, NOW - timedelta(days=1))
    quote = Quote("Chaque responsable doit montrer l'exemple", speaker, text)
    return dataclasses.replace(
        made,
        document=dataclasses.replace(made.document, outlet=outlet),
        analysis=dataclasses.replace(made.analysis, quotes=(quote,)),
    )


async def test_the_digest_says_who_spoke_how_often_and_where() -> None:
    articles = [
        _quoted(
            1,
            "Le Monde",
            "Claire Vasseur",
            "Claire Vasseur, porte-parole du parti, a présenté lundi la plateforme militante.",
        ),
        _quoted(2, "Libération", "Mme Vasseur", "Mme Vasseur a défendu la plateforme hier."),
    ]
    digest = await build_digest(articles, NOW - timedelta(days=7), NOW, None, 80, PARIS)
    markdown = digest_markdown(CATALOG, digest, "fr")
    assert "## Qui a parlé" in markdown
    assert (
        "- **Claire Vasseur**, porte-parole du parti\xa0: 2 citations — Le Monde, Libération"
        in markdown
    )
    english = digest_markdown(CATALOG, digest, "en")
    assert "- **Claire Vasseur**, porte-parole du parti: 2 quotes — Le Monde, Libération" in english


def test_a_long_story_summary_loses_whole_sentences_to_fit_its_field() -> None:
    sentence = "Le parti a présenté sa plateforme militante devant la presse régionale réunie. " * 2
    refs = tuple(
        ArticleRef(
            i, "Titre", "Le Monde", f"https://example.org/{'a' * 150}/{i}", date(2026, 11, 25)
        )
        for i in range(1, 6)
    )
    story = DigestStory(1, ("Le Monde",), refs, tuple(sentence.strip() for _ in range(12)))
    digest = dataclasses.replace(_one_story_digest(("Le Monde",)), stories=(story,))
    [entry] = [f.value for p in digest_pages(CATALOG, digest, "fr") for f in p.fields]
    assert len(entry) <= 1024 and "…" not in entry
    summary = entry.split("\n")[1]
    assert summary == " ".join([sentence.strip()] * (summary.count("réunie.") // 2))
