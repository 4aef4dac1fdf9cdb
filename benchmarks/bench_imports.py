"""Roster and sign-up imports through the registration service, on a real SQLite file.

Three sizes (1k, 10k and 50k officers, with 10 sign-ups per officer), each in a fresh process so
that every figure is cold and memory is the process's own (and, apart, the peak of the process
a big sign-up export is planned in, stopped when the service closes; their sum is what the
growth target reads). Per size: the roster import, the first
sign-up import (with the statements it awaits and how late the event loop ran meanwhile), the
re-import of the identical file (it must change nothing and keep no undo copy), one officer added
(cold, then warm), linked and removed, the rows kept to undo the import and the undo itself
(checked to restore the statuses, links and history exactly). Growth factors from one size to the
next are printed, and the figures with a target go through :func:`_report.record`.

Run: ``python benchmarks/bench_imports.py [officers ...]`` (default ``1000 10000 50000``).
Not part of the test suite.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import record

from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.service import RegistrationService
from bot.storage import database
from bot.storage.database import Database
from tests.support.synthetic import generate

BENCH = "bench_imports"
SIGNUPS_PER_OFFICER = 10
T = TypeVar("T")


class Statements:
    """How many statements the database is awaited for (a batch of rows counts once)."""

    count = 0

    @classmethod
    @contextmanager
    def counting(cls) -> Iterator[None]:
        originals = {
            name: getattr(database.Transaction, name)
            for name in ("execute", "insert", "executemany", "fetchall")
        }

        def wrap(function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            async def counted(*args: Any, **kwargs: Any) -> Any:
                cls.count += 1
                return await function(*args, **kwargs)

            return counted

        cls.count = 0
        for name, function in originals.items():
            setattr(database.Transaction, name, wrap(function))
        try:
            yield
        finally:
            for name, function in originals.items():
                setattr(database.Transaction, name, function)


async def loop_lag(stop: asyncio.Event, lags: list[float], tick: float = 0.005) -> None:
    """How late each of many short sleeps wakes up: the event loop's longest stalls."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(tick)
        lags.append(time.perf_counter() - start - tick)


