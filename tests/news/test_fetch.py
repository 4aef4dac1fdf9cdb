"""The fetcher against a local server: what it fetches and everything it refuses."""

from __future__ import annotations

import asyncio
import ipaddress
import time

import pytest
from aiohttp import web

from bot.i18n import Catalog
from bot.news.fetch import MAX_REDIRECTS, AddressPolicy, Fetcher, FetchError
from tests.news.conftest import ARTICLE_HTML, LocalServer, page

CATALOG = Catalog.load()


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


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[64:ff9b:1::1]/",  # local-use NAT64
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://2130706433/",  # 127.0.0.1 in decimal
        "http://0177.0.0.1/",  # in octal
        "http://127.1/",  # shortened
        "http://0x7f.0.0.1/",
    ],
)
async def test_ipv6_forms_and_other_spellings_of_internal_addresses_are_refused(url: str) -> None:
    fetcher = Fetcher(allowlist=(), timeout=1.0)
    try:
        assert await _key(fetcher, url) == "news.fetch.forbidden_address"
    finally:
        await fetcher.close()


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::5db8:d822", "2002:5db8:d822::1", "::ffff:93.184.216.34", "2606:4700::1111"],
)
def test_public_addresses_behind_ipv6_forms_are_allowed(address: str) -> None:
    AddressPolicy().check("example.org", 443, [address])  # does not raise


async def test_a_refusal_names_the_host_asked_for_not_the_address_it_leads_to(
    server: LocalServer, fetcher: Fetcher
) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://10.1.2.3/secret")

    server.routes["/go"] = redirect
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/go"))
    assert (caught.value.key, caught.value.params) == (
        "news.fetch.forbidden_address",
        {"host": "127.0.0.1"},
    )
    shown = CATALOG.t(caught.value.key, "fr", **caught.value.params)
    assert "10.1.2.3" not in shown and "127.0.0.1" in shown


async def test_a_resolved_internal_address_is_not_shown() -> None:
    fetcher = Fetcher(allowlist=(), timeout=1.0)
    try:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("http://localhost/")
    finally:
        await fetcher.close()
    assert caught.value.params == {"host": "localhost"}
    for locale in ("fr", "en"):
        shown = CATALOG.t(caught.value.key, locale, **caught.value.params)
        assert "127.0.0.1" not in shown and "::1" not in shown


@pytest.mark.parametrize(
    ("entry", "port", "allowed"),
    [
        ("127.0.0.1", 80, True),
        ("127.0.0.1", 443, True),
        ("127.0.0.1", 6379, False),  # an allow-listed host is not open on every port
        ("127.0.0.1:8080", 8080, True),
        ("127.0.0.1:8080", 80, False),
        ("127.0.0.1:*", 6379, True),
        ("127.0.0.0/8", 22, False),
        ("127.0.0.0/8:*", 22, True),
        ("[::1]:8080", 8080, False),  # another address
        ("intranet.local", 443, False),  # another host
        ("127.0.0.1:99999", 80, False),  # an unreadable entry opens nothing
    ],
)
def test_allow_list_entries_open_the_web_ports_or_the_port_they_name(
    entry: str, port: int, allowed: bool
) -> None:
    policy = AddressPolicy([entry])
    assert policy.address_allowed("127.0.0.1", port, ipaddress.ip_address("127.0.0.1")) is allowed


def test_allow_listed_host_names_take_a_port_too() -> None:
    policy = AddressPolicy(["intranet.local:8443", "[::1]:8080", "wiki.local"])
    assert policy.host_allowed("Intranet.Local", 8443)
    assert not policy.host_allowed("intranet.local", 443)
    assert policy.host_allowed("wiki.local", 443) and not policy.host_allowed("wiki.local", 22)
    assert policy.address_allowed("x", 8080, ipaddress.ip_address("::1"))
    assert not policy.address_allowed("x", 8081, ipaddress.ip_address("::1"))


async def test_an_allow_listed_host_on_another_port_is_refused(server: LocalServer) -> None:
    server.routes["/a"] = page(ARTICLE_HTML)
    fetcher = Fetcher(allowlist=("127.0.0.1",), timeout=1.0)  # the web ports only
    try:
        assert await _key(fetcher, server.url("/a")) == "news.fetch.forbidden_address"
    finally:
        await fetcher.close()
    assert server.hits == {}
    opened = Fetcher(allowlist=(f"127.0.0.1:{server.port}",), timeout=1.0)
    try:
        assert (await opened.fetch(server.url("/a"))).status == 200
    finally:
        await opened.close()
