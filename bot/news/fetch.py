"""A careful HTTP client for pages and feeds.

- http and https only; the host is resolved and every address checked before connecting: no
  loopback, private, link-local (cloud metadata), multicast, reserved or otherwise non-global
  address, the IPv6 forms that carry one included (IPv4-mapped, IPv4-compatible, NAT64, 6to4;
  Teredo refused), unless NEWS_FETCH_ALLOWLIST names the host or a network containing the
  address, on the web ports 80 and 443, or on the port the entry names (``host:8080``,
  ``host:*`` for every port);
- the check runs again inside the connector's resolver (the address actually connected to), and
  again for every redirect, followed by hand (at most ``MAX_REDIRECTS``);
- one deadline for the whole fetch, redirects included; the body is streamed and abandoned past
  ``max_bytes``; the content type must suit what was asked for (a page or a feed).

Every refusal is a :class:`FetchError` carrying a catalog key, safe to show the user; a refused
address is named by the host the user asked for, never by the address it resolved to or the
host a redirect pointed at.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
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

log = logging.getLogger(__name__)


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


DEFAULT_PORTS = frozenset({80, 443})
ANY_PORT = "*"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix: IPv4 in the low bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to reach, if any: IPv4-mapped
    (``::ffff:127.0.0.1``), IPv4-compatible (``::127.0.0.1``), NAT64 (``64:ff9b::7f00:1``) or
    6to4 (``2002:7f00:1::``)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is a global unicast address, looking through the IPv6 forms that
    carry an IPv4 address (whose IPv4 address must be public too); Teredo and local-use NAT64
    are refused, as they hide where they lead."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo is not None or address in _NAT64_LOCAL:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return inner.is_global and not inner.is_multicast
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class AllowEntry:
    """One NEWS_FETCH_ALLOWLIST entry: a host name or a network, and the ports it opens:
    ``intranet.local`` (the web ports 80 and 443), ``intranet.local:8080`` (that port),
    ``127.0.0.1:*`` (every port, written on purpose), ``[::1]:8080``, ``10.0.0.0/8``."""

    host: str | None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    ports: frozenset[int] | None  # None: every port

    @classmethod
    def parse(cls, entry: str) -> AllowEntry:
        """Read an entry; :class:`ValueError` if its port is not a number from 1 to 65535 or
        ``*``."""
        text = entry.strip().lower()
        port_text: str | None = None
        if text.startswith("["):
            inside, _, rest = text[1:].partition("]")
            text = inside
            if rest:
                if not rest.startswith(":"):
                    raise ValueError(entry)
                port_text = rest[1:]
        elif text.count(":") == 1:
            text, port_text = text.split(":")
        ports: frozenset[int] | None = DEFAULT_PORTS
        if port_text == ANY_PORT:
            ports = None
        elif port_text is not None:
            if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
                raise ValueError(entry)
            ports = frozenset({int(port_text)})
        try:
            return cls(None, ipaddress.ip_network(text, strict=False), ports)
        except ValueError:
            return cls(text.rstrip("."), None, ports)

    def opens(self, port: int) -> bool:
        return self.ports is None or port in self.ports


class AddressPolicy:
    """Which hosts, addresses and ports may be fetched. An allow-list entry opens its host or
    network on the web ports (80, 443) unless it names a port (``host:8080``) or every port
    (``host:*``); an entry that cannot be read opens nothing."""

    def __init__(self, allowlist: Sequence[str] = ()) -> None:
        self._entries: list[AllowEntry] = []
        for entry in allowlist:
            if not entry.strip():
                continue
            try:
                self._entries.append(AllowEntry.parse(entry))
            except ValueError:
                log.warning("NEWS_FETCH_ALLOWLIST entry %r has an unreadable port: ignored", entry)

    def host_allowed(self, host: str, port: int) -> bool:
        name = host.lower().rstrip(".")
        return any(e.host == name and e.opens(port) for e in self._entries)

    def address_allowed(self, host: str, port: int, address: IPAddress) -> bool:
        if self.host_allowed(host, port):
            return True
        for entry in self._entries:
            if entry.network is not None and address in entry.network and entry.opens(port):
                return True
        return is_public(address)

    def check(self, host: str, port: int, addresses: Sequence[str]) -> None:
        """Refuse unless every address may be fetched on ``port``; the refusal names the host
        asked for, never the address it resolved to."""
        if not addresses:
            raise FetchError("news.fetch.dns", host=host)
        for raw in addresses:
            address = ipaddress.ip_address(raw.split("%")[0])
            if not self.address_allowed(host, port, address):
                raise FetchError("news.fetch.forbidden_address", host=host)


class _CheckingResolver(ThreadedResolver):
    """Resolves like aiohttp does, then refuses forbidden addresses (no DNS-rebinding gap)."""

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await super().resolve(host, port, family)
        self._policy.check(host, port, [r["host"] for r in results])
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
            # a number, counted by the sentence's plural (a string made it unsayable)
            seconds = int(self.timeout) if float(self.timeout).is_integer() else self.timeout
            raise FetchError("news.fetch.timeout", host=host, seconds=seconds) from None
        except FetchError as error:
            raise _as_asked(error, host) from None
        except aiohttp.ClientConnectorDNSError:
            raise FetchError("news.fetch.dns", host=host) from None
        except (aiohttp.ClientError, OSError) as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, FetchError):
                raise _as_asked(cause, host) from None
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
        if self.policy.host_allowed(host, port):
            return
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            self.policy.check(host, port, [str(literal)])
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError):
            raise FetchError("news.fetch.dns", host=host) from None
        self.policy.check(host, port, [str(info[4][0]) for info in infos])


def _as_asked(error: FetchError, host: str) -> FetchError:
    """A refused address named by the host the user asked for, not by a redirect's target."""
    if error.key == "news.fetch.forbidden_address":
        return FetchError("news.fetch.forbidden_address", host=host)
    return error


def _accept(kind: FetchKind) -> str:
    if kind == FetchKind.FEED:
        return "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
    return "text/html, application/xhtml+xml, text/plain;q=0.9"
