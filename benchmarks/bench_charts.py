"""The ``/progression`` picture after a change, against the ``/status`` service call on the same
data, in the same run (issue 10: under 3 times ``/status``).

Generates ``--officers`` officers and ``--signups`` sign-ups (fictional, ``tests.support.synthetic``),
imports them through ``RegistrationService`` into a real SQLite file (deadline three weeks ahead,
public aggregates hiding departments under ``PUBLIC_MIN_OFFICERS``, default 5), then, for each of
``--rounds`` rounds:

- a change: one officer still missing is linked to a Discord member, declares themselves
  registered, and an organiser accepts it (the figures change: one more registered);
- ``/progression`` as its command runs it after a change: the national figures computed
  (``progress``) and the picture drawn (``progress_chart``), nothing of them at hand; the
  drawing alone is timed too;
- ``/status officier:<key>`` and ``/status departement:<code>`` service calls, on officers and
  departments taken in turn.

Then ``--rounds`` more changes with the chart drawn ahead as the bot does (``draw_ahead``: after
each write, in a worker thread), each followed at once by ``/progression``'s figures and chart,
which wait for the drawing under way (warm only: the process has drawn before).

The first round is the cold one (first picture in the process: fonts opened, texts rasterised,
map drawn, nothing encoded before); the others are warm (median and 90th percentile). Each figure
is a ratio to the ``/status officier`` median of the same run, recorded through ``_report``, the
figures (``progress``) and the picture also apart. No best-of-N: every round counts.

These are service calls: ``/status`` is a query of well under a millisecond here, against tens of
milliseconds through Discord, where the answer's own round trip is the same for both commands;
``bench_status_latency.py`` compares the commands end to end through the sandbox.

    python benchmarks/bench_charts.py [--officers 10000] [--signups 100000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._report import record  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.i18n import Catalog  # noqa: E402
from bot.registration.models import ReviewDecision  # noqa: E402
from bot.registration.service import RegistrationService  # noqa: E402
from bot.scheduler import TaskGroup  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from tests.support.synthetic import generate  # noqa: E402

NAME = "bench_charts"
STATUS_CALLS = 10  # of each /status per round
TARGET = 3.0
START = datetime(2026, 1, 5, 9, 0)  # the sign-ups' first day (the generator's default)
DAYS = 42
NOW = datetime(2026, 2, 17, 12, 0, tzinfo=UTC)  # the day after the last sign-up
T = TypeVar("T")


async def timed(work: Awaitable[T]) -> tuple[float, T]:
    """Milliseconds taken by ``work`` (a coroutine: nothing of it runs before it is awaited)
    and its result."""
    start = time.perf_counter()
    result = await work
    return (time.perf_counter() - start) * 1000, result


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.9 * (len(ordered) - 1))]


async def run(officers: int, signups: int, rounds: int) -> None:
    generated = generate(officers, signups, start=START, days=DAYS)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        try:
            settings = Settings(registration_deadline=NOW.date() + timedelta(days=21))
            service = RegistrationService(db, FixedClock(NOW), settings, Catalog.load())
            started = time.perf_counter()
            await service.import_roster(generated.roster_csv(), "roster.csv", "bench", apply=True)
            await service.import_signups(generated.signups_csv(), "signups.csv", "bench")
            print(
                f"imported {officers} officers, {signups} sign-ups in "
                f"{time.perf_counter() - started:.1f} s"
            )
            missing = (await service.missing()).officers
            if len(missing) < 2 * rounds:
                raise SystemExit(f"only {len(missing)} officers missing: fewer rounds")
            keys = [o.key for o in (await service.roster())[:: max(officers // 50, 1)]]
            codes = sorted({o.department for o in await service.roster()})
            progression: list[float] = []
            figures: list[float] = []
            drawing: list[float] = []
            status_officer: list[float] = []
            status_department: list[float] = []
            sizes: list[int] = []
            ahead: list[float] = []  # /progression right after a change, drawing ahead on
            for index in range(rounds):
                officer = missing[index]
                member = 10_000 + index
                await service.link(officer.key, member, "bench")
                await service.declare_registered(member, f"member{index}")
                await service.review(officer.key, ReviewDecision.ACCEPT, "bench")
                figures_ms, progress = await timed(service.progress())
                chart_ms, png = await timed(service.progress_chart(progress, "fr"))
                progression.append(figures_ms + chart_ms)
                figures.append(figures_ms)
                drawing.append(chart_ms)
                sizes.append(len(png))
                for _ in range(STATUS_CALLS):
                    key = keys[len(status_officer) % len(keys)]
                    status_officer.append((await timed(service.status_officer(key)))[0])
                    code = codes[len(status_department) % len(codes)]
                    status_department.append((await timed(service.department_list(code)))[0])
            # As the bot runs: the chart drawn ahead after each write, /progression right after.
            tasks = TaskGroup()
            service.draw_ahead(tasks, "fr")
            await service.drawn_ahead()  # the drawing at start
            for index in range(rounds, 2 * rounds):
                officer = missing[index]
                member = 10_000 + index
                await service.link(officer.key, member, "bench")
                await service.declare_registered(member, f"member{index}")
                await service.review(officer.key, ReviewDecision.ACCEPT, "bench")
                start = time.perf_counter()
                progress = await service.progress()
                await service.progress_chart(progress, "fr")
                ahead.append((time.perf_counter() - start) * 1000)
                await service.drawn_ahead()  # the next round starts from a bot at rest
            await tasks.cancel_all()
        finally:
            await db.close()
    status = statistics.median(status_officer)
    warm, warm_drawing = progression[1:], drawing[1:]
    print(f"{'ms':<44} {'cold':>8} {'warm p50':>9} {'warm p90':>9}")
    rows = (
        ("/progression after a change (figures+picture)", progression),
        ("  of which the figures (progress)", figures),
        ("  of which the picture", drawing),
        ("the same, drawing ahead on (as the bot runs)", [math.nan, *ahead]),
        ("/status officier", status_officer),
        ("/status departement", status_department),
    )
    for label, values in rows:
        cold = "—" if math.isnan(values[0]) else f"{values[0]:.1f}"
        print(f"{label:<44} {cold:>8} {statistics.median(values[1:]):9.1f} {p90(values[1:]):9.1f}")
    print(f"picture: {statistics.median(sizes) / 1000:.0f} kB")
    scale = f"{officers // 1000}k×{signups // 1000}k"
    shown = (
        ("/progression after a change, warm p50", statistics.median(warm), TARGET),
        ("/progression after a change, warm p90", p90(warm), None),
        ("/progression after a change, cold", progression[0], TARGET),
        ("its figures (progress) alone, warm p50", statistics.median(figures[1:]), None),
        ("its picture alone, warm p50", statistics.median(warm_drawing), None),
        ("its picture alone, cold", drawing[0], None),
        (
            "/progression after a change, drawing ahead on, warm p50",
            statistics.median(ahead),
            TARGET,
        ),
        ("/progression after a change, drawing ahead on, warm p90", p90(ahead), None),
    )
    for measure, value, target in shown:
        record(NAME, f"{measure} / /status officier p50 ({scale})", value / status, target)
    record(NAME, "picture after a change, warm p50", statistics.median(warm_drawing), unit=" ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.officers, args.signups, args.rounds))


if __name__ == "__main__":
    main()
