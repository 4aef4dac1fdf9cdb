"""The REST pipeline: auth, faults, rate limits, handlers, headers, counting and recording."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, StreamReader, web
from aiohttp.base_protocol import BaseProtocol

from .counters import SandboxCounters
from .errors import ApiError, RefusedRequest, unauthorized
from .faults import Faults
from .forms import FormPart, form_parts
from .limits import SandboxLimits
from .messaging import UploadedFile
from .ratelimit import Decision, RateLimiter, later_ms
from .routes import ROUTES, RestRequest, RestRoutes, RouteSpec

Json = dict[str, Any]
log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"
# (method, path, query, request JSON, status, response JSON)
ExchangeCallback = Callable[[str, str, dict[str, str], Any, int, Any], Awaitable[None] | None]
MAJOR_PARAMS = (
    "channel_id",
    "guild_id",
    "webhook_id",
    "webhook_token",
    "interaction_id",
    "interaction_token",
)


def json_response(status: int, body: Any, headers: dict[str, str]) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json`` (discord.py insists)."""
    if body is None:
        return web.Response(status=status, headers=headers)
    data = json.dumps(body, ensure_ascii=False).encode()
    return web.Response(
        status=status, body=data, headers={**headers, "Content-Type": "application/json"}
    )


class RestApp:
    def __init__(
        self,
        routes: RestRoutes,
        limits: SandboxLimits,
        limiter: RateLimiter,
        faults: Faults,
        counters: SandboxCounters,
        token: str,
    ) -> None:
        self.routes = routes
        self.limits = limits
        self.limiter = limiter
        self.faults = faults
        self.counters = counters
        self.token = token
        self.errors: list[RefusedRequest] = []
        self.exchange_callbacks: list[ExchangeCallback] = []
        self._shared_count = 0

    def install(self, app: web.Application) -> None:
        for spec in ROUTES:
            app.router.add_route(spec.method, API_PREFIX + spec.template, self._make_handler(spec))
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._unknown_route)

    def _make_handler(
        self, spec: RouteSpec
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self._handle(spec, request)

        return handle

    async def _unknown_route(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :]
        key = f"{request.method} {path}"
        self.counters.requests[key] += 1
        headers = self.limiter.peek(key, "")
        error = ApiError(404, 0, "404: Not Found")
        return await self._finish(request, key, path, None, error.status, error.body(), headers)

    async def _handle(self, spec: RouteSpec, request: web.Request) -> web.StreamResponse:
        self.counters.requests[spec.key] += 1
        path = request.path[len(API_PREFIX) :]
        params = dict(request.match_info)
        major = "+".join(params[k] for k in MAJOR_PARAMS if k in params)
        try:
            payload, files = await _read_body(request)
        except ApiError as refused:
            return await self._finish(
                request,
                spec.key,
                path,
                None,
                refused.status,
                refused.body(),
                self.limiter.peek(spec.key, major),
            )

        if self.limiter.banned():
            self.counters.rate_limited["cloudflare"] += 1
            self.counters.rate_limited_routes[f"cloudflare {spec.key}"] += 1
            self.counters.statuses[429] += 1
            return web.Response(status=429, text="error code: 1015", headers={"Retry-After": "600"})

        if spec.auth and request.headers.get("Authorization") != f"Bot {self.token}":
            denied = unauthorized()
            return await self._finish(
                request,
                spec.key,
                path,
                payload,
                denied.status,
                denied.body(),
                self.limiter.peek(spec.key, major),
            )

        early = self.faults.windows.check(spec.key, major, global_exempt=spec.global_exempt)
        if early is not None:
            self.counters.inside_retry_after[f"{early} {spec.key}"] += 1
        injected = self.faults.take(spec.method, spec.template, major)
        if injected.delay:
            await asyncio.sleep(injected.delay)
        if injected.failure is not None:
            failure = injected.failure
            if failure.processed:  # carried out, then answered with the failure
                with contextlib.suppress(ApiError):  # refused: nothing written, same failure
                    await self.routes.handler(spec)(
                        RestRequest(spec.method, params, dict(request.query), payload, files)
                    )
            body = {"message": failure.message, "code": failure.code}
            return await self._finish(
                request,
                spec.key,
                path,
                payload,
                failure.status,
                body,
                self.limiter.peek(spec.key, major),
            )
        if injected.storm is not None:
            storm = injected.storm
            decision = Decision(self.limiter.peek(spec.key, major), storm.scope, storm.retry_after)
            return await self._too_many(request, spec.key, major, path, payload, decision)
        if self.limits.shared_429_every > 0 and spec.auth:
            self._shared_count += 1
            if self._shared_count % self.limits.shared_429_every == 0:
                decision = Decision(
                    self.limiter.peek(spec.key, major), "shared", self.limits.shared_retry_after
                )
                return await self._too_many(request, spec.key, major, path, payload, decision)

        decision = self.limiter.check(spec.key, major, global_exempt=spec.global_exempt)
        if decision.limited:
            return await self._too_many(request, spec.key, major, path, payload, decision)

        rest_request = RestRequest(spec.method, params, dict(request.query), payload, files)
        try:
            status, body = await self.routes.handler(spec)(rest_request)
        except ApiError as error:
            status, body = error.status, error.body()
        return await self._finish(request, spec.key, path, payload, status, body, decision.headers)

    async def _too_many(
        self,
        request: web.Request,
        key: str,
        major: str,
        path: str,
        payload: Any,
        decision: Decision,
    ) -> web.StreamResponse:
        scope = decision.scope or "user"
        is_global = scope == "global"
        body = {
            "message": "You are being rate limited.",
            "retry_after": float(later_ms(decision.retry_after)),
            "global": is_global,
        }
        if is_global:
            body["code"] = 0
        headers = {
            **decision.headers,
            "Retry-After": str(max(1, math.ceil(decision.retry_after))),
            "X-RateLimit-Scope": scope,
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        self.faults.windows.open(scope, key, major, float(later_ms(decision.retry_after)))
        self.counters.rate_limited[scope] += 1
        self.counters.rate_limited_routes[f"{scope} {key}"] += 1
        return await self._finish(request, key, path, payload, 429, body, headers, scope=scope)

    async def _finish(
        self,
        request: web.Request,
        key: str,
        path: str,
        payload: Any,
        status: int,
        body: Any,
        headers: dict[str, str],
        *,
        scope: str | None = None,
    ) -> web.StreamResponse:
        self.counters.statuses[status] += 1
        if status in (401, 403) or (status == 429 and scope != "shared"):
            self.counters.invalid_requests += 1
            code = body.get("code", 0) if isinstance(body, dict) else 0
            reason = f"429 {scope}" if status == 429 else f"{status} {code}"
            self.counters.invalid_reasons[reason] += 1
            self.limiter.count_invalid()
        if status >= 400:
            data = body if isinstance(body, dict) else {}
            self.errors.append(
                RefusedRequest(
                    request.method,
                    path,
                    key.split(" ", 1)[1],
                    status,
                    data.get("code"),
                    str(data.get("message", "")),
                    data.get("errors"),
                )
            )
        for callback in list(self.exchange_callbacks):
            try:
                outcome = callback(request.method, path, dict(request.query), payload, status, body)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("exchange callback failed")
        return json_response(status, body, headers)


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    if not request.can_read_body:
        return None, []
    content_type = request.content_type
    if content_type.startswith("multipart/"):
        raw = await request.content.read()
        simple = None
        if len(raw) <= request.client_max_size:
            simple = form_parts(request.headers.get("Content-Type", ""), raw)
        if simple is not None:
            return _form(simple)
        return await _read_multipart(_replayed(request.headers, raw, request.client_max_size))
    raw = await request.read()
    if not raw:
        return None, []
    return _loads(raw.decode("utf-8", errors="replace")), []


async def _read_multipart(reader: MultipartReader) -> tuple[Any, list[UploadedFile]]:
    """aiohttp's reader, for the bodies :func:`form_parts` leaves to it: its parts made into
    :class:`FormPart` (``payload_json`` decoded by its part's charset and transfer encoding),
    then read as :func:`_form` reads those of :func:`form_parts`."""
    parts: list[FormPart] = []
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader):
            continue
        name = part.name or ""
        if name == "payload_json":
            data = (await part.text()).encode("utf-8")
        elif name.startswith("files[") or name == "file":
            data = bytes(await part.read())
        else:
            continue
        parts.append(FormPart(name, part.filename, part.headers.get("Content-Type"), data))
    return _form(parts)


def _form(parts: list[FormPart]) -> tuple[Any, list[UploadedFile]]:
    """The message's payload and files, from a form's parts."""
    payload: Any = None
    files: list[UploadedFile] = []
    for part in parts:
        name = part.name
        if name == "payload_json":
            payload = _loads(part.data.decode("utf-8"))
        elif name.startswith("files[") or name == "file":
            index = _file_index(name, files)
            filename = part.filename or f"file{index}"
            declared = part.content_type
            kind = None if declared == "application/octet-stream" else declared
            files.append(UploadedFile(index, filename, kind, part.data))
    return payload, files


def _file_index(name: str, files: list[UploadedFile]) -> int:
    return int(name[6:-1]) if name.startswith("files[") and name[6:-1].isdigit() else len(files)


def _replayed(headers: Mapping[str, str], raw: bytes, client_max_size: int) -> MultipartReader:
    """aiohttp's multipart reader over a body read already, with the limits
    :meth:`web.Request.multipart` gives it (the server's defaults for the part headers)."""
    stream = StreamReader(BaseProtocol(asyncio.get_running_loop()), 2 * len(raw) + 2)
    stream.feed_data(raw)
    stream.feed_eof()
    return MultipartReader(
        headers,
        stream,
        client_max_size=client_max_size,
        max_size_error_cls=web.HTTPRequestEntityTooLarge,
    )


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
