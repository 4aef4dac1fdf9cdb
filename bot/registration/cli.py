"""The registration commands of ``python -m bot``: each formats a service's result as the text to
print, in the configured language.

:class:`RegistrationCli` takes the service the composition root built; ``reconcile`` needs no
database and calls the domain directly (:func:`cmd_reconcile`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.i18n import Catalog, Locale
from bot.registration.formats import day, decimal
from bot.registration.models import Counts, OfficerDetails, OfficerLine, OfficerStatus, Progress
from bot.registration.reconcile import PARIS, reconcile_files

if TYPE_CHECKING:  # ``reconcile`` opens no database: it does not import the service
    from bot.registration.service import RegistrationService

ACTOR = "cli"


def cmd_reconcile(
    catalog: Catalog,
    locale: Locale,
    roster: str | Path,
    signups: str | Path,
    tz: ZoneInfo = PARIS,
) -> str:
    """The stateless reconciliation, as a JSON array (one object per roster row, in order)."""
    matches = reconcile_files(_existing(roster), _existing(signups), tz)
    return json.dumps(
        [
            {
                "officer": m.officer,
                "status": m.status,
                "signup": m.signup,
                "confidence": m.confidence,
                "reason": catalog.t(f"registration.reason.{m.reason}", locale),
            }
            for m in matches
        ],
        ensure_ascii=False,
        indent=1,
    )


@dataclass(frozen=True)
class RegistrationCli:
    """The commands that read or write the database, through the service."""

    service: RegistrationService
    catalog: Catalog
    locale: Locale

    def _t(self, key: str, /, **params: object) -> str:
        return self.catalog.t(key, self.locale, **params)

    def _status(self, status: OfficerStatus) -> str:
        return self._t(f"registration.status.{status}")

    async def import_roster(
        self, path: str | Path, *, apply: bool = True, remove_missing: bool = False
    ) -> str:
        """Import a roster: additions and changes at once (scripts run it), with what changed;
        officers absent from the file are removed only with ``remove_missing``
        (``--remove-missing``). With ``apply`` False, only show what would change."""
        file = _existing(path)
        diff = await self.service.import_roster(
            file.read_bytes(), file.name, ACTOR, apply=apply, remove_missing=remove_missing
        )
        lines = [
            self._t(
                "registration.cli.roster",
                added=len(diff.added),
                changed=len(diff.changed),
                removed=len(diff.removed),
                unchanged=diff.unchanged,
            )
        ]
        for mark, entries in (("+", diff.added), ("~", diff.changed), ("-", diff.removed)):
            lines.extend(
                f"  {mark} {e.officer.key}  {e.officer.full_name} ({e.officer.department})"
                for e in entries
            )
        if diff.kept:
            lines.append(self._t("registration.cli.kept_missing", count=len(diff.kept)))
        if not apply and not diff.is_empty:
            lines.append(self._t("registration.cli.dry_run"))
        return "\n".join(lines)

    async def import_signups(self, path: str | Path, *, yes: bool = False) -> str:
        """Import a sign-up export; one changing most statuses needs ``yes`` (``--yes``)."""
        from bot.registration.service import LargeChange

        file = _existing(path)
        try:
            report = await self.service.import_signups(
                file.read_bytes(), file.name, ACTOR, ask_if_large=not yes
            )
        except LargeChange as exc:
            raise InvalidInput("registration.cli.large_change", **exc.params) from None
        lines = [
            self._t(
                "registration.cli.signups",
                rows=report.rows,
                new=report.new,
                updated=report.updated,
                changes=len(report.changes),
            )
        ]
        lines.extend(
            f"  {c.officer.key}  {c.officer.full_name} ({c.officer.department}): "
            f"{self._status(c.old)} → {self._status(c.new)}"
            for c in report.changes
        )
        lines.append(self._counts_line(report.counts))
        return "\n".join(lines)

    async def status(self, department: str | None, as_json: bool) -> str:
        """National progress, or one department's officers; ``as_json`` for scripts."""
        if department:
            return await self._department(department, as_json)
        progress = await self.service.progress()
        return _progress_json(progress) if as_json else self._progress_text(progress)

    async def _department(self, department: str, as_json: bool) -> str:
        if not as_json:  # the lines show no evidence: the list reads no sign-up nor reminder
            listed = await self.service.department_list(department)
            lines = [f"{listed.department.label}: {self._counts_line(listed.counts)}"]
            lines.extend(self._officer_line(o) for o in listed.officers)
            return "\n".join(lines)
        status = await self.service.status_department(department)
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

    def _progress_text(self, progress: Progress) -> str:
        lines = [self._counts_line(progress.counts)]
        if progress.days_left is not None:
            lines.append(self._t("registration.cli.deadline", days=progress.days_left))
        pace = decimal(progress.pace_per_day, self.locale)
        if progress.forecast is not None:
            forecast = day(progress.forecast, self.locale)
            lines.append(self._t("registration.cli.pace", pace=pace, forecast=forecast))
        elif progress.counts.missing > 0:  # not moving: no day to give
            lines.append(self._t("registration.cli.pace_never", pace=pace))
        else:
            lines.append(self._t("registration.cli.pace_done", pace=pace))
        lines.extend(
            "  "
            + self._t(
                "reg.ui.behind_line",
                department=d.department.label,
                registered=d.counts.registered,
                total=d.counts.total,
                percent=decimal(d.counts.percent, self.locale),
            )
            for d in progress.behind
        )
        return "\n".join(lines)

    def _counts_line(self, counts: Counts) -> str:
        return self._t(
            "registration.cli.counts",
            registered=counts.registered,
            total=counts.total,
            percent=decimal(counts.percent, self.locale),
            probable=counts.probable,
            declared=counts.self_declared,
        )

    def _officer_line(self, o: OfficerLine) -> str:
        since = o.status_since.astimezone(self.service.timezone) if o.status_since else None
        day = since.strftime("%Y-%m-%d") if since else ""
        return f"  {o.key}  {o.full_name}: {self._status(o.status)} {day}".rstrip()


def _progress_json(progress: Progress) -> str:
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


def _officer_json(details: OfficerDetails) -> dict[str, object]:
    o, evidence = details.officer, details.evidence
    return {
        "officer": o.key,
        "name": o.full_name,
        "status": o.status,
        "since": o.status_since.isoformat() if o.status_since else None,
        "signup": evidence.signup.key if evidence else None,
        "reason": evidence.reason if evidence else None,
    }


def _existing(path: str | Path) -> Path:
    file = Path(path)
    if not file.is_file():
        raise InvalidInput("registration.cli.no_file", path=str(path))
    return file
