"""Outlets as outlets: one name from the page, the feed or the domain, used by every command;
old databases show outlets too; digests remembered to say what changed since the last one."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import NotFound
from bot.i18n import Catalog
from bot.news.fetch import Fetcher
from bot.news.outlet import feed_item_outlet, outlet_from_feed_title, resolve_outlet
from bot.news.render import say_message
from bot.news.service import DigestKind, NewsService
from bot.news.storage import NewsRepository
from bot.storage.database import MIGRATIONS_DIR, Database
from tests.news.conftest import DEMO, LocalServer, page

KNOWN = ["Le Courrier Civique", "La Gazette du Val", "Numérique Hebdo", "Le Monde"]


@pytest.mark.parametrize(
    ("title", "outlet"),
    [
        ("Le Courrier Civique", "Le Courrier Civique"),
        ("Le Courrier Civique - Politique", "Le Courrier Civique"),
        ("À la une | Le Monde", "Le Monde"),  # a known outlet wherever it stands
        ("La Gazette du Val : toute l'actualité", "La Gazette du Val"),
        ("Ouest-France", "Ouest-France"),  # a hyphen inside a name is not a separator
        ("   ", None),
        (None, None),
    ],
)
def test_outlet_from_feed_title(title: str | None, outlet: str | None) -> None:
    assert outlet_from_feed_title(title) == outlet


@pytest.mark.parametrize(
    ("page_outlet", "url", "feed_title", "expected"),
    [
        ("Le Courrier Civique", "https://courrier.example/a", "Le fil", "Le Courrier Civique"),
        ("courrier.example", "https://www.courrier.example/a", "Le fil", "Le fil"),
        (None, "https://courrier.example/a", "Le fil", "Le fil"),
        ("courrier.example", "https://courrier.example/a", None, "courrier.example"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080/a", None, "127.0.0.1"),
        ("www.courrier.example", "https://www.courrier.example/a", None, "courrier.example"),
    ],
)
def test_a_feed_items_outlet_is_its_page_then_the_feed_then_the_domain(
    page_outlet: str | None, url: str, feed_title: str | None, expected: str
) -> None:
    assert feed_item_outlet(page_outlet, url, feed_title) == expected


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("Le Courrier Civique", "Le Courrier Civique"),
        ("le courrier  civique", "Le Courrier Civique"),
        ("NUMERIQUE HEBDO", "Numérique Hebdo"),
        ("gazette", "La Gazette du Val"),  # the only name that contains it
        ("Le", None),  # several contain it: not a guess
        ("demo", None),
        ("", None),
    ],
)
def test_resolve_outlet(wanted: str, found: str | None) -> None:
    assert resolve_outlet(wanted, KNOWN) == found


async def test_sources_are_outlets_not_how_articles_came_in(service: NewsService) -> None:
    await service.load_demo(DEMO)
    sources = await service.sources()
    assert [(s.outlet, s.articles) for s in sources.outlets] == [
        ("La Gazette du Val", 2),
        ("Le Courrier Civique", 1),
        ("Numérique Hebdo", 1),
        ("The Civic Ledger", 1),
    ]
    assert await service.outlet_names("civi") == ["Le Courrier Civique", "The Civic Ledger"]


async def test_one_name_everywhere(service: NewsService) -> None:
    """The name /news sources shows is the one liste, synthese and retirer accept."""
    await service.load_demo(DEMO)
    for stat in (await service.sources()).outlets:
        assert stat.outlet is not None
        listed = await service.all_articles(None, stat.outlet)
        digest = await service.digest("30d", stat.outlet)
        removal = await service.removal(stat.outlet)
        assert len(listed) == digest.articles == removal.count == stat.articles
        assert {a.document.outlet for a in listed} == {stat.outlet}


async def test_a_link_whose_page_names_no_outlet_is_its_domain(
    service: NewsService, server: LocalServer
) -> None:
    body = " ".join(["Le réseau social du parti a ouvert ses portes lundi matin."] * 12)
    server.routes["/a"] = page(f"<html><body><article><h1>Ouverture</h1><p>{body}</p></article>")
    article = await service.add_link(server.url("/a"), "discord:1")
    assert article.document.outlet == "127.0.0.1"
    assert await service.outlet_names() == ["127.0.0.1"]


async def test_an_unknown_source_is_answered_with_the_known_outlets(
    service: NewsService,
) -> None:
    await service.load_demo(DEMO)
    for call in (
        service.digest("7d", "Le Parisien"),
        service.all_articles(None, "Le Parisien"),
        service.list_articles(None, "Le Parisien"),
    ):
        with pytest.raises(NotFound) as caught:
            await call
        assert caught.value.key == "news.outlet.unknown"
        assert caught.value.params["count"] == 4
        assert caught.value.params["known"].startswith("La Gazette du Val, ")


async def test_many_outlets_name_the_most_cited(db: Database, service: NewsService) -> None:
    repo = NewsRepository(db)
    await service.load_demo(DEMO)
    await db.execute("UPDATE news_articles SET outlet = 'Média ' || id")
    async with db.transaction() as tx:
        for number in range(30):
            await tx.execute(
                "INSERT INTO news_articles (source, title, outlet, language, body, analysis, "
                "signature, content_hash, story_id, added_by, added_at) SELECT source, title, "
                "?, language, body, analysis, signature, ?, story_id, added_by, added_at "
                "FROM news_articles WHERE id = 1",
                (f"Titre {number:02d}", f"hash-{number}"),
            )
    assert len([s for s in await repo.outlets() if s.outlet]) == 35
    with pytest.raises(NotFound) as caught:
        await service.outlet_named("Le Parisien")
    assert caught.value.key == "news.outlet.unknown_many"
    assert caught.value.params["count"] == 35
    assert len(caught.value.params["known"].split(", ")) == 20


def _migrations_up_to(version: int, target: Path) -> Path:
    target.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name[:4]) <= version:
            shutil.copy(path, target / path.name)
    return target


async def test_an_old_database_shows_outlets_too(tmp_path: Path) -> None:
    """Rows written before outlets were always named take their site's domain."""
    path = tmp_path / "old.sqlite3"
    outlets_migration = next(MIGRATIONS_DIR.glob("*_news_outlets_digests.sql"))
    before = int(outlets_migration.name[:4]) - 1
    old = await Database.open(path, migrations_dir=_migrations_up_to(before, tmp_path / "old"))
    rows = [
        ("link", "https://www.exemple-info.fr/politique/a?x=1", None),
        ("feed:http://flux.example:8080/rss", "http://flux.example:8080/item#top", ""),
        ("file", None, None),
        ("demo", "https://gazette.example/a", "La Gazette du Val"),
    ]
    analysis = (
        '{"language": "fr", "sentences": [], "summary": [], "figures": [], "quotes": [], '
        '"people": [], "organisations": [], "tone": ["neutral", 0.0, []]}'
    )
    for number, (source, url, outlet) in enumerate(rows, 1):
        await old.execute(
            "INSERT INTO news_articles (source, url, title, outlet, language, body, analysis, "
            "signature, content_hash, story_id, added_by, added_at) "
            "VALUES (?, ?, 'Titre', ?, 'fr', 'Texte', ?, '[]', ?, ?, 'cli', "
            "'2026-03-01T08:00:00+00:00')",
            (source, url, outlet, analysis, f"h{number}", number),
        )
    await old.execute(
        "INSERT INTO news_feeds (url, failures, last_error) VALUES ('http://f.example/', 1, ?)",
        ("news.fetch.status",),
    )
    await old.close()
    db = await Database.open(path)
    try:
        repo = NewsRepository(db)
        outlets = sorted((s.outlet or "?", s.articles) for s in await repo.outlets())
        assert outlets == [
            ("?", 1),
            ("La Gazette du Val", 1),
            ("exemple-info.fr", 1),
            ("flux.example", 1),
        ]
        # A failure stored as a bare key reads as a sentence, not as the key or a placeholder.
        feed = await repo.feed("http://f.example/")
        assert feed.last_error is not None
        said = say_message(Catalog.load(), feed.last_error, "fr")
        assert said == "le relevé a échoué (la raison n'a pas été conservée)."
    finally:
        await db.close()


