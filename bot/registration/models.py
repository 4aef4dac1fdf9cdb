"""The registration domain: statuses and the other closed sets, the officers and sign-ups as the
storage keeps them, and what the service returns for a presenter to render.

Each table has one type: :class:`Officer` (``officers``), :class:`StoredSignup` (``signups``),
:class:`HistoryEntry` (``status_history``). The roster's fields of an officer are spelled once, in
:class:`OfficerProfile`, which :class:`Officer` extends; a sign-up's, in :class:`Signup`. Two
narrower reads serve the lists that show many officers: :class:`OfficerName` (autocomplete) and
:class:`OfficerLine` (a department's list); :class:`StatusEvent` is the history as the curve reads
it. Every user-facing word is a catalog key built from these values
(``registration.status.<status>``, ``registration.reason.<reason>``, ``registration.field.<field>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from bot.registration.departments import Department


class OfficerStatus(StrEnum):
    """Where an officer stands; stored as its value."""

    REGISTERED = "registered"
    PROBABLE = "probable"  # a sign-up probably theirs: an organiser confirms or rejects it
    SELF_DECLARED = "self_declared"  # "I've registered", not yet proven by a sign-up
    UNREGISTERED = "unregistered"


# A department's list: furthest from registered first (then by name).
LIST_ORDER: tuple[OfficerStatus, ...] = (
    OfficerStatus.UNREGISTERED,
    OfficerStatus.SELF_DECLARED,
    OfficerStatus.PROBABLE,
    OfficerStatus.REGISTERED,
)
# What an organiser answers: a probable match or a self-declaration.
PENDING: frozenset[OfficerStatus] = frozenset({OfficerStatus.PROBABLE, OfficerStatus.SELF_DECLARED})
# Who is offered "I've registered": nobody proven registered, nobody who already said so.
MAY_DECLARE: frozenset[OfficerStatus] = frozenset(
    {OfficerStatus.UNREGISTERED, OfficerStatus.PROBABLE}
)


class StatusSource(StrEnum):
    """What set an officer's current status."""

    NONE = ""  # never changed since the officer was added
    SIGNUPS = "signups"  # reconciliation with the platform's export
    REVIEW = "review"  # an organiser's answer
    SELF = "self"  # the officer's own declaration


class MatchReason(StrEnum):
    """Why reconciliation gave an officer their status (catalog: ``registration.reason.<value>``)."""

    EMAIL = "email"
    EMAIL_NAME_VARIANT = "email_name_variant"
    EMAIL_NO_NAME = "email_no_name"
    EMAIL_OTHER_NAME = "email_other_name"
    NAME = "name"
    NAME_COMPOUND = "name_compound"
    FIRST_NAME_COMPOUND = "first_name_compound"
    LAST_NAME_TYPO = "last_name_typo"
    FIRST_NAME_TYPO = "first_name_typo"
    NAME_NO_DEPARTMENT = "name_no_department"
    AMBIGUOUS = "ambiguous"
    SHARED = "shared"
    NONE = "none"


class ReviewDecision(StrEnum):
    """An organiser's answer on a probable match or a self-declaration."""

    ACCEPT = "accept"
    REJECT = "reject"


class RosterField(StrEnum):
    """A roster column (catalog: ``registration.field.<value>``), as the export writes them."""

    ID = "id"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    ROLE = "role"
    DEPARTMENT = "department"
    EMAIL = "email"
    DISCORD = "discord"
    PHONE = "phone"


class AuditAction(StrEnum):
    """What the audit trail records of registration."""

    ROSTER_IMPORT = "roster.import"
    ROSTER_ADD = "roster.add"
    ROSTER_REMOVE = "roster.remove"
    ROSTER_LINK = "roster.link"
    LINK_REQUEST = "roster.link_request"  # a member asked by the roster's username
    LINK_REFUSE = "roster.link_refuse"  # an organiser refused that request
    SIGNUPS_IMPORT = "signups.import"
    DECLARE = "status.declare"
    REVIEW_ACCEPT = "review.accept"
    REVIEW_REJECT = "review.reject"
    REVIEW_CONFIRM_STRONG = "review.confirm_strong"
    IMPORT_UNDO = "import.undo"


@dataclass(frozen=True)
class MissingList:
    """Who is still missing: officers not yet registered, of a department (or of the country,
    by region then department), for organisers to call or write to."""

    department: Department | None  # None: the whole country
    officers: list[Officer]
    total: int  # officers in the scope, registered or not


class ImportKind(StrEnum):
    """Which file an import read."""

    ROSTER = "roster"
    SIGNUPS = "signups"


@dataclass(frozen=True)
class ImportRecord:
    """One entry of the import history (``/roster historique``, ``/inscriptions historique``)."""

    id: int
    kind: ImportKind
    at: datetime
    actor: str
    filename: str
    rows: int
    summary: dict[str, int]  # roster: added, changed, removed; sign-ups: new, updated, changes
    undoable: bool  # the last import, whose previous state is kept
    undone_at: datetime | None = None
    undone_by: str | None = None


