"""The fetcher against a local server: what it fetches and everything it refuses."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from bot.news.fetch import MAX_REDIRECTS, Fetcher, FetchError
from tests.news.conftest import ARTICLE_HTML, LocalServer, page


async def _key(fetcher: Fetcher, url: str, kind: str = "page") -> str:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url, kind)  # type: ignore[arg-type]
    return caught.value.key


async def test_allow_listed_page_is_fetched(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/a"] = page(ARTICLE_HTML)
    result = await fetcher.fetch(server.url("/a"))
    assert (result.status, result.content_type, result.body) == (
        200,
        "text/html",
        ARTICLE_HTML.encode(),
    )


async def test_loopback_is_refused_without_allow_list(server: LocalServer) -> None:
    server.routes["/a"] = page(ARTICLE_HTML)
    fetcher = Fetcher(allowlist=(), timeout=1.0)
    try:
        assert await _key(fetcher, server.url("/a")) == "news.fetch.forbidden_address"
    finally:
        await fetcher.close()
    assert server.hits == {}


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://192.168.1.1/",
        "http://0x7f000001/",
        "http://224.0.0.1/",
        "http://localhost/",
    ],
)
async def test_internal_addresses_are_refused(url: str) -> None:
    fetcher = Fetcher(allowlist=(), timeout=1.0)
    try:
        assert await _key(fetcher, url) == "news.fetch.forbidden_address"
    finally:
        await fetcher.close()


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)"]
)
async def test_other_schemes_are_refused(url: str, fetcher: Fetcher) -> None:
    assert await _key(fetcher, url) == "news.fetch.scheme"


@pytest.mark.parametrize(
    "target", ["http://10.1.2.3/secret", "http://169.254.169.254/latest/meta-data/"]
)
async def test_redirect_to_a_private_address_is_refused(
    server: LocalServer, fetcher: Fetcher, target: str
) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(target)

    server.routes["/go"] = redirect
    assert await _key(fetcher, server.url("/go")) == "news.fetch.forbidden_address"


async def test_redirects_are_followed_by_hand(server: LocalServer, fetcher: Fetcher) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently("/a")

    server.routes["/old"] = redirect
    server.routes["/a"] = page(ARTICLE_HTML)
    result = await fetcher.fetch(server.url("/old"))
    assert result.url == server.url("/a")


async def test_too_many_redirects(server: LocalServer, fetcher: Fetcher) -> None:
    async def loop(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/loop")

    server.routes["/loop"] = loop
    assert await _key(fetcher, server.url("/loop")) == "news.fetch.redirects"
    assert server.hits["/loop"] == MAX_REDIRECTS + 1


async def test_huge_streamed_body_is_abandoned(server: LocalServer, fetcher: Fetcher) -> None:
    sent = 0

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * 65_533
        try:
            while sent < 1_000_000_000:  # a 1 GB page, never built in memory
                await response.write(chunk)
                sent += len(chunk)
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    server.routes["/huge"] = endless
    assert await _key(fetcher, server.url("/huge")) == "news.fetch.too_big"
    assert sent < 50_000_000


async def test_declared_huge_length_is_refused_before_reading(
    server: LocalServer, fetcher: Fetcher
) -> None:
    async def declared(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Length": str(1_000_000_000)}
        )
        await response.prepare(request)
        await response.write(b"<p>start</p>")
        return response

    server.routes["/declared"] = declared
    assert await _key(fetcher, server.url("/declared")) == "news.fetch.too_big"


async def test_server_that_never_answers_times_out(server: LocalServer, fetcher: Fetcher) -> None:
    async def silent(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        return web.Response(text="late")

    server.routes["/silent"] = silent
    started = time.monotonic()
    assert await _key(fetcher, server.url("/silent")) == "news.fetch.timeout"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/pdf", "application/octet-stream"]
)
async def test_non_html_content_is_refused(
    server: LocalServer, fetcher: Fetcher, content_type: str
) -> None:
    server.routes["/bin"] = page(b"\x89PNG\r\n", content_type)
    assert await _key(fetcher, server.url("/bin")) == "news.fetch.content_type"


async def test_error_status_is_reported(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/missing"))
    assert (caught.value.key, caught.value.params) == ("news.fetch.status", {"status": 404})


async def test_unknown_host(fetcher: Fetcher) -> None:
    assert await _key(fetcher, "http://no-such-host.invalid/") == "news.fetch.dns"
