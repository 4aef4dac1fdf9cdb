"""End to end: the real bot and the real discord.py against the sandbox on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.client import EXTENSIONS, RelanceBot
from bot.clock import FixedClock
from bot.config import Settings
from bot.demo import load_demo
from bot.endpoints import logged_in
from bot.i18n import Catalog
from bot.sandbox import Sandbox
from bot.services import open_services


@dataclasses.dataclass
class Running:
    sandbox: Sandbox
    bot: RelanceBot
    settings: Settings

    async def invoke(self, line: str, as_member: str = "alice", **kwargs: Any) -> Any:
        return await self.sandbox.invoke(line, as_member=as_member, **kwargs)


PROBE = "tests.e2e.probe_cog"


class WatchedClock(FixedClock):
    """A fixed clock that also tells until when its sleepers wait (other jobs sleep on it too)."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.waiting_until: Counter[datetime] = Counter()

    async def sleep(self, seconds: float) -> None:
        deadline = self.now() + timedelta(seconds=seconds)
        self.waiting_until[deadline] += 1
        try:
            await super().sleep(seconds)
        finally:
            self.waiting_until[deadline] -= 1

    def waits_for(self, when: datetime) -> bool:
        return self.waiting_until[when.astimezone(UTC)] > 0


async def wait_for(condition: Callable[[], bool], attempts: int = 1000) -> None:
    """Yield to the event loop until ``condition()`` holds, at most ``attempts`` times."""
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path,
    *,
    sandbox: Sandbox | None = None,
    probe: bool = False,
    demo: bool = False,
    clock: Any = None,
    **overrides: Any,
) -> AsyncIterator[Running]:
    sandbox = sandbox or Sandbox()
    await sandbox.start()
    settings = dataclasses.replace(
        Settings.from_env({}, Catalog.load()),
        database_path=tmp_path / "relance.sqlite3",
        guild_id=sandbox.guild_id,
        **overrides,
    )
    try:
        async with open_services(settings, clock) as services:
            if demo:
                await load_demo(services)
            extensions = (*EXTENSIONS, PROBE) if probe else EXTENSIONS
            bot = RelanceBot(services, extensions=extensions, guild_ready_timeout=0.05)
            async with logged_in(sandbox, bot, timeout=20):
                yield Running(sandbox, bot, settings)
    finally:
        await sandbox.stop()


@pytest.fixture
async def running(tmp_path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path, probe=True) as r:
        yield r


def demo_deadline(now: datetime, timezone: ZoneInfo, days: int = 21) -> date:
    """``days`` after today as the bot counts days: in its zone (Paris by default), not in UTC,
    which is still yesterday between midnight and 1 or 2 a.m. in Paris."""
    return now.astimezone(timezone).date() + timedelta(days=days)


@pytest.fixture
async def demo(tmp_path) -> AsyncIterator[Running]:
    """The bot on the demo roster and sign-ups, with a deadline three weeks ahead."""
    zone = Settings.from_env({}, Catalog.load()).timezone
    deadline = demo_deadline(datetime.now(UTC), zone)
    async with running_bot(tmp_path, demo=True, registration_deadline=deadline) as r:
        yield r
