"""Fixtures for the press-coverage tests: a real SQLite file, a fixed clock, a local web server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.clock import FixedClock
from bot.config import Settings
from bot.news.fetch import Fetcher
from bot.news.service import NewsService
from bot.storage.database import Database

DATA = Path(__file__).resolve().parent.parent / "data" / "news"
LAUNCH = DATA / "le-parisien-2010-02-15-ump-facebook-flop.txt"
DEMO = Path(__file__).resolve().parents[2] / "bot" / "data" / "news"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings() -> Settings:
    return Settings(
        news_fetch_allowlist=("127.0.0.1:*",),
        news_timeout_seconds=1.0,
        news_max_bytes=200_000,
        news_poll_minutes=30,
    )


@pytest.fixture
async def fetcher(settings: Settings) -> AsyncIterator[Fetcher]:
    client = Fetcher(
        settings.news_fetch_allowlist, settings.news_max_bytes, settings.news_timeout_seconds
    )
    yield client
    await client.close()


@pytest.fixture
def service(db: Database, clock: FixedClock, settings: Settings, fetcher: Fetcher) -> NewsService:
    return NewsService(db, clock, settings, fetcher)


class LocalServer:
    """An aiohttp server on 127.0.0.1 whose routes each test sets."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.app.router.add_route("GET", "/{path:.*}", self._dispatch)
        self.runner = web.AppRunner(self.app, shutdown_timeout=0.2)
        self.port = 0

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        self.hits[path] = self.hits.get(path, 0) + 1
        handler = self.routes.get(path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.runner.cleanup()


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = LocalServer()
    await local.start()
    yield local
    await local.stop()


def page(body: str | bytes, content_type: str = "text/html") -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        data = body.encode() if isinstance(body, str) else body
        return web.Response(body=data, content_type=content_type)

    return handler


ARTICLE_HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Cap Militants ouvre ses portes - La Gazette du Val</title>
<meta property="og:site_name" content="La Gazette du Val">
<meta name="author" content="Jeanne Ferrand">
<meta property="article:published_time" content="2026-03-02T08:00:00+01:00"></head>
<body><article><h1>Cap Militants ouvre ses portes</h1>
<p>La nouvelle plateforme du parti, Cap Militants, a ouvert ses portes lundi. Conçu comme un
réseau social réservé aux adhérents, le site propose des forums par département.</p>
<p>Les débuts sont encourageants : 2 300 inscrits en trois jours, selon la direction du parti.
« Nous voulons que chaque militant trouve sa place, explique Claire Morel. C'est un outil pensé
pour le terrain. »</p></article></body></html>"""
