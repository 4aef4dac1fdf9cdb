"""Reconcile 100,000 generated sign-ups against 10,000 officers: time and peak memory.

A plain exact-e-mail join over the same data, measured in the same run, is the floor; the figures
are printed next to it as ratios. Run: ``python benchmarks/bench_reconcile.py [officers] [sign-ups]``.
Not part of the test suite.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.registration.departments import departments
from bot.registration.models import OfficerProfile, OfficerStatus, Signup
from bot.registration.reconcile import reconcile
from tests.support.synthetic import generate


def email_join(officers: Sequence[OfficerProfile], signups: Sequence[Signup]) -> list[str | None]:
    """The floor: lower-cased, trimmed e-mail equality, nothing else."""
    by_email = {s.email.strip().lower(): s.key for s in signups if s.email}
    return [by_email.get(o.email.strip().lower()) for o in officers]


def measure(function: Callable[[], Any], repeats: int = 3) -> tuple[float, float, Any]:
    """Best wall time of ``repeats`` runs (seconds) and peak traced memory of one run (MB)."""
    best = float("inf")
    result = None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1e6, result


def main() -> None:
    officers_n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    members_n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    started = time.perf_counter()
    data = generate(officers_n, members_n - int(officers_n * 0.65), seed=2026)
    deps = departments()

    def department(postcode: str) -> str | None:
        dep = deps.from_postcode(postcode) if postcode else None
        return dep.code if dep else None

    officers = [
        OfficerProfile(
            key=r["id"],
            first_name=r["first"],
            last_name=r["last"],
            department=r["department"],
            email=r["email"],
        )
        for r in data.roster
    ]
    signups = [
        Signup(key=s["id"], name=s["name"], email=s["email"], department=department(s["postcode"]))
        for s in data.signups
    ]
    print(
        f"generated {len(officers):,} officers and {len(signups):,} sign-ups "
        f"in {time.perf_counter() - started:.1f} s"
    )

    base_time, base_mem, joined = measure(lambda: email_join(officers, signups))
    time_s, mem_mb, matches = measure(lambda: reconcile(officers, signups))

    truth = data.truth
    registered = [k for k, v in truth.items() if v["registered"]]
    found = sum(
        1
        for m in matches
        if truth[m.officer]["registered"] and m.status is not OfficerStatus.UNREGISTERED
    )
    false_registered = sum(
        1
        for m in matches
        if m.status is OfficerStatus.REGISTERED and not truth[m.officer]["registered"]
    )
    probable = sum(
        1 for m in matches if m.status is OfficerStatus.PROBABLE and truth[m.officer]["registered"]
    )
    join_found = sum(
        1
        for o, s in zip(officers, joined, strict=True)
        if s is not None and truth[o.key]["registered"]
    )

    print(f"{'':22}{'time':>10}{'peak memory':>14}{'found':>9}{'false reg.':>12}")
    print(
        f"{'exact e-mail join':22}{base_time:>9.3f}s{base_mem:>11.1f} MB"
        f"{join_found / len(registered):>9.1%}{'-':>12}"
    )
    print(
        f"{'reconcile':22}{time_s:>9.3f}s{mem_mb:>11.1f} MB"
        f"{found / len(registered):>9.1%}{false_registered:>12}"
    )
    print(
        f"ratio reconcile / join: time ×{time_s / base_time:.1f}, memory ×{mem_mb / base_mem:.1f}"
    )
    print(
        f"probable among registered: {probable / len(registered):.1%}; "
        f"target: under 5 s and 300 MB -> {'met' if time_s < 5 and mem_mb < 300 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
