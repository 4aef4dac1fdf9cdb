"""When each scheduled job last ran."""

from __future__ import annotations

from datetime import datetime

from bot.storage.database import Database


class JobRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def last_run(self, key: str) -> datetime | None:
        row = await self._db.fetchone("SELECT last_run FROM scheduled_jobs WHERE key = ?", (key,))
        return datetime.fromisoformat(row["last_run"]) if row else None

    async def set_last_run(self, key: str, when: datetime) -> None:
        await self._db.execute(
            "INSERT INTO scheduled_jobs (key, last_run) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET last_run = excluded.last_run",
            (key, when.isoformat()),
        )
