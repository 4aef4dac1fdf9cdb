"""Fixtures for the sandbox tests: a started sandbox and a bare discord.py bot pointed at it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from discord.ext import commands

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.endpoints import point_discord_at  # noqa: E402
from bot.sandbox import FakeClock, Sandbox, SandboxLimits  # noqa: E402

BotSetup = Callable[[commands.Bot], Awaitable[None] | None]
READY_TIMEOUT = 20.0
RATE_LIMIT_HEADERS = (  # on every REST response
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Reset-After",
    "X-RateLimit-Bucket",
)


class BareBot(commands.Bot):
    """A plain discord.py bot: commands are added by each test, synced to the sandbox guild."""

    def __init__(self, guild_id: int, setup: BotSetup | None, **options: object) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            guild_ready_timeout=0.05,
            **options,  # type: ignore[arg-type]
        )
        self.sandbox_guild = discord.Object(guild_id)
        self._setup = setup
        self.errors: asyncio.Queue[BaseException] = asyncio.Queue()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s before identifying again (Discord's identify limit); the sandbox
        # does not limit identifies, so the tests skip the wait.
        return None

    async def setup_hook(self) -> None:
        if self._setup is not None:
            outcome = self._setup(self)
            if outcome is not None:
                await outcome
        self.tree.copy_global_to(guild=self.sandbox_guild)
        await self.tree.sync(guild=self.sandbox_guild)

        @self.tree.error
        async def on_tree_error(
            interaction: discord.Interaction, error: discord.app_commands.AppCommandError
        ) -> None:
            self.errors.put_nowait(error)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "limits(**fields): SandboxLimits fields for the sandbox fixture"
    )
    config.addinivalue_line("markers", "fake_clock: drive the sandbox with a FakeClock")


@pytest.fixture
def sandbox_limits(request: pytest.FixtureRequest) -> SandboxLimits:
    marker = request.node.get_closest_marker("limits")
    return SandboxLimits(**marker.kwargs) if marker else SandboxLimits()


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock | None:
    return FakeClock(time.time()) if request.node.get_closest_marker("fake_clock") else None


@pytest_asyncio.fixture
async def sandbox(sandbox_limits: SandboxLimits, clock: FakeClock | None) -> AsyncIterator[Sandbox]:
    box = Sandbox(limits=sandbox_limits, clock=clock)
    await box.start()
    try:
        yield box
    finally:
        await box.stop()


@pytest_asyncio.fixture
async def start_bot(sandbox: Sandbox) -> AsyncIterator[Callable[..., Awaitable[BareBot]]]:
    """``bot = await start_bot(setup)``: start a bare bot whose ``setup(bot)`` adds commands."""
    started: list[tuple[BareBot, asyncio.Task[None]]] = []
    pointing = contextlib.ExitStack()
    pointing.enter_context(point_discord_at(sandbox.api_base, sandbox.gateway_url))

    async def start(setup: BotSetup | None = None, **options: object) -> BareBot:
        bot = BareBot(sandbox.guild_id, setup, **options)
        task = asyncio.create_task(bot.start(sandbox.token))
        started.append((bot, task))
        await sandbox.wait_until_ready(timeout=READY_TIMEOUT)
        async with asyncio.timeout(READY_TIMEOUT):
            await bot.wait_until_ready()
        return bot

    try:
        yield start
    finally:
        for bot, task in started:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
        pointing.close()


@pytest.fixture(autouse=True)
def _quiet_discord_logs() -> None:
    logging.getLogger("discord").setLevel(logging.WARNING)
