"""Rate limits: headers on every response, 429 shapes, shared storms, global and per-channel limits."""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.endpoints import point_discord_at
from bot.sandbox import FakeClock, Sandbox, SandboxLimits
from bot.sandbox.generate import generated_guild
from cogs.reminders._delivery import OneAtATime
from tests.sandbox.conftest import RATE_LIMIT_HEADERS, READY_TIMEOUT, BareBot

pytestmark = pytest.mark.asyncio


async def _get(
    sandbox: Sandbox, path: str, token: str | None = None
) -> tuple[int, dict[str, str], object]:
    auth = {"Authorization": f"Bot {token or sandbox.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(sandbox.api_base + path, headers=auth) as response,
    ):
        return response.status, dict(response.headers), await response.json(content_type=None)


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/users/@me", None, 200),
        ("/users/@me", "wrong", 401),
        ("/channels/1/messages", None, 404),
        ("/no/such/route", None, 404),
    ],
)
async def test_every_response_has_rate_limit_headers(
    sandbox: Sandbox, path: str, token: str | None, status: int
) -> None:
    got, headers, _ = await _get(sandbox, path, token)
    assert got == status
    assert all(name in headers for name in RATE_LIMIT_HEADERS)
    assert headers["Content-Type"] == "application/json"


@pytest.mark.limits(global_limit=3, global_window=60.0)
async def test_global_limit_answers_a_global_429(sandbox: Sandbox) -> None:
    for _ in range(3):
        assert (await _get(sandbox, "/users/@me"))[0] == 200
    status, headers, body = await _get(sandbox, "/users/@me")

    assert status == 429
    assert body == {
        "message": "You are being rate limited.",
        "retry_after": pytest.approx(60, abs=1),
        "global": True,
        "code": 0,
    }
    assert headers["X-RateLimit-Scope"] == "global"
    assert headers["X-RateLimit-Global"] == "true"
    assert headers["Via"]
    assert int(headers["Retry-After"]) >= 59
    assert sandbox.counters.rate_limited["global"] == 1
    assert sandbox.counters.invalid_requests == 1


