"""Latency of ``/status`` and ``/progression`` with a national-sized database, three processes.

Generates 10,000 officers and about 100,000 sign-ups (fictional, ``tests.support.synthetic``),
imports them with the bot's command line into a real SQLite file (timed, informative), then runs
the sandbox (``python -m bot.sandbox serve``, generated guild, no quiet period) and the real bot
(``python -m bot run``) as processes of their own, and, in alternating rounds, the trivial
``/aide`` and each registration command:

- ``/status officier:<key>`` and ``/status departement:<code>`` (the largest department) as an
  organiser;
- ``/status`` for oneself, as a member linked to a registered officer;
- ``/progression`` (national: figures, forecast and chart), three times per round: just after an
  officer said "I have registered" (``/status`` then its button, untimed), asked at once, as the
  button's answer arrives, while the bot works out the new figures ahead — a declaration changes
  the figures (the embed counts it) but not the picture, which shows the officers registered
  only, so the chart drawn before is the new figures' chart (``charts.picture_key``); then again
  (nothing changed: the figures and chart at hand); then just after an organiser accepted a
  probable match that the import left (``/verification officier:<key>`` and its "yes" button,
  untimed): one more officer registered, so the picture is drawn again (in the bot's worker
  thread, ahead of the question) and uploaded;
- ``/status departement`` once more, just after that acceptance: a write that is no declaration,
  after which the department's list kept in memory is read again from the database (the first
  ``/status departement`` of the round finds it kept: the round's only other write is a
  declaration, in another department or, if in this one, followed by the list read again).

The bot process is started ``--starts`` times: the first call of each command after a start is a
*cold* sample; then, once the bot's process is at rest (its start-up work done: the
named-entity model loads in a thread for seconds after the connection), ``--warmup`` rounds are
dropped and the *warm* samples follow (``--n`` per command in all). The sandbox times each
interaction itself (see ``_latency.py``): *first response* (the callback; for a deferred
command the "thinking…" acknowledgement) and *complete* (the answer with its content).
Recorded: ratios of the complete answer, p50 and p99, to ``/aide`` in the same run (target
≤ 1.5; reported only for ``/progression`` after a change), ``/progression`` after each kind of
change to ``/status`` for oneself (target ≤ 3), and the cold ratios (reported).

    python benchmarks/bench_status_latency.py [--officers 10000] [--signups 100000] [--n 1000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import HarnessError, run
from _latency import Series, invoke, percentile, print_table
from _national import MEMBERS_CHANNEL, ORGANISER_CHANNEL, National, national
from _report import record

BENCHMARK = "bench_status_latency"
TARGET = 1.5
PROGRESSION_TARGET = 3.0  # after a change, against /status for oneself
DECLARE = "status:declare"
ACCEPT = "review:yes"
DECLARED, ACCEPTED = "declared", "accepted"  # what happens, untimed, before a command
AT_REST = 0.05  # of a core: the bot's process counts as at rest below this


@dataclass(frozen=True)
class Command:
    name: str
    line: str
    member: str
    after: str | None = None  # DECLARED or ACCEPTED: that change made just before, untimed


def commands(setup: National) -> list[Command]:
    organiser = setup.organiser
    return [
        Command("/aide", "/aide", setup.bystander),
        Command("/status officier", f"/status officier:{setup.officer_key}", organiser),
        Command("/status departement", f"/status departement:{setup.department}", organiser),
        Command("/status (oneself)", "/status", setup.me),
        Command("/progression (declared)", "/progression", organiser, after=DECLARED),
        Command("/progression (same)", "/progression", organiser),
        Command("/progression (accepted)", "/progression", organiser, after=ACCEPTED),
        Command(
            "/status departement (read again)", f"/status departement:{setup.department}", organiser
        ),
    ]


AFTER_A_CHANGE = ("/progression (declared)", "/progression (accepted)")


def declare(setup: National, declarers: Iterator[str]) -> str:
    """One more officer says "I have registered" (``/status``, then its button): untimed.
    Returns the member who did."""
    for member in declarers:
        answer = invoke(setup.sandbox, "/status", as_member=member, channel=MEMBERS_CHANNEL)
        if not any(b.get("custom_id") == DECLARE for b in answer.buttons):
            continue  # the matching found this one registered after all
        clicked = setup.sandbox.click(answer.message, DECLARE, as_member=member)
        if clicked.error:
            raise HarnessError(f"the declaration of {member}: {clicked.error}")
        return member
    raise HarnessError("no officer left to declare themselves registered: raise --n's margin")


def probable_keys(setup: National) -> list[str]:
    """The roster keys of the officers the import left *probable* (read from the bot's SQLite
    file, read-only, before any round)."""
    uri = f"{setup.bot.database_path.as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute("SELECT key FROM officers WHERE status = 'probable' ORDER BY key")
        return [key for (key,) in rows]


def accept(setup: National, probables: Iterator[str]) -> None:
    """An organiser accepts one more probable match (``/verification officier:<key>``, then
    "yes"): one more officer registered, the picture drawn again. Untimed."""
    key = next(probables, None)
    if key is None:
        raise HarnessError("no probable match left to accept: lower --n")
    answer = invoke(
        setup.sandbox,
        f"/verification officier:{key}",
        as_member=setup.organiser,
        channel=ORGANISER_CHANNEL,
    )
    if not any(b.get("custom_id") == ACCEPT for b in answer.buttons):
        raise HarnessError(f"/verification officier:{key} offers no acceptance")
    clicked = setup.sandbox.click(answer.message, ACCEPT, as_member=setup.organiser)
    if clicked.error:
        raise HarnessError(f"the acceptance of {key}'s match: {clicked.error}")


def wait_at_rest(pid: int, *, calm: int = 3, limit: float = 120.0) -> float:
    """Wait until the bot's process has used less than :data:`AT_REST` of a core ``calm``
    seconds in a row: its start-up work done (the named-entity model, loaded in a thread once
    connected, takes seconds of the interpreter; the chart warmed up), so that the warm samples
    are of a bot at rest, as ``bench_load_latency``'s idle ones; at most ``limit`` seconds.
    Returns the seconds waited (0 without ``/proc``)."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:  # user and system time, fields 14 and 15 (after the name's ")")
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    began, quiet = time.monotonic(), 0
    while quiet < calm and time.monotonic() - began < limit:
        before = cpu()
        time.sleep(1.0)
        quiet = quiet + 1 if cpu() - before < AT_REST else 0
    return time.monotonic() - began


