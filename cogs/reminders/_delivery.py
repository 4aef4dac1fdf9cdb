"""The reminders' :class:`~bot.reminders.messenger.Messenger` with discord.py.

Sends go through discord.py, which follows Discord's rate-limit headers; every nudge carries its
delivery's nonce (discord.py adds ``enforce_nonce``), mentions only its officer, and carries the
two buttons whose ``custom_id`` holds the delivery id (the marker :meth:`find_sent` looks for).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import Locale
from bot.reminders.messenger import SendOutcome
from bot.reminders.models import FailureReason
from cogs.reminders._views import REGISTERED, SNOOZE, custom_id, nudge_view

if TYPE_CHECKING:
    from bot.client import RelanceBot

log = logging.getLogger(__name__)

CANNOT_DM = 50007
HISTORY = 50  # recent messages read to find a nudge a crash left unconfirmed


class OneAtATime:
    """Requests that share one rate-limit bucket, sent one after the other.

    discord.py's bucket loses count when several requests on it are under way at once: the first
    answer after a window resets takes the server's ``Remaining`` as it stood for that request
    alone, forgetting the others still in flight, so more requests go out than the window allows
    and come back 429. One at a time, every request leaves knowing the answer to the previous one,
    and discord.py's wait on ``Reset-After`` is exact. Opening DMs (one bucket for the whole bot)
    and posts to one channel are the buckets a campaign's parallel sends share.
    """

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._dm_opens = asyncio.Lock()
        self._posts: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def open_dm(self, user_id: int) -> discord.DMChannel:
        async with self._dm_opens:
            return await self.client.create_dm(discord.Object(id=user_id))

    async def post(self, channel_id: int, text: str, **options: Any) -> discord.Message:
        async with self._posts[channel_id]:
            channel = self.client.get_partial_messageable(channel_id)
            return await channel.send(text, **options)


class DiscordMessenger:
    def __init__(self, bot: RelanceBot) -> None:
        self.bot = bot
        self._serial = OneAtATime(bot)

    def _labels(self, locale: Locale) -> tuple[str, str]:
        catalog = self.bot.catalog
        return (
            catalog.t("reminders.button.registered", locale),
            catalog.t("reminders.button.snooze", locale),
        )

    async def send_dm(
        self,
        user_id: int,
        text: str,
        nonce: str,
        marker: int,
        locale: Locale,
        dm_channel: int | None = None,
    ) -> SendOutcome:
        used = dm_channel

        async def send() -> discord.Message:
            nonlocal used
            channel: discord.abc.Messageable
            if dm_channel is not None:
                channel = self.bot.get_partial_messageable(
                    dm_channel, type=discord.ChannelType.private
                )
            else:
                opened = await self._serial.open_dm(user_id)
                used, channel = opened.id, opened
            return await channel.send(
                text,
                view=nudge_view(marker, self._labels(locale)),
                nonce=nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )

        outcome = await _outcome(send(), "by DM")
        return replace(outcome, dm_channel_id=used)

    async def send_channel(
        self, channel_id: int, user_id: int, text: str, nonce: str, marker: int, locale: Locale
    ) -> SendOutcome:
        sent = self._serial.post(
            channel_id,
            f"<@{user_id}> {text}",
            view=nudge_view(marker, self._labels(locale)),
            nonce=nonce,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(id=user_id)]
            ),
        )
        return await _outcome(sent, "in a channel")

    async def find_sent(
        self, user_id: int | None, channel_id: int | None, marker: int
    ) -> int | None:
        wanted = {custom_id(REGISTERED, marker), custom_id(SNOOZE, marker)}
        try:
            if channel_id is not None:
                channel: discord.abc.Messageable = self.bot.get_partial_messageable(channel_id)
            elif user_id is not None:
                channel = await self._serial.open_dm(user_id)
            else:
                return None
            me = self.bot.user.id if self.bot.user else None
            async for message in channel.history(limit=HISTORY):
                if message.author.id != me:
                    continue
                for row in message.components:
                    for child in getattr(row, "children", ()):
                        if getattr(child, "custom_id", None) in wanted:
                            return message.id
        except discord.HTTPException as exc:
            log.warning("could not read history to check a nudge: %s %s", exc.status, exc.code)
        return None

    async def channels_named(self, names: Sequence[str]) -> Mapping[str, int]:
        wanted = set(names)
        found: dict[str, int] = {}
        for guild in self._guilds():
            for channel in guild.text_channels:
                if channel.name in wanted and channel.name not in found:
                    found[channel.name] = channel.id
        return found

    def _guilds(self) -> list[discord.Guild]:
        guild_id = self.bot.settings.guild_id
        if guild_id is not None:
            guild = self.bot.get_guild(guild_id)
            return [guild] if guild else []
        return list(self.bot.guilds)

    async def post_report(self, channel_id: int, text: str) -> None:
        try:
            await self.bot.get_partial_messageable(channel_id).send(
                text[:2000], allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as exc:
            log.warning("could not post a nudge report: %s %s", exc.status, exc.code)


async def _outcome(sending: Awaitable[discord.Message], where: str) -> SendOutcome:
    """What became of a send: its message, or why Discord refused it (closed DMs apart)."""
    try:
        message = await sending
    except discord.Forbidden as exc:
        if exc.code == CANNOT_DM:
            return SendOutcome(failure=FailureReason.DM_CLOSED, dm_closed=True)
        return SendOutcome(failure=FailureReason.CHANNEL_FORBIDDEN)
    except discord.NotFound:
        return SendOutcome(failure=FailureReason.NOT_FOUND)
    except discord.HTTPException as exc:
        log.warning("nudge %s refused: %s %s", where, exc.status, exc.code)
        return SendOutcome(failure=FailureReason.HTTP_ERROR)
    return SendOutcome(message_id=message.id)
