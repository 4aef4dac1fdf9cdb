"""The sandbox notes, for each interaction, how long the bot took to acknowledge and to complete it
(what the latency benchmarks read through the control API, from another process)."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.ext import commands

from bot.sandbox import Sandbox

pytestmark = pytest.mark.asyncio


async def test_a_deferred_answer_is_complete_after_its_acknowledgement(
    sandbox: Sandbox, start_bot
) -> None:
    acknowledged, release = asyncio.Event(), asyncio.Event()

    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="rapport", description="Rapport lent")
        async def rapport(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            acknowledged.set()
            await release.wait()
            await interaction.followup.send("Rapport prêt")

        @bot.tree.command(name="aide", description="Aide")
        async def aide(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Aide")
            release.set()

    await start_bot(setup)
    deferred = asyncio.create_task(sandbox.invoke("/rapport"))
    await acknowledged.wait()
    immediate = await sandbox.invoke("/aide")
    slow = await deferred

    assert immediate.first_response_after is not None
    assert immediate.complete_after is not None
    assert 0 < immediate.first_response_after <= immediate.complete_after
    assert slow.first_response_after is not None and slow.complete_after is not None
    # /aide was dispatched after /rapport was acknowledged, and answered before it completed.
    assert slow.complete_after > slow.first_response_after + immediate.complete_after
    payload = slow.payload()
    assert payload["first_response_after"] == slow.first_response_after
    assert payload["complete_after"] == slow.complete_after