# --- officers --------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Named:
    """A person's name as the roster gives it."""

    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True, kw_only=True)
class OfficerName(Named):
    """Who an officer is, as autocomplete shows them."""

    key: str  # the roster's identifier, else one made from the department and the name
    department: str  # INSEE code


@dataclass(slots=True, kw_only=True)
class OfficerProfile(OfficerName):
    """What the roster says about an officer."""

    role: str = ""
    email: str = ""
    discord_user_id: int | None = None
    discord_username: str = ""
    phone: str = ""


@dataclass(slots=True, kw_only=True)
class Officer(OfficerProfile):
    """An officer as stored: the roster's fields, the current status and what it rests on."""

    id: int
    status: OfficerStatus = OfficerStatus.UNREGISTERED
    status_since: datetime | None = None  # when the status became true; None: from the start
    status_source: StatusSource = StatusSource.NONE
    status_actor: str = ""
    signup_id: int | None = None
    confidence: float = 0.0
    reason: MatchReason = MatchReason.NONE
    self_declared_at: datetime | None = None
    confirmed_at: datetime | None = None  # an organiser said yes
    confirmed_by: str | None = None
    created_at: datetime


@dataclass(slots=True, kw_only=True)
class OfficerLine(OfficerName):
    """An officer as a department's list shows them: no evidence, no contact."""

    status: OfficerStatus
    status_since: datetime | None


# --- sign-ups ----------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Signup:
    """One sign-up of the platform's export."""

    key: str  # the platform's id, else the normalised e-mail, else the name and date
    name: str  # full name as typed ("NOM Prénom", "Nom, Prénom" and "Prénom Nom" all fine)
    email: str = ""
    postcode: str = ""
    department: str | None = None  # INSEE code, from the postcode or department column
    signed_up_at: datetime | None = None  # UTC


@dataclass(slots=True, kw_only=True)
class StoredSignup(Signup):
    id: int


# --- status changes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChange:
    """A new status for an officer, written to the officer's row and to the history."""

    status: OfficerStatus
    effective_at: datetime
    source: StatusSource
    actor: str
    signup_id: int | None = None
    confidence: float = 0.0
    reason: MatchReason = MatchReason.NONE


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry(StatusChange):
    """A status change as the history keeps it (the history keeps no confidence)."""

    officer_id: int
    previous: OfficerStatus
    recorded_at: datetime


class StatusEvent(NamedTuple):
    """One status change, as much as the registration curve needs (a tuple: there are many)."""

    officer_id: int
    effective_at: datetime
    status: OfficerStatus


# --- what the service returns ------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """An autocomplete choice: ``label`` shown (≤ 100 characters), ``value`` sent back."""

    label: str
    value: str


@dataclass(frozen=True)
class Counts:
    total: int = 0
    registered: int = 0
    probable: int = 0
    self_declared: int = 0
    unregistered: int = 0

    @classmethod
    def of(cls, by_status: Mapping[OfficerStatus, int]) -> Counts:
        """From how many officers have each status."""
        by = {s: by_status.get(s, 0) for s in OfficerStatus}
        return cls(
            sum(by.values()),
            by[OfficerStatus.REGISTERED],
            by[OfficerStatus.PROBABLE],
            by[OfficerStatus.SELF_DECLARED],
            by[OfficerStatus.UNREGISTERED],
        )

    @classmethod
    def counted(cls, statuses: Iterable[OfficerStatus]) -> Counts:
        """From the officers' statuses, one per officer."""
        by: dict[OfficerStatus, int] = {}
        for status in statuses:
            by[status] = by.get(status, 0) + 1
        return cls.of(by)

    @property
    def percent(self) -> float:
        """Registered out of total, 0–100, one decimal."""
        return round(100 * self.registered / self.total, 1) if self.total else 0.0

    @property
    def missing(self) -> int:
        return self.total - self.registered


@dataclass(frozen=True)
class Evidence:
    """The sign-up behind a status, and how sure the match is."""

    signup: StoredSignup
    confidence: float
    reason: MatchReason


@dataclass(frozen=True)
class OfficerDetails:
    """Everything about one officer: ``/status officier``, the CLI, the review."""

    officer: Officer
    department: Department
    evidence: Evidence | None
    last_nudge: datetime | None
    may_declare: bool  # offered "I've registered" (the service's rule)
    own: bool = False  # the officer's own view: no sign-up shown (it may be someone else's)


