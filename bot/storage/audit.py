"""The audit log: who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.database import Database, Transaction


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    async def record(
        tx: Transaction, at: datetime, actor: str, action: str, detail: str = ""
    ) -> None:
        """Record an entry inside the caller's transaction, so it lands with the change itself."""
        await tx.execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (at.isoformat(), actor, action, detail),
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self._db.fetchall(
            "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [
            AuditEntry(
                r["id"], datetime.fromisoformat(r["at"]), r["actor"], r["action"], r["detail"]
            )
            for r in rows
        ]
