"""Reconcile generated rosters and exports at three sizes: time and peak memory, cold and warm.

Sizes (officers × sign-ups, ten sign-ups per officer): 1k × 10k, 10k × 100k, 50k × 500k. Each
size runs in a fresh process, so that *cold* is the first call there: the sign-up index built
inside the measured call, no name parsed yet. *Warm* is a later call with the index already
built (what an incremental import does), median of three; *one officer* is ``reconcile(...,
only={key})`` with the built index and nothing else kept, median and worst of twenty officers;
*kept* is one officer added or changed (alternately), matched by an
:class:`~bot.registration.reconcile.OfficerIndex` kept since a whole reconcile (as the service and
the import worker keep it with the sign-ups), checked equal to a fresh reconcile. The floor, measured in
the same process, is the exact e-mail join (lower-cased, trimmed address equality), cold and warm
alike; every time is printed next to it as a ratio, wall-clock and CPU time (the CPU time of
this process, less sensitive to other work on the machine). Peak memory is traced (tracemalloc) around a
cold run, caches emptied first. The growth from 10k to 50k officers (five times the data) is
printed for time and memory.

Run: ``python benchmarks/bench_reconcile.py [--sizes 1000x10000 10000x100000 50000x500000]``.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import record
from bot.registration import names
from bot.registration import reconcile as reconcile_module
from bot.registration.models import OfficerProfile, OfficerStatus, Signup
from bot.registration.reconcile import OfficerIndex, SignupIndex, reconcile
from tests.support.synthetic import generate

BENCHMARK = "bench_reconcile"
SIZES = ("1000x10000", "10000x100000", "50000x500000")


def email_join(officers: Sequence[OfficerProfile], signups: Sequence[Signup]) -> list[str | None]:
    """The floor: lower-cased, trimmed e-mail equality, nothing else."""
    by_email = {s.email.strip().lower(): s.key for s in signups if s.email}
    return [by_email.get(o.email.strip().lower()) for o in officers]


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and CPU time of one call (seconds), and its result."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def peak_mb(function: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def _empty_caches() -> None:
    names._groups.cache_clear()
    reconcile_module._person.cache_clear()
    reconcile_module._lookups.cache_clear()
    reconcile_module._address.cache_clear()


def data(
    officers_n: int, signups_n: int
) -> tuple[list[OfficerProfile], list[Signup], dict[str, Any]]:
    generated = generate(officers_n, signups_n - int(officers_n * 0.65), seed=2026)
    officers, signups = generated.profiles()
    return officers, signups, generated.truth


def child(size: str) -> dict[str, Any]:
    """Every figure of one size, measured in this (fresh) process."""
    officers_n, signups_n = (int(part) for part in size.split("x"))
    officers, signups, truth = data(officers_n, signups_n)
    out: dict[str, Any] = {"size": size, "officers": len(officers), "signups": len(signups)}
    # Cold: the first call of each in this process.
    out["join_cold"], out["join_cold_cpu"], _ = timed(lambda: email_join(officers, signups))
    out["cold"], out["cold_cpu"], matches = timed(lambda: reconcile(officers, signups))
    joins = [timed(lambda: email_join(officers, signups)) for _ in range(3)]
    out["join_warm"] = statistics.median(t for t, _, _ in joins)
    out["join_warm_cpu"] = statistics.median(c for _, c, _ in joins)
    out["index"], out["index_cpu"], index = timed(lambda: SignupIndex(signups))
    warms = [timed(lambda: reconcile(officers, index)) for _ in range(3)]
    out["warm"] = statistics.median(t for t, _, _ in warms)
    out["warm_cpu"] = statistics.median(c for _, c, _ in warms)
    assert all(w[2] == matches for w in warms)
    picked = random.Random(1).sample(officers, min(20, len(officers)))
    ones = [timed(lambda o=o: reconcile(officers, index, only={o.key})) for o in picked]
    out["one_median"] = statistics.median(t for t, _, _ in ones)
    out["one_max"] = max(t for t, _, _ in ones)
    out["one_closure"] = max(len(r) for _, _, r in ones)
    out["kept_median"], out["kept_max"], out["kept_closure"] = one_officer_kept(
        officers, index, picked
    )
    out["join_mb"] = peak_mb(lambda: email_join(officers, signups))
    _empty_caches()
    out["cold_mb"] = peak_mb(lambda: reconcile(officers, signups))
    registered = [k for k, v in truth.items() if v["registered"]]
    out["found"] = sum(
        1
        for m in matches
        if truth[m.officer]["registered"] and m.status is not OfficerStatus.UNREGISTERED
    ) / len(registered)
    out["false_registered"] = sum(
        1
        for m in matches
        if m.status is OfficerStatus.REGISTERED and not truth[m.officer]["registered"]
    )
    return out


def one_officer_kept(
    officers: Sequence[OfficerProfile], index: SignupIndex, picked: Sequence[OfficerProfile]
) -> tuple[float, float, int]:
    """Median and worst time of one officer added or changed (alternately) and matched by an
    :class:`OfficerIndex` kept since a whole reconcile, and the largest closure; each result
    checked against a fresh reconcile (outside the timing)."""
    kept = OfficerIndex(index)
    kept.reconcile(officers)
    current = list(officers)
    rng = random.Random(2)
    times: list[float] = []
    closure = 0
    for n, officer in enumerate(picked):
        if n % 2:  # the officer's first name changed to another officer's
            at = current.index(officer)
            current[at] = replace(officer, first_name=rng.choice(officers).first_name)
            key = officer.key
        else:  # a newcomer named as the officer (a namesake), in the same department
            key = f"NEW-{n}"
            current.insert(rng.randrange(len(current) + 1), replace(officer, key=key, email=""))
        wall, _, found = timed(lambda key=key: kept.reconcile(current, only={key}))
        assert found == reconcile(current, index, only={key})
        times.append(wall)
        closure = max(closure, len(found))
    return statistics.median(times), max(times), closure


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return
    results: dict[str, dict[str, Any]] = {}
    for size in args.sizes:
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, __file__, "--child", size],
            check=True,
            capture_output=True,
            text=True,
        )
        results[size] = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{size}: measured in {time.perf_counter() - started:.0f} s", flush=True)

    print(
        f"\n{'size':>14} {'join cold':>10} {'cold':>8} {'(cpu)':>7} {'×join':>6} "
        f"{'index':>7} {'warm':>7} {'×join':>6} {'one officer':>12} {'kept':>12} {'peak MB':>8} "
        f"{'×join':>6} {'found':>6} {'false reg.':>10}"
    )
    for size, r in results.items():
        print(
            f"{size:>14} {r['join_cold']:>9.3f}s {r['cold']:>7.2f}s {r['cold_cpu']:>6.2f}s "
            f"{r['cold'] / r['join_cold']:>6.1f} {r['index']:>6.2f}s {r['warm']:>6.2f}s "
            f"{r['warm'] / r['join_warm']:>6.1f} {1000 * r['one_median']:>6.1f}/"
            f"{1000 * r['one_max']:.1f}ms {1000 * r['kept_median']:>6.1f}/"
            f"{1000 * r['kept_max']:.1f}ms {r['cold_mb']:>8.0f} "
            f"{r['cold_mb'] / r['join_mb']:>6.1f} {r['found']:>6.1%} {r['false_registered']:>10}"
        )
    print()
    for size, r in results.items():
        label = f"{r['officers'] // 1000}k×{r['signups'] // 1000}k"
        is_main = size == "10000x100000"
        record(BENCHMARK, f"reconcile {label} cold", r["cold"], 2.0 if is_main else None, unit=" s")
        for clock, suffix in (("", ""), ("_cpu", ", CPU time")):
            for state in ("cold", "warm"):
                record(
                    BENCHMARK,
                    f"reconcile {label} {state} / e-mail join {state}{suffix}",
                    r[state + clock] / r[f"join_{state}{clock}"],
                    30 if is_main else None,
                )
        record(
            BENCHMARK,
            f"reconcile {label}, one officer added or changed, officers kept (worst of 20)",
            1000 * r["kept_max"],
            50 if is_main else None,
            unit=" ms",
        )
        record(
            BENCHMARK,
            f"reconcile {label}, one officer, index built, nothing else kept (worst of 20)",
            1000 * r["one_max"],
            None,
            unit=" ms",
        )
        record(BENCHMARK, f"reconcile {label} cold peak memory", r["cold_mb"], None, unit=" MB")
    small, large = results.get("10000x100000"), results.get("50000x500000")
    if small and large:
        for measure, key in (
            ("time cold", "cold"),
            ("time warm", "warm"),
            ("CPU time cold", "cold_cpu"),
            ("CPU time warm", "warm_cpu"),
            ("memory", "cold_mb"),
        ):
            record(BENCHMARK, f"growth 10k→50k officers, {measure}", large[key] / small[key], 6)


if __name__ == "__main__":
    main()
