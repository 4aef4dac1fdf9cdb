"""Privacy use cases: export one officer's data, erase a person everywhere (backups included),
purge personal data after the retention period, read the audit trail. The one door of the cogs,
the command line and the scheduled job."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from bot.clock import Clock
from bot.config import Settings
from bot.errors import NotFound
from bot.privacy import backups
from bot.privacy.models import AuditPage, Erased, Person, PersonalData, PrivacyAction
from bot.privacy.rules import notice_at, purge_at
from bot.privacy.storage import PrivacyRepository
from bot.registration.service import RegistrationService
from bot.storage.audit import AuditRepository
from bot.storage.database import Database
from bot.storage.jobs import JobRepository

log = logging.getLogger(__name__)

NOTICE_JOB = "privacy.retention_notice"  # when the notice was posted (once)


class RetentionStep(StrEnum):
    """What the retention job has to do now."""

    NOTHING = "nothing"
    NOTICE = "notice"  # tell the organisers the purge is coming
    PURGE = "purge"


@dataclass(frozen=True)
class Retention:
    """When the notice goes and the purge runs (``DATA_RETENTION_DAYS`` after the deadline)."""

    notice_at: datetime
    purge_at: datetime
    days: int


@dataclass(frozen=True)
class Export:
    """One officer's data as a JSON file."""

    person: Person
    data: PersonalData
    content: bytes

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.person.key)
        return f"relance-{safe}.json"


class PrivacyService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        registration: RegistrationService,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._registration = registration
        self._repo = PrivacyRepository(db)
        self._jobs = JobRepository(db)

    # --- export --------------------------------------------------------------------------------

    async def export_own(self, discord_user_id: int) -> Export:
        """The caller's own data: the officer linked to their Discord account, nobody else."""
        person = await self._repo.person_by_discord(discord_user_id)
        if person is None:
            raise NotFound("privacy.export.not_linked")
        return await self._export(person, f"discord:{discord_user_id}")

    async def export_officer(self, query: str, actor: str) -> Export:
        """An officer's data for an organiser (the registration service's officer lookup)."""
        return await self._export(await self._find(query), actor)

    async def _export(self, person: Person, actor: str) -> Export:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            rows = await self._repo.personal_data(tx, person)
            await AuditRepository.record(tx, now, actor, PrivacyAction.EXPORT, person.key)
        data = PersonalData(**rows)
        content = json.dumps(data.as_json(now), ensure_ascii=False, indent=2).encode("utf-8")
        return Export(person, data, content)

    async def officer(self, query: str) -> Person:
        """The officer an organiser names, as the other commands find them."""
        return await self._find(query)

    async def _find(self, query: str) -> Person:
        officer = await self._registration.find_officer(query)
        person = await self._repo.person_by_key(officer.key)
        if person is None:  # removed meanwhile
            raise NotFound("registration.officer.not_found", query=query)
        return person

    # --- erase ---------------------------------------------------------------------------------

    async def erase(self, key: str, actor: str) -> Erased:
        """Remove or anonymise the officer of ``key`` everywhere, in the database and in every
        backup ``python -m bot backup`` wrote; the audit trail keeps only a count."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            person = await self._repo.person_by_key(key, tx)
            if person is None:
                raise NotFound("registration.officer.not_found", query=key)
            rows = await self._repo.erase(tx, person)
            await AuditRepository.record(tx, now, actor, PrivacyAction.ERASE, "1")
        if not await self._db.scrub():
            log.warning("erase: the write-ahead log is still read by another connection")
        erased_backups = 0
        for path in backups.known(Path(self._db.path)):
            if await _erase_in_backup(path, person):
                erased_backups += 1
        log.info("erase: 1 person, %d rows, %d backups", sum(rows.values()), erased_backups)
        return Erased(1, rows, erased_backups)

    # --- retention -----------------------------------------------------------------------------

    def retention(self) -> Retention | None:
        """When personal data is purged; None without a deadline or ``DATA_RETENTION_DAYS``."""
        deadline = self._settings.registration_deadline
        days = self._settings.data_retention_days
        if deadline is None or days is None:
            return None
        zone = self._settings.timezone
        return Retention(notice_at(deadline, days, zone), purge_at(deadline, days, zone), days)

    async def retention_step(self) -> RetentionStep:
        """What is due now: the purge once its day has come and there is data to purge, the
        notice once in the week before."""
        retention = self.retention()
        if retention is None:
            return RetentionStep.NOTHING
        now = self._clock.now()
        if now >= retention.purge_at:
            if await self._repo.holds_personal_data():
                return RetentionStep.PURGE
            return RetentionStep.NOTHING
        if now >= retention.notice_at and await self._jobs.last_run(NOTICE_JOB) is None:
            return RetentionStep.NOTICE
        return RetentionStep.NOTHING

    async def notice_posted(self) -> None:
        """The notice went out: it is not posted again."""
        now = self._clock.now()
        await self._jobs.set_last_run(NOTICE_JOB, now)
        async with self._db.transaction() as tx:
            await AuditRepository.record(tx, now, "scheduler", PrivacyAction.RETENTION_NOTICE)

    async def purge(self, actor: str = "scheduler") -> Erased:
        """Every person's data removed or anonymised (the counts stay), in the database and in
        the backups it knows."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            people, rows = await self._repo.purge(tx)
            await AuditRepository.record(tx, now, actor, PrivacyAction.PURGE, str(people))
        await self._db.scrub()
        erased_backups = 0
        for path in backups.known(Path(self._db.path)):
            if await _purge_backup(path):
                erased_backups += 1
        log.info("purge: %d people, %d backups", people, erased_backups)
        return Erased(people, rows, erased_backups)

    # --- the audit trail -----------------------------------------------------------------------

    async def audit(
        self,
        *,
        officer: str | None = None,
        organiser_id: int | None = None,
        page: int = 0,
        per_page: int = 10,
    ) -> AuditPage:
        """The audit trail newest first, about an officer (found as elsewhere) and/or made by
        an organiser."""
        about = await self._find(officer) if officer else None
        actor = f"discord:{organiser_id}" if organiser_id is not None else None
        lines, total = await self._repo.audit_page(
            about=about, actor=actor, offset=page * per_page, limit=per_page
        )
        return AuditPage(lines, total)


async def _erase_in_backup(path: str, person: Person) -> bool:
    """The same person erased in one backup file (found there by key, Discord id or e-mail)."""
    db = await Database.open(path, migrate=False)
    try:
        repo = PrivacyRepository(db)
        async with db.transaction() as tx:
            found = await repo.person_by_key(person.key, tx)
            target = found or Person(-1, person.key, person.discord_user_id, person.email, "")
            await repo.erase(tx, target)
        await db.scrub()
    finally:
        await db.close()
    return True


async def _purge_backup(path: str) -> bool:
    db = await Database.open(path, migrate=False)
    try:
        async with db.transaction() as tx:
            await PrivacyRepository(db).purge(tx)
        await db.scrub()
    finally:
        await db.close()
    return True
