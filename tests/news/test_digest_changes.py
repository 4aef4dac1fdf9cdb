"""What changed since the last digest: new stories, stories that grew, outlets that picked one up."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from bot.news.digest import (
    Digest,
    DigestSnapshot,
    GrownStory,
    PickedUp,
    SnapshotStory,
    build_digest,
    unsaved_articles,
)
from bot.news.language import Language
from bot.news.models import Article, Document
from bot.news.render import digest_markdown

PARIS = ZoneInfo("Europe/Paris")
CATALOG = Catalog.load()
LAST_END = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TEXTS = {
    "réforme": "Le gouvernement présente sa réforme des retraites devant les syndicats réunis à Paris.",
    "budget": "Le budget de la région augmente de trois pour cent selon le conseil régional réuni hier.",
    "grève": "Les cheminots annoncent une grève reconductible à partir de lundi dans toute la France.",
}


def article(number: int, story: int, subject: str, outlet: str, added: datetime) -> Article:
    text = f"{TEXTS[subject]} Article numéro {number} de la série publiée cette semaine."
    document = Document(f"Titre {number}", text, Language.FR, outlet=outlet)
    [made] = unsaved_articles([document], added)
    return dataclasses.replace(made, id=number, story_id=story)


PREVIOUS = DigestSnapshot(
    LAST_END - timedelta(days=7),
    LAST_END,
    (
        SnapshotStory(10, 2, ("Le Monde",)),
        SnapshotStory(20, 1, ("Ouest-France",)),
    ),
)


async def _digest(previous: DigestSnapshot | None) -> Digest:
    before, after = LAST_END - timedelta(days=2), LAST_END + timedelta(days=1)
    articles = [
        article(1, 10, "réforme", "Le Monde", before),
        article(2, 10, "réforme", "Libération", after),
        article(3, 10, "réforme", "Le Monde", after),
        article(4, 20, "budget", "Ouest-France", before),
        article(5, 30, "grève", "Le Figaro", after),
    ]
    now = LAST_END + timedelta(days=7)
    return await build_digest(articles, LAST_END, now, None, 80, PARIS, previous=previous)


async def test_new_grown_and_picked_up_stories_against_the_previous_digest() -> None:
    digest = await _digest(PREVIOUS)
    numbers = {s.story_id: s.number for s in digest.stories}
    assert digest.changes is not None
    assert digest.changes.new == (numbers[30],)
    assert digest.changes.grown == (GrownStory(numbers[10], before=2, added=2),)
    assert digest.changes.picked_up == (PickedUp(numbers[10], ("Libération",)),)


async def test_without_a_previous_digest_there_are_no_changes() -> None:
    digest = await _digest(None)
    assert digest.changes is None
    assert "Depuis la revue" not in digest_markdown(CATALOG, digest, "fr")


async def test_the_snapshot_round_trips_and_feeds_the_next_digest() -> None:
    digest = await _digest(PREVIOUS)
    snapshot = digest.snapshot()
    assert DigestSnapshot.from_json(snapshot.to_json()) == snapshot
    assert {s.story_id: (s.articles, s.outlets) for s in snapshot.stories} == {
        10: (3, ("Le Monde", "Libération")),
        20: (1, ("Ouest-France",)),
        30: (1, ("Le Figaro",)),
    }
    again = await _digest(snapshot)
    assert again.changes is not None and again.changes.empty


async def test_the_changes_are_said_in_the_digest() -> None:
    digest = await _digest(PREVIOUS)
    numbers = {s.story_id: s.number for s in digest.stories}
    markdown = digest_markdown(CATALOG, digest, "fr")
    assert "## Depuis la revue du 24 novembre 2026" in markdown
    assert f"- Nouveau sujet\xa0: {numbers[30]}" in markdown
    assert f"- Sujet {numbers[10]}\xa0: 2 nouveaux articles (il en comptait 2)" in markdown
    assert f"- Sujet {numbers[10]}\xa0: repris aussi par Libération" in markdown
    english = digest_markdown(CATALOG, digest, "en")
    assert f"- Story {numbers[10]}: 2 new articles (2 before)" in english


async def test_a_story_of_one_article_shows_the_summary_stored_with_it() -> None:
    stored = article(1, 10, "réforme", "Le Monde", LAST_END)
    stored = dataclasses.replace(
        stored, analysis=dataclasses.replace(stored.analysis, summary=("Résumé enregistré.",))
    )
    digest = await build_digest([stored], LAST_END, LAST_END, None, 80, PARIS)
    assert digest.stories[0].summary == ("Résumé enregistré.",)
