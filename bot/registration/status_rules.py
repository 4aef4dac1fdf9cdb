"""Which status the evidence supports for an officer: pure rules the service applies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.registration.models import (
    MatchReason,
    Officer,
    OfficerStatus,
    Reconciled,
    StatusChange,
    StatusSource,
    StoredSignup,
)
from bot.registration.reconcile import Match


def target(
    officer: Officer,
    match: Match,
    signups: Mapping[str, StoredSignup],
    now: datetime,
    actor: str,
) -> StatusChange | None:
    """The status ``match`` now supports; ``None`` to leave an organiser's decision alone.

    A sign-up proving the officer registered wins over everything; an organiser's confirmation
    is kept otherwise; then a probable sign-up, then the officer's own declaration.
    """
    signup = signups.get(match.signup) if match.signup else None
    proven = signup is not None and match.status is OfficerStatus.REGISTERED
    if officer.confirmed_at is not None and not proven:
        return None
    if signup is not None and match.status is not OfficerStatus.UNREGISTERED:
        # A registration takes effect when the sign-up was made; a doubt, when it is found.
        when = min(signup.signed_up_at or now, now) if proven else now
        return StatusChange(
            status=match.status,
            effective_at=after(when, officer),
            source=StatusSource.SIGNUPS,
            actor=actor,
            signup_id=signup.id,
            confidence=match.confidence,
            reason=match.reason,
        )
    if officer.self_declared_at is not None:
        return StatusChange(
            status=OfficerStatus.SELF_DECLARED,
            effective_at=after(officer.self_declared_at, officer),
            source=StatusSource.SELF,
            actor=officer.status_actor or actor,
        )
    return StatusChange(
        status=OfficerStatus.UNREGISTERED,
        effective_at=after(now, officer),
        source=StatusSource.SIGNUPS,
        actor=actor,
    )


@dataclass(frozen=True)
class StatusPlan:
    """What a reconciliation writes: status changes (with their history), and new evidence for
    officers whose status stays; ``changed`` says it for the report."""

    changes: list[tuple[Officer, StatusChange]] = field(default_factory=list)
    evidences: list[tuple[int, float, MatchReason]] = field(default_factory=list)
    changed: list[Reconciled] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.evidences)


def plan(
    officers: Mapping[str, Officer],
    matches: Iterable[Match],
    signups: Mapping[str, StoredSignup],
    now: datetime,
    actor: str,
) -> StatusPlan:
    """What :func:`target` says of each match's officer (of ``officers``, by key), as writes."""
    out = StatusPlan()
    for match in matches:
        officer = officers.get(match.officer)
        if officer is None:
            continue
        change = target(officer, match, signups, now, actor)
        if change is None:
            continue
        if (change.status, change.signup_id) != (officer.status, officer.signup_id):
            out.changes.append((officer, change))
            out.changed.append(Reconciled(officer, officer.status, change.status, change.reason))
        elif (change.confidence, change.reason) != (officer.confidence, officer.reason):
            out.evidences.append((officer.id, change.confidence, change.reason))
    return out


def after(when: datetime, officer: Officer) -> datetime:
    """Keep each officer's history in order: a change never takes effect before the last one."""
    return max(when, officer.status_since) if officer.status_since else when
