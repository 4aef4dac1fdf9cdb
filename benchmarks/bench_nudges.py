"""Benchmark of a nudge campaign under the sandbox's default limits, next to its lower bound.

The sandbox serves a generated guild of ``--officers`` officers (default 2,000), ``--closed-dms``
of them with DMs closed; the real bot (``python -m bot run``) runs ``/relance envoyer`` and sends
the current step to all of them. Measured: from the command to the last nudge the sandbox
created. The lower bound is computed in the same run from the sandbox's limits and what was
actually needed (DM channels opened, messages per fallback channel, requests in all):

    bound = max(DM opens / DM-open rate, max per channel of messages / channel rate,
                requests / global rate)

with the rates of the sandbox's buckets (defaults: DM opens 5 per 5 s, messages 5 per 5 s per
channel, 50 requests per second in all). Target: measured / bound <= 1.15, no 429 but shared
ones, invalid requests only the first 403 50007 of each closed DM.

    python benchmarks/bench_nudges.py [--officers 2000] [--closed-dms 0.1] [--seed 1]

With Discord's DM-open limit (one a second) 2,000 officers take more than half an hour; use
``--officers 300`` for a run of about five minutes. Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import HarnessError, roster_bot, run
from _report import record
from crash_nudges import bot_env, count, start_campaign, wait_done

BENCH = "bench_nudges"
TARGET = 1.15
# The sandbox's defaults (bot/sandbox/limits.py): (requests, window in seconds).
DM_OPEN = (5, 5.0)
CHANNEL_MESSAGES = (5, 5.0)
GLOBAL = (50, 1.0)


def epoch(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def rate(limit: tuple[int, float]) -> float:
    return limit[0] / limit[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--closed-dms", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the logs and database in this folder")
    args = parser.parse_args(argv)
    estimate = args.officers / rate(DM_OPEN)
    print(
        f"{args.officers} officers under the sandbox's default limits; "
        f"DM opens alone need at least {estimate:.0f} s"
    )
    with roster_bot(
        members=args.officers,
        closed_dms=args.closed_dms,
        seed=args.seed,
        env=bot_env(),
        keep=args.keep,
    ) as (sandbox, bot, officers):
        targeted = {str(o["id"]) for o in officers}
        closed = sum(1 for o in officers if not o["dms_open"])
        sandbox.reset_counters()
        t0 = time.time()
        campaign = start_campaign(sandbox, bot)
        final = wait_done(sandbox, bot, int(campaign["id"]), estimate * 3 + 120)
        counters = sandbox.counters()
        deliveries = sandbox.deliveries()
        bot.stop()
    nudges = [m for d in deliveries if str(d["id"]) in targeted for m in d.get("messages") or []]
    if not nudges:
        raise HarnessError("no nudge was delivered")
    measured = max(epoch(m["created_at"]) for m in nudges) - t0
    requests = sum(int(n) for n in counters["requests"].values())
    dm_opens = sum(int(n) for n in counters["dm_opens"].values())
    per_channel = Counter(str(m["channel_id"]) for m in nudges if m.get("where") != "dm")
    busiest = max(per_channel.values(), default=0)
    bounds = {
        "DM opens": dm_opens / rate(DM_OPEN),
        "busiest fallback channel": busiest / rate(CHANNEL_MESSAGES),
        "requests in all": requests / rate(GLOBAL),
    }
    bound = max(bounds.values())
    ratio = measured / bound if bound else float("inf")
    scopes = {str(k): int(v) for k, v in (counters.get("rate_limited") or {}).items() if v}
    reasons = {str(k): int(v) for k, v in (counters.get("invalid_reasons") or {}).items() if v}
    invalid = int(counters.get("invalid_requests", 0))
    refused = {str(k): int(v) for k, v in (counters.get("dm_refused") or {}).items()}
    exactly_once, _, _ = count(deliveries, targeted)

    print(
        f"officers {len(officers)} ({closed} with DMs closed); planned {final['planned']}, "
        f"sent {final['sent']}, fallbacks {final['fallbacks']}, failed {final['failed']}"
    )
    print(f"exactly one nudge: {exactly_once} of {len(targeted)}")
    print(f"requests {requests}, DM opens {dm_opens}, busiest fallback channel {busiest} messages")
    for name, seconds in bounds.items():
        print(f"  bound from {name}: {seconds:.1f} s")
    print(
        f"measured {measured:.1f} s, lower bound {bound:.1f} s, ratio {ratio:.3f} "
        f"(target <= {TARGET})"
    )
    routes = {str(k): int(v) for k, v in (counters.get("rate_limited_routes") or {}).items() if v}
    print(f"429s by scope: {scopes or 'none'}" + (f" {routes}" if routes else ""))
    print(
        f"invalid requests: {invalid} {reasons or ''} "
        f"(closed DMs {closed}; most 50007 for one member: {max(refused.values(), default=0)})"
    )
    size = f"{len(officers):,} officers"
    record(BENCH, f"campaign time / lower bound from Discord's limits, {size}", ratio, TARGET)
    record(
        BENCH,
        f"officers nudged exactly once, {size}",
        exactly_once,
        len(targeted),
        better="higher",
        unit="",
    )
    record(
        BENCH,
        f"429s other than shared, {size}",
        sum(n for k, n in scopes.items() if k != "shared"),
        0,
        unit="",
    )
    record(
        BENCH,
        f"invalid requests beyond one 403 50007 per closed DM, {size}",
        max(0, invalid - closed) + sum(n for k, n in reasons.items() if k != "403 50007"),
        0,
        unit="",
    )
    ok = (
        ratio <= TARGET
        and set(scopes) <= {"shared"}
        and set(reasons) <= {"403 50007"}
        and invalid <= closed
        and max(refused.values(), default=0) <= 1
        and exactly_once == len(targeted)
    )
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    run(main)
