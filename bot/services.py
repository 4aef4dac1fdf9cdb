"""The services the Discord layer, the CLI and scheduled jobs share; built once by the entry point."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Catalog
from bot.storage.database import Database

if TYPE_CHECKING:
    pass


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


async def build_services(
    settings: Settings, db: Database, clock: Clock, catalog: Catalog
) -> Services:
    services = Services(settings=settings, db=db, clock=clock, catalog=catalog)
    return services
