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


async def _control(
    sandbox: Sandbox, method: str, path: str, body: dict[str, object] | None = None
) -> tuple[int, object]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, sandbox.base_url + "/_sandbox" + path, json=body) as response,
    ):
        return response.status, await response.json()


async def test_members_list_and_change(sandbox: Sandbox) -> None:
    status, members = await _control(sandbox, "GET", "/members")
    changed = await _control(
        sandbox, "POST", "/members/claire", {"dms_open": False, "locale": "en-GB"}
    )
    unknown = await _control(sandbox, "POST", "/members/personne", {"dms_open": False})

    assert status == 200 and isinstance(members, list)
    assert members[0] == {
        "id": str(sandbox.member("alice").id),
        "username": "alice",
        "global_name": "Alice Martin",
        "roles": ["Organisateurs"],
        "locale": "fr",
        "dms_open": True,
        "department": None,
    }
    assert changed[0] == 200
    assert (sandbox.member("claire").dms_open, sandbox.member("claire").locale) == (False, "en-GB")
    assert unknown[0] == 400


async def test_deliveries_counters_reset_and_waits(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(sandbox.member("claire").id)
    await user.send("Relance")
    waited = await _control(sandbox, "GET", "/wait_messages?at_least=1&dms_only=1&timeout=5")
    ready = await _control(sandbox, "GET", "/ready?timeout=5&identifies=1")
    not_yet = await _control(sandbox, "GET", "/ready?timeout=0.05&identifies=2")
    _, report = await _control(sandbox, "GET", "/deliveries?member=claire&messages=0")
    _, before = await _control(sandbox, "GET", "/counters")
    reset = await _control(sandbox, "POST", "/counters/reset")
    _, after = await _control(sandbox, "GET", "/counters")

    assert waited == (200, {"count": 1})
    assert ready == (200, {"ready": True, "identifies": 1})
    assert not_yet == (504, {"error": "timed out"})
    assert isinstance(report, list) and len(report) == 1
    assert report[0]["dm_messages"] == report[0]["dm_sent"] == 1
    assert "messages" not in report[0]
    assert isinstance(before, dict) and before["dm_total"] == 1
    assert before["dm_messages"] == {str(sandbox.member("claire").id): 1}
    assert reset == (200, {"ok": True})
    assert isinstance(after, dict) and (after["dm_total"], after["requests"]) == (0, {})
