"""Latency of a trivial slash command: Relance next to a bare discord.py bot, three processes.

The sandbox (``python -m bot.sandbox serve``, demo guild, no quiet period) runs in a process of
its own; each bot runs as its own process against it, one at a time (they share the token and the
guild): the real bot (``python -m bot run``) and a bare discord.py bot answering ``/aide`` with one
ephemeral embed (``_bare_bot.py``). Rounds alternate A-B then B-A, each bot process started afresh
every round: the first ``/aide`` after a start is a *cold* sample. Relance then still does the
background work of a start (the named-entity model loaded, the national chart drawn ahead: seconds
of the interpreter, shared with the commands answered meanwhile) until its log says
``start-up work done``: the ``/aide`` answered until then are *start-up* samples, reported apart
(against the bare bot's warm ones; the bare bot has no such work). Then ``--warmup`` calls are
dropped and the *warm* samples follow (``--n`` per bot in all). The sandbox times each interaction
itself, from its dispatch on the gateway to the callback (see ``_latency.py``).

The machine is shared and noisy, so the figures are ratios Relance / bare measured in the same
run: p50 and p99 of the warm samples (target ≤ 1.2), and the median of the cold ones and the p50
and p99 of the start-up ones (reported).

    python benchmarks/bench_latency.py [--n 1000] [--rounds 2] [--warmup 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import BotProcess, HarnessError, SandboxProcess, run
from _latency import Series, invoke, percentile, print_table
from _report import record

from bot.client import STARTUP_DONE  # what Relance logs (INFO) once its start-up work is done

BENCHMARK = "bench_latency"
TARGET = 1.2
MEMBER = "alice"
STARTUP_LIMIT = 300.0  # seconds: a start-up work that never ends is a failure


def measure(
    bot: BotProcess, series: Series, n: int, warmup: int, settled: Callable[[], bool]
) -> float:
    """Start ``bot`` afresh, take one cold sample, then start-up samples until ``settled()``,
    drop ``warmup`` calls, take ``n``; stop it. Returns the seconds from the start's end (the
    bot identified) to ``settled()``."""
    bot.start()
    began = time.perf_counter()
    try:
        series.add(invoke(bot.sandbox, "/aide", as_member=MEMBER), cold=True)
        while not settled():
            if time.perf_counter() - began > STARTUP_LIMIT:
                raise HarnessError(f"no '{STARTUP_DONE}' in the bot's log in {STARTUP_LIMIT:g} s")
            series.add(invoke(bot.sandbox, "/aide", as_member=MEMBER), startup=True)
        settled_after = time.perf_counter() - began
        for _ in range(warmup):
            invoke(bot.sandbox, "/aide", as_member=MEMBER)
        for _ in range(n):
            series.add(invoke(bot.sandbox, "/aide", as_member=MEMBER))
    finally:
        bot.stop()
    return settled_after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="warm samples per bot, in all")
    parser.add_argument("--rounds", type=int, default=2, help="starts of each bot")
    parser.add_argument("--warmup", type=int, default=50, help="calls dropped after each start")
    args = parser.parse_args(argv)
    per_round = -(-args.n // args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sandbox = SandboxProcess(limits=["quiet_period=0"], log_path=work / "sandbox.log")
        with sandbox:
            bare = BotProcess(
                sandbox, work / "bare", command=[str(Path(__file__).parent / "_bare_bot.py")]
            )
            # INFO: the line saying that the start-up work is done (nothing is logged per command)
            ours = BotProcess(sandbox, work / "relance", log_level="INFO")
            bare.workdir.mkdir()
            ours.workdir.mkdir()
            rows = {"bare": Series("bare discord.py /aide"), "ours": Series("Relance /aide")}
            settled: dict[str, Callable[[], bool]] = {
                "bare": lambda: True,  # no start-up work
                "ours": lambda: ours.log_says(STARTUP_DONE),
            }
            startup_seconds: list[float] = []
            for index in range(args.rounds):
                order = [("bare", bare), ("ours", ours)]
                for name, bot in order if index % 2 == 0 else reversed(order):
                    seconds = measure(bot, rows[name], per_round, args.warmup, settled[name])
                    if name == "ours":
                        startup_seconds.append(seconds)
    base, mine = rows["bare"], rows["ours"]
    print_table(
        [base, mine],
        f"/aide, {len(mine.first):,} warm samples per bot over {args.rounds} starts "
        f"(after {args.warmup} dropped each), sandbox, bot and script in three processes",
    )
    during = mine.startup
    print(
        f"Relance's start-up work done {', '.join(f'{s:.1f}' for s in startup_seconds)} s "
        f"after its starts; /aide meanwhile: {len(during):,} samples"
        + (
            f", p50 {percentile(during, 50):.2f} ms, p99 {percentile(during, 99):.2f} ms"
            if during
            else ""
        )
    )
    print()
    missed = False
    for q in (50, 99):
        ratio = percentile(mine.complete, q) / percentile(base.complete, q)
        figure = record(BENCHMARK, f"/aide Relance / bare discord.py, warm p{q}", ratio, TARGET)
        missed |= figure.ok is False
    cold = statistics.median(mine.cold_complete) / statistics.median(base.cold_complete)
    record(
        BENCHMARK, f"/aide Relance / bare discord.py, cold (first call, {args.rounds} starts)", cold
    )
    if during:
        for q in (50, 99):
            ratio = percentile(during, q) / percentile(base.complete, q)
            record(
                BENCHMARK,
                f"/aide during Relance's start-up work / bare discord.py warm, p{q} "
                f"({len(during):,} samples)",
                ratio,
            )
    return 1 if missed else 0


if __name__ == "__main__":
    run(main)
