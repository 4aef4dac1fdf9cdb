"""The application's SQLite file: WAL, foreign keys, busy timeout, numbered forward-only migrations.

One aiosqlite connection writes. Every write goes through :meth:`Database.transaction` (or the
single-statement helpers, which open one), serialised by a lock so that concurrent coroutines
never interleave inside a transaction. Reads outside a transaction, and :meth:`Database.snapshot`,
go to a few read-only connections: in WAL mode they see the last committed state while a write
transaction is open, so an answer that only reads never waits for an import's writes (nor sees
them half-way). A database in memory has no other connection that could see it: it is read on
the one that writes.

Each of those reads is a round trip to a connection's thread (a queue, the thread, a wake-up of
the event loop). A point read (:meth:`Database.point_fetchall`: a lookup by primary key or unique
index, a few rows by construction) skips it: it runs on the event loop itself, on one more
read-only connection that never waits (busy timeout 0). When SQLite answers that the database
is locked (another program recovering the write-ahead log, say), that read takes the thread path
instead, so the event loop never waits for a lock. Anything that scans stays on the thread path.

Another program (the command line, a backup tool) may hold the write lock. A transaction takes
the write lock only at its first write, so one that only reads answers meanwhile (WAL readers
never wait); one that writes waits at most :data:`BUSY_TIMEOUT` seconds, short enough for an
answer within Discord's three seconds, then raises :class:`~bot.errors.DatabaseBusy`. A full
disk raises :class:`~bot.errors.DiskFull`; both are sentences for the user, nothing half-written.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import DatabaseBusy, DiskFull, UserError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Params = Sequence[Any] | dict[str, Any]
IN_BATCH = 500  # values per statement in fetchall_in (SQLite allows 999 parameters at least)
# Seconds a write waits for another program's write lock: an interaction not yet deferred must
# be answered within 3 s, and the busy message still has to reach Discord.
BUSY_TIMEOUT = 2.0
# Seconds /sante waits to take the write lock before it calls the database locked.
HEALTH_LOCK_TIMEOUT = 0.2
# A transaction that waited this long for the process's other transactions waits that much less
# for another program's lock (below it, the pragma's round trip is not worth it).
_SHORTEN_AFTER = 0.05
# Read-only connections: a long read (every sign-up, for an import's plan) leaves the others to
# the short answers meanwhile.
READERS = 3
# Values of one point read's ``IN (…)`` list (a key each) read on the event loop; more go to a
# read-only connection's thread (:meth:`Database.fetchall_in`).
POINT_VALUES = 16


class MigrationError(Exception):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"badly named migration file: {path.name}")
        migrations.append(Migration(int(match.group(1)), path.stem, path.read_text("utf-8")))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migrations must be numbered 1..n without gaps, got {versions}")
    return migrations


def user_error(error: BaseException) -> UserError | None:
    """The sentence for a database that is locked (SQLITE_BUSY) or full (SQLITE_FULL), if it
    is one of those."""
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    if primary == sqlite3.SQLITE_BUSY or "database is locked" in text:
        return DatabaseBusy()
    if primary == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return DiskFull()
    return None


class Transaction:
    """The statements of one transaction; obtained from :meth:`Database.transaction`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        rowcount = cursor.rowcount
        await cursor.close()
        return rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row's id."""
        cursor = await self._conn.execute(sql, params)
        rowid = cursor.lastrowid
        await cursor.close()
        if rowid is None:
            raise sqlite3.OperationalError("INSERT produced no row id")
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row, for queries of one row (all rows are read)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One trip to aiosqlite's thread, where execute, fetch and close would take three.
        rows = await self._conn.execute_fetchall(sql, params)
        return list(rows)


