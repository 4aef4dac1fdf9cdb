"""Command-line entry points over the registration services; each returns the text to print.

``python -m bot reconcile`` needs no database; the others open one through the caller.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.errors import InvalidInput
from bot.i18n import Locale, as_locale, catalog
from bot.registration.reconcile import reconcile_files
from bot.registration.service import RegistrationService
from bot.registration.views import Counts, OfficerStatus
from bot.storage.database import Database

ACTOR = "cli"


def cmd_reconcile(roster: str | Path, signups: str | Path) -> str:
    """The stateless reconciliation, as a JSON array (one object per roster row, in order)."""
    return json.dumps(
        reconcile_files(_existing(roster), _existing(signups)), ensure_ascii=False, indent=1
    )


async def cmd_import_roster(
    db: Database,
    path: str | Path,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    apply: bool = True,
) -> str:
    """Import a roster; with ``apply`` False, only show what would change."""
    settings = settings or Settings()
    file = _existing(path)
    service = RegistrationService(db, clock or SystemClock(), settings)
    diff = await service.import_roster(file.read_bytes(), file.name, ACTOR, apply=apply)
    locale = as_locale(settings.locale)
    lines = [
        catalog().t(
            "registration.cli.roster",
            locale,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
            unchanged=diff.unchanged,
        )
    ]
    for label, entries in (("+", diff.added), ("~", diff.changed), ("-", diff.removed)):
        lines.extend(f"  {label} {e.key}  {e.name} ({e.department})" for e in entries)
    if not apply and not diff.is_empty:
        lines.append(catalog().t("registration.cli.dry_run", locale))
    return "\n".join(lines)


async def cmd_import_signups(
    db: Database,
    path: str | Path,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
) -> str:
    settings = settings or Settings()
    file = _existing(path)
    service = RegistrationService(db, clock or SystemClock(), settings)
    report = await service.import_signups(file.read_bytes(), file.name, ACTOR)
    locale = as_locale(settings.locale)
    t = catalog().t
    lines = [
        t(
            "registration.cli.signups",
            locale,
            rows=report.rows,
            new=report.new,
            updated=report.updated,
            changes=len(report.changes),
        )
    ]
    lines.extend(
        f"  {c.key}  {c.name} ({c.department}): {t(f'registration.status.{c.old}', locale)} → "
        f"{t(f'registration.status.{c.new}', locale)}"
        for c in report.changes
    )
    lines.append(_counts_line(report.counts, locale))
    return "\n".join(lines)


async def cmd_status(
    db: Database,
    department: str | None,
    as_json: bool,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
) -> str:
    """National progress, or one department's officers; ``as_json`` for scripts."""
    settings = settings or Settings()
    service = RegistrationService(db, clock or SystemClock(), settings)
    locale = as_locale(settings.locale)
    if department:
        status = await service.status_department(department)
        if as_json:
            return json.dumps(
                {
                    "department": status.department.code,
                    "name": status.department.name,
                    "total": status.counts.total,
                    "registered": status.counts.registered,
                    "probable": status.counts.probable,
                    "self_declared": status.counts.self_declared,
                    "officers": [_officer_json(o) for o in status.officers],
                },
                ensure_ascii=False,
                indent=1,
            )
        lines = [f"{status.department.label}: " + _counts_line(status.counts, locale)]
        lines.extend(_officer_line(o, locale, settings) for o in status.officers)
        return "\n".join(lines)
    progress = await service.progress()
    if as_json:
        return json.dumps(
            {
                "total": progress.counts.total,
                "registered": progress.counts.registered,
                "percent": progress.counts.percent,
                "probable": progress.counts.probable,
                "self_declared": progress.counts.self_declared,
                "deadline": progress.deadline.isoformat() if progress.deadline else None,
                "days_left": progress.days_left,
                "pace_per_day": progress.pace_per_day,
                "forecast": progress.forecast.isoformat() if progress.forecast else None,
                "behind": [
                    {
                        "department": d.department.code,
                        "registered": d.counts.registered,
                        "total": d.counts.total,
                    }
                    for d in progress.behind
                ],
            },
            ensure_ascii=False,
            indent=1,
        )
    t = catalog().t
    lines = [_counts_line(progress.counts, locale)]
    if progress.days_left is not None:
        lines.append(t("registration.cli.deadline", locale, days=progress.days_left))
    lines.append(
        t(
            "registration.cli.pace",
            locale,
            pace=progress.pace_per_day,
            forecast=progress.forecast.isoformat() if progress.forecast else "—",
        )
    )
    lines.extend(
        f"  {d.department.label}: {d.counts.registered}/{d.counts.total}" for d in progress.behind
    )
    return "\n".join(lines)


def _counts_line(counts: Counts, locale: Locale) -> str:
    return catalog().t(
        "registration.cli.counts",
        locale,
        registered=counts.registered,
        total=counts.total,
        percent=counts.percent,
        probable=counts.probable,
        declared=counts.self_declared,
    )


def _officer_line(o: OfficerStatus, locale: Locale, settings: Settings) -> str:
    status = catalog().t(f"registration.status.{o.status}", locale)
    since = _local(o.since, settings) if o.since else ""
    return f"  {o.key}  {o.full_name}: {status} {since}".rstrip()


def _officer_json(o: OfficerStatus) -> dict[str, object]:
    return {
        "officer": o.key,
        "name": o.full_name,
        "status": o.status,
        "since": o.since.isoformat() if o.since else None,
        "signup": o.evidence.signup_key if o.evidence else None,
        "reason": o.evidence.reason if o.evidence else None,
    }


def _local(when: datetime, settings: Settings) -> str:
    return when.astimezone(settings.timezone).strftime("%Y-%m-%d")


def _existing(path: str | Path) -> Path:
    file = Path(path)
    if not file.is_file():
        raise InvalidInput("registration.cli.no_file", path=str(path))
    return file
