"""What `/sante` reports: version, uptime and the database's state, without a cog touching SQL."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.storage.database import Database


@dataclass(frozen=True)
class Health:
    uptime_seconds: int
    database: str  # "ok" or SQLite's complaint
    schema_version: int
    locked: bool = False  # another program holds the write lock: writes would wait, then fail


class HealthService:
    def __init__(self, db: Database, started_monotonic: float | None = None) -> None:
        self._db = db
        self._started = time.monotonic() if started_monotonic is None else started_monotonic

    async def report(self) -> Health:
        return Health(
            uptime_seconds=int(time.monotonic() - self._started),
            database=await self._db.check(),
            schema_version=await self._db.schema_version(),
            locked=not await self._db.writable(),
        )
