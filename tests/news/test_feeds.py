"""Feed polling: conditional requests, the keyword filter's reasons, back-off and disabling."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiohttp import web

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.news.feeds import MAX_FAILURES, backoff, keyword_decision
from bot.news.fetch import Fetcher, FetchKind, FetchResult
from bot.news.models import Message
from bot.news.render import say_message
from bot.news.service import NewsService
from bot.news.storage import NewsRepository, _message, _message_json
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
        news_fetch_allowlist=("127.0.0.1:*",),
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


def _rss(title: str, guid: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        f"<item><guid>{guid}</guid><title>Cap Militants {guid}</title>"
        f"<link>http://example.org/{guid}</link><description>{LONG} ({guid})</description>"
        "</item></channel></rss>"
    )


def _feeds_service(
    db: Database, clock: FixedClock, fetcher: Fetcher, feeds: tuple[str, ...], concurrency: int
) -> NewsService:
    settings = Settings(
        news_feeds=feeds,
        news_keywords=("Cap Militants",),
        news_poll_minutes=30,
        news_fetch_allowlist=("127.0.0.1",),
    )
    return NewsService(db, clock, settings, fetcher, feed_concurrency=concurrency)


async def test_a_feed_that_hangs_delays_no_other(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    release = asyncio.Event()
    served: set[str] = set()
    others_served = asyncio.Event()

    async def hanging(request: web.Request) -> web.StreamResponse:
        await release.wait()
        return web.Response(text=_rss("Le Lent", "h1"), content_type="application/rss+xml")

    def quick(name: str):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request) -> web.StreamResponse:
            served.add(name)
            if served == {"a", "b"}:
                others_served.set()
            return web.Response(
                text=_rss(f"Flux {name}", name),
                content_type="application/rss+xml",
                headers={"ETag": f'"{name}"'},
            )

        return handler

    server.routes.update({"/hang.xml": hanging, "/a.xml": quick("a"), "/b.xml": quick("b")})
    urls = tuple(server.url(p) for p in ("/hang.xml", "/a.xml", "/b.xml"))
    service = _feeds_service(db, clock, fetcher, urls, concurrency=2)
    poll = asyncio.create_task(service.poll_feeds())
    try:
        async with asyncio.timeout(20):  # only a failure guard: feeds polled one by one hang here
            await others_served.wait()
        assert not poll.done() and not release.is_set()
    finally:
        release.set()
    report = await poll
    assert (report.feeds_polled, report.kept, len(report.new_articles)) == (3, 3, 3)
    repo = NewsRepository(db)
    assert [(await repo.feed(u)).etag for u in urls] == [None, '"a"', '"b"']
    assert [(await repo.feed(u)).next_attempt for u in urls] == [
        clock.now() + timedelta(minutes=30)
    ] * 3


class _GatedFetcher(Fetcher):
    """Answers every feed with its own RSS once let through; counts fetches in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.full = asyncio.Event()
        self.in_flight = 0
        self.peak = 0

    async def fetch(
        self,
        url: str,
        kind: FetchKind = FetchKind.PAGE,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        if self.in_flight >= 2:
            self.full.set()
        try:
            await self.release.wait()
        finally:
            self.in_flight -= 1
        body = _rss("Flux", url.rsplit("/", 1)[-1]).encode()
        return FetchResult(url, 200, "application/rss+xml", body, f'"{url}"')


async def test_feeds_are_polled_at_most_n_at_a_time(db: Database, clock: FixedClock) -> None:
    fetcher = _GatedFetcher()
    feeds = tuple(f"http://127.0.0.1/f{n}.xml" for n in range(5))
    service = _feeds_service(db, clock, fetcher, feeds, concurrency=2)
    poll = asyncio.create_task(service.poll_feeds())
    async with asyncio.timeout(20):  # only a failure guard: one at a time never fills two
        await fetcher.full.wait()
    await asyncio.sleep(0)  # every feed not held back by the bound has started by now
    assert fetcher.in_flight == 2
    fetcher.release.set()
    report = await poll
    assert (fetcher.peak, report.feeds_polled, report.kept) == (2, 5, 5)
    states = [await NewsRepository(db).feed(url) for url in feeds]
    assert [s.etag for s in states] == [f'"{url}"' for url in feeds]


async def test_failures_are_recorded_per_feed_in_the_configured_order(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    async def broken(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500)

    server.routes.update({"/ok.xml": _text(_rss("Flux", "ok"), "application/rss+xml")})
    server.routes.update({"/broken.xml": broken, "/other.xml": broken})
    urls = tuple(server.url(p) for p in ("/broken.xml", "/ok.xml", "/other.xml"))
    report = await _feeds_service(db, clock, fetcher, urls, concurrency=3).poll_feeds()
    assert [n.params["url"] for n in report.notices] == [urls[0], urls[2]]
    catalog = Catalog.load()
    assert say_message(catalog, report.notices[0], "fr") == (
        f"Le flux {urls[0]} est en échec\u00a0: Le site a répondu par une erreur 500\u00a0: "
        "vérifiez le lien. Nouvel essai dans 30 min."
    )
    state = await NewsRepository(db).feed(urls[0])
    assert (state.failures, state.last_error) == (1, Message("news.fetch.status", {"status": 500}))


async def test_a_feed_items_outlet_is_the_feeds_title_when_its_page_names_none(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    server.routes["/feed.xml"] = _text(
        _rss("Le Courrier Civique - Politique", "c1"), "application/rss+xml"
    )
    service = _feeds_service(db, clock, fetcher, (server.url("/feed.xml"),), concurrency=1)
    report = await service.poll_feeds()
    article = await service.article(report.new_articles[0])
    assert (article.document.outlet, article.source) == (
        "Le Courrier Civique",
        "feed:" + server.url("/feed.xml"),
    )
    assert await service.outlet_names() == ["Le Courrier Civique"]


def test_a_message_inside_a_message_is_stored_as_one() -> None:
    inner = Message("news.fetch.status", {"status": 500})
    outer = Message("news.feed.failing", {"url": "http://f/", "reason": inner, "minutes": 30})
    assert _message(_message_json(outer)) == outer


async def test_one_item_in_two_feeds_polled_together_is_stored_once(
    db: Database, clock: FixedClock, fetcher: Fetcher, server: LocalServer
) -> None:
    same = _rss("Flux", "commun")
    server.routes.update(
        {
            "/a.xml": _text(same, "application/rss+xml"),
            "/b.xml": _text(same, "application/rss+xml"),
        }
    )
    urls = (server.url("/a.xml"), server.url("/b.xml"))
    report = await _feeds_service(db, clock, fetcher, urls, concurrency=2).poll_feeds()
    assert (report.feeds_polled, report.kept) == (2, 2)
    assert len(set(report.new_articles)) == 1
    repo = NewsRepository(db)
    items = [item for url in urls for item in await repo.feed_items(url)]
    assert [i.article_id for i in items] == report.new_articles
    assert await repo.count() == 1
