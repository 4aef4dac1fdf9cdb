"""Roster changes: keys, the dry-run diff, applying it, one-officer validation and the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import as_locale, catalog
from bot.registration.csvfile import is_formula, neutralise
from bot.registration.departments import departments
from bot.registration.problems import FileRejected, Problem
from bot.registration.roster_file import ROSTER_FIELDS, OfficerRecord, validate_officer
from bot.registration.text import compact, fold
from bot.registration.views import FieldChange, RosterDiff, RosterEntry
from bot.storage.database import Transaction
from bot.storage.registration import OfficerFields, OfficerRow, RegistrationRepository

_COMPARED = (
    "first_name",
    "last_name",
    "role",
    "department",
    "email",
    "phone",
    "discord_user_id",
    "discord_username",
)
_LABELS = {f.name: f.label.split(" / ")[0] for f in ROSTER_FIELDS}


def officer_key(record: OfficerRecord) -> str:
    """The roster's identifier, else one made from the department and the name."""
    if record.ext_id:
        return record.ext_id
    return f"{record.department}-{compact(record.last_name)}-{compact(record.first_name)}"


def to_fields(records: Sequence[OfficerRecord], filename: str) -> list[OfficerFields]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    fields = []
    for record in records:
        key = officer_key(record)
        first = seen.setdefault(key.casefold(), record.row)
        if first != record.row:
            problems.append(
                Problem(
                    record.row + 1,
                    None,
                    "registration.problem.duplicate_id",
                    {"value": key, "first": first + 1},
                )
            )
        dep = departments().by_code(record.department)
        search = fold(
            f"{record.first_name} {record.last_name} {key} {record.department} "
            f"{dep.name if dep else ''}"
        )
        fields.append(
            OfficerFields(
                key=key,
                first_name=record.first_name,
                last_name=record.last_name,
                department=record.department,
                role=record.role,
                email=record.email,
                discord_user_id=record.discord_user_id,
                discord_username=record.discord_username,
                phone=record.phone,
                search_text=search,
            )
        )
    if problems:
        raise FileRejected(filename, problems)
    return fields


def validate_one(values: dict[str, str]) -> OfficerRecord:
    """Check fields typed in ``/roster add``; refuse with one line per problem."""
    headers = {f.name: f.label.split(" / ")[0] for f in ROSTER_FIELDS}
    record, problems = validate_officer(values, 1, headers)
    problems = [
        Problem(None, headers[name], "registration.problem.formula", {"value": value})
        for name, value in values.items()
        if is_formula(value)
    ] + problems
    if record is None or problems:
        raise FileRejected(
            "/roster add", [Problem(None, p.column, p.key, p.params) for p in problems]
        )
    return record


def _merged(current: OfficerRow, new: OfficerFields) -> OfficerFields:
    """A file without Discord details keeps the link made with ``/roster link``."""
    if new.discord_user_id is None and (
        not new.discord_username or new.discord_username == current.discord_username
    ):
        return OfficerFields(
            **{
                **new.__dict__,
                "discord_user_id": current.discord_user_id,
                "discord_username": new.discord_username or current.discord_username,
            }
        )
    return new


def _changes(current: OfficerRow, new: OfficerFields) -> list[FieldChange]:
    merged = _merged(current, new)
    changes = []
    for name in _COMPARED:
        old, value = getattr(current, name), getattr(merged, name)
        if (old or None) != (value or None):
            label = _LABELS.get(name.replace("_user_id", "").replace("_username", ""), name)
            changes.append(FieldChange(label, str(old or ""), str(value or "")))
    return changes


def diff(
    current: Sequence[OfficerRow], fields: Sequence[OfficerFields], filename: str
) -> RosterDiff:
    by_key = {o.key.casefold(): o for o in current}
    wanted = {f.key.casefold() for f in fields}
    added, changed = [], []
    unchanged = 0
    for new in fields:
        old = by_key.get(new.key.casefold())
        entry_name = f"{new.first_name} {new.last_name}"
        if old is None:
            added.append(RosterEntry(new.key, entry_name, new.department))
        elif changes := _changes(old, new):
            changed.append(RosterEntry(new.key, entry_name, new.department, changes))
        else:
            unchanged += 1
    removed = [
        RosterEntry(o.key, o.full_name, o.department)
        for o in current
        if o.key.casefold() not in wanted
    ]
    return RosterDiff(filename, added, changed, removed, unchanged, applied=False)


async def apply(
    tx: Transaction,
    repo: RegistrationRepository,
    current: Sequence[OfficerRow],
    fields: Sequence[OfficerFields],
    now: datetime,
) -> None:
    """Write the diff: remove, insert and update officers in ``tx``."""
    by_key = {o.key.casefold(): o for o in current}
    wanted = {f.key.casefold() for f in fields}
    await repo.delete_officers(tx, [o.id for o in current if o.key.casefold() not in wanted])
    for new in fields:
        old = by_key.get(new.key.casefold())
        if old is None:
            await repo.insert_officer(tx, new, now)
        elif _changes(old, new):
            await repo.update_officer(tx, old.id, _merged(old, new))


def export_csv(officers: Sequence[OfficerRow], locale: str, tz: ZoneInfo) -> bytes:
    """UTF-8 with BOM and ``;`` (French Excel opens it as is); re-importing it changes nothing."""
    loc = as_locale(locale)
    t = catalog().t
    header = [
        t(f"registration.export.{name}", loc)
        for name in (
            "id",
            "first_name",
            "last_name",
            "role",
            "department",
            "email",
            "discord",
            "phone",
            "status",
            "since",
        )
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for o in officers:
        discord = str(o.discord_user_id) if o.discord_user_id else o.discord_username
        since = o.status_since.astimezone(tz).strftime("%Y-%m-%d %H:%M") if o.status_since else ""
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    o.key,
                    o.first_name,
                    o.last_name,
                    o.role,
                    o.department,
                    o.email,
                    discord,
                    o.phone,
                    t(f"registration.status.{o.status}", loc),
                    since,
                )
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
