"""What the registration service returns: plain dataclasses a presenter renders.

Statuses are ``registered``, ``probable``, ``self_declared`` and ``unregistered``; reasons are
keys of :data:`bot.registration.reconcile.REASONS` (catalog: ``registration.reason.<key>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from bot.registration.departments import Department

STATUSES = ("registered", "probable", "self_declared", "unregistered")


@dataclass(frozen=True)
class Choice:
    """An autocomplete choice: ``label`` shown (≤ 100 characters), ``value`` sent back."""

    label: str
    value: str


@dataclass(frozen=True)
class Evidence:
    """The sign-up behind a status."""

    signup_key: str
    name: str
    email: str
    postcode: str
    department: str | None
    signed_up_at: datetime | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class OfficerStatus:
    key: str
    first_name: str
    last_name: str
    role: str
    department: Department
    email: str
    discord_user_id: int | None
    discord_username: str
    status: str
    since: datetime | None  # when the status became true; None: unregistered from the start
    source: str  # signups | review | self | roster | "" (never changed)
    actor: str
    evidence: Evidence | None
    self_declared_at: datetime | None
    confirmed_by: str | None
    last_nudge: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Counts:
    total: int = 0
    registered: int = 0
    probable: int = 0
    self_declared: int = 0
    unregistered: int = 0

    @property
    def percent(self) -> float:
        """Registered out of total, 0–100, one decimal."""
        return round(100 * self.registered / self.total, 1) if self.total else 0.0

    @property
    def missing(self) -> int:
        return self.total - self.registered


@dataclass(frozen=True)
class DepartmentStatus:
    department: Department
    counts: Counts
    officers: list[OfficerStatus]


class OfficerLine(NamedTuple):
    """An officer as a department's list shows them: no evidence, no contact (a tuple: a
    department lists many)."""

    key: str
    first_name: str
    last_name: str
    status: str
    since: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DepartmentList:
    """A department's officers for its list, furthest from registered first, then by name."""

    department: Department
    counts: Counts
    officers: list[OfficerLine]


@dataclass(frozen=True)
class DepartmentProgress:
    department: Department
    counts: Counts


@dataclass(frozen=True)
class CurvePoint:
    day: date
    registered: int


@dataclass(frozen=True)
class Progress:
    region: str | None
    counts: Counts
    today: date
    deadline: date | None
    days_left: int | None  # negative once the deadline has passed
    pace_per_day: float  # registrations per day over the last 7 days
    forecast: date | None  # when everyone is registered at that pace; None if never or done
    behind: list[DepartmentProgress]  # furthest behind first
    departments: list[DepartmentProgress]  # every department with officers, in code order
    curve: list[CurvePoint]  # registered officers at the end of each day


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RosterEntry:
    key: str
    name: str
    department: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class RosterDiff:
    """What importing a roster changes (``applied`` False: a dry run, nothing written)."""

    filename: str
    added: list[RosterEntry]
    changed: list[RosterEntry]
    removed: list[RosterEntry]
    unchanged: int
    applied: bool

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class StatusChangeView:
    key: str
    name: str
    department: str
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class SignupImportReport:
    filename: str
    rows: int
    new: int
    updated: int
    unchanged: int
    changes: list[StatusChangeView]
    counts: Counts


@dataclass(frozen=True)
class Declaration:
    """The result of ``/status moi`` → "I've registered"."""

    officer: OfficerStatus
    changed: bool  # False when already registered or already declared


@dataclass(frozen=True)
class ReviewItem:
    officer: OfficerStatus
    evidence: Evidence
