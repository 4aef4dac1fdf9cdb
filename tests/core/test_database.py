import asyncio
import sqlite3

import pytest

from bot.__main__ import main
from bot.storage.database import MIGRATIONS_DIR, Database, MigrationError


def write(path, name, sql):
    (path / name).write_text(sql, "utf-8")


async def test_real_migrations_apply_and_reopen(tmp_path):
    db = await Database.open(tmp_path / "relance.sqlite3")
    version = await db.schema_version()
    assert version >= 1
    mode = await db.fetchone("PRAGMA journal_mode")
    assert mode[0] == "wal"
    fk = await db.fetchone("PRAGMA foreign_keys")
    assert fk[0] == 1
    await db.close()
    again = await Database.open(tmp_path / "relance.sqlite3")
    assert await again.schema_version() == version
    await again.close()


async def test_failed_migration_leaves_previous_schema(tmp_path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    write(migrations, "0001_first.sql", "CREATE TABLE a (x INTEGER);")
    db = await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    await db.close()
    write(
        migrations,
        "0002_broken.sql",
        "CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);",
    )
    with pytest.raises(MigrationError, match="0002_broken"):
        await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    raw = sqlite3.connect(tmp_path / "db.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"a"}
    raw.close()


async def test_gap_in_migration_numbers_is_refused(tmp_path):
    write(tmp_path, "0001_a.sql", "CREATE TABLE a (x);")
    write(tmp_path, "0003_c.sql", "CREATE TABLE c (x);")
    with pytest.raises(MigrationError, match="without gaps"):
        await Database.open(tmp_path / "db.sqlite3", migrations_dir=tmp_path)


async def test_newer_database_is_refused(tmp_path):
    raw = sqlite3.connect(tmp_path / "db.sqlite3")
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    with pytest.raises(MigrationError, match="newer than this bot"):
        await Database.open(tmp_path / "db.sqlite3")


async def test_transaction_rolls_back_on_error(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'x')")
            raise RuntimeError("boom")
    row = await db.fetchone("SELECT COUNT(*) FROM audit_log")
    assert row[0] == 0
    await db.close()


async def test_backup_is_a_consistent_copy(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3")
    await db.execute("INSERT INTO audit_log (at, actor, action) VALUES ('t', 'cli', 'test')")
    await db.backup(tmp_path / "copy" / "backup.sqlite3")
    await db.close()
    raw = sqlite3.connect(tmp_path / "copy" / "backup.sqlite3")
    assert raw.execute("SELECT actor, action FROM audit_log").fetchall() == [("cli", "test")]
    raw.close()
    assert not (tmp_path / "copy" / "backup.sqlite3.partial").exists()


async def test_the_backup_command_copies_an_older_schema_without_migrating_it(
    tmp_path, monkeypatch
):
    older = tmp_path / "older-migrations"
    older.mkdir()
    for migration in sorted(MIGRATIONS_DIR.glob("*.sql"))[:2]:
        (older / migration.name).write_text(migration.read_text("utf-8"), "utf-8")
    source = tmp_path / "relance.sqlite3"
    db = await Database.open(source, migrations_dir=older)
    await db.close()
    monkeypatch.setenv("DATABASE_PATH", str(source))
    copy = tmp_path / "backup.sqlite3"
    assert (
        await asyncio.to_thread(main, ["--env-file", str(tmp_path / "none"), "backup", str(copy)])
        == 0
    )
    for path in (source, copy):
        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        raw.close()
