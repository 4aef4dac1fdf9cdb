"""Feed polling: conditional requests, the keyword filter's reasons, back-off and disabling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.news.feeds import MAX_FAILURES, backoff, keyword_decision
from bot.news.fetch import Fetcher
from bot.news.models import Message
from bot.news.render import say_message
from bot.news.service import NewsService
from bot.news.storage import NewsRepository
from bot.storage.database import Database
from tests.news.conftest import LocalServer

LONG = " ".join(["Le réseau social Cap Militants du parti a ouvert ses portes lundi."] * 15)
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Gazette</title><link>http://example.org/</link>
<item><guid>a1</guid><title>Cap Militants ouvre</title><link>http://example.org/a1</link>
<description>{LONG}</description><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
<item><guid>a2</guid><title>Match de football</title><link>http://example.org/a2</link>
<description>Le club local a gagné son match dimanche soir devant un public nombreux.</description></item>
</channel></rss>"""


def _service(db: Database, clock: FixedClock, fetcher: Fetcher, feed: str) -> NewsService:
    settings = Settings(
        news_feeds=(feed,),
        news_keywords=("Cap Militants",),
        news_poll_minutes=30,
        news_fetch_allowlist=("127.0.0.1",),
    )
    return NewsService(db, clock, settings, fetcher)


def _feed_route(server: LocalServer, body: str) -> None:
    async def feed(request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text=body, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    server.routes["/feed.xml"] = feed


async def test_poll_keeps_matching_items_and_records_why(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    _feed_route(server, RSS)
    service = _service(db, clock, fetcher, server.url("/feed.xml"))
    report = await service.poll_feeds()
    assert (report.feeds_polled, report.kept, report.dropped, len(report.new_articles)) == (
        1,
        1,
        1,
        1,
    )
    items = await NewsRepository(db).feed_items(server.url("/feed.xml"))
    assert [(i.guid, i.decision.kept, i.decision.key) for i in items] == [
        ("a1", True, "news.keyword.kept"),
        ("a2", False, "news.keyword.dropped"),
    ]


async def test_second_poll_sends_etag_and_gets_not_modified(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    _feed_route(server, RSS)
    service = _service(db, clock, fetcher, server.url("/feed.xml"))
    await service.poll_feeds()
    clock.advance(timedelta(minutes=31))
    report = await service.poll_feeds()
    assert (report.feeds_polled, report.kept, report.notices) == (1, 0, [])
    assert server.hits["/feed.xml"] == 2


async def test_feed_is_not_polled_before_its_time(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    _feed_route(server, RSS)
    service = _service(db, clock, fetcher, server.url("/feed.xml"))
    await service.poll_feeds()
    clock.advance(timedelta(minutes=10))
    assert (await service.poll_feeds()).feeds_polled == 0


async def test_invalid_feed_is_reported_and_backs_off(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    server.routes["/feed.xml"] = _text("<html><body>Pas un flux</body></html>", "text/html")
    service = _service(db, clock, fetcher, server.url("/feed.xml"))
    report = await service.poll_feeds()
    url = server.url("/feed.xml")
    reason = Message("news.feed.invalid", {"url": url})
    assert report.notices == [
        Message("news.feed.failing", {"url": url, "reason": reason, "minutes": 30})
    ]
    state = await NewsRepository(db).feed(url)
    assert (state.failures, state.next_attempt) == (1, clock.now() + timedelta(minutes=30))
    assert state.last_error == reason


async def test_a_failing_feed_reads_as_sentences(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    server.routes["/feed.xml"] = _text("<html><body>Pas un flux</body></html>", "text/html")
    url = server.url("/feed.xml")
    report = await _service(db, clock, fetcher, url).poll_feeds()
    state = await NewsRepository(db).feed(url)
    assert state.last_error is not None
    catalog = Catalog.load()
    assert say_message(catalog, report.notices[0], "fr") == (
        f"Le flux {url} est en échec\u00a0: {url} n'est pas un flux RSS ou Atom valide. "
        "Nouvel essai dans 30 min."
    )
    assert say_message(catalog, state.last_error, "en") == (
        f"{url} is not a valid RSS or Atom feed."
    )


async def test_feed_is_disabled_after_repeated_failures(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    server.routes["/feed.xml"] = _text("not xml at all", "application/rss+xml")
    service = _service(db, clock, fetcher, server.url("/feed.xml"))
    keys = []
    for _ in range(MAX_FAILURES + 2):
        keys.extend(n.key for n in (await service.poll_feeds()).notices)
        clock.advance(timedelta(days=2))
    assert keys == ["news.feed.failing"] * (MAX_FAILURES - 1) + ["news.feed.disabled"]
    assert server.hits["/feed.xml"] == MAX_FAILURES


@pytest.mark.parametrize(
    ("text", "kept", "key"),
    [
        ("Le lancement de CAP MILITANTS", True, "news.keyword.kept"),
        ("Le lancement du reseau social", True, "news.keyword.kept"),
        ("Un match de football", False, "news.keyword.dropped"),
    ],
)
def test_keyword_decision(text: str, kept: bool, key: str) -> None:
    decision = keyword_decision(text, ("Cap Militants", "réseau social"))
    assert (decision.kept, decision.key) == (kept, key)


def test_no_keywords_keeps_everything() -> None:
    assert keyword_decision("anything", ()).key == "news.keyword.none"


@pytest.mark.parametrize(("failures", "minutes"), [(1, 30), (2, 60), (3, 120), (10, 1440)])
def test_backoff_doubles_and_is_capped(failures: int, minutes: int) -> None:
    assert backoff(failures, 30) == timedelta(minutes=minutes)


def _text(body: str, content_type: str):  # type: ignore[no-untyped-def]
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(text=body, content_type=content_type)

    return handler
