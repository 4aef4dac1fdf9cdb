"""A bare discord.py bot, as a process of its own: the baseline of the latency benchmarks.

It answers ``/aide`` with one ephemeral embed, as Relance does, and nothing else: no database, no
catalog, no cogs. Settings from the environment, as ``python -m bot run`` reads them:
``DISCORD_TOKEN``, ``DISCORD_API_BASE``, ``DISCORD_GATEWAY_URL``, ``GUILD_ID``.

    python benchmarks/_bare_bot.py
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.endpoints import point_discord_at


class BareBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.none(),
            guild_ready_timeout=0.05,
        )
        self.guild = discord.Object(guild_id)

    async def setup_hook(self) -> None:
        @app_commands.command(name="aide", description="Liste les commandes.")
        async def aide(interaction: discord.Interaction[Any]) -> None:
            embed = discord.Embed(title="Commandes", description="`/aide` — Liste les commandes.")
            await interaction.response.send_message(embed=embed, ephemeral=True)

        self.tree.add_command(aide, guild=self.guild)
        await self.tree.sync(guild=self.guild)


async def main() -> None:
    bot = BareBot(int(os.environ["GUILD_ID"]))
    with point_discord_at(os.environ["DISCORD_API_BASE"], os.environ["DISCORD_GATEWAY_URL"]):
        async with bot:
            await bot.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main())
