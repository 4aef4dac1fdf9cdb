"""A digest's summaries are in the digest's language only: a story in another language says so."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from bot.news.digest import build_digest, unsaved_articles
from bot.news.language import Language
from bot.news.models import Article, Document
from bot.news.render import digest_markdown

PARIS = ZoneInfo("Europe/Paris")
CATALOG = Catalog.load()
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)

FRENCH = [
    "Le parti a lancé lundi sa plateforme militante destinée aux adhérents de toute la France.",
    "Les premiers jours, près de deux mille inscrits ont rejoint les forums départementaux.",
    "La direction espère atteindre dix mille membres avant les élections régionales.",
]
FRENCH_OTHER = [
    "Le conseil régional a voté mardi un budget en hausse pour les transports scolaires.",
    "Les élus de l'opposition ont dénoncé une dépense mal préparée par la majorité sortante.",
]
ENGLISH = [
    "The party launched its new online platform for members on Monday in Paris.",
    "Critics said the website was slow and that the forums were mostly empty after a week.",
]


def _article(number: int, title: str, text: list[str], language: Language, story: int) -> Article:
    document = Document(title, "\n".join(text), language, outlet=f"Outlet {number}")
    [made] = unsaved_articles([document], NOW - timedelta(days=1))
    return dataclasses.replace(made, id=number, story_id=story)


async def _digest(articles: list[Article]) -> str:
    digest = await build_digest(articles, NOW - timedelta(days=7), NOW, None, 80, PARIS)
    assert digest.language is Language.FR
    return digest_markdown(CATALOG, digest, "fr")


async def test_an_english_story_in_a_french_digest_has_a_note_not_an_english_summary() -> None:
    markdown = await _digest(
        [
            _article(1, "Le parti lance sa plateforme", FRENCH, Language.FR, 1),
            _article(2, "Budget régional", FRENCH_OTHER, Language.FR, 2),
            _article(3, "Party launches its platform", ENGLISH, Language.EN, 3),
        ]
    )
    assert not any(sentence in markdown for sentence in ENGLISH)
    assert "Party launches its platform (Outlet 3)" in markdown
    assert CATALOG.t("news.digest.story_language.en", "fr") in markdown
    assert FRENCH[0] in markdown


async def test_a_story_mostly_in_english_is_summarised_from_its_french_copy() -> None:
    markdown = await _digest(
        [
            _article(1, "Party launches its platform", ENGLISH, Language.EN, 1),
            _article(2, "Party launches its platform", ENGLISH, Language.EN, 1),
            _article(3, "Le parti lance sa plateforme", FRENCH, Language.FR, 1),
            _article(4, "Budget régional", FRENCH_OTHER, Language.FR, 2),
            _article(5, "Budget voté", FRENCH_OTHER, Language.FR, 3),
        ]
    )
    stories = markdown.split("Sujet 1")[1].split("Sujet 2")[0]
    assert not any(sentence in stories for sentence in ENGLISH)
    assert FRENCH[0] in stories
    assert CATALOG.t("news.digest.story_language.en", "fr") not in markdown


def test_the_note_names_the_language_in_both_locales() -> None:
    assert CATALOG.t("news.digest.story_language.en", "fr").startswith("Article en anglais")
    assert CATALOG.t("news.digest.story_language.fr", "en").startswith("Article in French")
