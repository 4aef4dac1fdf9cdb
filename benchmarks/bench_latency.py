"""Latency of a trivial slash command through the sandbox: Relance next to a bare discord.py bot.

Both bots answer ``/aide`` with one ephemeral embed, on their own sandbox, in the same process and
the same run, in alternating rounds (one bot at a time: discord.py's endpoints are global) (the machine is shared and noisy, so only the ratio is
meaningful). Latency is measured from the interaction being dispatched on the gateway to the
sandbox receiving the interaction callback.

    python benchmarks/bench_latency.py [--n 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.client import RelanceBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.endpoints import logged_in  # noqa: E402
from bot.i18n import Catalog  # noqa: E402
from bot.sandbox import Sandbox, SandboxLimits  # noqa: E402
from bot.services import open_services  # noqa: E402

CALLBACK = "/callback"


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


class Timer:
    """Times each interaction from dispatch to the callback's arrival at the sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.arrived: asyncio.Event = asyncio.Event()
        self.at = 0.0
        sandbox.on_exchange(self._seen)

    def _seen(self, method: str, path: str, *rest: Any) -> None:
        if method == "POST" and path.endswith(CALLBACK):
            self.at = time.perf_counter()
            self.arrived.set()


@contextlib.asynccontextmanager
async def serving(make_bot: Callable[[Sandbox], commands.Bot]) -> AsyncIterator[Sandbox]:
    """A fresh sandbox with the bot ``make_bot`` builds logged in to it."""
    sandbox = Sandbox(limits=SandboxLimits(quiet_period=0.0))
    await sandbox.start()
    try:
        async with logged_in(sandbox, make_bot(sandbox)):
            yield sandbox
    finally:
        await sandbox.stop()


@contextlib.asynccontextmanager
async def relance(tmp: Path) -> AsyncIterator[Sandbox]:
    settings = Settings.from_env({}, Catalog.load())
    async with open_services(
        dataclasses.replace(settings, database_path=tmp / "b.sqlite3")
    ) as services:

        def make(sandbox: Sandbox) -> commands.Bot:
            services.settings = dataclasses.replace(services.settings, guild_id=sandbox.guild_id)
            return RelanceBot(services, guild_ready_timeout=0.05)

        async with serving(make) as sandbox:
            yield sandbox


def bare() -> contextlib.AbstractAsyncContextManager[Sandbox]:
    return serving(lambda sandbox: BareBot(sandbox.guild_id))


async def measure(sandbox: Sandbox, line: str, n: int, warmup: int = 20) -> list[float]:
    timer = Timer(sandbox)
    samples = []
    for i in range(warmup + n):
        timer.arrived.clear()
        start = time.perf_counter()
        result = await sandbox.invoke(line, as_member="alice")
        if result.error or not result.messages:
            raise RuntimeError(f"{line} failed: {result.error}")
        if i >= warmup:
            samples.append((timer.at - start) * 1000)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ours: list[float] = []
    base: list[float] = []
    # discord.py's endpoints are process-global: one bot at a time, alternating.
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            async with bare() as box:
                base += await measure(box, "/aide", args.n)
            async with relance(Path(tmp)) as box:
                ours += await measure(box, "/aide", args.n)
    rows = [("bare discord.py", base), ("Relance", ours)]
    print(f"/aide through the sandbox, {len(ours)} samples each ({args.rounds} alternating rounds)")
    print(f"{'bot':<18}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, samples in rows:
        print(
            f"{name:<18}{percentile(samples, 50):>10.2f}{percentile(samples, 99):>10.2f}"
            f"{statistics.fmean(samples):>10.2f}"
        )
    p50 = percentile(ours, 50) / percentile(base, 50)
    p99 = percentile(ours, 99) / percentile(base, 99)
    print(f"ratio Relance / bare: p50 {p50:.2f}, p99 {p99:.2f} (target <= 1.2)")


if __name__ == "__main__":
    asyncio.run(main())