async def test_interaction_routes_are_exempt_from_the_global_limit(
    sandbox: Sandbox, start_bot
) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="aide", description="Aide")
        async def aide(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await interaction.followup.send("un")
            await interaction.followup.send("deux")

    await start_bot(setup)
    sandbox.limits.global_limit = 1
    sandbox.limits.global_window = 60.0
    result = await sandbox.invoke("/aide")
    assert [m.content for m in result.messages] == ["un", "deux"]
    assert sandbox.counters.rate_limited["global"] == 0


async def test_shared_429_storm_is_retried_transparently(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    sandbox.faults.rate_limit_storm(
        "/channels/{channel_id}/messages", 3, scope="shared", retry_after=0.05
    )
    channel = bot.get_channel(sandbox.channel("relances").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("Relance")

    assert [m.content for m in sandbox.messages("relances")] == ["Relance"]
    assert sandbox.counters.rate_limited["shared"] == 3
    assert sandbox.counters.invalid_requests == 0
    assert sandbox.counters.route("POST", "/channels/{channel_id}/messages") == 4


@pytest.mark.limits(shared_429_every=2, shared_retry_after=0.01)
async def test_shared_mode_answers_every_nth_request(sandbox: Sandbox) -> None:
    statuses = [(await _get(sandbox, "/users/@me"))[0] for _ in range(4)]
    assert statuses == [200, 429, 200, 429]
    assert sandbox.counters.invalid_requests == 0


@pytest.mark.limits(route_limits={"POST /channels/{channel_id}/messages": (5, 0.5)})
async def test_per_channel_limit_throttles_discord_py_without_429(
    sandbox: Sandbox, start_bot
) -> None:
    bot = await start_bot()
    channel = bot.get_channel(sandbox.channel("dep-56").id)
    other = bot.get_channel(sandbox.channel("dep-29").id)
    assert isinstance(channel, discord.TextChannel) and isinstance(other, discord.TextChannel)
    started = time.monotonic()
    await asyncio.gather(*(channel.send(f"message {i}") for i in range(11)), other.send("ailleurs"))
    elapsed = time.monotonic() - started

    assert len(sandbox.messages("dep-56")) == 11
    assert len(sandbox.messages("dep-29")) == 1
    assert sum(sandbox.counters.rate_limited.values()) == 0
    # 11 messages at 5 per 0.5 s need at least two full windows.
    assert elapsed >= 1.0


@pytest.mark.limits(route_limits={"GET /users/@me": (2, 60.0)})
async def test_exhausted_bucket_answers_a_user_429(sandbox: Sandbox) -> None:
    first = await _get(sandbox, "/users/@me")
    second = await _get(sandbox, "/users/@me")
    status, headers, body = await _get(sandbox, "/users/@me")

    assert (first[1]["X-RateLimit-Remaining"], second[1]["X-RateLimit-Remaining"]) == ("1", "0")
    assert status == 429
    assert isinstance(body, dict) and body["global"] is False
    assert headers["X-RateLimit-Scope"] == "user"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert sandbox.counters.invalid_requests == 1


async def test_fail_next_and_slow(sandbox: Sandbox) -> None:
    sandbox.faults.fail_next("GET", "/users/@me", 503, count=2)
    sandbox.faults.slow("/users/@me", 0.2)
    started = time.monotonic()
    statuses = [(await _get(sandbox, "/users/@me"))[0] for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert time.monotonic() - started >= 0.6


@pytest.mark.limits(invalid_request_limit=3)
async def test_too_many_invalid_requests_get_a_cloudflare_ban(sandbox: Sandbox) -> None:
    for _ in range(3):
        assert (await _get(sandbox, "/users/@me", "wrong"))[0] == 401
    auth = {"Authorization": f"Bot {sandbox.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(sandbox.api_base + "/users/@me", headers=auth) as response,
    ):
        assert response.status == 429
        assert "Via" not in response.headers
        assert await response.text() == "error code: 1015"


@pytest.mark.fake_clock
@pytest.mark.limits(route_limits={"GET /users/@me": (1, 1.0004)})
async def test_reset_headers_round_up_so_a_client_waiting_them_out_is_never_early(
    sandbox: Sandbox,
) -> None:
    assert isinstance(sandbox.clock, FakeClock)
    resets_at = sandbox.clock.now() + 1.0004
    _, headers, _ = await _get(sandbox, "/users/@me")
    status, limited, body = await _get(sandbox, "/users/@me")

    assert headers["X-RateLimit-Reset-After"] == "1.001"
    assert float(headers["X-RateLimit-Reset"]) >= resets_at
    assert status == 429
    assert limited["X-RateLimit-Reset-After"] == "1.001"
    assert isinstance(body, dict) and body["retry_after"] == 1.001


DM_OPENS_PER_WINDOW = 5
DM_WINDOW = 0.1


async def test_parallel_dm_opens_and_posts_to_one_channel_follow_the_headers_without_429() -> None:
    """A campaign's parallel sends share two buckets: opening DMs, and posting to one fallback
    channel. discord.py alone sends more than a window allows when several are in flight on one
    bucket; the messenger's one-at-a-time requests keep them within the headers."""
    officers = 30
    limits = SandboxLimits(
        global_limit=10_000,  # only the two route buckets are under test
        route_limits={
            "POST /users/@me/channels": (DM_OPENS_PER_WINDOW, DM_WINDOW),
            "POST /channels/{channel_id}/messages": (DM_OPENS_PER_WINDOW, DM_WINDOW),
        },
    )
    async with Sandbox(limits=limits, guild=generated_guild(officers, seed=3)) as sandbox:
        with point_discord_at(sandbox.api_base, sandbox.gateway_url):
            bot = BareBot(sandbox.guild_id, None)
            running = asyncio.create_task(bot.start(sandbox.token))
            try:
                await sandbox.wait_until_ready(timeout=READY_TIMEOUT)
                async with asyncio.timeout(READY_TIMEOUT):
                    await bot.wait_until_ready()
                serial = OneAtATime(bot)
                users = [m.id for m in sandbox.members() if m.username.startswith("officer")]
                channel = sandbox.channel("general").id
                workers = asyncio.Semaphore(12)

                async def one(user_id: int) -> None:
                    async with workers:
                        await serial.open_dm(user_id)
                        await serial.post(channel, f"<@{user_id}>")

                await asyncio.gather(*(one(user_id) for user_id in users))
            finally:
                await bot.close()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(running, 5)

        assert len(users) == officers
        assert sum(sandbox.counters.dm_opens.values()) == officers
        assert len(sandbox.messages("general")) == officers
        assert dict(sandbox.counters.rate_limited) == {}
        assert sandbox.counters.invalid_requests == 0
