"""Where discord.py talks to: Discord itself, a rate-limit proxy, or the local sandbox.

discord.py's REST base and gateway URL are process-wide; :func:`point_discord_at` sets them and
restores them. ``run`` uses it with ``DISCORD_API_BASE``/``DISCORD_GATEWAY_URL`` without importing
the sandbox; :func:`logged_in` runs a bot against a sandbox (the shell, the tests, the benchmarks).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discord import Client

    from bot.sandbox import Sandbox


@contextmanager
def point_discord_at(api_base: str, gateway_url: str) -> Iterator[None]:
    """Set ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``; restore them on exit."""
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    previous = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = previous


class BotNotReady(RuntimeError):
    """The bot stopped, or did not get ready in time, against the sandbox."""


@asynccontextmanager
async def logged_in(sandbox: Sandbox, bot: Client, timeout: float = 30) -> AsyncIterator[Client]:
    """Run ``bot`` against ``sandbox`` until the block ends: pointed at it, logged in, commands
    synced; closed afterwards. If the bot stops before it is ready, its error is raised."""
    with point_discord_at(sandbox.api_base, sandbox.gateway_url):
        runner = asyncio.create_task(bot.start(sandbox.token), name="sandbox-bot")
        ready = asyncio.create_task(sandbox.wait_until_ready(timeout=timeout))
        try:
            await asyncio.wait({runner, ready}, return_when=asyncio.FIRST_COMPLETED)
            if not ready.done() or ready.exception() is not None:
                ready.cancel()
                error = runner.exception() if runner.done() else ready.exception()
                raise BotNotReady(f"the bot did not get ready: {error}") from error
            yield bot
        finally:
            ready.cancel()
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await runner
