"""The services the Discord layer, the CLI and scheduled jobs share; built once by the entry point."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Catalog
from bot.scheduler import Scheduler
from bot.storage.database import Database
from bot.storage.jobs import JobRepository


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    catalog: Catalog
    started_monotonic: float = field(default_factory=time.monotonic)
    # Feature services, attached by build_services when their package is present.
    registration: Any = None
    news: Any = None
    scheduler: Any = None
    fetcher: Any = None

    async def close(self) -> None:
        """Release what the services hold open (the HTTP client); the database is closed apart."""
        if self.fetcher is not None:
            await self.fetcher.close()


async def build_services(
    settings: Settings, db: Database, clock: Clock, catalog: Catalog
) -> Services:
    from bot.news.fetch import Fetcher
    from bot.news.service import NewsService
    from bot.registration.service import RegistrationService

    services = Services(settings=settings, db=db, clock=clock, catalog=catalog)
    services.scheduler = Scheduler(clock, JobRepository(db))
    services.registration = RegistrationService(db, clock, settings)
    services.fetcher = Fetcher(
        settings.news_fetch_allowlist, settings.news_max_bytes, settings.news_timeout_seconds
    )
    services.news = NewsService(db, clock, settings, services.fetcher)
    return services