def measure(setup: National, args: argparse.Namespace) -> list[Series]:
    plan = commands(setup)
    rows = [Series(c.name) for c in plan]
    declarers = iter(setup.declarers)
    per_start = -(-args.n // args.starts)
    waiting = probable_keys(setup)
    if len(waiting) < args.starts * (1 + args.warmup + per_start):
        raise HarnessError(f"{len(waiting):,} probable matches to accept, one a round: lower --n")
    probables = iter(waiting)
    for start in range(args.starts):
        if start:
            setup.bot.stop()
            setup.bot.start()
        began, rested = time.perf_counter(), 0.0
        for index in range(1 + args.warmup + per_start):
            if index == 1 and setup.bot.pid is not None:
                rested = wait_at_rest(setup.bot.pid)
            for command, row in zip(plan, rows, strict=True):
                if command.after == DECLARED:
                    declare(setup, declarers)
                elif command.after == ACCEPTED:
                    accept(setup, probables)
                answer = invoke(
                    setup.sandbox, command.line, as_member=command.member, channel=MEMBERS_CHANNEL
                )
                if index == 0:
                    row.add(answer, cold=True)
                elif index > args.warmup:
                    row.add(answer)
        print(
            f"start {start + 1} of {args.starts}: {1 + args.warmup + per_start:,} rounds "
            f"in {time.perf_counter() - began:.0f} s (the bot at rest {rested:.1f} s after "
            "the cold round)",
            flush=True,
        )
    return rows


def report(rows: list[Series], args: argparse.Namespace) -> int:
    by_name = {row.name: row for row in rows}
    base = by_name["/aide"]
    missed = False
    print()
    for row in rows[1:]:
        # After a change, /progression is measured against /status below.
        target = None if row.name in AFTER_A_CHANGE else TARGET
        for q in (50, 99):
            ratio = percentile(row.complete, q) / percentile(base.complete, q)
            figure = record(BENCHMARK, f"{row.name} / /aide, warm p{q}", ratio, target)
            missed |= figure.ok is False
    oneself = by_name["/status (oneself)"]
    for name in AFTER_A_CHANGE:
        changed = by_name[name]
        for q in (50, 99):
            ratio = percentile(changed.complete, q) / percentile(oneself.complete, q)
            figure = record(
                BENCHMARK,
                f"{name} / /status (oneself), warm p{q}",
                ratio,
                PROGRESSION_TARGET,
            )
            missed |= figure.ok is False
    for row in rows[1:]:
        cold = statistics.median(row.cold_complete) / statistics.median(base.cold_complete)
        record(BENCHMARK, f"{row.name} / /aide, cold ({args.starts} starts)", cold)
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=1000, help="warm samples per command, in all")
    parser.add_argument("--warmup", type=int, default=10, help="rounds dropped after each start")
    parser.add_argument("--starts", type=int, default=2, help="starts of the bot process")
    args = parser.parse_args(argv)
    needed = args.n + args.starts * (1 + args.warmup) + args.starts
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with national(
            work, officers=args.officers, signups=args.signups, declarers=needed
        ) as setup:
            rows = measure(setup, args)
            print_table(
                rows,
                f"latency, {len(rows[0].first):,} warm samples per command over {args.starts} "
                f"starts (after {args.warmup} rounds dropped each), commands alternating; "
                f"department of {setup.department_size:,} officers",
            )
    return report(rows, args)


if __name__ == "__main__":
    run(main)
