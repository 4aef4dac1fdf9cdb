"""The registration service: one call per command, for the cogs, the CLI and the shell.

Every write happens in one transaction together with its audit entry and the reconciliation it
triggers, so a failure leaves nothing half-written. Bad input raises :class:`~bot.errors.UserError`
subclasses carrying catalog keys.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Generic, Protocol, TypeVar

from bot.clock import Clock
from bot.config import Settings
from bot.errors import InvalidInput, NotFound
from bot.i18n import Locale
from bot.registration import roster_ops
from bot.registration.departments import Department, departments
from bot.registration.names import normalise_email
from bot.registration.progress import (
    forecast,
    furthest_behind,
    pace_per_day,
    registration_curve,
)
from bot.registration.reconcile import Match, OfficerIn, SignupIn, reconcile
from bot.registration.roster_file import MAX_ROSTER_BYTES, parse_roster
from bot.registration.signup_file import MAX_SIGNUP_BYTES, SignupRecord, parse_signups
from bot.registration.text import words
from bot.registration.views import (
    Choice,
    Counts,
    Declaration,
    DepartmentList,
    DepartmentProgress,
    DepartmentStatus,
    Evidence,
    OfficerLine,
    OfficerStatus,
    Progress,
    ReviewItem,
    RosterDiff,
    RosterEntry,
    SignupImportReport,
    StatusChangeView,
)
from bot.scheduler import TaskGroup
from bot.storage.audit import AuditRepository
from bot.storage.database import Database, Transaction
from bot.storage.registration import (
    OfficerRow,
    RegistrationRepository,
    SignupFields,
    SignupRow,
    StatusChange,
)


class NudgeLookup(Protocol):
    """Provided by the reminders feature: when each officer was last nudged."""

    async def last_nudges(self, officer_keys: Sequence[str]) -> Mapping[str, datetime]: ...


CHARTS_KEPT = 8
AHEAD_AFTER_SECONDS = 2.0  # without a write, before the chart is drawn ahead of time
K = TypeVar("K")
V = TypeVar("V")


class Shared(Generic[K, V]):
    """Work under way, by what it computes: a second caller asking for the same (equal) key waits
    for the first one's result instead of doing the work again. A caller cancelled while waiting
    does not cancel the work for the others."""

    def __init__(self) -> None:
        self._running: list[tuple[K, asyncio.Future[V]]] = []

    async def run(self, key: K, work: Callable[[], Awaitable[V]]) -> V:
        for running_key, running in self._running:
            if running_key == key:
                return await asyncio.shield(running)
        future = asyncio.ensure_future(work())
        entry = (key, future)
        self._running.append(entry)
        future.add_done_callback(lambda _: self._done(entry))
        return await asyncio.shield(future)

    def _done(self, entry: tuple[K, asyncio.Future[V]]) -> None:
        self._running.remove(entry)
        if not entry[1].cancelled():
            entry[1].exception()  # raised to the callers waiting; no "never retrieved" warning


class RegistrationService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        *,
        nudges: NudgeLookup | None = None,
        roster_max_bytes: int = MAX_ROSTER_BYTES,
        signups_max_bytes: int = MAX_SIGNUP_BYTES,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._nudges = nudges
        self._repo = RegistrationRepository(db)
        self._roster_max = roster_max_bytes
        self._signups_max = signups_max_bytes
        # /progress reads the whole status history and draws a chart: the figures are kept until
        # the database changes (or the day does), the last charts drawn by their figures.
        self._progress: dict[tuple[str | None, date], tuple[tuple[int, int], Progress]] = {}
        self._charts: list[tuple[Progress, Locale, bytes]] = []
        # Figures and charts being computed, shared by whoever asks for the same meanwhile.
        self._computing: Shared[tuple[str | None, date, tuple[int, int]], Progress] = Shared()
        self._drawing: Shared[tuple[Progress, Locale], bytes] = Shared()
        # Drawing the national chart ahead of time after a write (see draw_ahead).
        self._ahead: tuple[TaskGroup, Locale] | None = None
        self._ahead_task: asyncio.Task[None] | None = None
        self._ahead_again = False

    # --- roster ------------------------------------------------------------------------------

    async def import_roster(
        self, data: bytes, filename: str, actor: str, apply: bool
    ) -> RosterDiff:
        """Compare a roster file with the stored roster; write it only when ``apply``."""
        records = parse_roster(data, filename, max_bytes=self._roster_max)
        fields = roster_ops.to_fields(records, filename)
        async with self._db.transaction() as tx:
            current = await self._repo.officers(tx=tx)
            diff = roster_ops.diff(current, fields, filename)
            if not apply or diff.is_empty:
                return diff
            await roster_ops.apply(tx, self._repo, current, fields, self._clock.now())
            await AuditRepository.record(
                tx,
                self._clock.now(),
                actor,
                "roster.import",
                json.dumps(
                    {
                        "file": filename,
                        "added": len(diff.added),
                        "changed": len(diff.changed),
                        "removed": len(diff.removed),
                    }
                ),
            )
            await self._reconcile(tx, actor)
        self._figures_changed()
        return replace(diff, applied=True)

    async def add_officer(
        self,
        actor: str,
        first_name: str,
        last_name: str,
        department: str,
        *,
        key: str = "",
        email: str = "",
        role: str = "",
        discord: str = "",
        phone: str = "",
    ) -> OfficerStatus:
        """``/roster add``: one officer, checked like a roster row."""
        values = {
            "id": key,
            "first_name": first_name,
            "last_name": last_name,
            "department": department,
            "email": email,
            "role": role,
            "discord": discord,
            "phone": phone,
        }
        record = roster_ops.validate_one(values)
        fields = roster_ops.to_fields([record], "/roster add")[0]
        async with self._db.transaction() as tx:
            if await self._repo.officer(fields.key, tx=tx) is not None:
                raise InvalidInput("registration.officer.exists", officer=fields.key)
            if fields.discord_user_id and await self._repo.officer_by_discord(
                fields.discord_user_id, tx=tx
            ):
                raise InvalidInput("registration.link.taken", user=fields.discord_user_id)
            await self._repo.insert_officer(tx, fields, self._clock.now())
            await AuditRepository.record(tx, self._clock.now(), actor, "roster.add", fields.key)
            await self._reconcile(tx, actor)
        self._figures_changed()
        return await self.status_officer(fields.key)

    async def remove_officer(self, officer_id: str, actor: str) -> RosterEntry:
        async with self._db.transaction() as tx:
            officer = await self._officer(officer_id, tx)
            await self._repo.delete_officers(tx, [officer.id])
            await AuditRepository.record(tx, self._clock.now(), actor, "roster.remove", officer.key)
        self._figures_changed()
        return RosterEntry(officer.key, officer.full_name, officer.department)

    async def link(self, officer_id: str, discord_user_id: int, actor: str) -> OfficerStatus:
        """``/roster link``: tie an officer to a Discord member."""
        async with self._db.transaction() as tx:
            officer = await self._officer(officer_id, tx)
            other = await self._repo.officer_by_discord(discord_user_id, tx=tx)
            if other is not None and other.id != officer.id:
                raise InvalidInput(
                    "registration.link.taken_by", user=discord_user_id, other=other.full_name
                )
            await self._repo.set_discord(tx, officer.id, discord_user_id)
            await AuditRepository.record(
                tx,
                self._clock.now(),
                actor,
                "roster.link",
                f"{officer.key} discord:{discord_user_id}",
            )
        return await self.status_officer(officer.key)

    async def link_usernames(self, members: Mapping[str, int], actor: str) -> list[str]:
        """Link officers whose roster gives a Discord username to the member of that name.

        ``members`` maps the guild's usernames to user ids; returns the keys of linked officers.
        """
        wanted = {name.lower(): user_id for name, user_id in members.items()}
        linked: list[str] = []
        async with self._db.transaction() as tx:
            for officer in await self._repo.officers(tx=tx):
                user_id = wanted.get(officer.discord_username.lower())
                if officer.discord_user_id is not None or user_id is None:
                    continue
                if await self._repo.officer_by_discord(user_id, tx=tx) is not None:
                    continue
                await self._repo.set_discord(tx, officer.id, user_id)
                linked.append(officer.key)
            if linked:
                await AuditRepository.record(
                    tx, self._clock.now(), actor, "roster.link", f"{len(linked)} by username"
                )
        return linked

    async def export_roster(self, locale: str = "fr") -> bytes:
        """The roster with each status, as CSV for a spreadsheet (formulas neutralised)."""
        officers = await self._repo.officers()
        return roster_ops.export_csv(officers, locale, self._settings.timezone)

    # --- sign-ups ----------------------------------------------------------------------------

    async def import_signups(self, data: bytes, filename: str, actor: str) -> SignupImportReport:
        """Store the platform's export (new rows added, known rows updated) and reconcile."""
        records = parse_signups(
            data, filename, self._settings.timezone, max_bytes=self._signups_max
        )
        rows = _signup_fields(records)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            known = {s.key: s for s in await self._repo.signups(tx=tx)}
            new = [r for r in rows if r.key not in known]
            updated = [r for r in rows if r.key in known and _differs(known[r.key], r)]
            await self._repo.insert_signups(tx, new, now)
            await self._repo.update_signups(tx, updated, now)
            changes = await self._reconcile(tx, actor)
            await AuditRepository.record(
                tx,
                now,
                actor,
                "signups.import",
                json.dumps(
                    {
                        "file": filename,
                        "rows": len(rows),
                        "new": len(new),
                        "updated": len(updated),
                        "status_changes": len(changes),
                    }
                ),
            )
        self._figures_changed()
        counts = _total(await self._repo.status_counts())
        return SignupImportReport(
            filename,
            len(rows),
            len(new),
            len(updated),
            len(rows) - len(new) - len(updated),
            changes,
            counts,
        )

    # --- status ------------------------------------------------------------------------------

    async def status_officer(self, query: str) -> OfficerStatus:
        """One officer, by key (autocomplete value) or by a unique search match."""
        officer = await self._repo.officer(query.strip())
        if officer is None:
            found = await self._repo.search(words(query), 2) if words(query) else []
            if not found:
                raise NotFound("registration.officer.not_found", query=query)
            if len(found) > 1:
                raise InvalidInput("registration.officer.ambiguous", query=query)
            officer = found[0]
        return (await self._views([officer]))[0]

    async def status_department(self, code_or_name: str) -> DepartmentStatus:
        """A department's officers with everything about each (evidence included); a list to
        show needs only :meth:`department_list`."""
        dep = _department(code_or_name)
        officers = await self._repo.officers([dep.code])
        order = {
            s: i for i, s in enumerate(("unregistered", "self_declared", "probable", "registered"))
        }
        officers.sort(key=lambda o: (order[o.status], o.last_name, o.first_name))
        return DepartmentStatus(dep, _count(officers), await self._views(officers))

    async def department_list(self, code_or_name: str) -> DepartmentList:
        """``/status departement``: the officers in the order of :meth:`status_department`, with
        only what the list shows (no sign-up or reminder is read)."""
        dep = _department(code_or_name)
        lines = [OfficerLine._make(r) for r in await self._repo.officer_lines(dep.code)]
        return DepartmentList(dep, _count(lines), lines)

    async def status_member(
        self, discord_user_id: int, username: str | None = None
    ) -> OfficerStatus:
        """The caller's own status, by linked id (or, not yet linked, by roster username).

        A member found by the username the roster gives is linked to the officer then, so that
        a later change of username does not lose them.
        """
        async with self._db.transaction() as tx:
            officer = await self._member(discord_user_id, username, tx)
        return (await self._views([officer]))[0]

    async def declare_registered(
        self, discord_user_id: int, username: str | None = None
    ) -> Declaration:
        """ "I've registered": shown as self-declared until a sign-up or an organiser confirms."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            officer = await self._member(discord_user_id, username, tx)
            changed = officer.status == "unregistered"
            if officer.self_declared_at is None and officer.status != "registered":
                await self._repo.set_self_declared(tx, officer.id, now)
            if changed:
                await self._repo.change_status(
                    tx,
                    officer,
                    StatusChange(
                        "self_declared",
                        _after(now, officer),
                        "self",
                        f"discord:{discord_user_id}",
                        None,
                        0.0,
                        "none",
                    ),
                    now,
                )
                await AuditRepository.record(
                    tx, now, f"discord:{discord_user_id}", "status.declare", officer.key
                )
        if changed:
            self._figures_changed()
        return Declaration(await self.status_officer(officer.key), changed)

    async def progress(self, region: str | None = None) -> Progress:
        """National (or regional) figures, pace and forecast against the deadline, and the curve.

        Computed once per scope and day until the database changes; the same object is returned
        meanwhile (and to callers asking while it is being computed).
        """
        region_name, scope = _scope(region)
        today = self._clock.now().astimezone(self._settings.timezone).date()
        stamp = await self._db.data_stamp()
        cached = self._progress.get((region_name, today))
        if cached is not None and cached[0] == stamp:
            return cached[1]

        async def compute() -> Progress:
            result = await self._compute_progress(region_name, scope, today)
            self._progress = {
                key: value
                for key, value in self._progress.items()
                if value[0] == stamp and key[1] == today
            }
            self._progress[(region_name, today)] = (stamp, result)
            return result

        return await self._computing.run((region_name, today, stamp), compute)

    async def ready_progress(
        self, region: str | None = None, locale: Locale = "fr"
    ) -> tuple[Progress, bytes] | None:
        """:meth:`progress` and its :meth:`progress_chart` when both are at hand for the database
        as it is now (nothing is computed or drawn here); ``None`` otherwise, or for a region
        that does not exist (:meth:`progress` says so)."""
        try:
            region_name, _ = _scope(region)
        except NotFound:
            return None
        today = self._clock.now().astimezone(self._settings.timezone).date()
        cached = self._progress.get((region_name, today))
        if cached is None or cached[0] != await self._db.data_stamp():
            return None
        progress = cached[1]
        for figures, language, png in self._charts:
            if language == locale and figures == progress:
                return progress, png
        return None

    async def progress_chart(self, progress: Progress, locale: Locale = "fr") -> bytes:
        """The PNG of :func:`~bot.registration.charts.progress_chart`, drawn in a worker thread;
        the last few are kept, so that the same figures are not drawn twice (nor by two callers
        at once: the second waits for the first's drawing)."""
        from bot.registration import charts

        for figures, language, png in self._charts:
            if language == locale and figures == progress:
                return png

        async def draw() -> bytes:
            png = await asyncio.to_thread(charts.progress_chart, progress, locale)
            self._charts = [(progress, locale, png), *self._charts[: CHARTS_KEPT - 1]]
            return png

        return await self._drawing.run((progress, locale), draw)

    def draw_ahead(self, tasks: TaskGroup | None, locale: Locale = "fr") -> None:
        """From now on, after each write that changes the figures, compute the national figures
        and draw their chart in ``locale`` as a task of ``tasks``, so that the next ``/progress``
        finds them ready. The task waits for :data:`AHEAD_AFTER_SECONDS` without a write first (a
        series of writes is drawn once, and a ``/progress`` asked right after a write, which
        draws the chart itself, is not slowed by a second drawing); one such task at a time, a
        write made while it draws makes it start over once. ``None`` stops (tasks already
        started are the group's to cancel)."""
        self._ahead = (tasks, locale) if tasks is not None else None

    async def drawn_ahead(self) -> None:
        """Wait until the chart being drawn ahead, if any, is drawn (its failure is the task
        group's to log)."""
        task = self._ahead_task
        if task is not None:
            await asyncio.wait([task])

    def _figures_changed(self) -> None:
        if self._ahead is None:
            return
        self._ahead_again = True
        if self._ahead_task is None or self._ahead_task.done():
            tasks, locale = self._ahead
            self._ahead_task = tasks.start(self._draw_ahead(locale), "progress chart ahead")

    async def _draw_ahead(self, locale: Locale) -> None:
        while self._ahead_again:  # set again by each write meanwhile
            self._ahead_again = False
            await self._clock.sleep(AHEAD_AFTER_SECONDS)
            if not self._ahead_again:
                await self.progress_chart(await self.progress(), locale)

    async def _compute_progress(
        self, region_name: str | None, scope: list[Department], today: date
    ) -> Progress:
        codes = {d.code for d in scope}
        by_dep = await self._repo.status_counts(codes)
        per_dep = [DepartmentProgress(d, _counts(by_dep.get(d.code, {}))) for d in scope]
        per_dep = [d for d in per_dep if d.counts.total]
        tz = self._settings.timezone
        curve = registration_curve(await self._repo.status_events(codes), today, tz)
        counts = _total(by_dep)
        pace = pace_per_day(curve, today)
        deadline = self._settings.registration_deadline
        return Progress(
            region=region_name,
            counts=counts,
            today=today,
            deadline=deadline,
            days_left=(deadline - today).days if deadline else None,
            pace_per_day=pace,
            forecast=forecast(counts.missing, pace, today),
            behind=furthest_behind(per_dep),
            departments=per_dep,
            curve=curve,
        )

    async def search_officers(self, text: str, limit: int = 25) -> list[Choice]:
        """Autocomplete for officers: ``"Marie Durand – 56 Morbihan"`` → the officer's key."""
        found = await self._repo.search_names(words(text), limit)
        deps = departments()
        choices = []
        for o in found:
            dep = deps.by_code(o.department)
            label = f"{o.full_name} ({dep.label if dep else o.department})"
            choices.append(Choice(label[:100], o.key[:100]))
        return choices

    async def search_departments(self, text: str, limit: int = 25) -> list[Choice]:
        """Autocomplete for departments: ``"56 – Morbihan"`` → ``"56"``."""
        return [Choice(d.label, d.code) for d in departments().search(text, limit)]

    async def search_regions(self, text: str, limit: int = 25) -> list[Choice]:
        wanted = " ".join(words(text))
        regions = departments().regions()
        return [Choice(r, r) for r in regions if wanted in " ".join(words(r))][:limit]

    # --- review ------------------------------------------------------------------------------

    async def pending_reviews(self) -> list[ReviewItem]:
        """Probable matches waiting for an organiser's yes or no, most likely first."""
        officers = await self._repo.officers(status="probable")
        officers.sort(key=lambda o: (-o.confidence, o.department, o.last_name))
        return [ReviewItem(v, v.evidence) for v in await self._views(officers) if v.evidence]

    async def review(self, officer_id: str, accept: bool, actor: str) -> OfficerStatus:
        """An organiser's answer on a probable match or a self-declaration."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            officer = await self._officer(officer_id, tx)
            if officer.status not in ("probable", "self_declared"):
                raise InvalidInput("registration.review.not_pending", name=officer.full_name)
            if accept:
                signup = await self._repo.signup(officer.signup_id) if officer.signup_id else None
                when = signup.signed_up_at if signup and signup.signed_up_at else now
                await self._repo.set_confirmed(tx, officer.id, now, actor)
                change = StatusChange(
                    "registered",
                    _after(min(when, now), officer),
                    "review",
                    actor,
                    officer.signup_id,
                    1.0,
                    officer.reason,
                )
            else:
                if officer.signup_id is not None and officer.status == "probable":
                    await self._repo.reject(tx, officer.id, officer.signup_id, now, actor)
                declared = officer.status == "probable" and officer.self_declared_at is not None
                if officer.status == "self_declared":
                    await self._repo.set_self_declared(tx, officer.id, None)
                change = StatusChange(
                    "self_declared" if declared else "unregistered",
                    _after(now, officer),
                    "review",
                    actor,
                    None,
                    0.0,
                    "none",
                )
            await self._repo.change_status(tx, officer, change, now)
            await AuditRepository.record(
                tx, now, actor, "review.accept" if accept else "review.reject", officer.key
            )
        self._figures_changed()
        return await self.status_officer(officer.key)

    # --- internals ---------------------------------------------------------------------------

    async def _officer(self, key: str, tx: Transaction | None = None) -> OfficerRow:
        officer = await self._repo.officer(key.strip(), tx=tx)
        if officer is None:
            raise NotFound("registration.officer.not_found", query=key)
        return officer

    async def _member(
        self, user_id: int, username: str | None, tx: Transaction | None = None
    ) -> OfficerRow:
        officer = await self._repo.officer_by_discord(user_id, tx=tx)
        if officer is None and username:
            officer = await self._repo.officer_by_username(username, tx=tx)
            if officer is not None and officer.discord_user_id is None and tx is not None:
                await self._repo.set_discord(tx, officer.id, user_id)
                await AuditRepository.record(
                    tx,
                    self._clock.now(),
                    f"discord:{user_id}",
                    "roster.link",
                    f"{officer.key} discord:{user_id} (by username)",
                )
                officer = replace(officer, discord_user_id=user_id)
            elif officer is not None and officer.discord_user_id not in (None, user_id):
                officer = None  # the roster's username now belongs to someone else
        if officer is None:
            raise NotFound("registration.member.not_on_roster")
        return officer

    async def _reconcile(self, tx: Transaction, actor: str) -> list[StatusChangeView]:
        """Match every officer against every stored sign-up and record what changed."""
        now = self._clock.now()
        officers = await self._repo.officers(tx=tx)
        signups = await self._repo.signups(tx=tx)
        by_id = {s.id: s for s in signups}
        by_key = {s.key: s for s in signups}
        keys = {o.id: o.key for o in officers}
        rejected = {
            (keys[o], by_id[s].key)
            for o, s in await self._repo.rejected_pairs(tx=tx)
            if o in keys and s in by_id
        }
        matches = await asyncio.to_thread(
            reconcile,
            [OfficerIn(o.key, o.first_name, o.last_name, o.department, o.email) for o in officers],
            [SignupIn(s.key, s.name, s.email, s.department) for s in signups],
            rejected=rejected,
        )
        changes: list[StatusChangeView] = []
        for officer, match in zip(officers, matches, strict=True):
            target = _target(officer, match, by_key, now, actor)
            if target is None:
                continue
            if (target.status, target.signup_id) != (officer.status, officer.signup_id):
                await self._repo.change_status(tx, officer, target, now)
                changes.append(
                    StatusChangeView(
                        officer.key,
                        officer.full_name,
                        officer.department,
                        officer.status,
                        target.status,
                        target.reason,
                    )
                )
            elif (target.confidence, target.reason) != (officer.confidence, officer.reason):
                await self._repo.set_evidence(tx, officer.id, target.confidence, target.reason)
        return changes

    async def _views(self, officers: Sequence[OfficerRow]) -> list[OfficerStatus]:
        signups = await self._repo.signups_by_id({o.signup_id for o in officers if o.signup_id})
        nudged: Mapping[str, datetime] = {}
        if self._nudges is not None and officers:
            nudged = await self._nudges.last_nudges([o.key for o in officers])
        deps = departments()
        views = []
        for o in officers:
            signup = signups.get(o.signup_id) if o.signup_id else None
            evidence = None
            if signup is not None:
                evidence = Evidence(
                    signup.key,
                    signup.name,
                    signup.email,
                    signup.postcode,
                    signup.department,
                    signup.signed_up_at,
                    o.confidence,
                    o.reason,
                )
            dep = deps.by_code(o.department) or Department(o.department, o.department, "")
            views.append(
                OfficerStatus(
                    key=o.key,
                    first_name=o.first_name,
                    last_name=o.last_name,
                    role=o.role,
                    department=dep,
                    email=o.email,
                    discord_user_id=o.discord_user_id,
                    discord_username=o.discord_username,
                    status=o.status,
                    since=o.status_since,
                    source=o.status_source,
                    actor=o.status_actor,
                    evidence=evidence,
                    self_declared_at=o.self_declared_at,
                    confirmed_by=o.confirmed_by,
                    last_nudge=nudged.get(o.key),
                )
            )
        return views


def _target(
    officer: OfficerRow, match: Match, signups: Mapping[str, SignupRow], now: datetime, actor: str
) -> StatusChange | None:
    """The status the evidence now supports; ``None`` to leave an organiser's decision alone."""
    signup = signups.get(match.signup) if match.signup else None
    if match.status == "registered" and signup is not None:
        when = min(signup.signed_up_at or now, now)
        return StatusChange(
            "registered",
            _after(when, officer),
            "signups",
            actor,
            signup.id,
            match.confidence,
            match.reason,
        )
    if officer.confirmed_at is not None:
        return None
    if match.status == "probable" and signup is not None:
        return StatusChange(
            "probable",
            _after(now, officer),
            "signups",
            actor,
            signup.id,
            match.confidence,
            match.reason,
        )
    if officer.self_declared_at is not None:
        return StatusChange(
            "self_declared",
            _after(officer.self_declared_at, officer),
            "self",
            officer.status_actor or actor,
            None,
            0.0,
            "none",
        )
    return StatusChange("unregistered", _after(now, officer), "signups", actor, None, 0.0, "none")


def _after(when: datetime, officer: OfficerRow) -> datetime:
    """Keep each officer's history in order: a change never takes effect before the last one."""
    return max(when, officer.status_since) if officer.status_since else when


def _scope(region: str | None) -> tuple[str | None, list[Department]]:
    """The region's name and departments; no region: the whole country."""
    deps = departments()
    if not region:
        return None, deps.all()
    name = deps.region(region)
    if name is None:
        raise NotFound("registration.region.unknown", region=region)
    return name, deps.in_region(name)


def _department(text: str) -> Department:
    dep = departments().lookup(text)
    if dep is None:
        raise NotFound("registration.department.unknown", department=text)
    return dep


def _count(officers: Sequence[OfficerRow | OfficerLine]) -> Counts:
    by = {s: 0 for s in ("registered", "probable", "self_declared", "unregistered")}
    for o in officers:
        by[o.status] += 1
    return Counts(
        len(officers), by["registered"], by["probable"], by["self_declared"], by["unregistered"]
    )


def _counts(by_status: Mapping[str, int]) -> Counts:
    """:class:`Counts` from how many officers have each status."""
    by = {
        s: by_status.get(s, 0) for s in ("registered", "probable", "self_declared", "unregistered")
    }
    return Counts(
        sum(by.values()), by["registered"], by["probable"], by["self_declared"], by["unregistered"]
    )


def _total(by_department: Mapping[str, Mapping[str, int]]) -> Counts:
    """:class:`Counts` over departments, from :meth:`RegistrationRepository.status_counts`."""
    by: dict[str, int] = {}
    for statuses in by_department.values():
        for status, n in statuses.items():
            by[status] = by.get(status, 0) + n
    return _counts(by)


def _signup_fields(records: Sequence[SignupRecord]) -> list[SignupFields]:
    """Storage rows keyed by the platform's id, else the normalised e-mail (last row wins)."""
    rows: dict[str, SignupFields] = {}
    for record in records:
        date = record.signed_up_at.isoformat() if record.signed_up_at else ""
        key = record.ext_id or (
            f"email:{normalise_email(record.email)}"
            if record.email
            else f"name:{record.name.casefold()}|{date}"
        )
        rows[key] = SignupFields(
            key, record.name, record.email, record.postcode, record.department, record.signed_up_at
        )
    return list(rows.values())


def _differs(known: SignupRow, row: SignupFields) -> bool:
    return (known.name, known.email, known.postcode, known.department, known.signed_up_at) != (
        row.name,
        row.email,
        row.postcode,
        row.department,
        row.signed_up_at,
    )
