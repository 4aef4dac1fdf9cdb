"""Point reads (a lookup by key, a few rows) run on the event loop, without a trip to a
connection's thread; they fall back to that trip when SQLite says the database is locked, and
scans keep it. The trips are counted where they start: aiosqlite's connection methods."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration import storage
from bot.registration.models import OfficerDetails
from bot.registration.service import RegistrationService
from bot.registration.storage import RegistrationRepository
from bot.reminders.ledger import CampaignLabel
from bot.reminders.models import DeliveryChannel, PlannedDelivery, Step, Tier
from bot.reminders.storage import ReminderRepository
from bot.storage import database
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes, signups_bytes

NOW = datetime(2010, 3, 1, 12, 0, tzinfo=UTC)
SENT = datetime(2010, 2, 27, 9, 30, tzinfo=UTC)
MEMBER = 4242
INSERT = "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'test', ?)"

# Another program running the write-ahead log's recovery, as SQLite's unix VFS sees it (the
# documented wal-index format): the writer's and the recovery's locks of the shared-memory file
# held, its header (two copies, 48 bytes each) invalid. A reader meanwhile is answered
# SQLITE_BUSY_RECOVERY; once the locks go, the next reader recovers the header from the log.
RECOVERING = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
for byte in (120, 122):  # WAL_WRITE_LOCK, WAL_RECOVER_LOCK
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte, 0)
os.pwrite(fd, bytes(96), 0)
print("held", flush=True)
sys.stdin.read()
"""


class Trips:
    """Calls that went to a connection's thread (statements run through aiosqlite)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sql: list[str] = []
        self.called = asyncio.Event()
        for name in ("execute", "execute_fetchall"):
            original = getattr(aiosqlite.Connection, name)
            monkeypatch.setattr(aiosqlite.Connection, name, self._counted(original))

    def _counted(self, original: Any) -> Any:
        def counted(conn: aiosqlite.Connection, sql: str, *args: Any, **kwargs: Any) -> Any:
            self.sql.append(sql)
            self.called.set()
            return original(conn, sql, *args, **kwargs)

        return counted

    def clear(self) -> None:
        self.sql.clear()
        self.called.clear()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    return Trips(monkeypatch)


@pytest.fixture
def service(db: Database) -> RegistrationService:
    return RegistrationService(
        db,
        FixedClock(NOW),
        Settings(registration_deadline=date(2010, 3, 31)),
        Catalog.load(),
        nudges=ReminderRepository(db),
    )


async def _one_linked_matched_nudged(service: RegistrationService, db: Database) -> None:
    """R1 linked to :data:`MEMBER`, matched to a sign-up, nudged at :data:`SENT`; R2 not."""
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;anne@example.org;", "R2;Luc;Roy;56;;"),
        "r.csv",
        "cli",
        apply=True,
    )
    await service.import_signups(
        signups_bytes("S1,Anne Le Goff,anne@example.org,56000,2010-02-20 10:00"), "s.csv", "cli"
    )
    await service.link("R1", MEMBER, "cli")
    reminders = ReminderRepository(db)
    planned = PlannedDelivery(
        "R1", "Anne", "56", Step(14, Tier.FRIENDLY, 1, 5), "fr", DeliveryChannel.DM, MEMBER
    )
    async with db.transaction() as tx:
        campaign = await reminders.create_campaign(
            tx, 14, SENT, "cli", CampaignLabel.NOW, [(planned, "n1")]
        )
    (delivery,) = await reminders.deliveries(campaign)
    await reminders.mark_sent(delivery.id, 99, SENT)


@contextmanager
def recovering(path: Path) -> Iterator[None]:
    """Another program recovering ``path``'s write-ahead log until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", RECOVERING, f"{path}-shm"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()


