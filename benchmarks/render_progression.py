"""Render the ``/progression`` picture from the demo data, as the shell shows it (the demo's
sign-up dates moved so that the latest is yesterday, a deadline three weeks ahead), and time its
drawing: the whole picture and the map alone, cold (first drawing in the process) and warm (the
same figures drawn again: the map, the texts and the deflated rows are all at hand, so this is a
floor; ``bench_charts.py`` measures the picture after a change).

    python benchmarks/render_progression.py [--out docs/progression.png] [--map map.png] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.config import Settings
from bot.demo import shift_dates
from bot.i18n import Catalog, Locale
from bot.registration import charts, map
from bot.registration.models import Progress
from bot.registration.service import RegistrationService
from bot.resources import reference
from bot.storage.database import Database

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


async def demo_progress() -> Progress:
    """The national figures of the demo data, in a throw-away database."""
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "demo.sqlite3")
        try:
            clock = FixedClock(NOW)
            settings = Settings(
                registration_deadline=NOW.date() + timedelta(days=21), public_min_officers=1
            )
            service = RegistrationService(db, clock, settings, Catalog.load())
            roster = reference("demo", "roster.csv").read_bytes()
            signups = shift_dates(reference("demo", "signups.csv").read_bytes(), NOW.date())
            await service.import_roster(roster, "roster.csv", "demo", apply=True)
            await service.import_signups(signups, "signups.csv", "demo")
            return await service.progress()
        finally:
            await db.close()


def timed(draw: Callable[[], bytes], runs: int) -> tuple[float, float, float, bytes]:
    """Cold, median and 90th percentile of warm drawings, in milliseconds, and the last PNG."""
    start = time.perf_counter()
    png = draw()
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        png = draw()
        warm.append((time.perf_counter() - start) * 1000)
    warm.sort()
    return cold, statistics.median(warm), warm[int(0.9 * (len(warm) - 1))], png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "progression.png")
    parser.add_argument("--map", type=Path, default=None, help="also write the map alone here")
    parser.add_argument("--locale", choices=("fr", "en"), default="fr")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    locale: Locale = args.locale
    catalog = Catalog.load()
    progress = asyncio.run(demo_progress())
    pictures = {
        "picture": lambda: charts.progress_chart(catalog, progress, locale),
        "map alone": lambda: map.department_map(catalog, progress.departments, locale),
    }
    print(f"{'drawing':<10} {'cold ms':>8} {'warm p50':>9} {'warm p90':>9} {'bytes':>8}")
    drawn = {}
    for name, draw in pictures.items():
        cold, p50, p90, png = timed(draw, args.runs)
        drawn[name] = png
        print(f"{name:<10} {cold:8.1f} {p50:9.1f} {p90:9.1f} {len(png):8d}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(drawn["picture"])
    if args.map is not None:
        args.map.write_bytes(drawn["map alone"])


if __name__ == "__main__":
    main()
