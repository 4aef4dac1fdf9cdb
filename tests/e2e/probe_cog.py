"""A test-only extension: commands that exercise the framework paths real commands rarely hit."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands


class Probe(commands.Cog):
    @app_commands.command(name="lent", description="Defers, then answers with a follow-up.")
    async def slow(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("fini", ephemeral=True)

    @app_commands.command(name="bavard", description="Answers with more than Discord allows.")
    async def chatty(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("x" * 2500)

    @app_commands.command(name="panne", description="Fails unexpectedly.")
    async def broken(self, interaction: discord.Interaction[Any]) -> None:
        raise RuntimeError("probe failure")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Probe())
