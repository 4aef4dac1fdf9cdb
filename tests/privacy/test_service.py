"""Privacy use cases against a real SQLite file: export, erase (bytes gone), audit, retention."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FixedClock
from bot.errors import NotFound
from bot.privacy.backups import remember
from bot.privacy.models import PrivacyAction
from bot.privacy.service import PrivacyService, RetentionStep
from bot.registration.service import RegistrationService
from bot.storage.database import MIGRATIONS_DIR, Database
from tests.privacy.conftest import ANNE_ID, LUC_ID, ORGANISER, two_officers


async def test_an_officer_exports_all_their_own_data_and_nobody_elses(
    privacy: PrivacyService, registration: RegistrationService, db: Database
) -> None:
    await two_officers(registration, db)
    export = await privacy.export_own(ANNE_ID)
    data = json.loads(export.content)
    assert data["officer"]["email"] == "anne.zorglub@exemple.fr"
    assert [s["email"] for s in data["signups"]] == ["anne.zorglub@exemple.fr"]
    assert [h["status"] for h in data["status_history"]] == ["registered"]
    assert [(n["officer_key"], n["first_name"]) for n in data["nudges"]] == [("R1", "Anne")]
    assert [e["reason"] for e in data["exemptions"]] == ["Zorglubienne en congé"]
    assert data["preferences"]["locales"]["locale"] == "fr"
    assert "luc" not in export.content.decode().lower()
    assert export.filename == "relance-R1.json"


async def test_a_member_not_linked_to_the_roster_gets_nothing(
    privacy: PrivacyService, registration: RegistrationService, db: Database
) -> None:
    await two_officers(registration, db)
    with pytest.raises(NotFound) as caught:
        await privacy.export_own(999999999999999999)
    assert caught.value.key == "privacy.export.not_linked"


async def test_an_organiser_exports_an_officer_found_as_elsewhere(
    privacy: PrivacyService, registration: RegistrationService, db: Database
) -> None:
    await two_officers(registration, db)
    export = await privacy.export_officer("luc roy", ORGANISER)
    assert json.loads(export.content)["officer"]["key"] == "R2"
    audit = await privacy.audit(officer="R2")
    assert (audit.lines[0].action, audit.lines[0].actor) == (PrivacyAction.EXPORT, ORGANISER)


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


async def test_erase_leaves_no_byte_of_the_name_or_email_in_the_database_wal_or_backups(
    privacy: PrivacyService,
    registration: RegistrationService,
    db: Database,
    tmp_path: Path,
) -> None:
    await two_officers(registration, db)
    backup = tmp_path / "backups" / "before.sqlite3"
    env = tmp_path / "test.env"
    env.write_text(f"DATABASE_PATH={db.path}\n", "utf-8")
    assert await asyncio.to_thread(main, ["--env-file", str(env), "backup", str(backup)]) == 0
    everything = [Path(db.path), Path(db.path + "-wal"), *_files(tmp_path / "backups")]
    assert any(b"Zorglubienne" in p.read_bytes() for p in everything)

    erased = await privacy.erase("R1", ORGANISER)

    assert (erased.people, erased.backups) == (1, 1)
    for path in [*_files(tmp_path)]:
        content = path.read_bytes()
        for needle in (b"Zorglubienne", b"anne.zorglub", b"ANNE.ZORGLUB", str(ANNE_ID).encode()):
            assert needle not in content, (path.name, needle)
    # Luc is untouched; the nudge count stays; the erase is audited as a count, by its organiser.
    assert (await registration.find_officer("R2")).email == "luc.roy@exemple.fr"
    rows = await db.fetchall("SELECT officer_key, first_name FROM reminder_deliveries ORDER BY id")
    assert [tuple(r) for r in rows] == [("erased", ""), ("R2", "Luc")]
    last = (await privacy.audit()).lines[0]
    assert (last.action, last.actor, last.detail) == (PrivacyAction.ERASE, ORGANISER, "1")


async def test_erase_of_an_organiser_officer_anonymises_what_they_did(
    privacy: PrivacyService, registration: RegistrationService, db: Database
) -> None:
    await two_officers(registration, db)
    await registration.link("R2", LUC_ID, f"discord:{ANNE_ID}", relink=True)
    await privacy.erase("R1", ORGANISER)
    assert (
        await db.fetchall("SELECT id FROM audit_log WHERE actor = ?", (f"discord:{ANNE_ID}",)) == []
    )


async def test_audit_filters_by_officer_and_by_organiser(
    privacy: PrivacyService, registration: RegistrationService, db: Database
) -> None:
    await two_officers(registration, db)
    await privacy.export_officer("R1", "discord:42")
    by_other = await privacy.audit(organiser_id=42)
    assert [(line.action, line.detail) for line in by_other.lines] == [(PrivacyAction.EXPORT, "R1")]
    about_luc = await privacy.audit(officer="R2")
    assert about_luc.lines == []  # the imports' details name no officer
    everything = await privacy.audit(per_page=2)
    assert (len(everything.lines), everything.total) == (2, 4)
    second = await privacy.audit(per_page=2, page=1)
    assert [line.id for line in second.lines] == [2, 1]


async def test_retention_notices_once_a_week_before_then_purges(
    privacy: PrivacyService, registration: RegistrationService, db: Database, clock: FixedClock
) -> None:
    await two_officers(registration, db)
    retention = privacy.retention()
    assert retention is not None
    # 30 days after 31 March 2010, midnight in Paris.
    assert retention.purge_at.astimezone(UTC) == datetime(2010, 4, 29, 22, 0, tzinfo=UTC)
    clock.set(retention.notice_at - timedelta(minutes=1))
    assert await privacy.retention_step() is RetentionStep.NOTHING
    clock.set(retention.notice_at)
    assert await privacy.retention_step() is RetentionStep.NOTICE
    await privacy.notice_posted()
    assert await privacy.retention_step() is RetentionStep.NOTHING
    clock.set(retention.purge_at)
    assert await privacy.retention_step() is RetentionStep.PURGE
    await privacy.export_officer("R1", ORGANISER)
    purged = await privacy.purge()
    assert purged.people == 2
    details = await db.fetchall("SELECT action, actor, detail FROM audit_log WHERE detail <> ''")
    assert [tuple(r) for r in details] == [("privacy.purge", "scheduler", "2")]
    assert await db.fetchall("SELECT id FROM officers") == []
    assert await db.fetchall("SELECT id FROM signups") == []
    assert await privacy.retention_step() is RetentionStep.NOTHING
    content = Path(db.path).read_bytes()
    assert b"Zorglubienne" not in content and b"luc.roy" not in content


async def test_no_retention_without_the_setting(
    db: Database, clock: FixedClock, registration: RegistrationService
) -> None:
    from bot.config import Settings

    service = PrivacyService(db, clock, Settings(), registration)
    assert service.retention() is None
    assert await service.retention_step() is RetentionStep.NOTHING


async def test_erase_reaches_a_backup_of_an_older_schema(
    privacy: PrivacyService, registration: RegistrationService, db: Database, tmp_path: Path
) -> None:
    """A backup taken before the reminders and the import copies existed (schema 6)."""
    await two_officers(registration, db)
    old_migrations = tmp_path / "old-migrations"
    old_migrations.mkdir()
    for sql in sorted(MIGRATIONS_DIR.glob("*.sql"))[:6]:
        shutil.copy(sql, old_migrations / sql.name)
    old = tmp_path / "backups" / "old.sqlite3"
    backup = await Database.open(old, migrations_dir=old_migrations)
    try:
        await backup.execute(
            "INSERT INTO officers (key, first_name, last_name, department, email, "
            "discord_user_id, created_at) VALUES ('R1', 'Anne', 'Zorglubienne', '56', "
            "'anne.zorglub@exemple.fr', ?, '2010-01-01')",
            (ANNE_ID,),
        )
        await backup.execute(
            "INSERT INTO signups (key, name, email, imported_at) VALUES "
            "('S1', 'Anne Zorglubienne', 'anne.zorglub@exemple.fr', '2010-01-01')"
        )
    finally:
        await backup.close()
    remember(Path(db.path), old)

    erased = await privacy.erase("R1", ORGANISER)

    assert erased.backups == 1
    assert b"Zorglubienne" not in old.read_bytes()
