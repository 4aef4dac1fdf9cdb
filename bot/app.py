"""``run``: the bot against Discord (or a proxy in front of it), until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import discord

from bot.client import RelanceBot
from bot.config import ConfigError, Settings
from bot.endpoints import point_discord_at
from bot.i18n import Catalog
from bot.services import open_services

log = logging.getLogger(__name__)

# Seconds a worker thread (an import's parsing and matching) keeps the interpreter while the
# event loop waits for it. The loop gives it up at every wait (a socket, a database answer):
# Python's 5 ms, paid at each, made a command answered during an import several times slower.
SWITCH_INTERVAL = 0.0005


@contextmanager
def discord_endpoints(api_base: str, gateway_url: str) -> Iterator[None]:
    """Point discord.py at another REST base and gateway (a proxy), then restore.

    Both are process-global in discord.py; empty values keep Discord's own.
    """
    with point_discord_at(
        api_base or discord.http.Route.BASE,
        gateway_url or str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY),
    ):
        yield


async def run_bot(settings: Settings, catalog: Catalog, **bot_options: Any) -> None:
    """Log in with DISCORD_TOKEN and serve until stopped."""
    settings.check_for_discord(catalog)
    with (
        _switch_interval(SWITCH_INTERVAL),
        discord_endpoints(settings.discord_api_base, settings.discord_gateway_url),
    ):
        async with open_services(settings, catalog=catalog) as services:
            bot = RelanceBot(services, **bot_options)
            _close_on_signals(bot)
            async with bot:
                try:
                    await bot.start(settings.discord_token.reveal())
                except discord.LoginFailure:
                    refused = catalog.t("config.token_refused", settings.locale)
                    raise ConfigError([refused]) from None


@contextmanager
def _switch_interval(seconds: float) -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _close_on_signals(bot: RelanceBot) -> None:
    """SIGTERM (systemd's stop) and SIGINT close the bot cleanly: the gateway is left, background
    jobs are cancelled and the database is closed before the process ends."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        log.info("stopping")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on every platform
            loop.add_signal_handler(sig, close)