class Database:
    """The application's SQLite database. Open with :meth:`open`, close with :meth:`close`."""

    def __init__(
        self, conn: aiosqlite.Connection, path: str, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.busy_timeout = busy_timeout
        # The read-only connections, and those not in use (the last one used first: its page
        # cache is the warmest); none for a database in memory, read on ``_conn``.
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.LifoQueue[aiosqlite.Connection] = asyncio.LifoQueue()
        # The read-only connection of point reads, used on the event loop's thread only (the
        # one that opened it); none for a database in memory.
        self._point: sqlite3.Connection | None = None
        self._point_thread = 0

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        migrations_dir: Path = MIGRATIONS_DIR,
        migrate: bool = True,
        busy_timeout: float | None = None,
    ) -> Database:
        """Open (creating if needed) the database at ``path`` and apply pending migrations
        (none with ``migrate=False``: a backup copies the schema as it is). A write waits at
        most ``busy_timeout`` seconds (:data:`BUSY_TIMEOUT` by default) for another program's
        write lock."""
        if busy_timeout is None:
            busy_timeout = BUSY_TIMEOUT
        target = str(path)
        in_memory = target == ":memory:"
        if not in_memory:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        conn = await _connect(target, busy_timeout)
        db = cls(conn, target, busy_timeout)
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                await db._migrate(load_migrations(migrations_dir))
            if not in_memory:
                # After the migrations: the readers start on the schema as it now is.
                for _ in range(READERS):
                    reader = await _connect(target, busy_timeout)
                    db._readers.append(reader)
                    await reader.execute("PRAGMA query_only = ON")
                    db._idle.put_nowait(reader)
                db._point = _connect_point(target)
                db._point_thread = threading.get_ident()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        """Close the readers, then the connection that writes: the last to close moves the
        write-ahead log into the database and removes it."""
        point, self._point = self._point, None
        if point is not None:
            point.close()
        readers, self._readers = self._readers, []
        for reader in readers:
            await reader.close()
        await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self, migrations: list[Migration]) -> None:
        current = await self.schema_version()
        if current > len(migrations):
            raise MigrationError(
                f"the database is at schema version {current}, newer than this bot "
                f"({len(migrations)}): upgrade the bot"
            )
        for migration in migrations[current:]:
            # executescript would commit on its own; run statement by statement instead so
            # that a failure rolls the whole migration back.
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(migration.sql):
                    await self._conn.execute(statement)
                await self._conn.execute(f"PRAGMA user_version = {migration.version}")
                await self._conn.execute("COMMIT")
            except BaseException as exc:
                await self._conn.execute("ROLLBACK")
                raise MigrationError(f"migration {migration.name} failed: {exc}") from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A transaction: committed on exit, rolled back if the block raises.

        It takes the write lock at its first write (``BEGIN DEFERRED``): a block that only
        reads never waits for another program's writer. A locked or full database raises
        :class:`DatabaseBusy` or :class:`DiskFull` (a write after reads in the same block does
        not wait: SQLite cannot keep the block's snapshot while waiting).
        """
        queued = time.monotonic()
        async with self._lock:
            # Waiting here for this process's other transactions counts against the busy
            # timeout: writes queued behind one that waits for another program's lock give up
            # in time too, instead of each waiting the whole timeout after the previous one.
            waited = time.monotonic() - queued
            shortened = waited >= _SHORTEN_AFTER
            if shortened:
                await self._set_busy_timeout(self.busy_timeout - waited)
            try:
                await self._conn.execute("BEGIN DEFERRED")
                try:
                    yield Transaction(self._conn)
                except BaseException:
                    await self._rollback()
                    raise
                try:
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            except sqlite3.Error as exc:
                mapped = user_error(exc)
                if mapped is None:
                    raise
                if isinstance(mapped, DiskFull):
                    log.error("the database's disk is full: free space on the server (%s)", exc)
                else:
                    log.warning("another program holds the database's write lock (%s)", exc)
                raise mapped from exc
            finally:
                if shortened:
                    await self._set_busy_timeout(self.busy_timeout)

    async def _set_busy_timeout(self, seconds: float) -> None:
        await self._conn.execute(f"PRAGMA busy_timeout = {_milliseconds(seconds)}")

    async def _rollback(self) -> None:
        """Roll back, unless SQLite already has (it does after SQLITE_FULL, for one)."""
        if self._conn.in_transaction:
            await self._conn.execute("ROLLBACK")

    @asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read-only connection for the block's reads alone (the one that writes, for a
        database in memory)."""
        if not self._readers:
            yield self._conn
            return
        reader = await self._idle.get()
        try:
            yield reader
        finally:
            if reader.in_transaction:  # a snapshot whose end failed: none is left open
                await reader.rollback()
            self._idle.put_nowait(reader)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Transaction]:
        """A read transaction: every read in it sees the same committed data, from its first
        read on; a write of this process half-way meanwhile is not seen, nor waited for. Read
        through it only (a read of :meth:`fetchall` inside takes another connection), and keep
        it short: the write-ahead log cannot be emptied past it."""
        if not self._readers:
            async with self._lock:
                await self._conn.execute("BEGIN DEFERRED")
                try:
                    yield Transaction(self._conn)
                finally:
                    await self._conn.execute("COMMIT")
            return
        async with self._reader() as reader:
            await reader.execute("BEGIN DEFERRED")
            try:
                yield Transaction(reader)
            finally:
                await reader.execute("COMMIT")

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def insert(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as tx:
            return await tx.insert(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a read, on a read-only connection: the last committed state."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """The rows of a read, on a read-only connection: the last committed state, without
        waiting for a write transaction. A ``PRAGMA`` is the connection that writes' (its busy
        timeout, its page limit), as this process's other settings are."""
        if _is_pragma(sql):
            return await Transaction(self._conn).fetchall(sql, params)
        async with self._reader() as reader:
            return await Transaction(reader).fetchall(sql, params)

    async def point_fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a point read (:meth:`point_fetchall`)."""
        rows = await self.point_fetchall(sql, params)
        return rows[0] if rows else None

    async def point_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """The rows of a point read, bounded by construction: a lookup by primary key or unique
        index (or a one-row table), a few rows at most. The same rows as :meth:`fetchall` (the
        last committed state), read on the event loop itself, without a trip to a thread; the
        caller vouches that the statement is such a lookup (a scan would hold the event loop).

        The connection never waits: when SQLite answers that the database is locked, the read
        goes to a read-only connection's thread as :meth:`fetchall` would. So does a read
        from another thread than the one that opened the database, or of a database in memory.
        (SQLite still retries on its own while another connection rewrites the log's index, a
        matter of microseconds; only a program that held every reader's slot of that index
        would keep it retrying, for seconds, as it would keep a thread's read.)
        """
        point = self._point
        if point is not None and threading.get_ident() == self._point_thread:
            try:
                return _point_read(point, sql, params)
            except sqlite3.OperationalError as exc:
                if not _locked(exc):
                    raise
                log.debug("a point read found the database locked: read in a thread (%s)", exc)
        return await self.fetchall(sql, params)

    async def fetchall_in(
        self, sql: str, values: Sequence[Any], *, point: bool = False
    ) -> list[sqlite3.Row]:
        """The rows of ``sql`` for every value of ``values``, read in batches (SQLite caps the
        parameters of one statement): ``sql`` holds ``{marks}`` where ``?, ?, …`` go, as in
        ``"SELECT … WHERE id IN ({marks})"``. A ``GROUP BY`` must group by that column.

        ``point``: ``sql`` is a point read for each value (a key, a few rows each): up to
        :data:`POINT_VALUES` values, it is read as :meth:`point_fetchall` reads."""
        if point and len(values) <= POINT_VALUES:
            marks = ",".join("?" * len(values))
            return await self.point_fetchall(sql.format(marks=marks), values) if values else []
        rows: list[sqlite3.Row] = []
        async with self._reader() as reader:
            for start in range(0, len(values), IN_BATCH):
                batch = values[start : start + IN_BATCH]
                marks = ",".join("?" * len(batch))
                rows += await Transaction(reader).fetchall(sql.format(marks=marks), batch)
        return rows

    async def check(self) -> str:
        """A short health word: 'ok' or SQLite's complaint (read on a read-only connection,
        without waiting for a write transaction)."""
        async with self._reader() as reader:
            row = await Transaction(reader).fetchone("PRAGMA quick_check")
        return str(row[0]) if row else "unknown"

    async def writable(self, timeout: float = HEALTH_LOCK_TIMEOUT) -> bool:
        """Whether a write could start now: takes the write lock (waiting at most ``timeout``
        seconds for another program's), then lets it go without writing."""
        async with self._lock:
            await self._set_busy_timeout(timeout)
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if not isinstance(user_error(exc), DatabaseBusy):
                    raise
                return False
            else:
                await self._conn.execute("ROLLBACK")
                return True
            finally:
                await self._set_busy_timeout(self.busy_timeout)

    async def scrub(self) -> bool:
        """Leave no byte of deleted rows in the files: rebuild the database without its free
        pages and free space in pages (VACUUM), then move the write-ahead log into it and empty
        it. False when another program's reads kept part of the log (run it again later).
        The read-only connections wait meanwhile, so that none of this process's keeps it (point
        reads too: they take the thread path, and wait with the others)."""
        async with self._lock:
            held = [await self._idle.get() for _ in self._readers]
            point, self._point = self._point, None
            try:
                await self._conn.execute("VACUUM")
                rows = await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                if self._readers:  # not closed meanwhile
                    self._point = point
                elif point is not None:
                    point.close()
                for reader in held:
                    self._idle.put_nowait(reader)
        busy = next(iter(rows), (0,))[0]
        return not busy

    async def backup(self, destination: str | Path) -> None:
        """Write a consistent copy of the database to ``destination`` while it is in use."""
        dest = Path(destination)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".partial")
        target = sqlite3.connect(tmp)
        try:
            async with self._lock:
                await self._conn.backup(target)
        finally:
            target.close()
        tmp.replace(dest)


async def _connect(target: str, busy_timeout: float) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(target, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {_milliseconds(busy_timeout)}")
    except BaseException:
        await conn.close()
        raise
    return conn


def _connect_point(target: str) -> sqlite3.Connection:
    """The read-only connection of point reads: no busy timeout (it never waits for a lock),
    autocommit (each read sees the last committed state, and holds no snapshot after it)."""
    conn = sqlite3.connect(target, timeout=0, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _point_read(conn: sqlite3.Connection, sql: str, params: Params) -> list[sqlite3.Row]:
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()  # the statement reset: its read transaction ends here


def _locked(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED (any extended code): another connection's lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error)


def _is_pragma(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "PRAGMA"


def _milliseconds(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (``sqlite3.complete_statement`` aware)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise MigrationError("migration ends with an incomplete statement")
    return statements
