"""The registration service: one call per use case, for the cogs, the CLI and the shell.

Every write happens in one transaction together with its audit entry and the reconciliation it
triggers, so a failure leaves nothing half-written. Bad input raises :class:`~bot.errors.UserError`
subclasses carrying catalog keys. The figures of ``/progression`` are kept in a
:class:`~bot.registration.progress_cache.ProgressCache` and their charts drawn by a
:class:`~bot.registration.chart_pipeline.ChartPipeline`.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import re
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from bot.errors import InvalidInput, NotFound, UserError
from bot.gc_pause import collector_paused, keep_out_of_collections, release_in_pieces
from bot.i18n import Catalog, Locale
from bot.registration import roster_ops
from bot.registration.chart_pipeline import ChartPipeline
from bot.registration.departments import Department, departments
from bot.registration.figures import RegistrationFigures, officer_figures
from bot.registration.kept_lists import KeptLists
from bot.registration.links import LinkPending, LinkRequest
from bot.registration.models import (
    MAY_DECLARE,
    PENDING,
    AuditAction,
    BulkConfirmation,
    Choice,
    Counts,
    CurvePoint,
    Declaration,
    DepartmentList,
    DepartmentProgress,
    DepartmentStatus,
    Evidence,
    ImportKind,
    ImportRecord,
    LinkPlan,
    MissingList,
    Officer,
    OfficerDetails,
    OfficerMatch,
    OfficerName,
    OfficerProfile,
    OfficerStatus,
    Progress,
    ReviewDecision,
    ReviewGroup,
    ReviewItem,
    ReviewOverview,
    RosterDiff,
    RosterEntry,
    Signup,
    SignupImportReport,
    StatusChange,
    StatusSource,
    StoredSignup,
    strong,
)
from bot.registration.progress import forecast, furthest_behind, pace_per_day
from bot.registration.progress_cache import ProgressCache, Stamp
from bot.registration.roster_file import OfficerRecord, parse_roster
from bot.registration.signup_cache import Signups, digest, digest_rows, export_rows
from bot.registration.signup_file import SignupRecord, parse_signups
from bot.registration.status_rules import StatusPlan, after
from bot.registration.storage import (
    ChangesDropped,
    LinkRequestRepository,
    RegistrationRepository,
)
from bot.registration.text import compact, words
from bot.registration.worker import (
    HeldSignups,
    ImportRequest,
    ImportWorker,
    SignupPlan,
    Snapshot,
    match,
    matched,
    plan_signups,
    read_snapshot,
    statuses_of,
)
from bot.scheduler import TaskGroup
from bot.storage.audit import AuditRepository
from bot.storage.database import Database, Transaction


class NudgeLookup(Protocol):
    """Provided by the reminders feature: when each officer was last nudged."""

    async def last_nudges(self, officer_keys: Sequence[str]) -> Mapping[str, datetime]: ...


REPORT_BEHIND = 5  # departments furthest behind named in the scheduled report
PICK_LIMIT = 25  # candidates listed for an ambiguous officer query (a Discord select's maximum)
# Officers a write touched above which the department lists kept are dropped rather than
# brought up to date by their lines read again.
LINES_PATCHED = 1_000
FIGURES_REREAD = 1_000  # officers changed at once above which the figures are read again whole
_ON_THE_LOOP = 2_000  # officers detailed on the event loop; more in a worker thread
_MENTION = re.compile(r"<@!?(\d{15,21})>|(\d{15,21})")


class AmbiguousOfficer(InvalidInput):
    """Several officers match a query; the problem lines name them, for a pick."""

    def __init__(self, match: OfficerMatch) -> None:
        super().__init__(
            "registration.lists.ambiguous",
            [_candidate_line(o) for o in match.candidates],
            query=match.query,
            count=len(match.candidates),
        )
        self.match = match


def _candidate_line(officer: Officer) -> str:
    dep = departments().by_code(officer.department)
    return f"{officer.full_name} — {dep.label if dep else officer.department} ({officer.key})"


class LinkRequested(UserError):
    """ "I've registered" from a member not linked yet whose username the roster gives: the
    request to link them waits for an organiser (:meth:`RegistrationService.status_member`)."""

    def __init__(self, pending: LinkPending) -> None:
        super().__init__(
            "registration.link.requested" if pending.new else "registration.link.still_waiting"
        )
        self.pending = pending


def may_declare(officer: Officer) -> bool:
    """Who is offered "I've registered": neither registered nor already declared."""
    return officer.status in MAY_DECLARE


LARGE_SHARE = 0.5
"""An import changing the status of more than this share of the officers is confirmed first."""
LARGE_MIN = 10  # ...and of at least this many officers (a small roster changes fast)


class LargeChange(InvalidInput):
    """A sign-up import that would change many statuses at once: nothing was written; the
    caller confirms and imports again without asking."""

    def __init__(self, changes: int, registered: int, total: int) -> None:
        super().__init__(
            "registration.signups.large_change",
            changes=changes,
            registered=registered,
            total=total,
            percent=round(100 * changes / total) if total else 0,
        )


def is_large(changes: int, total: int) -> bool:
    return changes >= LARGE_MIN and changes > LARGE_SHARE * total


class RegistrationService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        catalog: Catalog,
        *,
        nudges: NudgeLookup | None = None,
        worker: ImportWorker | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalog = catalog
        self._timezone = settings.timezone
        self._deadline = settings.registration_deadline
        self._public_min = settings.public_min_officers
        self._report_schedule = settings.report_schedule
        self._nudges = nudges
        self._repo = RegistrationRepository(db)
        self._links = LinkRequestRepository(db)
        self._roster_max = settings.roster_max_bytes
        self._signups_max = settings.signups_max_bytes
        self._rolled_back = 0  # write transactions of this process that rolled back
        self._progress = ProgressCache()
        self._signups: Signups | None = None  # the last sign-ups read, with their index
        self._held: HeldSignups | None = None  # the last ones the import worker left
        # The officers as of a registration revision, kept by the writes that know them after
        # (an add, a removal, a sign-up import): the next one-officer change reads none.
        self._officers: tuple[int, list[Officer]] | None = None
        self._lists = KeptLists()  # /status departement's lists, as of a revision
        self._charts = ChartPipeline(catalog, self.progress)
        # The figures of /progression: the rollbacks counted when they were read, the last
        # registration_changes row they applied, the figures.
        self._figures: tuple[int, int, RegistrationFigures] | None = None
        self._figures_lock = asyncio.Lock()
        # Where big sign-up exports are planned: a process of their own (none for a database in
        # memory, which no other process can read).
        self._worker = worker
        if worker is None and db.path != ":memory:":
            self._worker = ImportWorker()

    async def close(self) -> None:
        """Stop the sign-up import's worker process, if it was started."""
        if self._worker is not None:
            await self._worker.close()

    @property
    def roster_max_bytes(self) -> int:
        """The largest roster file imported (``ROSTER_MAX_BYTES``)."""
        return self._roster_max

    @property
    def signups_max_bytes(self) -> int:
        """The largest sign-up export imported (``SIGNUPS_MAX_BYTES``)."""
        return self._signups_max

    @property
    def timezone(self) -> ZoneInfo:
        """The zone days are counted and dates shown in."""
        return self._timezone

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Transaction]:
        """A transaction on registration data. One that rolls back moves the stamp, so that
        what was computed meanwhile is computed again (a commit moves the revision; reads
        outside the transaction see committed data only)."""
        try:
            async with self._db.transaction() as tx:
                yield tx
        except BaseException:
            self._rolled_back += 1
            raise

    async def _stamp(self) -> Stamp:
        return self._rolled_back, await self._repo.revision()

    def _figures_changed(self) -> None:
        self._charts.figures_changed()

    # --- roster ------------------------------------------------------------------------------

    async def import_roster(
        self, data: bytes, filename: str, actor: str, apply: bool, *, remove_missing: bool = True
    ) -> RosterDiff:
        """Compare a roster file with the stored roster; write it only when ``apply``. Officers
        absent from the file are removed (with their history), unless not ``remove_missing``.

        The file is read, compared and matched against the sign-ups off the event loop and
        before the write transaction, which then only writes (it starts again inside if the
        data changed meanwhile)."""
        records = await asyncio.to_thread(parse_roster, data, filename, max_bytes=self._roster_max)
        profiles = roster_ops.profiles(records, filename)
        now = self._clock.now()
        planned = await self._plan_roster(
            records, profiles, filename, actor, now, apply=apply, remove_missing=remove_missing
        )
        if not apply or planned.diff.is_empty:
            return planned.diff
        async with self._transaction() as tx:
            if await self._repo.revision(tx=tx) != planned.revision:
                planned = await self._plan_roster(
                    records, profiles, filename, actor, now, remove_missing=remove_missing, tx=tx
                )
                if planned.diff.is_empty:
                    return planned.diff
            diff, writes = planned.diff, planned.writes
            await self._repo.keep_state_before_import(tx)
            await self._repo.delete_officers(tx, writes.removed)
            # Updates first: a link one officer gives up may be a new officer's.
            await self._repo.update_officers(tx, writes.updated)
            await self._repo.insert_officers(tx, planned.added, now)
            summary = {
                "added": len(diff.added),
                "changed": len(diff.changed),
                "removed": len(diff.removed),
            }
            await self._repo.add_import(
                tx, ImportKind.ROSTER, now, actor, filename, len(profiles), summary
            )
            await AuditRepository.record(
                tx, now, actor, AuditAction.ROSTER_IMPORT, json.dumps({"file": filename, **summary})
            )
            await self._write_statuses(tx, planned.statuses)
            left = await self._left(tx)
        await self._lists_written(
            left,
            {
                *writes.removed,
                *(i for i, _ in writes.updated),
                *(o.id for o in planned.added),
                *(o.id for o, _ in planned.statuses.changes),
            },
        )
        self._figures_changed()
        return replace(diff, applied=True)

    async def _plan_roster(
        self,
        records: list[OfficerRecord],
        profiles: list[OfficerProfile],
        filename: str,
        actor: str,
        now: datetime,
        *,
        apply: bool = True,
        remove_missing: bool = True,
        tx: Transaction | None = None,
    ) -> _RosterPlan:
        """The diff of a roster file, its writes and the statuses the roster it leaves gets
        (the matching only when ``apply``). A file that would link one Discord account to two
        officers is refused, naming both (a dry run says it as well)."""
        snap = await self._snapshot(tx)
        diff, writes = await asyncio.to_thread(
            roster_ops.plan, snap.officers, profiles, filename, remove_missing
        )
        added = _numbered(writes.added, max((o.id for o in snap.officers), default=0) + 1, now)
        gone = set(writes.removed)
        updated = dict(writes.updated)
        after_import = [
            _with_profile(o, updated[o.id]) if o.id in updated else o
            for o in snap.officers
            if o.id not in gone
        ] + added
        roster_ops.link_conflicts(records, after_import, filename)
        if not apply or diff.is_empty:
            return _RosterPlan(snap.revision, diff, writes, added, StatusPlan())
        after_import.sort(key=_stored_order)
        statuses = await self._match(snap, after_import, actor, now)
        return _RosterPlan(snap.revision, diff, writes, added, statuses)

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
    ) -> OfficerDetails:
        """``/roster add``: one officer, checked like a roster row."""
        profile = roster_ops.validate_one(
            {
                "id": key,
                "first_name": first_name,
                "last_name": last_name,
                "department": department,
                "email": email,
                "role": role,
                "discord": discord,
                "phone": phone,
            }
        )
        now = self._clock.now()
        snap = await self._snapshot()
        newcomer = _numbered([profile], max((o.id for o in snap.officers), default=0) + 1, now)
        officers = _inserted(snap.officers, newcomer)
        statuses = await self._match(snap, officers, actor, now, {profile.key})
        async with self._transaction() as tx:
            if await self._repo.officer(profile.key, tx=tx) is not None:
                raise InvalidInput("registration.officer.exists", officer=profile.key)
            if profile.discord_user_id and await self._repo.officer_by_discord(
                profile.discord_user_id, tx=tx
            ):
                raise InvalidInput("registration.link.taken", user=profile.discord_user_id)
            if await self._repo.revision(tx=tx) != snap.revision:
                snap = await self._snapshot(tx)
                newcomer = _numbered(
                    [profile], max((o.id for o in snap.officers), default=0) + 1, now
                )
                officers = _inserted(snap.officers, newcomer)
                statuses = await self._match(snap, officers, actor, now, {profile.key})
            await self._repo.insert_officers(tx, newcomer, now)
            await AuditRepository.record(tx, now, actor, AuditAction.ROSTER_ADD, profile.key)
            await self._write_statuses(tx, statuses)
            revision = await self._repo.revision(tx=tx)
        touched = {o.id for o in newcomer} | {o.id for o, _ in statuses.changes}
        await self._lists_written(revision, touched)
        self._officers = revision, _applied(officers, statuses)
        self._figures_changed()
        return await self.status_officer(profile.key)

    async def remove_officer(self, officer_id: str, actor: str) -> RosterEntry:
        """``/roster retirer``: one officer and their history; the officers whose match could
        depend on theirs (a sign-up they both had as candidate) are matched again."""
        now = self._clock.now()
        officer = await self._officer(officer_id)
        snap = await self._snapshot()
        statuses = await self._match_without(snap, officer, actor, now)
        async with self._transaction() as tx:
            officer = await self._officer(officer_id, tx)
            if await self._repo.revision(tx=tx) != snap.revision:
                snap = await self._snapshot(tx)
                statuses = await self._match_without(snap, officer, actor, now)
            await self._repo.delete_officers(tx, [officer.id])
            await AuditRepository.record(tx, now, actor, AuditAction.ROSTER_REMOVE, officer.key)
            await self._write_statuses(tx, statuses)
            revision = await self._repo.revision(tx=tx)
        await self._lists_written(revision, {officer.id} | {o.id for o, _ in statuses.changes})
        rest = [o for o in snap.officers if o.id != officer.id]
        self._officers = revision, _applied(rest, statuses)
        self._figures_changed()
        return RosterEntry(officer)

    async def _match_without(
        self, snap: Snapshot, officer: Officer, actor: str, now: datetime
    ) -> StatusPlan:
        """The statuses of the officers whose match may depend on ``officer``'s, once gone."""
        held = snap.signups
        if not (held.count if isinstance(held, HeldSignups) else held.rows):
            return StatusPlan()
        around, _ = await matched(snap, snap.officers, {officer.key})
        others = {m.officer for m in around} - {officer.key}
        if not others:
            return StatusPlan()
        rest = [o for o in snap.officers if o.id != officer.id]
        return await self._match(snap, rest, actor, now, others)

    async def plan_link(self, officer_id: str, discord_user_id: int) -> LinkPlan:
        """What :meth:`link` would change, for the caller to ask first when it replaces a link."""
        officer = await self._officer(officer_id)
        other = await self._repo.officer_by_discord(discord_user_id)
        previous = officer.discord_user_id
        return LinkPlan(
            officer,
            discord_user_id,
            previous if previous not in (None, discord_user_id) else None,
            other if other is not None and other.id != officer.id else None,
        )

    async def link(
        self, officer_id: str, discord_user_id: int, actor: str, *, relink: bool = False
    ) -> OfficerDetails:
        """``/roster link``: tie an officer to a Discord member.

        A link that replaces another (the officer's to another account, or this account's to
        another officer) is refused unless ``relink``: the caller asked first (:meth:`plan_link`).
        """
        async with self._transaction() as tx:
            officer = await self._officer(officer_id, tx)
            await self._link_in(tx, officer, discord_user_id, actor, relink=relink)
            left = await self._left(tx)
        await self._lists_written(left, ())  # a link: nothing a list shows
        return await self.status_officer(officer.key)

    async def _link_in(
        self,
        tx: Transaction,
        officer: Officer,
        discord_user_id: int,
        actor: str,
        *,
        relink: bool,
        how: str = "",
    ) -> None:
        """The link of :meth:`link`, in ``tx``, with its audit entry (``how`` added to its
        detail); the link requests it makes moot are dropped."""
        other = await self._repo.officer_by_discord(discord_user_id, tx=tx)
        taken = other is not None and other.id != officer.id
        if taken and not relink:
            assert other is not None
            raise InvalidInput(
                "registration.link.taken_by", user=discord_user_id, other=other.full_name
            )
        previous = officer.discord_user_id
        if previous not in (None, discord_user_id) and not relink:
            raise InvalidInput("registration.lists.already_linked", name=officer.full_name)
        if taken:
            assert other is not None
            await self._repo.set_discord(tx, other.id, None)
        await self._repo.set_discord(tx, officer.id, discord_user_id)
        await self._links.settle(tx, officer.id, discord_user_id)
        await AuditRepository.record(
            tx,
            self._clock.now(),
            actor,
            AuditAction.ROSTER_LINK,
            f"{officer.key} discord:{discord_user_id}"
            + (f" (was discord:{previous})" if previous not in (None, discord_user_id) else "")
            + (f" (moved from {other.key})" if taken and other is not None else "")
            + how,
        )

    # --- link requests (a member found by the roster's username) -----------------------------

    async def link_requests(self) -> list[LinkRequest]:
        """``/verification``: the members waiting to be linked by their username, oldest first
        (a request made moot by a link since is left out)."""
        return await self._links.waiting()

    async def confirm_link_request(self, request_id: int, actor: str) -> OfficerDetails:
        """An organiser confirms that the member who asked is the officer: they are linked."""
        async with self._transaction() as tx:
            request = await self._links.request(request_id, tx=tx)
            if request is not None:
                how = f" (by username, confirmed by {actor})"
                await self._link_in(
                    tx, request.officer, request.discord_user_id, actor, relink=False, how=how
                )
            left = await self._left(tx)
        await self._lists_written(left, ())  # a link: nothing a list shows
        if request is None:
            raise NotFound("registration.link.gone")
        return await self.status_officer(request.officer.key)

    async def refuse_link_request(self, request_id: int, actor: str) -> LinkRequest:
        """An organiser refuses: the request is deleted, nothing is linked."""
        async with self._db.transaction() as tx:
            request = await self._links.request(request_id, tx=tx)
            if request is not None:
                await self._links.remove(tx, request.id)
                await AuditRepository.record(
                    tx,
                    self._clock.now(),
                    actor,
                    AuditAction.LINK_REFUSE,
                    f"{request.officer.key} discord:{request.discord_user_id}",
                )
        if request is None:
            raise NotFound("registration.link.gone")
        return request

    async def _ask_link(self, user_id: int, username: str | None) -> LinkPending:
        """A member not linked: a request to link them to the officer not linked yet whose
        roster username they hold (filed once: asking again writes nothing), else not found."""
        officer = await self._repo.officer_by_username(username) if username else None
        if officer is None or username is None:
            raise NotFound("registration.member.not_on_roster")
        if await self._links.exists(officer.id, user_id):
            return LinkPending(new=False, waiting=await self._links.count())
        new, waiting = False, 0
        async with self._db.transaction() as tx:  # no registration figure changes
            officer = await self._repo.officer_by_username(username, tx=tx)
            if officer is not None:
                new = await self._links.add(tx, officer.id, user_id, self._clock.now())
                if new:
                    await AuditRepository.record(
                        tx,
                        self._clock.now(),
                        f"discord:{user_id}",
                        AuditAction.LINK_REQUEST,
                        f"{officer.key} discord:{user_id}",
                    )
                waiting = await self._links.count(tx=tx)
        if officer is None:  # linked meanwhile
            raise NotFound("registration.member.not_on_roster")
        return LinkPending(new=new, waiting=waiting)

    async def link_usernames(self, members: Mapping[str, int], actor: str) -> list[str]:
        """Link officers whose roster gives a Discord username to the member of that name.

        ``members`` maps the guild's usernames to user ids; returns the keys of linked officers.
        """
        wanted = {name.lower(): user_id for name, user_id in members.items()}
        linked: list[str] = []
        async with self._transaction() as tx:
            for officer in await self._repo.officers(tx=tx):
                user_id = wanted.get(officer.discord_username.lower())
                if officer.discord_user_id is not None or user_id is None:
                    continue
                if await self._repo.officer_by_discord(user_id, tx=tx) is not None:
                    continue
                await self._repo.set_discord(tx, officer.id, user_id)
                await self._links.settle(tx, officer.id, user_id)
                linked.append(officer.key)
            if linked:
                await AuditRepository.record(
                    tx,
                    self._clock.now(),
                    actor,
                    AuditAction.ROSTER_LINK,
                    f"{len(linked)} by username",
                )
            left = await self._left(tx)
        await self._lists_written(left, ())  # links: nothing a list shows
        return linked

    async def export_roster(self, locale: Locale = "fr") -> bytes:
        """The roster with each status, as CSV for a spreadsheet (formulas neutralised)."""
        officers = await self._repo.officers()
        return roster_ops.export_csv(self._catalog, officers, locale, self._timezone)

    # --- sign-ups ----------------------------------------------------------------------------

    async def import_signups(
        self, data: bytes, filename: str, actor: str, *, ask_if_large: bool = False
    ) -> SignupImportReport:
        """Store the platform's export (new rows added, known rows updated) and reconcile.

        With ``ask_if_large``, an import that would change the status of more than
        :data:`LARGE_SHARE` of the officers raises :class:`LargeChange` and writes nothing.
        The same file again, the sign-ups unchanged since, is not read again: nothing changes.
        Reading, comparing and matching run off the event loop and before the write
        transaction, which then only writes (it starts again inside if the data changed).
        A big export is planned in the import worker's process (:mod:`~bot.registration.worker`).
        The cyclic garbage collector is paused meanwhile
        (:func:`~bot.gc_pause.collector_paused`): its full passes over the rows being read, or
        unpacked from the worker's plan, would hold the event loop too (a hundred milliseconds
        at 10,000 officers, several times an import). Planned in the worker, what the import
        leaves in this process is then moved out of the collector's way
        (:func:`~bot.gc_pause.keep_out_of_collections`) rather than left to one pass on the
        event loop when the pause ends.
        """
        worker = self._worker if self._worker and self._worker.wanted(len(data)) else None
        with collector_paused():
            try:
                return await self._import_signups(data, filename, actor, worker, ask_if_large)
            finally:
                if worker is not None:
                    keep_out_of_collections()

    async def _import_signups(
        self,
        data: bytes,
        filename: str,
        actor: str,
        worker: ImportWorker | None,
        ask_if_large: bool,
    ) -> SignupImportReport:
        file_id = await asyncio.to_thread(digest, data, self._timezone)
        last = await self._repo.signups_file()
        if last is not None and last.startswith(file_id + "|"):
            return await self._unchanged(filename, digest_rows(last))
        now = self._clock.now()
        export: tuple[list[SignupRecord], list[Signup]] | None = None
        if worker is not None:
            request = ImportRequest(
                self._db.path, data, filename, self._timezone.key, self._signups_max, actor, now
            )
            # The officers read here meanwhile, as the import leaves them kept after it.
            planned, officers = await asyncio.gather(worker.plan(request), self._kept_officers())
            if officers[0] == planned.revision:
                planned = replace(planned, before=officers[1])
                worker.known(planned, officers[1])
        else:
            export = await self._read_export(data, filename)
            planned = await self._plan_signups(*export, filename, actor, now)
        file_id = await asyncio.to_thread(digest, data, self._timezone, planned.rows)
        if planned.is_empty:
            async with self._transaction() as tx:
                if await self._repo.signups_revision(tx=tx) == planned.signups_revision:
                    await self._repo.set_signups_file(tx, file_id)
            return await self._unchanged(filename, planned.rows)
        self._check_size(planned, ask_if_large)
        async with self._transaction() as tx:
            if await self._repo.revision(tx=tx) != planned.revision:
                # The data changed since: planned again here, on what this transaction sees.
                export = export or await self._read_export(data, filename)
                planned = await self._plan_signups(*export, filename, actor, now, tx)
                self._check_size(planned, ask_if_large)  # rolls back
            new, updated, changes = planned.new, planned.updated, planned.statuses.changed
            rows = planned.rows
            await self._repo.keep_state_before_import(tx)
            await self._repo.insert_signups(tx, new, now)
            await self._repo.update_signups(tx, updated, now)
            await self._write_statuses(tx, planned.statuses)
            await self._repo.add_import(
                tx,
                ImportKind.SIGNUPS,
                now,
                actor,
                filename,
                rows,
                {"new": len(new), "updated": len(updated), "changes": len(changes)},
            )
            await AuditRepository.record(
                tx,
                now,
                actor,
                AuditAction.SIGNUPS_IMPORT,
                json.dumps(
                    {
                        "file": filename,
                        "rows": rows,
                        "new": len(new),
                        "updated": len(updated),
                        "status_changes": len(changes),
                    }
                ),
            )
            await self._repo.set_signups_file(tx, file_id)
            revision = await self._repo.signups_revision(tx=tx)
            officers_revision = await self._repo.revision(tx=tx)
            left = await self._left(tx)
        await self._lists_written(left, {o.id for o, _ in planned.statuses.changes})
        # The sign-ups kept before: their index and rows are millions of objects, which freeing
        # at once here would hold the event loop for a few hundred milliseconds.
        box: list[Any] = [(planned, export, self._signups)]
        if planned.after is not None:
            self._signups = replace(planned.after, revision=revision)
        else:  # planned in the worker process, which keeps the sign-ups it leaves
            self._signups = None
            self._held = await self._worker_committed(planned, revision)
        self._officers = (
            None
            if planned.before is None
            else (
                officers_revision,
                await asyncio.to_thread(_applied, planned.before, planned.statuses),
            )
        )
        self._figures_changed()
        counts = _total(await self._repo.status_counts())
        report = SignupImportReport(
            filename,
            rows,
            len(new),
            len(updated),
            rows - len(new) - len(updated),
            changes,
            counts,
        )
        del planned, export, new, updated, changes
        await asyncio.to_thread(release_in_pieces, box)
        return report

    async def _kept_officers(self) -> tuple[int, list[Officer]]:
        """The officers now, with their registration revision (the kept ones if current)."""
        async with self._db.snapshot() as reader:
            revision = await self._repo.revision(tx=reader)
            kept = self._officers
            if kept is not None and kept[0] == revision:
                return kept
            officers = await self._repo.officers(tx=reader)
        self._officers = revision, officers
        return revision, officers

    async def _read_export(
        self, data: bytes, filename: str
    ) -> tuple[list[SignupRecord], list[Signup]]:
        """The export's rows and its sign-ups (one per key), read in a thread."""
        records = await asyncio.to_thread(
            parse_signups,
            data,
            filename,
            self._timezone,
            max_bytes=self._signups_max,
            require_date=True,
        )
        return records, await asyncio.to_thread(export_rows, records)

    async def _worker_committed(self, planned: SignupPlan, revision: int) -> HeldSignups | None:
        """The sign-ups the worker keeps after ``planned`` (matched there from now on)."""
        if self._worker is None:
            return None
        count = await self._worker.committed(planned, revision)
        return None if count is None else HeldSignups(revision, count, self._worker, self._db.path)

    async def _unchanged(self, filename: str, rows: int) -> SignupImportReport:
        counts = _total(await self._repo.status_counts())
        return SignupImportReport(filename, rows, 0, 0, rows, [], counts)

    @staticmethod
    def _check_size(planned: SignupPlan, ask_if_large: bool) -> None:
        changes, total = planned.statuses.changed, planned.officers
        if ask_if_large and is_large(len(changes), total):
            registered = sum(c.new is OfficerStatus.REGISTERED for c in changes)
            raise LargeChange(len(changes), registered, total)

    async def _plan_signups(
        self,
        records: list[SignupRecord],
        rows: list[Signup],
        filename: str,
        actor: str,
        now: datetime,
        tx: Transaction | None = None,
    ) -> SignupPlan:
        snap = await self._snapshot(tx, local=True)
        return await plan_signups(snap, records, rows, filename, actor, now, self._match)

    # --- who is still missing ---------------------------------------------------------------

    async def missing(self, department: str | None = None) -> MissingList:
        """The officers not registered yet (probable, self-declared, unregistered) of
        ``department``, or of the country by region then department."""
        dep = _department(department) if department else None
        officers = await self._repo.officers([dep.code] if dep else None)
        index = departments()

        def region(code: str) -> str:
            found = index.by_code(code)
            return compact(found.region) if found else ""

        left = [o for o in officers if o.status is not OfficerStatus.REGISTERED]
        left.sort(key=lambda o: (region(o.department), o.department))  # stable: names kept
        return MissingList(dep, left, len(officers))

    async def missing_csv(self, missing: MissingList, locale: Locale = "fr") -> bytes:
        """Those officers with their contact fields, as the roster export writes them."""
        return roster_ops.export_csv(self._catalog, missing.officers, locale, self._timezone)

    # --- import history ----------------------------------------------------------------------

    async def import_history(self, kind: ImportKind | None = None) -> list[ImportRecord]:
        """The latest imports first (``/roster historique``, ``/inscriptions historique``)."""
        return await self._repo.imports(kind)

    async def undoable_import(self) -> ImportRecord | None:
        """The last import, if it can still be undone."""
        return await self._repo.undoable_import()

    async def undo_import(self, import_id: int, actor: str) -> ImportRecord:
        """Put the statuses, links, sign-ups and history back exactly as they were before the
        last import; ``import_id`` is the one the organiser confirmed (a later import refuses)."""
        now = self._clock.now()
        async with self._transaction() as tx:
            last = await self._repo.undoable_import(tx=tx)
            if last is None or last.id != import_id:
                raise InvalidInput("registration.undo.not_last")
            await self._repo.restore_state_before_import(tx, last.id, now, actor)
            await AuditRepository.record(
                tx,
                now,
                actor,
                AuditAction.IMPORT_UNDO,
                json.dumps({"import": last.id, "kind": last.kind, "file": last.filename}),
            )
            left = await self._left(tx)
        await self._lists_written(left, None)  # everything the import touched, put back
        self._figures_changed()
        return replace(last, undoable=False, undone_at=now, undone_by=actor)

    # --- status ------------------------------------------------------------------------------

    async def status_officer(self, query: str) -> OfficerDetails:
        """One officer, found by :meth:`find_officer`."""
        return await self.officer_details(await self.find_officer(query))

    async def officer_details(self, officer: Officer) -> OfficerDetails:
        """Everything about an officer :meth:`lookup_officer` just found (not read again)."""
        return (await self._details([officer]))[0]

    async def lookup_officer(self, query: str, limit: int = PICK_LIMIT) -> OfficerMatch:
        """The one officer lookup of every command (``/status``, ``/roster retirer``,
        ``/roster lier``, ``/verification``): the roster's id, a linked Discord member
        (``<@id>``, the id, or the roster's ``@username``), an e-mail, or the full name in any
        order (accents and case aside). Several officers: the candidates, in name order (a
        candidate whose whole name is the query is the one meant). None: :class:`NotFound`.
        """
        text = query.strip()
        by_key = await self._repo.officer(text) if text else None
        if by_key is not None:
            return OfficerMatch(query, by_key)
        found = await self._candidates(text, limit + 1)
        exact = [o for o in found if sorted(words(o.full_name)) == sorted(words(text))]
        if len(exact) == 1:
            found = exact
        if not found:
            raise NotFound("registration.officer.not_found", query=query)
        if len(found) == 1:
            return OfficerMatch(query, found[0])
        return OfficerMatch(query, None, found[:limit], more=len(found) > limit)

    async def find_officer(self, query: str) -> Officer:
        """:meth:`lookup_officer` for callers that cannot offer a pick list: several
        candidates are refused, naming them."""
        match = await self.lookup_officer(query)
        if match.officer is None:
            raise AmbiguousOfficer(match)
        return match.officer

    async def _candidates(self, text: str, limit: int) -> list[Officer]:
        mention = _MENTION.fullmatch(text)
        if mention:
            return await self._repo.officers_by_contact(
                user_id=int(mention[1] or mention[2]), limit=limit
            )
        if "@" in text and not text.startswith("@"):
            return await self._repo.officers_by_contact(email=text, limit=limit)
        if text.startswith("@"):
            return await self._repo.officers_by_contact(username=text[1:], limit=limit)
        terms = words(text)
        return await self._repo.search(terms, limit) if terms else []

    async def status_department(self, code_or_name: str) -> DepartmentStatus:
        """A department's officers with everything about each (evidence included), in the order
        of its list; a list to show needs only :meth:`department_list`."""
        dep = _department(code_or_name)
        officers = await self._repo.department_officers(dep.code)
        counts = Counts.counted(o.status for o in officers)
        return DepartmentStatus(dep, counts, await self._details(officers))

    async def holds_data(self) -> bool:
        """Whether a roster or a sign-up export was ever imported (and not all removed)."""
        return await self._repo.holds_data()

    async def roster(self) -> list[Officer]:
        """Every officer as stored, by department, each in the order of its list: one read, for
        the work that goes over the whole roster (planning a nudge campaign)."""
        return await self._repo.listed_officers()

    async def officers_by_key(self, keys: Collection[str]) -> dict[str, Officer]:
        """The officers of ``keys`` (those that exist), by key: one read."""
        return await self._repo.officers_by_key(keys)

    async def department_list(self, code_or_name: str) -> DepartmentList:
        """``/status departement``: the officers in the order of :meth:`status_department`, with
        only what the list shows (no sign-up or reminder is read)."""
        dep = _department(code_or_name)
        # The revision first: the list read after it is as of it or newer (read again later).
        revision = await self._repo.revision()
        listed = self._lists.get(dep.code, revision)
        if listed is None:
            ids, lines = await self._repo.department_lines(dep.code)
            listed = DepartmentList(dep, Counts.counted(o.status for o in lines), lines)
            self._lists.keep(dep.code, revision, listed, ids)
        return listed

    async def _left(self, tx: Transaction) -> int | None:
        """The revision ``tx`` leaves if its writes moved it (once, from the one it began at),
        else ``None``; read last in ``tx``."""
        return await self._repo.revision(tx=tx) if self._repo.revised(tx) else None

    async def _lists_written(self, left: int | None, touched: Collection[int] | None) -> None:
        """After a committed write that left revision ``left`` (:meth:`_left`) and changed, of
        what the department lists show, only the officers of ``touched`` (ids; ``None``: not
        known): the lists kept are brought up to date by those officers' lines, read again by
        id (every list dropped when not known, or when too many to be worth it)."""
        if left is None:
            return
        if touched is None or len(touched) > LINES_PATCHED:
            self._lists.clear()
            return
        if not self._lists.holds(left - 1):
            return
        lines = await self._repo.lines_by_id(touched) if touched else {}
        self._lists.written(left - 1, left, touched, lines)

    async def status_member(
        self, discord_user_id: int, username: str | None = None
    ) -> OfficerDetails | LinkPending:
        """The caller's own status, by linked id; reads only.

        A member not linked whose username is the one the roster gives an officer not linked
        yet is not shown that officer: a request to link them waits for an organiser's
        confirmation (a username can pass to someone else), and :class:`LinkPending` says so.
        """
        officer = await self._repo.officer_by_discord(discord_user_id)
        if officer is None:
            return await self._ask_link(discord_user_id, username)
        return _own((await self._details([officer]))[0])

    async def declare_registered(
        self, discord_user_id: int, username: str | None = None
    ) -> Declaration:
        """ "I've registered": shown as self-declared until a sign-up or an organiser confirms
        (only for whom :func:`may_declare`). A member not linked yet gets
        :class:`LinkRequested` as :meth:`status_member` would answer them; nothing is declared."""
        now = self._clock.now()
        actor = f"discord:{discord_user_id}"
        async with self._transaction() as tx:
            officer = await self._repo.officer_by_discord(discord_user_id, tx=tx)
            changed = officer is not None and officer.status is OfficerStatus.UNREGISTERED
            if officer is not None and may_declare(officer) and officer.self_declared_at is None:
                await self._repo.set_self_declared(tx, officer.id, now)
            if officer is not None and changed:
                await self._repo.change_status(
                    tx,
                    officer,
                    StatusChange(
                        status=OfficerStatus.SELF_DECLARED,
                        effective_at=after(now, officer),
                        source=StatusSource.SELF,
                        actor=actor,
                    ),
                    now,
                )
                await AuditRepository.record(tx, now, actor, AuditAction.DECLARE, officer.key)
            left = await self._left(tx)
        if officer is None:
            raise LinkRequested(await self._ask_link(discord_user_id, username))
        await self._lists_written(left, [officer.id])  # one officer's status and dates
        if changed:
            self._figures_changed()
        return Declaration(_own(await self.status_officer(officer.key)), changed)

    async def progress(self, region: str | None = None) -> Progress:
        """National (or regional) figures, pace and forecast against the deadline, and the curve.

        Computed once per scope and day until the registration data changes; the same object is
        returned meanwhile (and to callers asking while it is being computed).
        """
        region_name, scope = _scope(region)
        today = self._today()
        return await self._progress.get_or_compute(
            (region_name, today),
            await self._stamp(),
            lambda: self._compute_progress(region_name, scope, today),
        )

    def next_report_time(self, now: datetime) -> datetime:
        """When the scheduled registration report is next due (``REPORT_SCHEDULE``)."""
        if self._report_schedule is None:
            raise ValueError("no REPORT_SCHEDULE")
        return self._report_schedule.next_after(now)

    async def report(self) -> Progress:
        """The organisers' scheduled report: the national figures, pace and forecast of
        :meth:`progress`, with the departments furthest behind among all of them (the report
        goes to organisers only: small departments are not left out)."""
        progress = await self.progress()
        scope = departments().all()
        by_dep = await self._repo.status_counts({d.code for d in scope})
        per_dep = [DepartmentProgress(d, Counts.of(by_dep.get(d.code, {}))) for d in scope]
        behind = furthest_behind([d for d in per_dep if d.counts.total], REPORT_BEHIND)
        return replace(progress, behind=behind, hidden_departments=0)

    async def ready_progress(
        self, region: str | None = None, locale: Locale = "fr"
    ) -> tuple[Progress, bytes] | None:
        """:meth:`progress` and its :meth:`progress_chart` when both are at hand for the data as
        it is now (nothing is computed or drawn here); ``None`` otherwise, or for a region that
        does not exist (:meth:`progress` says so)."""
        try:
            region_name, _ = _scope(region)
        except NotFound:
            return None
        progress = self._progress.get((region_name, self._today()), await self._stamp())
        if progress is None:
            return None
        png = self._charts.ready(progress, locale)
        return (progress, png) if png is not None else None

    async def progress_chart(self, progress: Progress, locale: Locale = "fr") -> bytes:
        """The chart of ``progress`` in ``locale`` (see :meth:`ChartPipeline.chart`)."""
        return await self._charts.chart(progress, locale)

    def draw_ahead(self, tasks: TaskGroup | None, locale: Locale = "fr") -> None:
        """After each write that changes the figures, draw the national chart ahead of time as
        a task of ``tasks`` (see :meth:`ChartPipeline.draw_ahead`); ``None`` stops."""
        self._charts.draw_ahead(tasks, locale)

    async def drawn_ahead(self) -> None:
        """Wait until the chart being drawn ahead, if any, is drawn."""
        await self._charts.drawn_ahead()

    def _today(self) -> date:
        return self._clock.now().astimezone(self._timezone).date()

    async def _compute_progress(
        self, region_name: str | None, scope: list[Department], today: date
    ) -> Progress:
        codes = {d.code for d in scope}
        by_dep, counts, curve = await self._figures_of(codes, today)
        # Departments without officers are left out (``by_dep`` has none of them).
        per_dep = [DepartmentProgress(d, by_dep[d.code]) for d in scope if d.code in by_dep]
        shown = [d for d in per_dep if d.counts.total >= self._public_min]
        pace = pace_per_day(curve, today)
        deadline = self._deadline
        return Progress(
            region=region_name,
            counts=counts,
            today=today,
            deadline=deadline,
            days_left=(deadline - today).days if deadline else None,
            pace_per_day=pace,
            forecast=forecast(counts.missing, pace, today),
            behind=furthest_behind(shown),
            departments=shown,
            curve=curve,
            hidden_departments=len(per_dep) - len(shown),
            public_min=self._public_min,
        )

    async def search_officers(self, text: str, limit: int = 25) -> list[Choice]:
        """Autocomplete for officers: ``"Marie Durand (56 – Morbihan)"`` → the officer's key."""
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

    async def pending_reviews(self, department: str | None = None) -> list[ReviewItem]:
        """Probable matches waiting for an organiser's yes or no (of ``department``), most
        likely first."""
        codes = [_department(department).code] if department else None
        officers = await self._repo.officers(codes, status=OfficerStatus.PROBABLE)
        details = await self._details(officers)

        def items() -> list[ReviewItem]:
            details.sort(
                key=lambda d: (-d.officer.confidence, d.officer.department, d.officer.last_name)
            )
            return [ReviewItem(d, d.evidence) for d in details if d.evidence]

        # Every probable match after an import: thousands, sorted off the event loop.
        return items() if len(details) <= _ON_THE_LOOP else await asyncio.to_thread(items)

    async def review_overview(self) -> ReviewOverview:
        """``/verification``: the probable matches by department (most first), with the strong
        ones that may be confirmed at once (:func:`~bot.registration.models.strong`)."""
        by: dict[str, list[ReviewItem]] = {}
        for item in await self.pending_reviews():
            by.setdefault(item.officer.department.code, []).append(item)
        groups = [ReviewGroup(items[0].officer.department, items) for items in by.values()]
        groups.sort(key=lambda g: (-len(g.items), g.department.code))
        return ReviewOverview(groups)

    async def confirm_strong(self, officer_keys: Sequence[str], actor: str) -> BulkConfirmation:
        """Confirm at once the strong matches the organiser was shown (``officer_keys``): each
        is checked again, and one no longer probable or no longer strong is left as it is."""
        now = self._clock.now()
        confirmed: list[OfficerName] = []
        touched: list[int] = []  # their ids
        async with self._transaction() as tx:
            for key in officer_keys:
                officer = await self._repo.officer(key, tx=tx)
                if officer is None or officer.signup_id is None:
                    continue
                signup = await self._repo.signup(officer.signup_id)
                if signup is None or not strong(officer, signup, officer.reason):
                    continue
                await self._accept(tx, officer, signup, now, actor)
                confirmed.append(officer)
                touched.append(officer.id)
            if confirmed:
                await AuditRepository.record(
                    tx,
                    now,
                    actor,
                    AuditAction.REVIEW_CONFIRM_STRONG,
                    json.dumps([o.key for o in confirmed]),
                )
            left = await self._left(tx)
        await self._lists_written(left, touched)
        if confirmed:
            self._figures_changed()
        left = len(await self._repo.officers(status=OfficerStatus.PROBABLE))
        return BulkConfirmation(confirmed, left)

    async def _accept(
        self,
        tx: Transaction,
        officer: Officer,
        signup: StoredSignup | None,
        now: datetime,
        actor: str,
    ) -> None:
        """An organiser's yes: registered since the sign-up (or now)."""
        when = signup.signed_up_at if signup and signup.signed_up_at else now
        await self._repo.set_confirmed(tx, officer.id, now, actor)
        change = StatusChange(
            status=OfficerStatus.REGISTERED,
            effective_at=after(min(when, now), officer),
            source=StatusSource.REVIEW,
            actor=actor,
            signup_id=officer.signup_id,
            confidence=1.0,
            reason=officer.reason,
        )
        await self._repo.change_status(tx, officer, change, now)

    async def review_item(self, query: str) -> ReviewItem:
        """One officer's probable match to answer (``/verification officier``)."""
        officer = await self.find_officer(query)
        (details,) = await self._details([officer])
        if officer.status is OfficerStatus.SELF_DECLARED:  # the export confirms it, not a review
            raise InvalidInput("registration.review.declared", name=officer.full_name)
        if officer.status is not OfficerStatus.PROBABLE or details.evidence is None:
            raise InvalidInput("registration.review.not_pending", name=officer.full_name)
        return ReviewItem(details, details.evidence)

    async def review(self, officer_id: str, decision: ReviewDecision, actor: str) -> OfficerDetails:
        """An organiser's answer on a probable match or a self-declaration."""
        now = self._clock.now()
        async with self._transaction() as tx:
            officer = await self._officer(officer_id, tx)
            if officer.status not in PENDING:
                raise InvalidInput("registration.review.not_pending", name=officer.full_name)
            if decision is ReviewDecision.ACCEPT:
                signup = await self._repo.signup(officer.signup_id) if officer.signup_id else None
                await self._accept(tx, officer, signup, now, actor)
            else:
                probable = officer.status is OfficerStatus.PROBABLE
                if officer.signup_id is not None and probable:
                    await self._repo.reject(tx, officer.id, officer.signup_id, now, actor)
                declared = probable and officer.self_declared_at is not None
                if officer.status is OfficerStatus.SELF_DECLARED:
                    await self._repo.set_self_declared(tx, officer.id, None)
                change = StatusChange(
                    status=OfficerStatus.SELF_DECLARED if declared else OfficerStatus.UNREGISTERED,
                    effective_at=after(now, officer),
                    source=StatusSource.REVIEW,
                    actor=actor,
                )
                await self._repo.change_status(tx, officer, change, now)
            action = (
                AuditAction.REVIEW_ACCEPT
                if decision is ReviewDecision.ACCEPT
                else AuditAction.REVIEW_REJECT
            )
            await AuditRepository.record(tx, now, actor, action, officer.key)
            left = await self._left(tx)
        await self._lists_written(left, [officer.id])
        self._figures_changed()
        return await self.status_officer(officer.key)

    # --- internals ---------------------------------------------------------------------------

    async def _officer(self, query: str, tx: Transaction | None = None) -> Officer:
        """An officer by key, else by :meth:`find_officer` (one read connection: it sees ``tx``)."""
        officer = await self._repo.officer(query.strip(), tx=tx)
        return officer if officer is not None else await self.find_officer(query)

    async def _figures_of(
        self, codes: Collection[str], today: date
    ) -> tuple[dict[str, Counts], Counts, list[CurvePoint]]:
        """The counts of ``codes``'s departments (those having officers), of them together, and
        their registration curve, from the figures kept in memory, brought up to date first."""
        figures = await self._current_figures()
        return figures.counts(codes), figures.total(codes), figures.curve(codes, today)

    async def _current_figures(self) -> RegistrationFigures:
        """The figures kept, with the officers changed since (``registration_changes``) taken
        again: everything is read once, then only what changes (everything again after a write
        of more than :data:`FIGURES_REREAD` officers)."""
        async with self._figures_lock:
            # Read outside a snapshot, on the read-only connections (committed data only): rows
            # read after the change they are newer than are read again with the next change, and
            # figures read before a rollback of this process are read again whole.
            kept = (
                self._figures if self._figures and self._figures[0] == self._rolled_back else None
            )
            try:
                last, changed = await self._repo.changed_officers(kept[1] if kept else None)
            except ChangesDropped as dropped:
                last, changed, kept = dropped.last, [], None
            if kept is not None and not changed:
                return kept[2]
            whole = kept is None or len(changed) > FIGURES_REREAD
            officers, events = await self._repo.figure_rows(None if whole else changed)
            if kept is None or whole:
                figures = await asyncio.to_thread(_figures, officers, events, self._timezone)
            else:
                figures = kept[2]
                _update_figures(figures, changed, officers, events, self._timezone)
            self._figures = self._rolled_back, last, figures
            return figures

    async def _snapshot(self, tx: Transaction | None = None, *, local: bool = False) -> Snapshot:
        """The officers, the sign-ups (from the cache while their revision holds, else those
        the import worker holds, unless ``local``) and the rejections, all of one moment: read
        in ``tx`` (the sign-ups read here), else in a short read transaction."""
        if tx is not None:
            return await self._read_snapshot(tx, cached=False)
        async with self._db.snapshot() as reader:
            snap = await self._read_snapshot(reader, cached=True, local=local)
        if isinstance(snap.signups, Signups):
            self._signups = snap.signups
        self._officers = snap.revision, snap.officers
        return snap

    async def _read_snapshot(
        self, reader: Transaction, *, cached: bool, local: bool = True
    ) -> Snapshot:
        return await read_snapshot(
            self._repo,
            reader,
            officers=self._officers if cached else None,
            signups=self._signups,
            held=None if local else self._held,
        )

    async def _match(
        self,
        snap: Snapshot,
        officers: list[Officer],
        actor: str,
        now: datetime,
        only: Collection[str] | None = None,
    ) -> StatusPlan:
        """What the sign-ups of ``snap`` say of ``officers`` (of those whose match may depend
        on ``only``'s, if given), as writes: computed in a worker thread."""

        if isinstance(snap.signups, HeldSignups):
            found, signups = await matched(snap, officers, only)
            return await asyncio.to_thread(statuses_of, officers, found, signups, actor, now)
        return await asyncio.to_thread(match, snap, officers, actor, now, only)

    async def _write_statuses(self, tx: Transaction, statuses: StatusPlan) -> None:
        await self._repo.change_statuses(tx, statuses.changes, self._clock.now())
        await self._repo.set_evidences(tx, statuses.evidences)

    async def _details(self, officers: Sequence[Officer]) -> list[OfficerDetails]:
        ids = {o.signup_id for o in officers if o.signup_id}
        nudged: Mapping[str, datetime] = {}
        if self._nudges is not None and officers:
            # Two reads on two read-only connections at once: one wait for both, not two.
            signups, nudged = await asyncio.gather(
                self._repo.signups_by_id(ids), self._nudges.last_nudges([o.key for o in officers])
            )
        else:
            signups = await self._repo.signups_by_id(ids)
        deps = departments()

        def build() -> list[OfficerDetails]:
            details = []
            for o in officers:
                signup = signups.get(o.signup_id) if o.signup_id else None
                evidence = Evidence(signup, o.confidence, o.reason) if signup is not None else None
                dep = deps.by_code(o.department) or Department(o.department, o.department, "")
                details.append(OfficerDetails(o, dep, evidence, nudged.get(o.key), may_declare(o)))
            return details

        # Many (every probable match after an import): built off the event loop.
        return build() if len(officers) <= _ON_THE_LOOP else await asyncio.to_thread(build)


