"""A careful HTTP client for pages and feeds.

- http and https only; the host is resolved and every address checked before connecting: no
  loopback, private, link-local (cloud metadata), multicast, reserved or otherwise non-global
  address, unless NEWS_FETCH_ALLOWLIST names the host or a network containing the address;
- the check runs again inside the connector's resolver (the address actually connected to), and
  again for every redirect, followed by hand (at most ``MAX_REDIRECTS``);
- one deadline for the whole fetch, redirects included; the body is streamed and abandoned past
  ``max_bytes``; the content type must suit what was asked for (a page or a feed).

Every refusal is a :class:`FetchError` carrying a catalog key, safe to show the user.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.errors import UserError

MAX_REDIRECTS = 5
USER_AGENT = "RelanceBot/0.1 (press digest)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/feed+json",
    "text/plain",
    "text/html",
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchKind(StrEnum):
    """What is fetched: the content types accepted differ."""

    PAGE = "page"
    FEED = "feed"


class FetchError(UserError):
    """A page or feed that could not be fetched, with the reason in the catalog."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class AddressPolicy:
    """Which hosts and addresses may be fetched."""

    def __init__(self, allowlist: Sequence[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowlist:
            try:
                self._networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                self._hosts.add(entry.strip().lower().rstrip("."))

    def host_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self._hosts

    def address_allowed(self, host: str, address: IPAddress) -> bool:
        if self.host_allowed(host) or any(address in net for net in self._networks):
            return True
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return address.is_global and not address.is_multicast

    def check(self, host: str, addresses: Sequence[str]) -> None:
        if not addresses:
            raise FetchError("news.fetch.dns", host=host)
        for raw in addresses:
            address = ipaddress.ip_address(raw.split("%")[0])
            if not self.address_allowed(host, address):
                raise FetchError("news.fetch.forbidden_address", host=host, address=str(address))


class _CheckingResolver(ThreadedResolver):
    """Resolves like aiohttp does, then refuses forbidden addresses (no DNS-rebinding gap)."""

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await super().resolve(host, port, family)
        self._policy.check(host, [r["host"] for r in results])
        return results


class Fetcher:
    """Fetches pages and feeds safely; open one per process, :meth:`close` it at shutdown."""

    def __init__(
        self,
        allowlist: Sequence[str] = (),
        max_bytes: int = 5_000_000,
        timeout: float = 10.0,
    ) -> None:
        self.policy = AddressPolicy(allowlist)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                resolver=_CheckingResolver(self.policy), use_dns_cache=False, limit=20
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": USER_AGENT},
                auto_decompress=True,
                trust_env=False,
            )
        return self._session

    async def fetch(
        self,
        url: str,
        kind: FetchKind = FetchKind.PAGE,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        host = urlsplit(url).hostname or url
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url, kind, etag, last_modified)
        except TimeoutError:
            raise FetchError("news.fetch.timeout", host=host, seconds=f"{self.timeout:g}") from None
        except FetchError:
            raise
        except aiohttp.ClientConnectorDNSError:
            raise FetchError("news.fetch.dns", host=host) from None
        except (aiohttp.ClientError, OSError) as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, FetchError):
                raise cause from None
            raise FetchError("news.fetch.connection", host=host) from None

    async def _fetch(
        self, url: str, kind: FetchKind, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        headers = {"Accept": _accept(kind), "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            await self.check_url(url)
            async with self._client().get(url, headers=headers, allow_redirects=False) as response:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError("news.fetch.status", status=response.status)
                    url = urljoin(url, location)
                    continue
                if response.status == 304:
                    return FetchResult(url, 304, "", b"", etag, last_modified)
                if response.status >= 400:
                    raise FetchError("news.fetch.status", status=response.status)
                content_type = (
                    response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                )
                if content_type and content_type not in (
                    FEED_TYPES if kind == FetchKind.FEED else PAGE_TYPES
                ):
                    raise FetchError("news.fetch.content_type", content_type=content_type)
                body = await self._read(response)
                return FetchResult(
                    url,
                    response.status,
                    content_type,
                    body,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        raise FetchError("news.fetch.redirects", limit=MAX_REDIRECTS)

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError("news.fetch.too_big", limit=self.max_bytes)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError("news.fetch.too_big", limit=self.max_bytes)
            chunks.append(chunk)
        return b"".join(chunks)

    async def check_url(self, url: str) -> None:
        """Refuse a URL whose scheme or resolved addresses are not allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError("news.fetch.scheme", url=url)
        host = parts.hostname
        if not host:
            raise FetchError("news.fetch.bad_url", url=url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError("news.fetch.bad_url", url=url) from None
        if self.policy.host_allowed(host):
            return
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            self.policy.check(host, [str(literal)])
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError):
            raise FetchError("news.fetch.dns", host=host) from None
        self.policy.check(host, [str(info[4][0]) for info in infos])


def _accept(kind: FetchKind) -> str:
    if kind == FetchKind.FEED:
        return "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
    return "text/html, application/xhtml+xml, text/plain;q=0.9"
