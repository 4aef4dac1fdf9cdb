"""A sign-up import planned in the worker process writes what one planned in the bot's does.

One worker process (started once for the module: a start costs about a second) plans the imports
of one database; the same files are imported into a second database in the bot's own process,
and both must end with the same officers, the same sign-ups and the same reports.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration import worker as worker_module
from bot.registration.models import SignupImportReport
from bot.registration.problems import FileRejected
from bot.registration.service import RegistrationService
from bot.registration.worker import ImportWorker
from bot.storage.database import Database
from tests.support.synthetic import Generated, generate

SETTINGS = Settings(registration_deadline=date(2026, 3, 31))
NEVER = 10**12  # an export size no test reaches: planned in the bot's process


@pytest.fixture(scope="module")
def worker() -> Iterator[ImportWorker]:
    started = ImportWorker(min_bytes=0)
    yield started
    asyncio.run(started.close())


@pytest.fixture(scope="module")
def data() -> Generated:
    return generate(60, 400, seed=11)


def changed(data: Generated) -> bytes:
    """The export later: a fifth of the postcodes gone, some sign-ups new, rows reordered."""
    rows = [dict(r, postcode="") if i % 5 == 0 else r for i, r in enumerate(data.signups)]
    late = [dict(r, id=f"{r['id']}b", email="") for r in data.signups[:30]]
    return Generated(data.roster, (rows + late)[::-1]).signups_csv()


def summary(report: SignupImportReport) -> tuple[Any, ...]:
    return (
        report.rows,
        report.new,
        report.updated,
        report.unchanged,
        [(c.officer.key, c.old, c.new, c.reason) for c in report.changes],
        report.counts,
    )


async def stored(db: Database) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        [tuple(r) for r in await db.fetchall("SELECT * FROM officers ORDER BY id")],
        [tuple(r) for r in await db.fetchall("SELECT * FROM signups ORDER BY id")],
        [
            tuple(r)
            for r in await db.fetchall(
                "SELECT officer_id, effective_at, status, previous, source, signup_id, reason"
                " FROM status_history ORDER BY id"
            )
        ],
    )


async def test_imports_planned_in_the_worker_write_what_the_bots_own_process_does(
    tmp_path: Path,
    worker: ImportWorker,
    data: Generated,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FixedClock(datetime(2026, 2, 20, 12, 0, tzinfo=UTC))
    here_db = await Database.open(tmp_path / "here.sqlite3")
    there_db = await Database.open(tmp_path / "there.sqlite3")
    here = RegistrationService(here_db, clock, SETTINGS, catalog, worker=ImportWorker(NEVER))
    there = RegistrationService(there_db, clock, SETTINGS, catalog, worker=worker)
    try:
        for service in (here, there):
            await service.import_roster(data.roster_csv(), "roster.csv", "cli", apply=True)
        first, second = data.signups_csv(), changed(data)
        # Same sign-ups, rows in another order: another file that changes nothing.
        again = Generated(data.roster, list(reversed(data.signups))).signups_csv()
        reports: dict[str, list[tuple[Any, ...]]] = {"here": [], "there": []}
        for number, file in enumerate((first, again, second, first)):
            clock.advance(timedelta(hours=1))
            reports["here"].append(summary(await here.import_signups(file, "s.csv", "cli")))
            if number == 0:
                # From here on, anything read in this process fails: the worker reads the files.
                def read_here(*args: object, **kwargs: object) -> object:
                    raise AssertionError("a big export was read in the bot's process")

                monkeypatch.setattr(worker_module, "parse_signups", read_here)
            reports["there"].append(summary(await there.import_signups(file, "s.csv", "cli")))
        assert reports["there"] == reports["here"]
        # The files do what they are for: all new, then nothing (another file, the same
        # sign-ups), then new and updated rows, then the first again (updates only).
        new_updated = [(r[1] > 0, r[2] > 0) for r in reports["here"]]
        assert new_updated == [(True, False), (False, False), (True, True), (False, True)]
        assert reports["here"][2][1] == 30
        assert reports["here"][2][4] and reports["here"][3][4]  # statuses changed by both
        assert await stored(there_db) == await stored(here_db)
        # The sign-ups the worker left are matched there: one officer added, one removed, the
        # roster again with a name changed, as in the bot's process.
        someone = data.signups[7]
        removed = data.roster[3]["id"]
        roster = [dict(r, last=r["last"] + "x") if i == 5 else r for i, r in enumerate(data.roster)]
        for side, service in (("here", here), ("there", there)):
            added = await service.add_officer("cli", "Anne", someone["name"], "56", key="NEW")
            reports[side].append((added.officer.status,))
            await service.remove_officer(removed, "cli")
            diff = await service.import_roster(
                Generated(roster, []).roster_csv(), "r.csv", "cli", apply=True, remove_missing=False
            )
            assert diff.applied
        assert reports["there"] == reports["here"]
        assert await stored(there_db) == await stored(here_db)
        assert there._signups is None  # never read in this process: matched in the worker
    finally:
        await here_db.close()
        await there_db.close()


async def test_a_file_the_worker_refuses_is_refused_with_the_same_problems(
    tmp_path: Path, worker: ImportWorker, data: Generated, catalog: Catalog
) -> None:
    clock = FixedClock(datetime(2026, 2, 20, 12, 0, tzinfo=UTC))
    db = await Database.open(tmp_path / "relance.sqlite3")
    try:
        there = RegistrationService(db, clock, SETTINGS, catalog, worker=worker)
        here = RegistrationService(db, clock, SETTINGS, catalog, worker=ImportWorker(NEVER))
        await here.import_roster(data.roster_csv(), "roster.csv", "cli", apply=True)
        refused: list[FileRejected] = []
        for service in (here, there):
            with pytest.raises(FileRejected) as caught:
                await service.import_signups(data.roster_csv(), "inscriptions.csv", "cli")
            refused.append(caught.value)
        assert [(e.key, e.params, e.details) for e in refused[1:]] == [
            (refused[0].key, refused[0].params, refused[0].details)
        ]
        assert refused[0].details[0].key == "registration.problem.roster_not_signups"
        assert await db.fetchall("SELECT * FROM signups") == []
    finally:
        await db.close()


async def test_an_import_planned_in_the_worker_makes_no_collection_on_the_event_loop(
    tmp_path: Path,
    worker: ImportWorker,
    data: Generated,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the bot's process makes of the worker's plan (rows unpacked, officers read, statuses
    # written) is long-lived or freed by reference counting: a pass of the cyclic collector over
    # it would hold the event loop (a hundred milliseconds at 10,000 officers). The collector is
    # made eager here, so that any pass the import let happen would show.
    db = await Database.open(tmp_path / "s.sqlite3")
    service = RegistrationService(
        db, FixedClock(datetime(2026, 2, 20, 12, 0, tzinfo=UTC)), SETTINGS, catalog, worker=worker
    )
    importing, passes = [False], []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and importing[0]:
            passes.append(info["generation"])

    whole = service._import_signups

    async def watched(*args: Any, **kwargs: Any) -> SignupImportReport:
        importing[0] = True  # from here to its end, the import's own work
        try:
            return await whole(*args, **kwargs)
        finally:
            importing[0] = False  # what follows is the end of the pause: not the import's

    monkeypatch.setattr(service, "_import_signups", watched)
    thresholds = gc.get_threshold()
    gc.callbacks.append(counted)
    try:
        await service.import_roster(data.roster_csv(), "roster.csv", "cli", apply=True)
        export = data.signups_csv()
        gc.set_threshold(50, 1, 1)
        report = await service.import_signups(export, "s.csv", "cli")
        assert report.new > 0
        assert passes == []
        assert gc.isenabled()
        garbage: list[Any] = [[]]
        garbage[0].append(garbage)  # a cycle made after the import is collected again
        del garbage
        assert gc.collect() > 0
    finally:
        gc.callbacks.remove(counted)
        gc.set_threshold(*thresholds)
        await db.close()
