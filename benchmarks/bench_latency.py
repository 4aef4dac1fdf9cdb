"""Latency of a trivial slash command: Relance next to a bare discord.py bot, three processes.

The sandbox (``python -m bot.sandbox serve``, demo guild, no quiet period) runs in a process of
its own; each bot runs as its own process against it, one at a time (they share the token and the
guild): the real bot (``python -m bot run``) and a bare discord.py bot answering ``/aide`` with one
ephemeral embed (``_bare_bot.py``). Rounds alternate A-B then B-A, each bot process started afresh
every round: the first ``/aide`` after a start is a *cold* sample, then ``--warmup`` calls are
dropped and the *warm* samples follow (``--n`` per bot in all). The sandbox times each interaction
itself, from its dispatch on the gateway to the callback (see ``_latency.py``).

The machine is shared and noisy, so the figures are ratios Relance / bare measured in the same
run: p50 and p99 of the warm samples (target ≤ 1.2), and the median of the cold ones (reported).

    python benchmarks/bench_latency.py [--n 1000] [--rounds 2] [--warmup 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BotProcess, SandboxProcess, run
from _latency import Series, invoke, percentile, print_table
from _report import record

BENCHMARK = "bench_latency"
TARGET = 1.2
MEMBER = "alice"


def measure(bot: BotProcess, series: Series, n: int, warmup: int) -> None:
    """Start ``bot`` afresh, take one cold sample, drop ``warmup`` calls, take ``n``; stop it."""
    bot.start()
    try:
        series.add(invoke(bot.sandbox, "/aide", as_member=MEMBER), cold=True)
        for _ in range(warmup):
            invoke(bot.sandbox, "/aide", as_member=MEMBER)
        for _ in range(n):
            series.add(invoke(bot.sandbox, "/aide", as_member=MEMBER))
    finally:
        bot.stop()


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
            ours = BotProcess(sandbox, work / "relance")
            bare.workdir.mkdir()
            ours.workdir.mkdir()
            rows = {"bare": Series("bare discord.py /aide"), "ours": Series("Relance /aide")}
            for index in range(args.rounds):
                order = [("bare", bare), ("ours", ours)]
                for name, bot in order if index % 2 == 0 else reversed(order):
                    measure(bot, rows[name], per_round, args.warmup)
    base, mine = rows["bare"], rows["ours"]
    print_table(
        [base, mine],
        f"/aide, {len(mine.first):,} warm samples per bot over {args.rounds} starts "
        f"(after {args.warmup} dropped each), sandbox, bot and script in three processes",
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
    return 1 if missed else 0


if __name__ == "__main__":
    run(main)
