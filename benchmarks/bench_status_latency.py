"""Latency of ``/status`` and ``/progression`` through the sandbox with a national-sized database.

Generates 10,000 officers and about 100,000 sign-ups (fictional, ``tests.support.synthetic``),
imports them through ``RegistrationService`` into a real SQLite file (the imports are timed), starts
the real bot on the sandbox and, in alternating rounds after a warm-up, runs the trivial ``/aide``
of the foundation benchmark and each registration command:

- ``/status officier:<key>`` and ``/status departement:<code>`` as the organiser ``alice``;
- ``/status`` for oneself, as ``claire`` (linked to an officer first);
- ``/progression`` (national: figures, forecast and chart), as ``alice``, twice per round: first
  just after an officer declared themselves registered (the figures changed: nothing can be reused;
  the bot draws the chart ahead of time only after a quiet period without writes, so here the
  command computes and draws everything itself), then again (nothing changed since: the figures and
  chart at hand are sent at once, without deferring);
- the officer autocomplete of ``/status`` (informative, no target).

Two latencies are printed for each, from the interaction being dispatched on the gateway:

- *first response*: the interaction callback arriving at the sandbox (what the foundation
  benchmark measures; for a deferred command, this is the "thinking…" acknowledgement);
- *complete*: the answer carrying the content is in the sandbox (for a deferred command, the
  follow-up with the embed and the chart), i.e. ``sandbox.invoke`` returning, with no quiet period.

Ratios to ``/aide`` in the same run are printed against the target 1.5. The machine may be shared
and noisy: only the ratios are meaningful.

    python benchmarks/bench_status_latency.py [--officers 10000] [--signups 100000] [--n 100]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.client import RelanceBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.endpoints import logged_in  # noqa: E402
from bot.i18n import Catalog  # noqa: E402
from bot.registration.models import OfficerStatus  # noqa: E402
from bot.registration.service import RegistrationService  # noqa: E402
from bot.sandbox import InteractionResult, Sandbox, SandboxLimits  # noqa: E402
from bot.services import open_services  # noqa: E402
from tests.support.synthetic import Generated, generate  # noqa: E402

TARGET = 1.5
CALLBACK = "/callback"
CAMPAIGN_DAYS = 42


class Timer:
    """Notes when the interaction callback (the first response) arrives at the sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.at = 0.0
        sandbox.on_exchange(self._seen)

    def _seen(self, method: str, path: str, *rest: Any) -> None:
        if method == "POST" and path.endswith(CALLBACK):
            self.at = time.perf_counter()


@dataclasses.dataclass
class Samples:
    name: str
    first: list[float] = dataclasses.field(default_factory=list)
    complete: list[float] = dataclasses.field(default_factory=list)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def timed(label: str, action: Callable[[], Awaitable[Any]]) -> Any:
    start = time.perf_counter()
    result = await action()
    print(f"  {label:<42}{time.perf_counter() - start:>8.2f} s")
    return result


def check(line: str, result: InteractionResult) -> None:
    if result.error:
        raise RuntimeError(f"{line} failed: {result.error}")
    if not any(m.text or m.attachments for m in result.messages):
        raise RuntimeError(f"{line}: empty answer")