async def test_the_last_scheduled_digest_is_the_previous_one(
    db: Database, clock: FixedClock, fetcher: Fetcher
) -> None:
    service = NewsService(db, clock, Settings(news_channel_id=42), fetcher)
    await service.load_demo(DEMO)
    assert (await service.digest("7d")).changes is None  # nothing posted yet
    scheduled = await service.digest("7d")
    await service.digest_posted(scheduled, DigestKind.SCHEDULED)
    clock.advance(timedelta(days=1))
    command = await service.digest("7d")
    await service.digest_posted(command, DigestKind.COMMAND)
    await service.digest_posted(await service.digest("7d", "Numérique Hebdo"), DigestKind.COMMAND)
    previous = await service.previous_digest()
    assert previous == scheduled.snapshot()  # /news synthese does not replace it
    changes = (await service.digest("7d")).changes
    assert changes is not None and changes.since == scheduled.end


async def test_without_a_news_channel_the_last_public_digest_for_every_outlet_counts(
    db: Database, clock: FixedClock, fetcher: Fetcher
) -> None:
    service = NewsService(db, clock, Settings(news_channel_id=None), fetcher)
    await service.load_demo(DEMO)
    first = await service.digest("7d")
    await service.digest_posted(first, DigestKind.COMMAND)
    clock.advance(timedelta(hours=2))
    await service.digest_posted(await service.digest("7d", "Numérique Hebdo"), DigestKind.COMMAND)
    assert await service.previous_digest() == first.snapshot()


async def test_articles_of_no_known_outlet_are_listed_apart(service: NewsService) -> None:
    from cogs.news._render import sources_embed

    body = " ".join(["Le réseau social du parti a ouvert ses portes lundi matin."] * 12)
    await service.add_file(f"Ouverture du réseau\n\n{body}".encode(), "note.txt", "cli")
    await service.load_demo(DEMO)
    sources = await service.sources()
    assert [s.outlet for s in sources.outlets][-1] is None
    embed = sources_embed(Catalog.load(), sources, "fr")
    last = (embed.description or "").split("\n")[-1]
    assert last.startswith(
        "*Média inconnu*\u00a0: 1 article, à retirer par son numéro, dernier le "
    )
    assert await service.outlet_names() == [
        "La Gazette du Val",
        "Le Courrier Civique",
        "Numérique Hebdo",
        "The Civic Ledger",
    ]
