"""``Sandbox``: a local Discord (REST v10 + gateway) that the real discord.py client talks to."""

from __future__ import annotations

import asyncio
import base64
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .clock import Clock, SystemClock
from .commandline import CommandLine, Upload
from .control import install_control
from .counters import SandboxCounters
from .deliveries import member_deliveries
from .demo import DEMO_GUILD, GuildSpec
from .errors import RefusedRequest, SandboxUsageError
from .faults import Faults
from .gateway import Gateway
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, Interactions
from .limits import SandboxLimits
from .models import (
    InteractionResult,
    SandboxChannel,
    SandboxMember,
    SandboxMessage,
    SandboxRole,
    _walk_components,
)
from .ratelimit import RateLimiter
from .restapp import API_PREFIX, ExchangeCallback, RestApp
from .routes import RestRoutes
from .state import MessageCallback, MessageEvent, SandboxState
from .subscription import MessageSubscription

Json = dict[str, Any]
SELECTS = (3, 5, 6, 7, 8)


class Sandbox:
    """One guild, one bot. ``await start()``, point discord.py at it, then drive it."""

    def __init__(
        self,
        limits: SandboxLimits | None = None,
        clock: Clock | None = None,
        *,
        guild: GuildSpec | None = None,
        token: str | None = None,
    ) -> None:
        self.limits = limits or SandboxLimits()
        self.clock: Clock = clock or SystemClock()
        self.state = SandboxState(guild or DEMO_GUILD, self.clock)
        encoded_id = base64.b64encode(str(self.state.bot_user.id).encode()).decode().rstrip("=")
        self.token = token or f"{encoded_id}.sandbox.{secrets.token_urlsafe(27)}"
        self.counters = SandboxCounters()
        self.gateway = Gateway(self.state, self.limits, self.clock, self.counters, self.token)
        self.faults = Faults(self.gateway)
        self.interactions = Interactions(self.state, self.limits, self.clock)
        self.limiter = RateLimiter(self.limits, self.clock)
        routes = RestRoutes(
            self.state, self.interactions, self.limits, lambda: self.gateway_url, self.counters
        )
        self.rest = RestApp(
            routes, self.limits, self.limiter, self.faults, self.counters, self.token
        )
        self._runner: web.AppRunner | None = None
        self.host = ""
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        install_control(app, self)
        self.rest.install(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        address = self._runner.addresses[0]
        self.host, self.port = str(address[0]), int(address[1])
        self.state.public_base = self.base_url
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        if self._runner is None:
            await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # ------------------------------------------------------------------ world
    @property
    def guild_id(self) -> int:
        return self.state.guild_id

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def bot_user_id(self) -> int:
        return self.state.bot_user.id

    def member(self, who: str | int) -> SandboxMember:
        return self.state.member(who)

    def channel(self, which: str | int) -> SandboxChannel:
        return self.state.channel(which)

    def role(self, which: str | int) -> SandboxRole:
        return self.state.role(which)

    def members(self) -> list[SandboxMember]:
        """The guild's members (the bot excluded), in the order of the guild spec."""
        return list(self.state.members.values())

    def update_member(
        self, who: str | int, *, dms_open: bool | None = None, locale: str | None = None
    ) -> SandboxMember:
        """Open or close a member's DMs, or change their client language, from now on."""
        member = self.state.member(who)
        if dms_open is not None:
            member.user.dms_open = dms_open
        if locale is not None:
            member.user.locale = locale
        return member

    def deliveries(self, who: str | int | None = None) -> list[Json]:
        """Per member, what the bot sent them: see :func:`deliveries.member_deliveries`."""
        members = [self.state.member(who)] if who is not None else self.members()
        return member_deliveries(self.state, self.counters, members)

    def channels(self) -> list[SandboxChannel]:
        """The guild's channels, in the order of the guild spec."""
        return list(self.state.channels.values())

    def describe_channel(self, channel_id: int) -> str:
        """``"#relances"`` for a guild channel, ``"DM with claire"`` for a direct message."""
        channel = self.state.find_channel(int(channel_id))
        if channel is None:
            raise SandboxUsageError(f"no channel {channel_id} in the sandbox")
        if channel.is_dm and channel.recipient is not None:
            return f"DM with {channel.recipient.username}"
        return f"#{channel.name}"

    @property
    def commands(self) -> list[Json]:
        """Commands the bot synced: guild ones first, then global ones."""
        return [*self.state.guild_commands, *self.state.global_commands]

    @property
    def errors(self) -> list[RefusedRequest]:
        return self.rest.errors

    @property
    def ready(self) -> bool:
        return self.gateway.identified.is_set()

    async def wait_until_ready(
        self, timeout: float = 10, *, commands: bool = True, identifies: int = 0
    ) -> None:
        """Wait until the bot is live on the gateway and (unless ``commands=False``) synced commands.

        ``identifies``: wait for at least that many IDENTIFYs in all, e.g. ``counters.identifies + 1``
        read before restarting a bot process, so that the old session does not count.
        """
        async with asyncio.timeout(timeout):
            await self.gateway.wait_live(identifies)
            if commands:
                await self.state.commands_synced.wait()

    async def wait_until_gone(self, timeout: float = 10) -> None:
        """Wait until no bot is live on the gateway (closed, killed, reconnecting)."""
        async with asyncio.timeout(timeout):
            await self.gateway.wait_gone()

    async def wait_for_messages(
        self, at_least: int, *, dms_only: bool = False, timeout: float = 10
    ) -> int:
        """Wait until the bot created ``at_least`` messages (``POST /channels/{id}/messages``) in
        all, or in DMs only; returns the count. Counts survive bot restarts, not ``counters.reset()``."""

        def count() -> int:
            return self.counters.dm_total if dms_only else self.counters.bot_messages

        subscription = self.subscribe_events()
        try:
            async with asyncio.timeout(timeout):
                while count() < at_least:
                    await subscription.get()
        finally:
            subscription.close()
        return count()

    # ------------------------------------------------------------------ messages
    def messages(
        self, channel: str | int, *, include_ephemeral: bool = False
    ) -> list[SandboxMessage]:
        return self.state.listing(
            self.state.channel(channel).id, include_ephemeral=include_ephemeral
        )

    def dm_messages(self, member: str | int) -> list[SandboxMessage]:
        user = self.state.member(member).user
        channel = self.state.dm_channels.get(user.id)
        return [] if channel is None else self.state.listing(channel.id, include_ephemeral=True)

    def message(self, message_id: int) -> SandboxMessage:
        found = self.state.messages.get(int(message_id))
        if found is None:
            raise SandboxUsageError(f"no message {message_id}")
        return found

    def subscribe(self) -> MessageSubscription[SandboxMessage]:
        """Async iterator of every message created or edited from now on (``message.edited`` tells)."""
        return MessageSubscription(
            self.state, lambda event: None if event.kind == "delete" else event.message
        )

    def subscribe_events(self) -> MessageSubscription[MessageEvent]:
        """Async iterator of every ``MessageEvent`` (create, edit, delete) from now on."""
        return MessageSubscription(self.state, lambda event: event)

    def on_message(self, callback: MessageCallback) -> Any:
        """Call ``callback(MessageEvent)`` for every message event; returns a function that stops it."""
        return self.state.add_subscriber(callback)

    def on_exchange(self, callback: ExchangeCallback) -> Any:
        """Call ``callback(method, path, query, request_json, status, response_json)`` per REST exchange.

        ``path`` is relative to the API base (``/channels/1/messages``). Returns a function that stops it.
        """
        self.rest.exchange_callbacks.append(callback)

        def remove() -> None:
            if callback in self.rest.exchange_callbacks:
                self.rest.exchange_callbacks.remove(callback)

        return remove

    # ------------------------------------------------------------------ interactions
    def _who(self, who: str | int | None) -> SandboxMember:
        return self.state.default_member() if who is None else self.state.member(who)

    def _where(self, member: SandboxMember, channel: str | int | None) -> SandboxChannel:
        if channel in ("@dm", "dm"):
            return self.state.dm_channel(member.user)
        where = (
            next(iter(self.state.channels.values()))
            if channel is None
            else self.state.channel(channel)
        )
        self._check_view(member, where)
        return where

    def _check_view(self, member: SandboxMember, channel: SandboxChannel) -> None:
        if not self.state.can_view(member, channel):
            raise SandboxUsageError(
                f"{member.username} cannot see {self.describe_channel(channel.id)}"
            )

    def _parser(
        self, member: SandboxMember, locale: str | None, channel: SandboxChannel
    ) -> CommandLine:
        locales = tuple(dict.fromkeys(x for x in (locale, member.locale) if x))
        # Guild commands do not exist in direct messages.
        commands = self.state.global_commands if channel.is_dm else self.commands
        return CommandLine(self.state, commands, locales)

    async def _run(
        self,
        kind: int,
        member: SandboxMember,
        channel: SandboxChannel,
        data: Json,
        *,
        locale: str | None,
        timeout: float | None,
        message: SandboxMessage | None = None,
    ) -> InteractionResult:
        wait = self.limits.invoke_timeout if timeout is None else timeout
        async with asyncio.timeout(wait):
            await self.gateway.identified.wait()
        record, payload = self.interactions.create(
            kind, member, channel, data, locale=locale, message=message
        )
        self.counters.interactions += 1
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return await self.interactions.wait(record, timeout=wait, quiet=self.limits.quiet_period)

    async def invoke(
        self,
        line: str,
        *,
        as_member: str | int | None = None,
        locale: str | None = None,
        channel: str | int | None = None,
        attachments: Mapping[str, Upload] | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Run a typed slash command (``"/status departement:56"``) as ``as_member`` (default: the
        guild's first member, ``alice`` in the demo guild)."""
        member = self._who(as_member)
        where = self._where(member, channel)
        invocation = self._parser(member, locale, where).parse(
            line, channel=where, attachments=attachments
        )
        return await self._run(
            APPLICATION_COMMAND, member, where, invocation.data, locale=locale, timeout=timeout
        )

    async def invoke_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        as_member: str | int | None = None,
        locale: str | None = None,
        channel: str | int | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Structured form: ``invoke_command("roster link", {"officier": "RDJ-0001", "membre": "claire"})``.

        Values may be Python values, sandbox objects, or ``(filename, bytes)`` for attachments.
        """
        member = self._who(as_member)
        where = self._where(member, channel)
        path = name.lstrip("/").split()
        invocation = self._parser(member, locale, where).build(
            path, list((options or {}).items()), channel=where
        )
        return await self._run(
            APPLICATION_COMMAND, member, where, invocation.data, locale=locale, timeout=timeout
        )

    async def autocomplete(
        self,
        line: str,
        *,
        as_member: str | int | None = None,
        locale: str | None = None,
        channel: str | int | None = None,
        focus: str | None = None,
        timeout: float | None = None,
    ) -> list[Json]:
        """Choices the bot offers for the last option of ``line`` (or ``focus``)."""
        member = self._who(as_member)
        where = self._where(member, channel)
        invocation = self._parser(member, locale, where).parse(
            line, channel=where, autocomplete=True, focus=focus
        )
        result = await self._run(
            AUTOCOMPLETE, member, where, invocation.data, locale=locale, timeout=timeout
        )
        if result.choices is None:
            raise SandboxUsageError(f"the bot gave no autocomplete choices ({result.error})")
        return result.choices

    async def click(
        self,
        message: SandboxMessage | int,
        target: str | int,
        *,
        as_member: str | int | None = None,
        locale: str | None = None,
        values: list[str] | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Click a button by label, custom_id or index in ``message.buttons`` (or pick ``values`` in a select).

        Works on any stored message: an interaction answer, a channel message or a DM the bot sent.
        In a DM the clicker is the recipient (``as_member`` may be omitted); in a guild channel the
        default is the guild's first member.
        """
        current = self.message(message.id if isinstance(message, SandboxMessage) else message)
        component = _find_component(current, target, select=values is not None)
        if component.get("disabled"):
            raise SandboxUsageError(f"component {target!r} is disabled")
        data: Json = {"custom_id": component["custom_id"], "component_type": component["type"]}
        if values is not None:
            data["values"] = list(values)
        channel = self.state.find_channel(current.channel_id)
        if channel is None:
            raise SandboxUsageError(f"message {current.id} is in no known channel")
        if channel.is_dm and channel.recipient is not None and as_member is None:
            member = self.state.member(channel.recipient.id)
        else:
            member = self._who(as_member)
        self._check_view(member, channel)
        return await self._run(
            MESSAGE_COMPONENT,
            member,
            channel,
            data,
            locale=locale,
            timeout=timeout,
            message=current,
        )

    # ------------------------------------------------------------------ CDN
    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        attachment_id = request.match_info["attachment_id"]
        found = self.state.attachments.get(int(attachment_id)) if attachment_id.isdigit() else None
        if found is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=found.data,
            headers={"Content-Type": found.content_type or "application/octet-stream"},
        )


def _find_component(message: SandboxMessage, target: str | int, *, select: bool) -> Json:
    interactive = [c for c in _walk_components(message.components) if c.get("custom_id")]
    if isinstance(target, int):
        pool = [c for c in interactive if c.get("type") in SELECTS] if select else message.buttons
        if not 0 <= target < len(pool):
            raise SandboxUsageError(
                f"message {message.id} has {len(pool)} such components; no index {target}"
            )
        return pool[target]
    for component in interactive:
        if component.get("custom_id") == target:
            return component
    wanted = target.casefold()
    for component in interactive:
        if (
            str(component.get("label") or "").casefold() == wanted
            or str(component.get("placeholder") or "").casefold() == wanted
        ):
            return component
    labels = ", ".join(repr(c.get("label") or c.get("custom_id")) for c in interactive) or "none"
    raise SandboxUsageError(f"message {message.id} has no component {target!r} (has: {labels})")


__all__ = ["MessageEvent", "Sandbox"]
