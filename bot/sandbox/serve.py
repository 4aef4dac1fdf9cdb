"""``python -m bot.sandbox serve``: the sandbox as a process of its own, for process-level tests.

It serves REST, the gateway and the control API on 127.0.0.1, prints one JSON line when it is
ready (URLs, token, ids), and keeps its state until it is stopped (SIGTERM or SIGINT), whatever
happens to the bot processes that connect to it. See README.md in this folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import sys
from typing import Any

from .demo import DEMO_GUILD, GuildSpec
from .generate import (
    DEPARTMENT_CODES,
    GENERAL_CHANNEL,
    ORGANISER_CHANNEL,
    ORGANISER_ROLE,
    generated_guild,
)
from .limits import SandboxLimits
from .server import Sandbox

Json = dict[str, Any]

# Short names for the route limits one most often changes.
ROUTE_ALIASES = {
    "dm_open": "POST /users/@me/channels",
    "channel_messages": "POST /channels/{channel_id}/messages",
    "followups": "POST /webhooks/{webhook_id}/{webhook_token}",
}


def _pair(text: str) -> tuple[int, float]:
    count, _, window = text.partition("/")
    if not window:
        raise ValueError(f"expected COUNT/SECONDS, got {text!r}")
    return int(count), float(window)


def apply_limit(limits: SandboxLimits, setting: str) -> None:
    """Apply ``NAME=VALUE`` to ``limits``.

    ``global=50/1``; ``dm_open=5/5``, ``channel_messages=5/5``, ``followups=5/2`` or
    ``"route:POST /x/{id}=5/5"`` for a route; ``dm_open_spam=10/600`` (or ``off``);
    ``nonce_window_minutes=2``; or any number field of ``SandboxLimits`` (``nonce_window=120``).
    """
    name, sep, value = setting.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise ValueError(f"expected NAME=VALUE, got {setting!r}")
    if name == "global":
        limits.global_limit, limits.global_window = _pair(value)
    elif name in ROUTE_ALIASES or name.startswith("route:"):
        route = ROUTE_ALIASES.get(name) or name.removeprefix("route:").strip()
        limits.route_limits[route] = _pair(value)
    elif name == "dm_open_spam":
        limits.dm_open_spam_limit = None if value == "off" else _pair(value)
    elif name == "nonce_window_minutes":
        limits.nonce_window = float(value) * 60
    else:
        known = {f.name: f for f in dataclasses.fields(SandboxLimits)}
        current = getattr(limits, name, None) if name in known else None
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ValueError(f"unknown limit {name!r}")
        setattr(limits, name, int(value) if isinstance(current, int) else float(value))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox", description="A local Discord for the real discord.py client."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve = sub.add_parser(
        "serve", help="serve REST, gateway and control API on 127.0.0.1 until stopped"
    )
    serve.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    serve.add_argument(
        "--members",
        type=int,
        default=None,
        help="generate this many officers (officer0001, ...); without it: the demo guild",
    )
    serve.add_argument(
        "--closed-dms", type=float, default=0.0, help="fraction of officers with DMs closed"
    )
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated guild")
    serve.add_argument("--organisers", type=int, default=2, help="organisers (organiser01, ...)")
    serve.add_argument(
        "--english", type=float, default=0.0, help="fraction of officers with an English client"
    )
    serve.add_argument("--guild-id", type=int, default=None, help="the guild's id")
    serve.add_argument(
        "--departments",
        default="",
        help="comma-separated department codes officers are spread over (default: all)",
    )
    serve.add_argument(
        "--without-channel",
        default="",
        help="comma-separated departments that get no dep-<code> channel",
    )
    serve.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a limit: global=50/1, dm_open=5/5, channel_messages=5/5, "
        "dm_open_spam=10/600, nonce_window_minutes=2, any SandboxLimits number (repeatable)",
    )
    serve.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one ends",
    )
    serve.add_argument("--log-level", default="WARNING")
    return parser


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


def guild_from(args: argparse.Namespace) -> GuildSpec:
    if args.members is None:
        if args.guild_id is None:
            return DEMO_GUILD
        return dataclasses.replace(DEMO_GUILD, id=args.guild_id)
    departments = _codes(args.departments) or list(DEPARTMENT_CODES)
    return generated_guild(
        args.members,
        closed_dms=args.closed_dms,
        seed=args.seed,
        organisers=args.organisers,
        english=args.english,
        departments=departments,
        without_channel=_codes(args.without_channel),
        guild_id=args.guild_id,
    )


def ready_line(sandbox: Sandbox) -> Json:
    """What the process prints once it serves: enough to start a bot and drive it."""
    channels = {c.name: str(c.id) for c in sandbox.channels()}
    organisers = [m.username for m in sandbox.members() if ORGANISER_ROLE in m.role_names]
    role = next((r for r in sandbox.state.roles.values() if r.name == ORGANISER_ROLE), None)
    return {
        "ready": True,
        "pid": os.getpid(),
        "base_url": sandbox.base_url,
        "api_base": sandbox.api_base,
        "gateway_url": sandbox.gateway_url,
        "control_url": sandbox.base_url + "/_sandbox",
        "token": sandbox.token,
        "guild_id": str(sandbox.guild_id),
        "application_id": str(sandbox.application_id),
        "bot_user_id": str(sandbox.bot_user_id),
        "organiser_role": ORGANISER_ROLE,
        "organiser_role_id": str(role.id) if role else None,
        "organisers": organisers,
        "organiser_channel_id": channels.get(ORGANISER_CHANNEL),
        "general_channel_id": channels.get(GENERAL_CHANNEL),
        "channels": channels,
        "members": len(sandbox.members()),
        "closed_dms": sum(1 for m in sandbox.members() if not m.dms_open),
    }


async def serve(
    guild: GuildSpec, limits: SandboxLimits, *, port: int = 0, exit_with_parent: bool = False
) -> int:
    sandbox = Sandbox(limits, guild=guild)
    await sandbox.start("127.0.0.1", port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    parent = os.getppid()

    async def watch_parent() -> None:
        while os.getppid() == parent:
            await asyncio.sleep(0.5)
        stop.set()

    watcher = asyncio.create_task(watch_parent()) if exit_with_parent else None
    print(json.dumps(ready_line(sandbox), ensure_ascii=False), flush=True)
    try:
        await stop.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
        await sandbox.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s"
    )
    limits = SandboxLimits()
    try:
        guild = guild_from(args)
        for setting in args.limit:
            apply_limit(limits, setting)
    except ValueError as error:
        parser.error(str(error))
    return asyncio.run(serve(guild, limits, port=args.port, exit_with_parent=args.exit_with_parent))


if __name__ == "__main__":
    sys.exit(main())