@pytest.fixture
async def patient_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A database whose thread path waits for a lock as long as a test needs (no timing)."""
    opened = await Database.open(tmp_path / "db.sqlite3", busy_timeout=600)
    await opened.execute(INSERT, ("committed",))
    yield opened
    await opened.close()


async def test_the_own_status_is_read_without_a_trip_to_a_thread(
    service: RegistrationService, db: Database, trips: Trips
) -> None:
    await _one_linked_matched_nudged(service, db)
    trips.clear()
    mine = await service.status_member(MEMBER)
    assert trips.sql == []
    assert isinstance(mine, OfficerDetails)
    assert (mine.officer.key, mine.last_nudge, mine.own) == ("R1", SENT, True)


async def test_an_officers_status_by_key_is_read_without_a_trip_to_a_thread(
    service: RegistrationService, db: Database, trips: Trips
) -> None:
    await _one_linked_matched_nudged(service, db)
    trips.clear()
    details = await service.status_officer("r1")
    assert trips.sql == []
    assert details.officer.key == "R1"
    assert details.evidence is not None and details.evidence.signup.key == "S1"
    assert details.last_nudge == SENT


async def test_the_answers_are_those_of_the_thread_path(
    service: RegistrationService, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _one_linked_matched_nudged(service, db)
    on_the_loop = (await service.status_officer("R1"), await service.status_member(MEMBER))
    monkeypatch.setattr(db, "_point", None)  # every read through a thread, as before
    assert (await service.status_officer("R1"), await service.status_member(MEMBER)) == (
        on_the_loop
    )


async def test_a_department_list_is_read_on_the_loop_up_to_its_bound(
    service: RegistrationService,
    db: Database,
    trips: Trips,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _one_linked_matched_nudged(service, db)
    trips.clear()
    listed = await service.department_list("56")
    assert [line.key for line in listed.officers] == ["R2", "R1"]
    assert trips.sql == []
    monkeypatch.setattr(storage, "LIST_ON_LOOP", 1)  # a department larger than the bound
    unkept = RegistrationService(  # nothing kept: reads the list again
        db, FixedClock(NOW), Settings(registration_deadline=date(2010, 3, 31)), Catalog.load()
    )
    again = await unkept.department_list("56")
    assert again == listed
    assert len(trips.sql) == 1 and "WHERE department = ?" in trips.sql[0]
    assert "LIMIT" not in trips.sql[0]


async def test_many_keys_go_to_a_thread_a_few_do_not(db: Database, trips: Trips) -> None:
    repo = RegistrationRepository(db)
    few = [f"K{n}" for n in range(database.POINT_VALUES)]
    assert await repo.officers_by_key(few) == {}
    assert trips.sql == []
    assert await repo.officers_by_key([*few, "one more"]) == {}
    assert len(trips.sql) == 1


async def test_a_point_read_under_another_programs_write_lock_answers_on_the_loop(
    patient_db: Database, tmp_path: Path, trips: Trips
) -> None:
    other = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(INSERT, ("not committed",))
    try:
        rows = await patient_db.point_fetchall("SELECT action FROM audit_log")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [r["action"] for r in rows] == ["committed"]
    assert trips.sql == []


async def test_a_point_read_of_a_locked_database_takes_the_thread_path(
    patient_db: Database, tmp_path: Path, trips: Trips
) -> None:
    assert await patient_db.point_fetchall("SELECT action FROM audit_log") != []
    assert trips.sql == []
    with recovering(tmp_path / "db.sqlite3"):
        read = asyncio.create_task(patient_db.point_fetchall("SELECT action FROM audit_log"))
        await trips.called.wait()
        # Refused on the event loop (which goes on meanwhile), the read waits in a thread for
        # the other program's lock.
        assert trips.sql == ["SELECT action FROM audit_log"]
        assert not read.done()
    assert [r["action"] for r in await read] == ["committed"]
    trips.clear()
    again = await patient_db.point_fetchone("SELECT COUNT(*) FROM audit_log")
    assert again is not None and again[0] == 1
    assert trips.sql == []


async def test_the_point_connection_only_reads(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.point_fetchall(INSERT, ("written",))
    assert await db.fetchall("SELECT action FROM audit_log") == []


async def test_a_database_in_memory_answers_point_reads(trips: Trips) -> None:
    memory = await Database.open(":memory:")
    try:
        await memory.execute(INSERT, ("kept",))
        row = await memory.point_fetchone("SELECT action FROM audit_log")
        assert row is not None and row[0] == "kept"
    finally:
        await memory.close()


async def test_closing_closes_the_point_connection_too(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    opened = await Database.open(path)
    try:
        await opened.point_fetchone("SELECT COUNT(*) FROM audit_log")
        await opened.execute(INSERT, ("written",))
    finally:
        await opened.close()
    # The last connection to close removes the write-ahead log: none was left open.
    assert not os.path.exists(f"{path}-wal")
