"""SYNC_COMMANDS: ``guild`` syncs to GUILD_ID only, and never falls back to a global sync."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.client import RelanceBot
from bot.config import Settings
from bot.i18n import Catalog
from bot.services import open_services


@pytest.mark.parametrize(
    ("mode", "guild_id", "expected"),
    [
        ("guild", None, []),
        ("guild", 123456789012345678, [123456789012345678]),
        ("global", None, [None]),
        ("off", 123456789012345678, []),
    ],
)
async def test_commands_are_synced_where_the_setting_says(
    tmp_path: Path, mode: str, guild_id: int | None, expected: list[int | None]
) -> None:
    settings = dataclasses.replace(
        Settings.from_env({}, Catalog.load()),
        database_path=tmp_path / "relance.sqlite3",
        sync_commands=mode,
        guild_id=guild_id,
    )
    synced: list[int | None] = []

    async def sync(*, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        synced.append(guild.id if guild is not None else None)
        return []

    async with open_services(settings) as services:
        bot = RelanceBot(services)
        bot.tree.sync = sync  # type: ignore[method-assign]
        await bot.sync_commands()
        await bot.close()
    assert synced == expected
