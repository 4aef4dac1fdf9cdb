"""Reads outside a transaction go to read-only connections: they answer while this process's
write transaction is open, and see the last committed state, never a write half-way."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TypeVar

import pytest

from bot.storage.database import Database

INSERT = "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'test', ?)"
COUNT = "SELECT COUNT(*) FROM audit_log"
# Only a guard against a read that waits for the write transaction (the test would hang
# otherwise): a passing read never comes near it.
HANG = 10.0
T = TypeVar("T")


async def within_guard(awaitable: Awaitable[T]) -> T:
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=HANG)
    if task not in done:
        task.cancel()
        pytest.fail("the read waited for the write transaction")
    return task.result()


@asynccontextmanager
async def open_write(db: Database) -> AsyncIterator[asyncio.Event]:
    """A write transaction of this process kept open, one row written in it, until the event
    yielded is set."""
    written, finish = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute(INSERT, ("in progress",))
            written.set()
            await finish.wait()

    task = asyncio.create_task(writer())
    await written.wait()
    try:
        yield finish
    finally:
        finish.set()
        await task


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "db.sqlite3")
    await database.execute(INSERT, ("committed",))
    yield database
    await database.close()


async def test_a_read_sees_the_committed_state_not_an_open_transactions_write(db):
    async with open_write(db):
        assert (await within_guard(db.fetchone(COUNT)))[0] == 1
        rows = await within_guard(db.fetchall("SELECT action FROM audit_log"))
        assert [r[0] for r in rows] == ["committed"]
    assert (await db.fetchone(COUNT))[0] == 2


async def test_a_read_answers_while_the_write_connection_is_busy(db):
    """The write connection's thread held inside a statement of the open transaction (a SQL
    function that waits until told): a read does not queue behind it."""
    inside, release = threading.Event(), threading.Event()

    def hold() -> int:
        inside.set()
        release.wait(HANG)
        return 1

    await db._conn.create_function("hold", 0, hold)  # the connection that writes
    async with db.transaction() as tx:
        busy = asyncio.create_task(tx.fetchone("SELECT hold()"))
        await asyncio.to_thread(inside.wait, HANG)
        try:
            assert (await within_guard(db.fetchone(COUNT)))[0] == 1
            assert not busy.done()
        finally:
            release.set()
            await busy


async def test_a_snapshot_does_not_wait_for_an_open_write_transaction(db):
    async with open_write(db):

        async def read() -> list[str]:
            async with db.snapshot() as reader:
                first = await reader.fetchall("SELECT action FROM audit_log")
                again = await reader.fetchone(COUNT)
            assert again is not None and again[0] == len(first)
            return [r[0] for r in first]

        assert await within_guard(read()) == ["committed"]


async def test_a_snapshot_keeps_its_moment_while_a_write_commits(db):
    async with db.snapshot() as reader:
        assert (await reader.fetchone(COUNT))[0] == 1
        await within_guard(db.execute(INSERT, ("meanwhile",)))
        assert (await reader.fetchone(COUNT))[0] == 1
        # A read outside the snapshot sees the write at once.
        assert (await db.fetchone(COUNT))[0] == 2
    assert (await db.fetchone(COUNT))[0] == 2


async def test_a_write_is_seen_by_the_next_read(db):
    for n in range(20):
        await db.execute(INSERT, (str(n),))
        assert (await db.fetchone(COUNT))[0] == n + 2


async def test_many_reads_at_once_each_answer(db):
    counts = await within_guard(asyncio.gather(*(db.fetchone(COUNT) for _ in range(50))))
    assert {row[0] for row in counts} == {1}


async def test_a_read_connection_refuses_to_write(db):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.fetchall(INSERT + " RETURNING id", ("through a read",))
    assert (await db.fetchone(COUNT))[0] == 1


async def test_a_pragma_is_the_write_connections(db):
    """Settings are those of the connection that writes (its busy timeout, its page limit)."""
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 2000


async def test_scrub_empties_the_log_with_the_read_connections_open(db, tmp_path):
    await db.fetchall("SELECT * FROM audit_log")
    await db.execute("DELETE FROM audit_log")
    assert await db.scrub()
    assert (tmp_path / "db.sqlite3-wal").stat().st_size == 0
    assert (await db.fetchone(COUNT))[0] == 0


async def test_close_leaves_no_log_behind(tmp_path):
    db = await Database.open(tmp_path / "closed.sqlite3")
    await db.fetchall("SELECT * FROM audit_log")
    await db.execute(INSERT, ("last",))
    await db.close()
    assert not (tmp_path / "closed.sqlite3-wal").exists()
    again = await Database.open(tmp_path / "closed.sqlite3")
    assert (await again.fetchone(COUNT))[0] == 1
    await again.close()


async def test_a_database_in_memory_reads_its_own_writes():
    """No other connection can see a database in memory: it is read on the one that writes."""
    db = await Database.open(":memory:")
    await db.execute(INSERT, ("only",))
    assert (await db.fetchone(COUNT))[0] == 1
    async with db.snapshot() as reader:
        assert (await reader.fetchone(COUNT))[0] == 1
    await db.close()
