"""Privacy: who a person is to the database, what the bot holds about them, what an erase left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

ERASED = "erased"  # what stands for an erased person wherever a row is kept for its counts


class PrivacyAction(StrEnum):
    """What the audit trail records of privacy."""

    EXPORT = "privacy.export"
    ERASE = "privacy.erase"
    PURGE = "privacy.purge"
    RETENTION_NOTICE = "privacy.retention_notice"


@dataclass(frozen=True)
class Person:
    """One officer as every table may name them: roster id, key, Discord id, e-mail."""

    officer_id: int
    key: str
    discord_user_id: int | None
    email: str
    full_name: str

    @property
    def actor(self) -> str | None:
        """How the audit trail and the ``*_by`` columns name them when they acted."""
        return None if self.discord_user_id is None else f"discord:{self.discord_user_id}"


Row = dict[str, Any]


@dataclass(frozen=True)
class PersonalData:
    """Everything the bot holds about one officer, table by table, as stored."""

    officer: Row
    status_history: list[Row]
    signups: list[Row]
    rejected_matches: list[Row]
    nudges: list[Row]
    exemptions: list[Row]
    snoozes: list[Row]
    preferences: Row
    audit: list[Row]
    import_copies: dict[str, list[Row]] = field(default_factory=dict)
    link_requests: list[Row] = field(default_factory=list)  # asked by the roster's username

    def as_json(self, exported_at: datetime) -> dict[str, Any]:
        return {
            "exported_at": exported_at.isoformat(),
            "officer": self.officer,
            "status_history": self.status_history,
            "signups": self.signups,
            "rejected_matches": self.rejected_matches,
            "nudges": self.nudges,
            "exemptions": self.exemptions,
            "snoozes": self.snoozes,
            "preferences": self.preferences,
            "link_requests": self.link_requests,
            "audit": self.audit,
            "copies_before_last_import": self.import_copies,
        }


@dataclass(frozen=True)
class Erased:
    """What one erase removed or anonymised, counted by table (no name anywhere)."""

    people: int
    rows: dict[str, int]
    backups: int = 0  # backup files erased as well

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as ``/audit`` shows it."""

    id: int
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    """A page of the audit trail, newest first, with the number of entries matching."""

    lines: list[AuditLine]
    total: int
