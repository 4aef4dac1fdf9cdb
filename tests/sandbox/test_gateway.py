"""Gateway behaviour: heartbeats, RECONNECT/RESUME with replay, INVALID_SESSION, send limit."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.sandbox import Sandbox

pytestmark = pytest.mark.asyncio


def _hello(bot: commands.Bot) -> None:
    @bot.tree.command(name="aide", description="Aide")
    async def aide(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("aide")


async def _until(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_reconnect_then_resume_loses_no_interaction(sandbox: Sandbox, start_bot) -> None:
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    async def setup(bot: commands.Bot) -> None:
        _hello(bot)
        bot.add_listener(on_resumed)

    await start_bot(setup)
    reconnecting = sandbox.faults.reconnect()
    during = asyncio.create_task(sandbox.invoke("/aide"))
    await reconnecting
    after = await sandbox.invoke("/aide")
    await asyncio.wait_for(resumed.wait(), 15)

    assert (await during).message.content == "aide"
    assert after.message.content == "aide"
    assert sandbox.counters.resumes == 1
    assert sandbox.counters.identifies == 1


async def test_dropped_connection_resumes(sandbox: Sandbox, start_bot) -> None:
    await start_bot(_hello)
    await sandbox.faults.drop_gateway()
    result = await sandbox.invoke("/aide")

    assert result.message.content == "aide"
    await _until(lambda: sandbox.counters.resumes == 1)
    assert sandbox.counters.identifies == 1


async def test_invalid_session_makes_the_bot_identify_again(sandbox: Sandbox, start_bot) -> None:
    await start_bot(_hello)
    await sandbox.faults.invalid_session(resumable=False)
    await sandbox.wait_until_ready(timeout=15)
    result = await sandbox.invoke("/aide")

    assert result.message.content == "aide"
    assert sandbox.counters.identifies == 2
    assert sandbox.counters.resumes == 0


async def _raw_gateway(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(sandbox.gateway_url + "?v=10&encoding=json&compress=zlib-stream")
    hello = await ws.receive_json()
    assert hello["op"] == 10
    assert hello["d"]["heartbeat_interval"] == 41250
    return ws


async def test_heartbeat_is_acknowledged_and_identify_gets_ready(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        await ws.send_json({"op": 1, "d": None})
        assert (await ws.receive_json())["op"] == 11
        await ws.send_json(
            {"op": 2, "d": {"token": sandbox.token, "intents": 513, "properties": {}}}
        )
        ready = await ws.receive_json()
        guild = await ws.receive_json()
        await ws.close()

    assert (ready["op"], ready["t"], ready["s"]) == (0, "READY", 1)
    assert ready["d"]["resume_gateway_url"] == sandbox.gateway_url
    assert ready["d"]["application"]["id"] == str(sandbox.application_id)
    assert ready["d"]["user"]["id"] == str(sandbox.bot_user_id)
    assert (guild["t"], guild["s"], guild["d"]["id"]) == ("GUILD_CREATE", 2, str(sandbox.guild_id))
    # Without the GUILD_MEMBERS intent (513 = GUILDS | GUILD_MESSAGES), only the bot's member.
    assert [m["user"]["id"] for m in guild["d"]["members"]] == [str(sandbox.bot_user_id)]
    assert guild["d"]["member_count"] == len(sandbox.members()) + 1


async def test_guild_create_lists_the_members_with_the_members_intent(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        await ws.send_json({"op": 2, "d": {"token": sandbox.token, "intents": 3, "properties": {}}})
        await ws.receive_json()  # READY
        guild = await ws.receive_json()
        await ws.close()
    assert guild["d"]["member_count"] == len(guild["d"]["members"]) == len(sandbox.members()) + 1


async def test_wrong_token_closes_with_4004(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        await ws.send_json({"op": 2, "d": {"token": "nope", "intents": 0, "properties": {}}})
        message = await ws.receive()
    assert message.type is aiohttp.WSMsgType.CLOSE
    assert message.data == 4004


async def test_unknown_session_resume_gets_invalid_session(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        await ws.send_json({"op": 6, "d": {"token": sandbox.token, "session_id": "nope", "seq": 3}})
        answer = await ws.receive_json()
        await ws.close()
    assert answer == {"op": 9, "d": False, "s": None, "t": None}


async def test_resume_replays_missed_events_then_resumed(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        await ws.send_json({"op": 2, "d": {"token": sandbox.token, "intents": 0, "properties": {}}})
        ready = await ws.receive_json()
        await ws.receive_json()  # GUILD_CREATE, seq 2
        await sandbox.faults.reconnect()
        assert (await ws.receive_json())["op"] == 7
        await ws.close()
        await sandbox.gateway.dispatch("TYPING_START", {"channel_id": "1"})

        ws = await _raw_gateway(sandbox, session)
        await ws.send_json(
            {
                "op": 6,
                "d": {"token": sandbox.token, "session_id": ready["d"]["session_id"], "seq": 1},
            }
        )
        replayed = [await ws.receive_json() for _ in range(3)]
        await ws.close()

    assert [(e["t"], e["s"]) for e in replayed] == [
        ("GUILD_CREATE", 2),
        ("TYPING_START", 3),
        ("RESUMED", 4),
    ]
    assert isinstance(replayed[-1]["d"], dict)


@pytest.mark.limits(gateway_send_limit=3)
async def test_too_many_gateway_sends_close_with_4008(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _raw_gateway(sandbox, session)
        for _ in range(3):
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json())["op"] == 11
        await ws.send_json({"op": 1, "d": None})
        message = await ws.receive()
    assert message.type is aiohttp.WSMsgType.CLOSE
    assert message.data == 4008
    assert sandbox.counters.gateway_sends == 4