def _own(details: OfficerDetails) -> OfficerDetails:
    """What an officer may see of themselves: the matched sign-up, which may be another
    person's (name, e-mail), is for organisers only."""
    return replace(details, evidence=None, own=True)


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


def _figures(
    officers: list[tuple[int, str, OfficerStatus]],
    events: list[tuple[int, datetime, OfficerStatus]],
    tz: ZoneInfo,
) -> RegistrationFigures:
    """The figures of everyone, from :meth:`RegistrationRepository.figure_rows`."""
    figures = RegistrationFigures()
    _update_figures(figures, [], officers, events, tz)
    return figures


def _update_figures(
    figures: RegistrationFigures,
    changed: Collection[int],
    officers: list[tuple[int, str, OfficerStatus]],
    events: list[tuple[int, datetime, OfficerStatus]],
    tz: ZoneInfo,
) -> None:
    """``figures`` with the parts of ``officers`` (their rows and their ``events``, by
    officer) put in place of the old ones, and the rest of ``changed`` (gone) taken out."""
    by_officer: dict[int, list[tuple[datetime, OfficerStatus]]] = {}
    for officer_id, at, status in events:
        by_officer.setdefault(officer_id, []).append((at, status))
    for officer_id in set(changed) - {o[0] for o in officers}:
        figures.set(officer_id, None)
    for officer_id, department, status in officers:
        own = by_officer.get(officer_id, ())
        figures.set(officer_id, officer_figures(department, status, own, tz))


