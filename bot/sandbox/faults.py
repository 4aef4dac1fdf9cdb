"""Faults a test or benchmark can inject: failing, rate-limited or slow routes, gateway trouble."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)


class GatewayControls(Protocol):
    async def reconnect(self) -> None: ...
    async def invalid_session(self, resumable: bool) -> None: ...
    async def drop(self) -> None: ...


@dataclass
class _Failure:
    method: str | None
    template: str
    status: int
    remaining: int
    code: int
    message: str
    processed: bool = False
    major: str | None = None


@dataclass
class _Storm:
    method: str | None
    template: str
    remaining: int
    scope: str
    retry_after: float


@dataclass
class Injected:
    """What a request should suffer, decided before its handler runs."""

    delay: float = 0.0
    failure: _Failure | None = None
    storm: _Storm | None = None


@dataclass
class RetryWindows:
    """The Retry-After windows the sandbox's 429s opened, to tell a client that waits as told from
    one that does not.

    A 429 of scope ``user`` or ``shared`` closes its bucket (route and major parameter) for the
    ``retry_after`` of its body; a ``global`` one closes every route but the interaction
    callbacks and follow-ups (exempt from the global limit). The REST pipeline counts a request
    that arrives on a closed bucket in ``SandboxCounters.inside_retry_after``. Time is
    ``time.monotonic``: the client waits real seconds, whatever clock drives the sandbox.
    """

    _until: dict[tuple[str, str], tuple[float, str]] = field(default_factory=dict)
    _global_until: float = 0.0

    def open(self, scope: str, key: str, major: str, seconds: float) -> None:
        until = time.monotonic() + seconds
        if scope == "global":
            self._global_until = max(self._global_until, until)
        else:
            previous = self._until.get((key, major), (0.0, scope))[0]
            self._until[(key, major)] = (max(previous, until), scope)

    def check(self, key: str, major: str, *, global_exempt: bool) -> str | None:
        """The scope of the window a request on ``key``/``major`` arrives in, else None."""
        now = time.monotonic()
        scope: str | None = None
        if not global_exempt and now < self._global_until:
            scope = "global"
        else:
            until, bucket_scope = self._until.get((key, major), (0.0, ""))
            if now < until:
                scope = bucket_scope
        return scope


def _split(route_template: str) -> tuple[str | None, str]:
    """``"POST /channels/{channel_id}/messages"`` or just the path template."""
    route_template = route_template.strip()
    if " " in route_template:
        method, template = route_template.split(" ", 1)
        return method.upper(), template.strip()
    return None, route_template


# Discord's bodies for server errors: ``{"message", "code": 0}``, the message its HTTP reason.
_REASONS = {
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
    504: "504: Gateway Timeout",
}


class Faults:
    """Route templates are the ones of ``Sandbox.counters.requests``, e.g.
    ``"/channels/{channel_id}/messages"``, optionally prefixed by a method."""

    def __init__(self, gateway: GatewayControls) -> None:
        self._gateway = gateway
        self._failures: list[_Failure] = []
        self._storms: list[_Storm] = []
        self._slow: dict[tuple[str | None, str], float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.windows = RetryWindows()

    # ------------------------------------------------------------------ REST
    def fail_next(
        self,
        method: str,
        route_template: str,
        status: int,
        count: int = 1,
        *,
        code: int = 0,
        message: str | None = None,
        processed: bool = False,
        major: int | str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status``. With ``processed``, each
        is carried out first (a message is created, its nonce kept) and only its answer is the
        failure: what a client sees when Discord's edge gives up after the write (a 500 or 503
        whose request took effect), to be retried with the same nonce. With ``major``, only the
        requests on that resource (a channel id, a webhook id...: the route's major parameter)."""
        _, template = _split(route_template)
        text = message or _REASONS.get(status, f"{status}: injected failure")
        only = None if major is None else str(major)
        self._failures.append(
            _Failure(method.upper(), template, status, count, code, text, processed, only)
        )

    def rate_limit_storm(
        self, route_template: str, count: int, scope: str = "shared", retry_after: float = 0.05
    ) -> None:
        """Answer the next ``count`` matching requests with a 429 of ``scope``."""
        method, template = _split(route_template)
        self._storms.append(_Storm(method, template, count, scope, retry_after))

    def slow(self, route_template: str, seconds: float) -> None:
        """Delay every matching request by ``seconds`` (0 removes the delay)."""
        key = _split(route_template)
        if seconds <= 0:
            self._slow.pop(key, None)
        else:
            self._slow[key] = seconds

    def clear(self) -> None:
        """Forget the failures, storms and delays to come (the windows already open stay)."""
        self._failures.clear()
        self._storms.clear()
        self._slow.clear()

    def take(self, method: str, template: str, major: str = "") -> Injected:
        injected = Injected()
        for (slow_method, slow_template), seconds in self._slow.items():
            if slow_template == template and slow_method in (None, method):
                injected.delay = max(injected.delay, seconds)
        for failure in self._failures:
            if (
                failure.template == template
                and failure.method in (None, method)
                and failure.major in (None, major.split("+", 1)[0])
                and failure.remaining > 0
            ):
                failure.remaining -= 1
                injected.failure = failure
                break
        self._failures = [f for f in self._failures if f.remaining > 0]
        if injected.failure is None:
            for storm in self._storms:
                if (
                    storm.template == template
                    and storm.method in (None, method)
                    and storm.remaining > 0
                ):
                    storm.remaining -= 1
                    injected.storm = storm
                    break
            self._storms = [s for s in self._storms if s.remaining > 0]
        return injected

    # ------------------------------------------------------------------ gateway
    def drop_gateway(self) -> asyncio.Task[None]:
        """Close the bot's gateway connection abruptly (close code 4000); it resumes."""
        return self._spawn(self._gateway.drop())

    def reconnect(self) -> asyncio.Task[None]:
        """Send RECONNECT (op 7); the bot reconnects and resumes."""
        return self._spawn(self._gateway.reconnect())

    def invalid_session(self, resumable: bool = False) -> asyncio.Task[None]:
        """Send INVALID_SESSION (op 9); with ``resumable=False`` the bot identifies afresh."""
        return self._spawn(self._gateway.invalid_session(resumable))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("gateway fault failed", exc_info=task.exception())