async def timed(awaitable: Awaitable[T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = await awaitable
    return time.perf_counter() - start, result


async def fingerprint(db: Database) -> list[tuple[object, ...]]:
    """Statuses, links and history, as an undo must restore them."""
    rows = await db.fetchall(
        "SELECT key, status, status_since, signup_id, confidence, reason, discord_user_id "
        "FROM officers ORDER BY key"
    )
    history = await db.fetchall("SELECT * FROM status_history ORDER BY id")
    signups = await db.fetchall("SELECT * FROM signups ORDER BY id")
    return [tuple(r) for r in rows] + [tuple(r) for r in history] + [tuple(r) for r in signups]


async def undo_rows(db: Database) -> int:
    """Rows kept aside so that the last import can be undone."""
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'import\\_%' ESCAPE '\\'"
    )
    total = 0
    for (name,) in tables:
        row = await db.fetchone(f"SELECT COUNT(*) FROM {name}")
        total += int(row[0]) if row else 0
    return total


async def one_size(officers: int) -> dict[str, float]:
    data = generate(officers, officers * SIGNUPS_PER_OFFICER - int(officers * 0.65), seed=2026)
    roster, later = data.roster_csv(), data.signups_csv()
    data.signups = data.signups[: len(data.signups) * 99 // 100]
    signups = data.signups_csv()  # a day before the later export: 1 % of its rows fewer
    del data
    out: dict[str, float] = {"signup_rows": later.count(b"\n") - 1.0}
    settings = Settings(
        registration_deadline=date(2026, 3, 31),
        roster_max_bytes=max(len(roster) + 1, 2_000_000),
        signups_max_bytes=max(len(later) + 1, 50_000_000),
    )
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        service = RegistrationService(db, SystemClock(), settings, Catalog.load())
        try:
            out["rss_before_mb"] = _rss_mb()
            out["roster_s"], _ = await timed(
                service.import_roster(roster, "roster.csv", "bench", apply=True)
            )
            stop, lags = asyncio.Event(), []
            ticker = asyncio.create_task(loop_lag(stop, lags))
            with Statements.counting():
                out["signups_s"], report = await timed(
                    service.import_signups(signups, "signups.csv", "bench")
                )
            stop.set()
            await ticker
            out["statements"] = Statements.count
            out["lag_max_ms"] = 1000 * max(lags)
            out["lag_p99_ms"] = 1000 * statistics.quantiles(lags, n=100)[98]
            out["status_changes"] = len(report.changes)
            first = await service.undoable_import()
            out["reimport_s"], again = await timed(
                service.import_signups(signups, "signups.csv", "bench")
            )
            out["reimport_changes"] = len(again.changes) + again.new + again.updated
            kept = await service.undoable_import()
            out["reimport_new_undo"] = float(kept != first)
            before = await fingerprint(db)
            out["next_s"], _ = await timed(service.import_signups(later, "later.csv", "bench"))
            out["undo_rows"] = await undo_rows(db)
            last = await service.undoable_import()
            for attempt in ("cold", "warm"):
                out[f"add_{attempt}_s"], _ = await timed(
                    service.add_officer(
                        "bench", "Gwenaëlle", f"Le Bihan-{attempt}", "56", key=f"NEW-{attempt}"
                    )
                )
            out["link_s"], _ = await timed(service.link("NEW-cold", 123456789012345678, "bench"))
            for attempt in ("cold", "warm"):
                await service.remove_officer(f"NEW-{attempt}", "bench")
            assert last is not None
            out["undo_s"], _ = await timed(service.undo_import(last.id, "bench"))
            out["undo_exact"] = float(await fingerprint(db) == before)
            out["rss_peak_mb"] = _rss_mb()
        finally:
            await service.close()
            await db.close()
    # The import worker's process, stopped by close (a big export is planned there).
    out["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["rss_both_mb"] = out["rss_peak_mb"] + out["rss_worker_mb"]
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(officers: int) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(officers)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{officers:,} officers failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {officers:,} officers: measured in {time.perf_counter() - started:.0f} s", flush=True)
    return figures


ROWS = (
    ("roster_s", "roster import", "s"),
    ("signups_s", "sign-up import, first", "s"),
    ("statements", "statements awaited by it", ""),
    ("lag_max_ms", "event loop's longest stall", "ms"),
    ("lag_p99_ms", "event loop lag p99", "ms"),
    ("reimport_s", "identical re-import", "s"),
    ("next_s", "next export (+1 % rows)", "s"),
    ("undo_rows", "rows kept to undo that", ""),
    ("add_cold_s", "/roster ajouter, cold", "s"),
    ("add_warm_s", "/roster ajouter, warm", "s"),
    ("link_s", "/roster lier", "s"),
    ("undo_s", "undo of the import", "s"),
    ("rss_peak_mb", "peak memory (process)", "MB"),
    ("rss_worker_mb", "peak memory (import worker)", "MB"),
)


def main(sizes: list[int]) -> None:
    print(
        f"{BENCH}: {', '.join(f'{n:,}' for n in sizes)} officers, "
        f"{SIGNUPS_PER_OFFICER} sign-ups each, one fresh process per size"
    )
    results = {n: run_child(n) for n in sizes}
    header = f"{'':30}" + "".join(f"{n:>12,}" for n in sizes)
    print(header)
    for name, label, unit in ROWS:
        cells = "".join(
            f"{results[n][name]:>12.3f}" if unit else f"{results[n][name]:>12,.0f}" for n in sizes
        )
        print(f"{label + (f' ({unit})' if unit else ''):30}{cells}")
    for small, large in itertools.pairwise(sizes):
        grow = {name: results[large][name] / max(results[small][name], 1e-9) for name, _, _ in ROWS}
        print(
            f"growth {small:,} → {large:,} ({large // small}× the data): "
            + ", ".join(f"{name} ×{value:.1f}" for name, value in grow.items())
        )
    for n in sizes:
        r = results[n]
        size = f"{n // 1000}k×{n * SIGNUPS_PER_OFFICER // 1000}k"
        record(
            BENCH,
            f"identical re-import / first import, {size}",
            r["reimport_s"] / r["signups_s"],
            0.1,
        )
        record(BENCH, f"identical re-import: changes, {size}", r["reimport_changes"], 0, unit="")
        record(
            BENCH,
            f"identical re-import: new undo copies, {size}",
            r["reimport_new_undo"],
            0,
            unit="",
        )
        record(
            BENCH, f"undo restores exactly, {size}", r["undo_exact"], 1, better="higher", unit=""
        )
        record(BENCH, f"sign-up import: statements awaited, {size}", r["statements"], None, unit="")
        record(
            BENCH,
            f"sign-up import: event loop's longest stall, {size}",
            r["lag_max_ms"],
            None,
            unit=" ms",
        )
        record(BENCH, f"rows kept to undo the import, {size}", r["undo_rows"], None, unit="")
        if n == 10_000:
            for name, label in (
                ("add_cold_s", "/roster ajouter cold"),
                ("add_warm_s", "/roster ajouter warm"),
                ("link_s", "/roster lier"),
            ):
                record(BENCH, f"{label}, {size}", 1000 * r[name], 50, unit=" ms")
    if 10_000 in results and 50_000 in results:
        small, large = results[10_000], results[50_000]
        for name, label in (
            ("roster_s", "roster import"),
            ("signups_s", "sign-up import"),
            ("rss_both_mb", "peak memory (process + import worker)"),
        ):
            record(BENCH, f"{label} 50k / 10k (5× the data)", large[name] / small[name], 6)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(asyncio.run(one_size(int(sys.argv[2])))))
    else:
        main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