def _total(by_department: Mapping[str, Mapping[OfficerStatus, int]]) -> Counts:
    """:class:`Counts` over departments, from :meth:`RegistrationRepository.status_counts`."""
    by: dict[OfficerStatus, int] = {}
    for statuses in by_department.values():
        for status, n in statuses.items():
            by[status] = by.get(status, 0) + n
    return Counts.of(by)


@dataclass(frozen=True)
class _RosterPlan:
    revision: int
    diff: RosterDiff
    writes: roster_ops.RosterWrites
    added: list[Officer]  # writes.added, numbered as they will be stored
    statuses: StatusPlan


_PROFILE_FIELDS = [f.name for f in fields(OfficerProfile)]


def _numbered(profiles: Sequence[OfficerProfile], first_id: int, now: datetime) -> list[Officer]:
    """New officers as they will be stored, numbered from ``first_id``."""
    return [
        Officer(id=first_id + i, created_at=now, **{n: getattr(p, n) for n in _PROFILE_FIELDS})
        for i, p in enumerate(profiles)
    ]


def _applied(officers: list[Officer], statuses: StatusPlan) -> list[Officer]:
    """``officers`` once ``statuses`` are written, as the database would read them back."""
    changed = {
        o.id: replace(
            o,
            status=c.status,
            status_since=c.effective_at,
            status_source=c.source,
            status_actor=c.actor,
            signup_id=c.signup_id,
            confidence=c.confidence,
            reason=c.reason,
        )
        for o, c in statuses.changes
    }
    evidences = {
        officer_id: (confidence, reason) for officer_id, confidence, reason in statuses.evidences
    }
    out = []
    for o in officers:
        o = changed.get(o.id, o)
        if o.id in evidences:
            confidence, reason = evidences[o.id]
            o = replace(o, confidence=confidence, reason=reason)
        out.append(o)
    return out


def _with_profile(officer: Officer, profile: OfficerProfile) -> Officer:
    return replace(officer, **{n: getattr(profile, n) for n in _PROFILE_FIELDS})


def _inserted(officers: Sequence[Officer], newcomers: Sequence[Officer]) -> list[Officer]:
    """``officers`` (in :func:`_stored_order`, as read) with ``newcomers`` in their places, each
    found by a binary search: the same list as sorting them all, without a key per officer."""
    out = list(officers)
    for officer in newcomers:
        bisect.insort(out, officer, key=_stored_order)
    return out


def _stored_order(officer: Officer) -> tuple[str, str, str, str]:
    """The order :meth:`RegistrationRepository.officers` reads them in (matching breaks ties
    by it)."""
    return officer.department, officer.last_name, officer.first_name, officer.key