async def run(args: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    start = (now - timedelta(days=CAMPAIGN_DAYS)).replace(tzinfo=None, second=0, microsecond=0)
    began = time.perf_counter()
    data = generate(
        args.officers,
        max(args.signups - int(args.officers * 0.65), 0),
        seed=2026,
        start=start,
        days=CAMPAIGN_DAYS,
    )
    print(
        f"generated {len(data.roster):,} officers and {len(data.signups):,} sign-ups "
        f"in {time.perf_counter() - began:.1f} s"
    )
    registered = [key for key, truth in data.truth.items() if truth["registered"]]
    per_department = Counter(r["department"] for r in data.roster)
    big_department = per_department.most_common(1)[0][0]

    sandbox = Sandbox(limits=SandboxLimits(quiet_period=0.0))
    await sandbox.start()
    try:
        rows = await load_and_measure(sandbox, data, args, registered, big_department)
    finally:
        await sandbox.stop()
    report_rows(rows, args, per_department[big_department])


async def load_and_measure(
    sandbox: Sandbox,
    data: Generated,
    args: argparse.Namespace,
    registered: list[str],
    big_department: str,
) -> list[Samples]:
    """Import the generated data into a fresh database, then start the bot and measure."""
    now = datetime.now(UTC)
    roster_csv, signups_csv = data.roster_csv(), data.signups_csv()
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(
            Settings.from_env({}, Catalog.load()),
            database_path=Path(tmp) / "bench.sqlite3",
            guild_id=sandbox.guild_id,
            registration_deadline=(now + timedelta(days=14)).date(),
        )
        async with open_services(settings) as services:
            reg = services.registration
            print("imports through RegistrationService (real SQLite file):")
            await timed(
                f"roster, {len(data.roster):,} officers",
                lambda: reg.import_roster(roster_csv, "roster.csv", "bench", apply=True),
            )
            report = await timed(
                f"sign-ups, {len(data.signups):,} rows (all new)",
                lambda: reg.import_signups(signups_csv, "signups.csv", "bench"),
            )
            again = await timed(
                "the same sign-ups again",
                lambda: reg.import_signups(signups_csv, "signups.csv", "bench"),
            )
            print(f"  (again: {again.new} new, {again.updated} updated)")
            counts = report.counts
            print(
                f"  stored: {counts.total:,} officers, {counts.registered:,} registered, "
                f"{counts.probable:,} probable, {counts.unregistered:,} unregistered"
            )
            me = sandbox.member("claire")
            await reg.link(registered[1], me.id, "bench")
            # Officers who will declare themselves registered, one before each cold /progression.
            declaring = []
            for row in data.roster:
                if len(declaring) == args.warmup + args.n:
                    break
                details = await reg.status_officer(row["id"])
                if details.officer.status is OfficerStatus.UNREGISTERED:
                    declaring.append(row["discord"])
            bot = RelanceBot(services, guild_ready_timeout=0.05)
            async with logged_in(sandbox, bot):
                rows = await measure(sandbox, reg, registered[0], big_department, declaring, args)
    return rows


async def measure(
    sandbox: Sandbox,
    reg: RegistrationService,
    officer: str,
    department: str,
    declaring: list[str],
    args: argparse.Namespace,
) -> list[Samples]:
    commands: list[tuple[str, str, str, bool]] = [
        ("/aide", "/aide", "alice", False),
        ("/status officier", f"/status officier:{officer}", "alice", False),
        ("/status departement", f"/status departement:{department}", "alice", False),
        ("/status (oneself)", "/status", "claire", False),
        ("/progression (changed)", "/progression", "alice", False),
        ("/progression (same)", "/progression", "alice", False),
        ("autocomplete officier", "/status officier:mar", "alice", True),
    ]
    rows = [Samples(name) for name, *_ in commands]
    timer = Timer(sandbox)
    for i in range(args.warmup + args.n):
        for (name, line, member, autocomplete), row in zip(commands, rows, strict=True):
            if name == "/progression (changed)":  # untimed: a write that changes the figures
                declared = await reg.declare_registered(900_000 + i, declaring[i])
                assert declared.changed, declaring[i]
            timer.at = 0.0
            began = time.perf_counter()
            if autocomplete:
                choices = await sandbox.autocomplete(line, as_member=member)
                done = time.perf_counter()
                if not choices:
                    raise RuntimeError(f"{line}: no autocomplete choices")
            else:
                result = await sandbox.invoke(line, as_member=member)
                done = time.perf_counter()
                check(line, result)
            if i >= args.warmup:
                row.first.append((timer.at - began) * 1000)
                row.complete.append((done - began) * 1000)
    return rows


def report_rows(rows: list[Samples], args: argparse.Namespace, department_size: int) -> None:
    base = rows[0]
    print(
        f"\nlatency through the sandbox, {args.n} samples each after {args.warmup} warm-up rounds, "
        f"commands alternating (department of {department_size} officers)"
    )
    print(
        f"{'':24}{'first response (ms)':>30}{'complete answer (ms)':>30}\n"
        f"{'command':<24}{'p50':>10}{'p99':>10}{'mean':>10}{'p50':>10}{'p99':>10}{'mean':>10}"
    )
    for row in rows:
        print(
            f"{row.name:<24}"
            + "".join(
                f"{percentile(s, 50):>10.2f}{percentile(s, 99):>10.2f}{statistics.fmean(s):>10.2f}"
                for s in (row.first, row.complete)
            )
        )
    print(f"\nratio to /aide (target <= {TARGET}):")
    print(f"{'command':<24}{'first p50':>11}{'first p99':>11}{'full p50':>11}{'full p99':>11}")
    missed = []
    for row in rows[1:]:
        ratios = [
            percentile(row.first, 50) / percentile(base.first, 50),
            percentile(row.first, 99) / percentile(base.first, 99),
            percentile(row.complete, 50) / percentile(base.complete, 50),
            percentile(row.complete, 99) / percentile(base.complete, 99),
        ]
        marks = "".join(f"{r:>10.2f}{'*' if r > TARGET else ' '}" for r in ratios)
        print(f"{row.name:<24}{marks}")
        if any(r > TARGET for r in ratios) and not row.name.startswith("autocomplete"):
            missed.append(row.name)
    print("* above the target" if missed else "every command within the target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=100, help="samples per command")
    parser.add_argument("--warmup", type=int, default=10, help="rounds not counted")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
