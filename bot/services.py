"""The services the Discord layer, the CLI and scheduled jobs share; built once by the entry point.

Every field is typed: a cog receives the service it uses through its constructor, and the type
checker checks each call from a cog into a service.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Catalog
from bot.news.fetch import Fetcher
from bot.news.service import NewsService
from bot.registration.service import RegistrationService
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
    news: NewsService
    fetcher: Fetcher
    started_monotonic: float = field(default_factory=time.monotonic)

    async def close(self) -> None:
        """Release what the services hold open (the HTTP client); the database is closed apart."""
        await self.fetcher.close()


async def build_services(
    settings: Settings, db: Database, clock: Clock, catalog: Catalog
) -> Services:
    fetcher = Fetcher(
        settings.news_fetch_allowlist, settings.news_max_bytes, settings.news_timeout_seconds
    )
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        scheduler=Scheduler(clock, JobRepository(db)),
        registration=RegistrationService(db, clock, settings),
        news=NewsService(db, clock, settings, fetcher),
        fetcher=fetcher,
    )
