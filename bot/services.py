"""The services the Discord layer, the CLI and scheduled jobs share; built once by the entry point.

Every field is typed: a cog receives the service it uses through its constructor, and the type
checker checks each call from a cog into a service.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.health import HealthService
from bot.i18n import Catalog
from bot.news.fetch import Fetcher
from bot.news.service import NewsService
from bot.privacy.service import PrivacyService
from bot.registration.service import RegistrationService
from bot.reminders.service import ReminderService
from bot.reminders.storage import ReminderRepository
from bot.scheduler import Scheduler
from bot.storage.database import Database
from bot.storage.jobs import JobRepository


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    clock: Clock
    catalog: Catalog
    scheduler: Scheduler
    registration: RegistrationService
    reminders: ReminderService
    news: NewsService
    privacy: PrivacyService
    fetcher: Fetcher
    health: HealthService

    async def close(self) -> None:
        """Release what the services hold open (the HTTP client, the sign-up import's worker
        process); the database is closed apart."""
        await self.fetcher.close()
        await self.registration.close()


async def build_services(
    settings: Settings, db: Database, clock: Clock, catalog: Catalog
) -> Services:
    fetcher = Fetcher(
        settings.news_fetch_allowlist, settings.news_max_bytes, settings.news_timeout_seconds
    )
    # /status shows each officer's last nudge, read from the reminders' ledger.
    registration = RegistrationService(db, clock, settings, catalog, nudges=ReminderRepository(db))
    reminders = ReminderService(db, clock, settings, catalog, registration)
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        scheduler=Scheduler(clock, JobRepository(db)),
        registration=registration,
        reminders=reminders,
        news=NewsService(db, clock, settings, fetcher),
        privacy=PrivacyService(db, clock, settings, registration),
        fetcher=fetcher,
        health=HealthService(db),
    )


@asynccontextmanager
async def open_services(
    settings: Settings, clock: Clock | None = None, catalog: Catalog | None = None
) -> AsyncIterator[Services]:
    """Open the database (migrated), build every service, and close both afterwards."""
    db = await Database.open(settings.database_path)
    try:
        services = await build_services(
            settings, db, clock or SystemClock(), catalog or Catalog.load()
        )
        try:
            yield services
        finally:
            await services.close()
    finally:
        await db.close()
