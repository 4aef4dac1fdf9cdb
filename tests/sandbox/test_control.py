"""The HTTP control API under /_sandbox/, driven like an external tool would."""

from __future__ import annotations

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.sandbox import Sandbox

pytestmark = pytest.mark.asyncio


async def test_control_api_invokes_and_reports(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="status", description="Statut")
        async def status(interaction: discord.Interaction, departement: int) -> None:
            await interaction.response.send_message(f"Département {departement}")

    await start_bot(setup)
    base = sandbox.base_url + "/_sandbox"
    async with aiohttp.ClientSession() as session:
        async with session.get(base) as response:
            summary = await response.json()
        async with session.post(
            base + "/invoke", json={"line": "/status departement:56", "as_member": "bob"}
        ) as response:
            result = await response.json()
        async with session.post(base + "/invoke", json={"line": "/nope"}) as response:
            refused = (response.status, await response.json())
        async with session.get(base + "/messages/general") as response:
            messages = await response.json()
        async with session.post(
            base + "/faults/fail_next", json={"method": "GET", "route": "/users/@me", "status": 500}
        ) as response:
            assert response.status == 200
        async with session.get(base + "/counters") as response:
            counters = await response.json()

    assert summary["guild_id"] == str(sandbox.guild_id)
    assert [m["username"] for m in summary["members"]][:2] == ["alice", "bob"]
    assert result["error"] is None
    assert [m["content"] for m in result["messages"]] == ["Département 56"]
    assert refused[0] == 400 and "unknown command" in refused[1]["error"]
    assert [m["content"] for m in messages] == ["Département 56"]
    assert counters["interactions"] == 1
    assert (
        counters["requests"]["POST /interactions/{interaction_id}/{interaction_token}/callback"]
        == 1
    )
