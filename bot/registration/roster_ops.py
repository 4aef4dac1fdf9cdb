"""Roster changes, pure: the officers a file describes, the dry-run diff and the writes it takes
(which the service makes), one-officer validation, the search text and the export."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from bot.i18n import Catalog, Locale
from bot.registration.csvfile import is_formula, neutralise
from bot.registration.departments import departments
from bot.registration.models import (
    FieldChange,
    Officer,
    OfficerProfile,
    RosterDiff,
    RosterEntry,
    RosterField,
)
from bot.registration.problems import FileRejected, Problem
from bot.registration.roster_file import ROSTER_FIELDS, OfficerRecord, validate_officer
from bot.registration.text import fold

# The roster's fields a new file may change, and the column each belongs to.
_COMPARED: tuple[tuple[str, RosterField], ...] = (
    ("first_name", RosterField.FIRST_NAME),
    ("last_name", RosterField.LAST_NAME),
    ("role", RosterField.ROLE),
    ("department", RosterField.DEPARTMENT),
    ("email", RosterField.EMAIL),
    ("phone", RosterField.PHONE),
    ("discord_user_id", RosterField.DISCORD),
    ("discord_username", RosterField.DISCORD),
)
# The export's columns: the roster's, then the status and since when.
_EXPORTED = [f"registration.field.{f}" for f in RosterField] + [
    "registration.export.status",
    "registration.export.since",
]


@dataclass(frozen=True)
class RosterWrites:
    """What applying a roster file writes: officers removed, added, and updated (by id)."""

    removed: list[int] = field(default_factory=list)
    added: list[OfficerProfile] = field(default_factory=list)
    updated: list[tuple[int, OfficerProfile]] = field(default_factory=list)


def profiles(records: Sequence[OfficerRecord], filename: str) -> list[OfficerProfile]:
    """The officers of a parsed roster; two rows with the same key refuse the file."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for record in records:
        key = record.profile.key
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
    if problems:
        raise FileRejected(filename, problems)
    return [r.profile for r in records]


def link_conflicts(
    records: Sequence[OfficerRecord], after: Sequence[OfficerProfile], filename: str
) -> None:
    """Refuse a roster that would leave one Discord account linked to two officers (``after``
    are the officers once it is applied, links kept by :func:`merged` included): each row
    giving an account that another officer holds is named, with that officer."""
    claimed = {
        r.profile.key.casefold(): r.row for r in records if r.profile.discord_user_id is not None
    }
    owners: dict[int, list[OfficerProfile]] = defaultdict(list)
    for officer in after:
        if officer.discord_user_id is not None:
            owners[officer.discord_user_id].append(officer)
    problems: list[Problem] = []
    for user_id, same in owners.items():
        if len(same) < 2:
            continue
        # The holder: one keeping a link already made, else the first row giving it.
        same.sort(key=lambda o: claimed.get(o.key.casefold(), 0))
        holder, *others = same
        for officer in others:
            row = claimed.get(officer.key.casefold())
            if row is None:
                continue
            problems.append(
                Problem(
                    row + 1,
                    None,
                    "registration.problem.discord_taken",
                    {"value": str(user_id), "other": f"{holder.full_name} ({holder.key})"},
                )
            )
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise FileRejected(filename, problems)


def search_text(profile: OfficerProfile) -> str:
    """What autocomplete and search look in: the folded name, key and department."""
    dep = departments().by_code(profile.department)
    return fold(
        f"{profile.first_name} {profile.last_name} {profile.key} {profile.department} "
        f"{dep.name if dep else ''}"
    )


def validate_one(values: dict[str, str]) -> OfficerProfile:
    """Check fields typed in ``/roster add``; refuse with one line per problem."""
    headers = {f.name: f.label for f in ROSTER_FIELDS}  # "Département / Department"
    record, problems = validate_officer(values, 1, headers)
    problems = [
        Problem(None, headers[name], "registration.problem.formula", {"value": value})
        for name, value in values.items()
        if is_formula(value)
    ] + problems
    if record is None or problems:
        raise EntryRejected([Problem(None, p.column, p.key, p.params) for p in problems])
    return record.profile


class EntryRejected(FileRejected):
    """One officer typed in ``/roster add`` refused: said as a single add, field by field,
    not as a file to fix and import again."""

    def __init__(self, details: list[Problem]) -> None:
        super().__init__("/roster add", details)
        self.key = "registration.entry.rejected"
        self.params = {"count": len(details)}

    def lines(self, catalog: Catalog, locale: Locale) -> list[str]:
        shown = []
        for problem in self.details:
            what = catalog.t(problem.key, locale, **problem.params)
            if problem.column:
                french, _, english = problem.column.partition(" / ")
                name = english if locale == "en" and english else french
                what = catalog.t("registration.problem.at_field", locale, field=name, what=what)
            shown.append(what)
        return shown


def merged(current: Officer, new: OfficerProfile) -> OfficerProfile:
    """A file without Discord details keeps the link made with ``/roster link``."""
    if new.discord_user_id is None and (
        not new.discord_username or new.discord_username == current.discord_username
    ):
        return replace(
            new,
            discord_user_id=current.discord_user_id,
            discord_username=new.discord_username or current.discord_username,
        )
    return new


def changes(current: Officer, new: OfficerProfile) -> list[FieldChange]:
    """What ``new`` changes in the roster's fields of ``current``."""
    kept = merged(current, new)
    found = []
    for name, column in _COMPARED:
        old, value = getattr(current, name), getattr(kept, name)
        if (old or None) != (value or None):
            found.append(FieldChange(column, str(old or ""), str(value or "")))
    return found


def plan(
    current: Sequence[Officer],
    new: Sequence[OfficerProfile],
    filename: str,
    remove_missing: bool = True,
) -> tuple[RosterDiff, RosterWrites]:
    """What a roster file changes in the stored roster ``current`` (the diff a dry run shows),
    and the writes that make it the file's ``new``: one comparison serves both. Officers absent
    from the file are removed, unless not ``remove_missing``: then they are kept as they are."""
    by_key = {o.key.casefold(): o for o in current}
    wanted = {p.key.casefold() for p in new}
    absent = [o for o in current if o.key.casefold() not in wanted]
    gone = absent if remove_missing else []
    writes = RosterWrites(removed=[o.id for o in gone])
    added, changed = [], []
    unchanged = 0
    for profile in new:
        old = by_key.get(profile.key.casefold())
        if old is None:
            added.append(RosterEntry(profile))
            writes.added.append(profile)
        elif found := changes(old, profile):
            changed.append(RosterEntry(profile, found))
            writes.updated.append((old.id, merged(old, profile)))
        else:
            unchanged += 1
    removed = [RosterEntry(o) for o in gone]
    kept = [] if remove_missing else [RosterEntry(o) for o in absent]
    diff = RosterDiff(filename, added, changed, removed, unchanged, applied=False, kept=kept)
    return diff, writes


def export_csv(
    catalog: Catalog, officers: Sequence[Officer], locale: Locale, tz: ZoneInfo
) -> bytes:
    """UTF-8 with BOM and ``;`` (French Excel opens it as is); re-importing it changes nothing."""
    t = catalog.t
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([t(key, locale) for key in _EXPORTED])
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
                    t(f"registration.status.{o.status}", locale),
                    since,
                )
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
