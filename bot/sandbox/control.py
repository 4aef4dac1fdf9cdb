"""HTTP control API under ``/_sandbox/`` for tools outside the Python process (see README)."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import SandboxUsageError
from .models import SandboxChannel, SandboxMember, message_summary

if TYPE_CHECKING:
    from .server import Sandbox

Json = dict[str, Any]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )


def _guarded(handler: Handler) -> Handler:
    async def run(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SandboxUsageError as error:
            return _json({"error": str(error)}, 400)
        except (KeyError, TypeError, ValueError) as error:
            return _json({"error": f"bad request: {error}"}, 400)
        except TimeoutError:
            return _json({"error": "timed out"}, 504)

    return run


async def _body(request: web.Request) -> Json:
    if not request.can_read_body:
        return {}
    data = await request.json()
    if not isinstance(data, dict):
        raise SandboxUsageError("the body must be a JSON object")
    return data


def _uploads(body: Json) -> dict[str, tuple[str, bytes]]:
    uploads: dict[str, tuple[str, bytes]] = {}
    for name, spec in (body.get("attachments") or {}).items():
        uploads[name] = (str(spec["filename"]), base64.b64decode(spec["data_base64"]))
    return uploads


def member_summary(member: SandboxMember) -> Json:
    return {
        "id": str(member.id),
        "username": member.username,
        "global_name": member.global_name,
        "roles": member.role_names,
        "locale": member.locale,
        "dms_open": member.dms_open,
        "department": member.department,
    }


def channel_summary(channel: SandboxChannel) -> Json:
    return {
        "id": str(channel.id),
        "name": channel.name,
        "type": channel.type,
        "private": bool(channel.overwrites),
    }


def install_control(app: web.Application, sandbox: Sandbox) -> None:
    async def summary(request: web.Request) -> web.StreamResponse:
        return _json(
            {
                "api_base": sandbox.api_base,
                "gateway_url": sandbox.gateway_url,
                "guild_id": str(sandbox.guild_id),
                "application_id": str(sandbox.application_id),
                "bot_user_id": str(sandbox.bot_user_id),
                "ready": sandbox.ready,
                "identifies": sandbox.counters.identifies,
                "members": [member_summary(m) for m in sandbox.members()],
                "channels": [channel_summary(c) for c in sandbox.channels()],
            }
        )

    async def wait_ready(request: web.Request) -> web.StreamResponse:
        await sandbox.wait_until_ready(
            float(request.query.get("timeout", "10")),
            commands=request.query.get("commands", "1") not in ("0", "false"),
            identifies=int(request.query.get("identifies", "0")),
        )
        return _json({"ready": True, "identifies": sandbox.counters.identifies})

    async def members(request: web.Request) -> web.StreamResponse:
        return _json([member_summary(m) for m in sandbox.members()])

    async def update_member(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        dms_open = body.get("dms_open")
        member = sandbox.update_member(
            request.match_info["member"],
            dms_open=None if dms_open is None else bool(dms_open),
            locale=body.get("locale"),
        )
        return _json(member_summary(member))

    async def deliveries(request: web.Request) -> web.StreamResponse:
        found = sandbox.deliveries(request.query.get("member"))
        if request.query.get("messages") in ("0", "false"):
            for entry in found:
                entry.pop("messages")
        return _json(found)

    async def wait_messages(request: web.Request) -> web.StreamResponse:
        count = await sandbox.wait_for_messages(
            int(request.query["at_least"]),
            dms_only=request.query.get("dms_only") in ("1", "true"),
            timeout=float(request.query.get("timeout", "10")),
        )
        return _json({"count": count})

    async def reset_counters(request: web.Request) -> web.StreamResponse:
        sandbox.counters.reset()
        sandbox.errors.clear()
        return _json({"ok": True})

    async def commands(request: web.Request) -> web.StreamResponse:
        return _json(sandbox.commands)

    async def invoke(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        result = await sandbox.invoke(
            str(body["line"]),
            as_member=body.get("as_member"),
            locale=body.get("locale"),
            channel=body.get("channel"),
            attachments=_uploads(body) or None,
            timeout=body.get("timeout"),
        )
        return _json(result.payload())

    async def invoke_command(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        result = await sandbox.invoke_command(
            str(body["name"]),
            body.get("options") or {},
            as_member=body.get("as_member"),
            locale=body.get("locale"),
            channel=body.get("channel"),
            timeout=body.get("timeout"),
        )
        return _json(result.payload())

    async def autocomplete(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        choices = await sandbox.autocomplete(
            str(body["line"]),
            as_member=body.get("as_member"),
            locale=body.get("locale"),
            channel=body.get("channel"),
            focus=body.get("focus"),
            timeout=body.get("timeout"),
        )
        return _json({"choices": choices})

    async def click(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        result = await sandbox.click(
            int(body["message_id"]),
            body["target"],
            as_member=body.get("as_member"),
            locale=body.get("locale"),
            values=body.get("values"),
            timeout=body.get("timeout"),
        )
        return _json(result.payload())

    async def messages(request: web.Request) -> web.StreamResponse:
        include = request.query.get("include_ephemeral") in ("1", "true")
        found = sandbox.messages(request.match_info["channel"], include_ephemeral=include)
        return _json([message_summary(m) for m in found])

    async def dms(request: web.Request) -> web.StreamResponse:
        return _json(
            [message_summary(m) for m in sandbox.dm_messages(request.match_info["member"])]
        )

    async def counters(request: web.Request) -> web.StreamResponse:
        return _json(sandbox.counters.as_dict())

    async def errors(request: web.Request) -> web.StreamResponse:
        return _json([asdict(e) for e in sandbox.errors])

    async def fault(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        body = await _body(request)
        faults = sandbox.faults
        if name == "fail_next":
            faults.fail_next(
                str(body["method"]),
                str(body["route"]),
                int(body["status"]),
                int(body.get("count", 1)),
                code=int(body.get("code", 0)),
                message=body.get("message"),
                processed=bool(body.get("processed", False)),
                major=body.get("major"),
            )
        elif name == "rate_limit_storm":
            faults.rate_limit_storm(
                str(body["route"]),
                int(body["count"]),
                str(body.get("scope", "shared")),
                float(body.get("retry_after", 0.05)),
            )
        elif name == "slow":
            faults.slow(str(body["route"]), float(body["seconds"]))
        elif name == "clear":
            faults.clear()
        elif name == "drop_gateway":
            await faults.drop_gateway()
        elif name == "reconnect":
            await faults.reconnect()
        elif name == "invalid_session":
            await faults.invalid_session(bool(body.get("resumable", False)))
        else:
            raise SandboxUsageError(f"unknown fault {name!r}")
        return _json({"ok": True})

    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/_sandbox", summary),
        ("GET", "/_sandbox/ready", wait_ready),
        ("GET", "/_sandbox/commands", commands),
        ("POST", "/_sandbox/invoke", invoke),
        ("POST", "/_sandbox/invoke_command", invoke_command),
        ("POST", "/_sandbox/autocomplete", autocomplete),
        ("POST", "/_sandbox/click", click),
        ("GET", "/_sandbox/messages/{channel}", messages),
        ("GET", "/_sandbox/dms/{member}", dms),
        ("GET", "/_sandbox/counters", counters),
        ("POST", "/_sandbox/counters/reset", reset_counters),
        ("GET", "/_sandbox/members", members),
        ("POST", "/_sandbox/members/{member}", update_member),
        ("GET", "/_sandbox/deliveries", deliveries),
        ("GET", "/_sandbox/wait_messages", wait_messages),
        ("GET", "/_sandbox/errors", errors),
        ("POST", "/_sandbox/faults/{name}", fault),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, _guarded(handler))
