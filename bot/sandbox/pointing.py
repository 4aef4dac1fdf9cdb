"""Pointing discord.py's process-wide endpoints at the sandbox, and back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
