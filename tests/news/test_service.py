"""NewsService on a real SQLite file: adding, refusing without storing, feeds, removal, digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import NotFound, UserError
from bot.news.fetch import Fetcher
from bot.news.models import Message
from bot.news.service import NewsService
from bot.schedule import Schedule
from bot.storage.database import Database
from tests.news.conftest import ARTICLE_HTML, DEMO, LAUNCH, LocalServer, page


async def _count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM news_articles")
    assert row is not None
    return int(row[0])


async def test_add_file_stores_article_and_analysis(service: NewsService, db: Database) -> None:
    article = await service.add_file(LAUNCH.read_bytes(), LAUNCH.name, "discord:1")
    stored = await service.article(article.id)
    assert (stored.document.outlet, stored.analysis.tone.label, stored.source) == (
        "Le Parisien",
        "negative",
        "file",
    )
    assert [f.value for f in stored.analysis.figures] == [1500, 7000]
    row = await db.fetchone("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1")
    assert row is not None and (row["actor"], row["action"]) == ("discord:1", "news.add")


async def test_exact_copy_is_refused(service: NewsService, db: Database) -> None:
    first = await service.add_file(LAUNCH.read_bytes(), LAUNCH.name, "cli")
    with pytest.raises(UserError) as caught:
        await service.add_file(LAUNCH.read_bytes(), "again.txt", "cli")
    assert (caught.value.key, caught.value.params) == (
        "news.article.duplicate",
        {"article_id": first.id},
    )
    assert await _count(db) == 1


async def test_syndicated_copy_joins_the_story(service: NewsService) -> None:
    original = await service.add_file(
        (DEMO / "gazette-du-val-lancement.txt").read_bytes(), "a.txt", "cli"
    )
    repost = await service.add_file(
        (DEMO / "blog-reprise-gazette.txt").read_bytes(), "b.txt", "cli"
    )
    other = await service.add_file(
        (DEMO / "numerique-hebdo-bilan.txt").read_bytes(), "c.txt", "cli"
    )
    assert (repost.story_id, other.story_id) == (original.id, other.id)


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt", "news.file.binary"),
        (b"", "vide.txt", "news.article.empty"),
        (b"%PDF-1.4", "doc.pdf", "news.file.type"),
        (b"x" * 300_000, "big.txt", "news.file.too_big"),
    ],
)
async def test_bad_file_stores_nothing(
    service: NewsService, db: Database, data: bytes, name: str, key: str
) -> None:
    with pytest.raises(UserError) as caught:
        await service.add_file(data, name, "cli")
    assert caught.value.key == key
    assert await _count(db) == 0


async def test_add_link_from_allow_listed_server(service: NewsService, server: LocalServer) -> None:
    server.routes["/article"] = page(ARTICLE_HTML)
    article = await service.add_link(server.url("/article"), "discord:1")
    assert (article.document.url, article.document.outlet, article.source) == (
        server.url("/article"),
        "La Gazette du Val",
        "link",
    )


@pytest.mark.parametrize(
    ("route", "key"),
    [
        ("/redirect-private", "news.fetch.forbidden_address"),
        ("/image", "news.fetch.content_type"),
        ("/empty", "news.article.empty"),
        ("/slow", "news.fetch.timeout"),
    ],
)
async def test_bad_link_stores_nothing(
    service: NewsService, db: Database, server: LocalServer, route: str, key: str
) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://10.0.0.5/admin")

    async def slow(request: web.Request) -> web.StreamResponse:
        import asyncio

        await asyncio.sleep(10)
        return web.Response(text="late")

    server.routes.update(
        {
            "/redirect-private": redirect,
            "/image": page(b"\x89PNG", "image/png"),
            "/empty": page("<html><body><nav>Accueil</nav></body></html>"),
            "/slow": slow,
        }
    )
    with pytest.raises(UserError) as caught:
        await service.add_link(server.url(route), "cli")
    assert caught.value.key == key
    assert await _count(db) == 0


async def test_list_pages_and_remove(service: NewsService, db: Database) -> None:
    assert await service.load_demo(DEMO) == 5
    listed = await service.list_articles(page=1)
    assert (listed.total, listed.pages, len(listed.articles)) == (5, 1, 5)
    first = listed.articles[0]
    removal = await service.removal(first.id)
    assert (removal.count, removal.article, removal.outlet) == (1, first, first.document.outlet)
    done = await service.remove(removal, "discord:2")
    assert done.key == "news.removed.article"
    with pytest.raises(NotFound):
        await service.article(first.id)
    assert await _count(db) == 4


async def test_removing_an_outlet_counts_first_then_removes_its_articles(
    service: NewsService, db: Database
) -> None:
    await service.load_demo(DEMO)
    removal = await service.removal("Le Courrier Civique")
    assert (removal.count, removal.outlet, removal.article) == (1, "Le Courrier Civique", None)
    assert removal.question.key == "news.remove.question_outlet"
    assert await _count(db) == 5  # nothing removed before it is confirmed
    gazette = await service.removal("la gazette du val")  # the repost is the Gazette's too
    assert (gazette.count, gazette.outlet) == (2, "La Gazette du Val")
    done = await service.remove(gazette, "discord:2")
    assert done == Message("news.removed.outlet", {"count": 2, "outlet": "La Gazette du Val"})
    assert await _count(db) == 3
    row = await db.fetchone("SELECT actor, detail FROM audit_log ORDER BY id DESC LIMIT 1")
    assert row is not None and (row["actor"], row["detail"]) == (
        "discord:2",
        "La Gazette du Val (2)",
    )


async def test_an_origin_is_not_an_outlet_and_the_known_ones_are_listed(
    service: NewsService, db: Database
) -> None:
    await service.load_demo(DEMO)
    with pytest.raises(NotFound) as caught:
        await service.removal("demo")
    assert (caught.value.key, caught.value.params) == (
        "news.outlet.unknown",
        {
            "target": "demo",
            "count": 4,
            "known": "La Gazette du Val, Le Courrier Civique, Numérique Hebdo, The Civic Ledger",
        },
    )
    assert await _count(db) == 5


async def test_a_blank_target_is_an_unknown_outlet(service: NewsService) -> None:
    await service.load_demo(DEMO)
    with pytest.raises(NotFound) as caught:
        await service.removal("  ")
    assert (caught.value.key, caught.value.params["target"]) == ("news.outlet.unknown", "")


async def test_remove_when_nothing_is_stored(service: NewsService) -> None:
    with pytest.raises(NotFound) as caught:
        await service.removal("nowhere")
    assert (caught.value.key, caught.value.params) == ("news.outlet.none", {"target": "nowhere"})


async def test_digest_of_demo_articles(service: NewsService) -> None:
    await service.load_demo(DEMO)
    calls: list[tuple[int, int]] = []
    digest = await service.digest("7d", None, 80, progress=lambda d, t: calls.append((d, t)))
    assert (digest.articles, len(digest.stories), len(digest.outlets)) == (5, 4, 4)
    assert digest.stories[0].outlets == ("La Gazette du Val",)
    assert len(digest.stories[0].articles) == 2
    assert calls[-1] == (4, 4)
    assert {f.value for f in digest.figures} >= {2300, 4100, 8000, 5600}
    assert all(q.speaker for q in digest.quotes)
    tones = {t.outlet: t.label for t in digest.tones}
    assert tones["Le Courrier Civique"] == "negative"
    *before, last = digest.summary  # whole sentences: the last may run past 80 words
    used = sum(len(s.split()) for s in before)
    assert used <= 80 and len(last.split()) <= 2 * (80 - used)


async def test_digest_filters_by_source_and_period(service: NewsService, clock: FixedClock) -> None:
    await service.add_file(LAUNCH.read_bytes(), LAUNCH.name, "cli")
    clock.advance(timedelta(days=10))
    await service.load_demo(DEMO)
    assert (await service.digest("7d")).articles == 5
    assert (await service.digest("30d", "Le Parisien")).articles == 1
    assert (await service.digest("30d", "le parisien")).source == "Le Parisien"
    with pytest.raises(NotFound) as caught:
        await service.digest("30d", "file")  # how it came in is not an outlet
    assert caught.value.key == "news.outlet.unknown"


def test_next_digest_time(service: NewsService) -> None:
    # Settings default: Monday 09:00 Europe/Paris; 2026-03-10 is a Tuesday.
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert service.next_digest_time(now) == datetime(2026, 3, 16, 8, 0, tzinfo=UTC)


async def test_next_digest_time_daily(db: Database, clock: FixedClock, fetcher: Fetcher) -> None:
    settings = Settings(
        news_digest_schedule=Schedule.parse("daily 08:30", ZoneInfo("Europe/Paris"))
    )
    service = NewsService(db, clock, settings, fetcher)
    now = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Paris (summer time)
    assert service.next_digest_time(now) == datetime(2026, 7, 1, 6, 30, tzinfo=UTC)


async def test_story_copies_and_all_articles(service: NewsService) -> None:
    await service.load_demo(DEMO)
    articles = await service.all_articles("7d")
    by_title = {a.document.site_name: a for a in articles}
    repost = by_title["Le Blog des Militants du Val"]
    copies = await service.story_copies(repost)
    assert [c.document.outlet for c in copies] == ["La Gazette du Val"]
    assert len(articles) == 5
