"""Faults a test or benchmark can inject: failing, rate-limited or slow routes, gateway trouble."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
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


def _split(route_template: str) -> tuple[str | None, str]:
    """``"POST /channels/{channel_id}/messages"`` or just the path template."""
    route_template = route_template.strip()
    if " " in route_template:
        method, template = route_template.split(" ", 1)
        return method.upper(), template.strip()
    return None, route_template


class Faults:
    """Route templates are the ones of ``Sandbox.counters.requests``, e.g.
    ``"/channels/{channel_id}/messages"``, optionally prefixed by a method."""

    def __init__(self, gateway: GatewayControls) -> None:
        self._gateway = gateway
        self._failures: list[_Failure] = []
        self._storms: list[_Storm] = []
        self._slow: dict[tuple[str | None, str], float] = {}
        self._tasks: set[asyncio.Task[None]] = set()

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
    ) -> None:
        """Answer the next ``count`` matching requests with ``status``."""
        _, template = _split(route_template)
        text = message or f"{status}: injected failure"
        self._failures.append(_Failure(method.upper(), template, status, count, code, text))

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
        self._failures.clear()
        self._storms.clear()
        self._slow.clear()

    def take(self, method: str, template: str) -> Injected:
        injected = Injected()
        for (slow_method, slow_template), seconds in self._slow.items():
            if slow_template == template and slow_method in (None, method):
                injected.delay = max(injected.delay, seconds)
        for failure in self._failures:
            if (
                failure.template == template
                and failure.method in (None, method)
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