@dataclass(frozen=True)
class DepartmentStatus:
    """A department's officers with everything about each, in the order of a list."""

    department: Department
    counts: Counts
    officers: list[OfficerDetails]


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
    departments: list[DepartmentProgress]  # every department shown, in code order
    curve: list[CurvePoint]  # registered officers at the end of each day
    # Departments left out of ``departments`` and ``behind`` (still in ``counts``): fewer
    # officers than ``public_min``, their figures would tell one person's status.
    hidden_departments: int = 0
    public_min: int = 1


@dataclass(frozen=True)
class FieldChange:
    field: RosterField
    old: str
    new: str


@dataclass(frozen=True)
class RosterEntry:
    officer: OfficerName
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
    kept: list[RosterEntry] = field(default_factory=list)  # absent from the file, not removed

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class Reconciled:
    """An officer whose status a sign-up import changed."""

    officer: OfficerName
    old: OfficerStatus
    new: OfficerStatus
    reason: MatchReason


@dataclass(frozen=True)
class SignupImportReport:
    filename: str
    rows: int
    new: int
    updated: int
    unchanged: int
    changes: list[Reconciled]
    counts: Counts


@dataclass(frozen=True)
class OfficerMatch:
    """What an officer query found: one officer, or the candidates to pick from."""

    query: str
    officer: Officer | None  # None: several candidates
    candidates: list[Officer] = field(default_factory=list)  # at most the limit of a pick list
    more: bool = False  # there were more candidates than listed


@dataclass(frozen=True)
class LinkPlan:
    """What ``/roster lier`` would change: asked first when a link is replaced."""

    officer: Officer
    member_id: int
    previous_member_id: int | None  # the officer's link now, when it is another account
    other: Officer | None  # the officer this account is linked to now, when another one

    @property
    def replaces(self) -> bool:
        return self.previous_member_id is not None or self.other is not None


@dataclass(frozen=True)
class Declaration:
    """The result of ``/status`` → "I've registered"."""

    officer: OfficerDetails
    changed: bool  # False when already registered or already declared


@dataclass(frozen=True)
class ReviewItem:
    officer: OfficerDetails
    evidence: Evidence

    @property
    def strong(self) -> bool:
        """Whether this probable match may be confirmed with others at once (:func:`strong`)."""
        return strong(self.officer.officer, self.evidence.signup, self.evidence.reason)


# The bulk confirmation of /verification: a probable match is *strong* when all of these hold.
# A namesake in the same department is what made it probable; a namesake who also writes from
# the officer's own organisation's mail domain is not expected.
STRONG_REASONS: frozenset[MatchReason] = frozenset(
    {MatchReason.NAME, MatchReason.NAME_COMPOUND, MatchReason.FIRST_NAME_COMPOUND}
)
"""The names agree (accents, case, hyphens and compound names aside; no typo, no missing
department, not shared with another officer)."""
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.fr",
        "yahoo.com",
        "ymail.com",
        "hotmail.fr",
        "hotmail.com",
        "outlook.fr",
        "outlook.com",
        "live.fr",
        "live.com",
        "msn.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "cegetel.net",
        "club-internet.fr",
        "aliceadsl.fr",
        "numericable.fr",
        "bbox.fr",
        "laposte.net",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aol.fr",
        "gmx.fr",
        "gmx.com",
        "gmx.de",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "yandex.com",
        "mail.com",
        "tutanota.com",
    ]
)
"""Domains anyone may write from: sharing one is no evidence."""


def mail_domain(email: str) -> str:
    """``"Anne.Durand@Jeunes-Parti.fr"`` → ``"jeunes-parti.fr"``; no ``@``: ``""``."""
    local, at, domain = email.strip().rpartition("@")
    return domain.lower() if at and local else ""


def strong(officer: Officer, signup: Signup, reason: MatchReason) -> bool:
    """A probable match whose name agrees (:data:`STRONG_REASONS`), whose sign-up's postcode is
    in the officer's department, and whose sign-up e-mail is on the same domain as the
    officer's roster e-mail, a domain that is not a public mail provider's
    (:data:`PUBLIC_MAIL_DOMAINS`)."""
    domain = mail_domain(officer.email)
    return (
        officer.status is OfficerStatus.PROBABLE
        and reason in STRONG_REASONS
        and bool(signup.postcode)
        and signup.department == officer.department
        and bool(domain)
        and domain not in PUBLIC_MAIL_DOMAINS
        and mail_domain(signup.email) == domain
    )


@dataclass(frozen=True)
class ReviewGroup:
    """A department's probable matches, most likely first."""

    department: Department
    items: list[ReviewItem]


@dataclass(frozen=True)
class ReviewOverview:
    """``/verification``: what is left to check, by department, and the strong matches."""

    groups: list[ReviewGroup]  # most matches first, then by code

    @property
    def total(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def strong(self) -> list[ReviewItem]:
        return [i for g in self.groups for i in g.items if i.strong]


@dataclass(frozen=True)
class BulkConfirmation:
    """The strong matches confirmed at once, and how many matches are left to check."""

    confirmed: list[OfficerName]
    left: int
