"""A database locked by another program, or full: said in time, in words, nothing half-written."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import DatabaseBusy, DiskFull, render_user_error
from bot.health import HealthService
from bot.i18n import Catalog
from bot.storage import database
from bot.storage.database import Database
from tests.e2e.conftest import demo_deadline, running_bot, wait_for

INSERT = "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'test', ?)"


@contextmanager
def write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program's connection holding the write lock on ``path``."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_write_under_another_programs_lock_says_busy(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3", busy_timeout=0.05)
    with write_lock(tmp_path / "db.sqlite3"), pytest.raises(DatabaseBusy) as caught:
        await db.execute(INSERT, ("locked",))
    text = render_user_error(Catalog.load(), caught.value, "fr")
    assert text.startswith("La base de données est occupée")
    assert "réessayez dans un instant" in text
    assert await db.fetchall("SELECT action FROM audit_log") == []
    await db.execute(INSERT, ("after",))
    assert [r[0] for r in await db.fetchall("SELECT action FROM audit_log")] == ["after"]
    await db.close()


async def test_a_transaction_that_only_reads_answers_under_another_programs_lock(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3", busy_timeout=0.05)
    await db.execute(INSERT, ("before",))
    with write_lock(tmp_path / "db.sqlite3"):
        async with db.transaction() as tx:
            rows = await tx.fetchall("SELECT action FROM audit_log")
        assert [r[0] for r in rows] == ["before"]
        assert (await db.fetchone("SELECT COUNT(*) FROM audit_log"))[0] == 1
    await db.close()


async def test_a_write_after_reads_under_another_programs_lock_says_busy(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3", busy_timeout=0.05)
    with write_lock(tmp_path / "db.sqlite3"), pytest.raises(DatabaseBusy):
        async with db.transaction() as tx:
            await tx.fetchall("SELECT action FROM audit_log")
            await tx.execute(INSERT, ("locked",))
    await db.execute(INSERT, ("after",))
    assert (await db.fetchone("SELECT COUNT(*) FROM audit_log"))[0] == 1
    await db.close()


async def test_writes_queued_behind_a_busy_one_say_busy_and_keep_the_timeout(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3", busy_timeout=0.1)
    with write_lock(tmp_path / "db.sqlite3"):
        results = await asyncio.gather(
            *(db.execute(INSERT, (str(n),)) for n in range(3)), return_exceptions=True
        )
    assert [type(r) for r in results] == [DatabaseBusy] * 3
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 100
    await db.execute(INSERT, ("after",))
    assert (await db.fetchone("SELECT COUNT(*) FROM audit_log"))[0] == 1
    await db.close()


async def test_the_health_check_reports_another_programs_lock(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3")
    health = HealthService(db)
    assert (await health.report()).locked is False
    with write_lock(tmp_path / "db.sqlite3"):
        report = await health.report()
        assert report.locked is True
        assert report.database == "ok"
    assert (await health.report()).locked is False
    # The check left the connection's own busy timeout as it was.
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 2000
    await db.close()


async def test_a_full_database_says_disk_full_and_writes_nothing(tmp_path, caplog):
    db = await Database.open(tmp_path / "db.sqlite3")
    pages = (await db.fetchone("PRAGMA page_count"))[0]
    assert (await db.fetchone(f"PRAGMA max_page_count = {pages + 1}"))[0] == pages + 1
    with caplog.at_level(logging.ERROR), pytest.raises(DiskFull) as caught:
        async with db.transaction() as tx:
            for n in range(200):
                await tx.execute(INSERT, ("x" * 2000 + str(n),))
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert [r.getMessage() for r in caplog.records if r.name == "bot.storage.database"] == [
        "the database's disk is full: free space on the server (database or disk is full)"
    ]
    text = render_user_error(Catalog.load(), caught.value, "fr")
    assert text.startswith("Disque plein")
    assert "libérer de la place sur le serveur" in text
    assert (await db.fetchone("SELECT COUNT(*) FROM audit_log"))[0] == 0
    await db.fetchone("PRAGMA max_page_count = 1000000")
    await db.execute(INSERT, ("after",))
    assert [r[0] for r in await db.fetchall("SELECT action FROM audit_log")] == ["after"]
    await db.close()


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """The bot's writes give up on another program's lock at once (no real wait in tests)."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.05)


async def test_sante_through_discord_reports_another_programs_lock(tmp_path, short_busy_timeout):
    async with running_bot(tmp_path) as running:
        with write_lock(running.settings.database_path):
            result = await running.invoke("/sante")
        fields = {f["name"]: f["value"] for f in result.message.embeds[0]["fields"]}
        locked = fields["Base de données"]
        assert locked.startswith("occupée") and "un autre programme écrit dans la base" in locked
        again = await running.invoke("/sante")
        fields = {f["name"]: f["value"] for f in again.message.embeds[0]["fields"]}
        assert fields["Base de données"].startswith("ok (schéma v")


async def test_status_answers_and_a_roster_addition_says_busy_under_another_programs_lock(
    tmp_path, short_busy_timeout
):
    zone = Settings.from_env({}, Catalog.load()).timezone
    deadline = demo_deadline(datetime.now(UTC), zone)
    async with running_bot(tmp_path, demo=True, registration_deadline=deadline) as running:
        catalog = running.bot.catalog
        claire = running.sandbox.member("claire").id
        await running.bot.services.registration.link("RDJ-00058", claire, "test")
        await running.invoke("/aide", as_member="alice")  # alice's language remembered
        with write_lock(running.settings.database_path):
            mine = await running.invoke("/status", as_member="claire")
            added = await running.invoke(
                "/roster ajouter prenom:Yvon nom:Verrou departement:56", as_member="alice"
            )
        statuses = [f["value"] for f in mine.message.embeds[0]["fields"] if f["name"] == "Statut"]
        assert statuses == ["❌ non inscrit"]
        assert added.messages[-1].content == catalog.t("error.database_busy", "fr")
        assert added.messages[-1].ephemeral
        again = await running.invoke(
            "/roster ajouter prenom:Yvon nom:Verrou departement:56", as_member="alice"
        )
        assert "Verrou" in again.messages[-1].content, again.messages[-1].content


async def test_a_language_not_remembered_under_a_lock_is_a_warning_not_a_traceback(
    tmp_path, short_busy_timeout, caplog
):
    async with running_bot(tmp_path) as running:

        def reminders() -> list[logging.LogRecord]:
            return [r for r in caplog.records if r.name == "cogs.reminders._cog"]

        with write_lock(running.settings.database_path), caplog.at_level(logging.WARNING):
            answer = await running.invoke("/aide", as_member="alice", locale="en-US")
            # the language is stored by a listener of its own, beside the command
            await wait_for(lambda: bool(reminders()))
        assert answer.message.embeds
        assert [(r.levelno, r.getMessage()) for r in reminders()] == [
            (logging.WARNING, "interaction language not remembered: DatabaseBusy")
        ]
        assert all(r.exc_info is None for r in reminders())
