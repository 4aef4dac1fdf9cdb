"""The sign-up import's heavy steps, and the process of its own they run in for a big export.

Planning an import reads the export, compares it with the stored sign-ups, indexes them again
and matches the officers: seconds of pure Python for 100,000 rows. In a thread of the bot's
process it would share one interpreter with the event loop, which would wait for it at every
switch; :class:`ImportWorker` runs it in a separate process instead (started on first use with
``spawn``: nothing of the bot's threads is forked), kept for the next import.

What crosses the boundary stays small: the export's bytes and the database's path go in (the
worker reads the officers and the sign-ups itself, on a read-only snapshot); the rows to write
and the status changes come back pickled in pieces of :data:`PIECE` items, which the event loop
unpickles one at a time, giving way to other commands between two. The worker keeps the sign-ups
it read and those an import leaves (told once they are committed, :meth:`ImportWorker.committed`),
each known by its database and sign-ups revision, so that the next import reads none.

The sign-ups an import left there are the worker's alone (:class:`HeldSignups`): the bot's
process does not read and index them again, it has the worker match officers against them
(an officer added or removed, a roster import), sending each officer's profile as a plain tuple
once, then its key alone while it is the same object, and getting the matches and the matched
sign-ups back in pieces.

The same :func:`plan_signups` plans an import in the bot's own process (small exports, a
database in memory, and the re-planning inside a write transaction).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.gc_pause import collector_paused
from bot.registration.models import Officer, OfficerProfile, Signup, StoredSignup
from bot.registration.reconcile import Match
from bot.registration.signup_cache import Signups, export_rows
from bot.registration.signup_file import SignupRecord, check_not_roster, parse_signups
from bot.registration.status_rules import StatusPlan
from bot.registration.status_rules import plan as plan_statuses
from bot.registration.storage import RegistrationRepository
from bot.storage.database import Database, Transaction

log = logging.getLogger(__name__)

PIECE = 1000  # items unpickled at once on the event loop
WORKER_MIN_BYTES = 1_000_000
"""Exports from this size (about 10,000 rows) are planned in the worker process; a smaller one
costs less than starting it."""

INCREMENTAL_SHARE = 0.2
"""A sign-up import changing at most this share of the stored sign-ups matches again only the
officers those sign-ups may concern (:func:`~bot.registration.reconcile.touching`)."""


@dataclass(frozen=True)
class HeldSignups:
    """The sign-ups of a revision that only the worker process holds (an import planned there
    left them): matched there, not read again in this process."""

    revision: int
    count: int
    worker: ImportWorker
    database: str


@dataclass(frozen=True)
class Snapshot:
    revision: int  # the registration revision it was read at
    officers: list[Officer]
    signups: Signups | HeldSignups
    rejected: set[tuple[str, str]]  # (officer key, sign-up key); with held sign-ups, none:
    rejected_ids: frozenset[tuple[str, int]] = frozenset()  # (officer key, sign-up id) instead

    def local(self) -> Signups:
        """The sign-ups, read in this process (a plan that compares rows needs them)."""
        assert isinstance(self.signups, Signups), "the sign-ups are the worker's"
        return self.signups


@dataclass(frozen=True)
class SignupPlan:
    """What an import writes, planned before its write transaction."""

    revision: int  # the registration revision it was planned at
    signups_revision: int  # the sign-ups' revision it was compared with
    officers: int  # how many officers there were
    rows: int  # the export's sign-ups, one per key
    new: list[StoredSignup]
    updated: list[Signup]
    statuses: StatusPlan = field(default_factory=StatusPlan)
    # The officers before the import, kept after it (with its statuses) for the next use case,
    # and the sign-ups after it (None when it changes nothing); from the worker process, the
    # sign-ups stay there, and the officers are those read here meanwhile, if of that revision.
    before: list[Officer] | None = None
    after: Signups | None = None
    # Planned in the worker process: which of its plans, to name in ImportWorker.committed,
    # and the exchange that sent it (see ImportWorker.known).
    number: int | None = None
    exchange: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.updated)


Matcher = Callable[
    [Snapshot, list[Officer], str, datetime, Collection[str] | None], Awaitable[StatusPlan]
]


async def read_snapshot(
    repo: RegistrationRepository,
    reader: Transaction,
    *,
    officers: tuple[int, list[Officer]] | None,
    signups: Signups | None,
    held: HeldSignups | None = None,
) -> Snapshot:
    """The officers, the sign-ups and the rejections as ``reader`` sees them; ``officers`` (of a
    registration revision) and ``signups`` are taken instead of read while their revision holds,
    and else ``held``, the worker's, while theirs does."""
    revision = await repo.revision(tx=reader)
    signups_revision = await repo.signups_revision(tx=reader)
    if officers is not None and officers[0] == revision:
        kept = officers[1]
    else:
        kept = await repo.officers(tx=reader)
    pairs = await repo.rejected_pairs(tx=reader)
    keys = {o.id: o.key for o in kept}
    if signups is None or signups.revision != signups_revision:
        if held is not None and held.revision == signups_revision:
            ids = frozenset((keys[o], s) for o, s in pairs if o in keys)
            return Snapshot(revision, kept, held, set(), ids)
        rows = await repo.signups(tx=reader)
        signups = await asyncio.to_thread(Signups.build, signups_revision, rows)
    rejected = {
        (keys[o], signups.by_id[s].key) for o, s in pairs if o in keys and s in signups.by_id
    }
    return Snapshot(revision, kept, signups, rejected)


def match(
    snap: Snapshot,
    officers: list[Officer],
    actor: str,
    now: datetime,
    only: Collection[str] | None = None,
) -> StatusPlan:
    """What the sign-ups of ``snap`` (read here) say of ``officers`` (of those whose match may
    depend on ``only``'s, if given), as writes."""
    signups = snap.local()
    matches = signups.matcher.reconcile(officers, rejected=snap.rejected, only=only)
    return statuses_of(officers, matches, signups.by_key, actor, now)


def statuses_of(
    officers: list[Officer],
    matches: list[Match],
    signups: Mapping[str, StoredSignup],
    actor: str,
    now: datetime,
) -> StatusPlan:
    """The writes ``matches`` make of ``officers`` (``signups``: at least the matched ones)."""
    return plan_statuses({o.key: o for o in officers}, matches, signups, now, actor)


async def matched(
    snap: Snapshot, officers: list[Officer], only: Collection[str] | None
) -> tuple[list[Match], Mapping[str, StoredSignup]]:
    """:func:`~bot.registration.reconcile.reconcile` of ``officers`` with the sign-ups of
    ``snap``, wherever they are held, and the matched sign-ups by key."""
    if isinstance(snap.signups, HeldSignups):
        return await snap.signups.worker.reconcile(snap, officers, only)
    signups = snap.signups
    found = await asyncio.to_thread(
        signups.matcher.reconcile, officers, rejected=snap.rejected, only=only
    )
    return found, signups.by_key


async def plan_signups(
    snap: Snapshot,
    records: list[SignupRecord],
    rows: list[Signup],
    filename: str,
    actor: str,
    now: datetime,
    matcher: Matcher,
) -> SignupPlan:
    """What importing ``records`` (their ``rows``, one per key) writes, against ``snap``; each
    step in a thread, the matching by ``matcher``."""
    keys = {o.key for o in snap.officers}
    await asyncio.to_thread(check_not_roster, records, keys, filename)
    before = snap.local()
    new, updated = await asyncio.to_thread(before.delta, rows)
    count = len(snap.officers)
    if not new and not updated:
        return SignupPlan(
            snap.revision, before.revision, count, len(rows), [], [], before=snap.officers
        )
    after_import = await asyncio.to_thread(before.with_changes, before.revision, new, updated)
    only = await asyncio.to_thread(
        touched, snap.officers, before, after_import, new, updated, snap.rejected
    )
    if only is not None:  # what the import leaves as it was is not looked up again
        after_import.matcher.inherit(before.matcher, only)
    statuses = await matcher(replace(snap, signups=after_import), snap.officers, actor, now, only)
    return SignupPlan(
        snap.revision,
        before.revision,
        count,
        len(rows),
        new,
        updated,
        statuses,
        before=snap.officers,
        after=after_import,
    )


def touched(
    officers: list[Officer],
    before: Signups,
    after: Signups,
    new: Sequence[Signup],
    updated: Sequence[Signup],
    rejected: Collection[tuple[str, str]] = (),
) -> set[str] | None:
    """The officers an import's ``new`` and ``updated`` sign-ups may concern, before and after
    it (``None``: every officer, for a first or a large import); ``rejected``: (officer key,
    sign-up key) pairs."""
    if not before.rows or len(new) + len(updated) > INCREMENTAL_SHARE * len(before.rows):
        return None
    changed = [s.key for s in new] + [s.key for s in updated]
    ids = {before.by_key[s.key].id for s in updated}
    # With the officers' side kept for each (see Signups.matcher): the blocks looked up here
    # are those the matching that follows reads again.
    return (
        after.matcher.touching(officers, changed, rejected=rejected)
        | before.matcher.touching(officers, [s.key for s in updated], rejected=rejected)
        | {o.key for o in officers if o.signup_id in ids}
    )


def read_export(data: bytes, filename: str, tz: ZoneInfo, max_bytes: int) -> list[SignupRecord]:
    """The export's rows, as an import reads them (a sign-up date required)."""
    return parse_signups(data, filename, tz, max_bytes=max_bytes, require_date=True)


# --- the worker process ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    """An import to plan, as it is sent to the worker."""

    database: str  # the SQLite file's path
    data: bytes
    filename: str
    timezone: str
    max_bytes: int
    actor: str
    now: datetime
    exchange: int = 0  # numbered by the worker's owner (the officers read are then known by it)


@dataclass(frozen=True)
class MatchRequest:
    """Officers to match with the sign-ups the worker holds, as it is sent."""

    database: str
    revision: int  # the sign-ups' revision
    # The officers, in order: each one's profile as a plain tuple (:func:`_described`), or only
    # its key for one whose profile the worker was sent in the exchange numbered ``base``.
    officers: list[str | tuple[Any, ...]]
    base: int | None
    number: int  # this exchange's
    rejected: frozenset[tuple[str, int]]  # (officer key, sign-up id)
    only: Collection[str] | None


class ImportWorker:
    """The process big sign-up imports are planned in, and officers matched with the sign-ups
    they leave there; started on first use and kept, one call at a time. Close it with
    :meth:`close`."""

    def __init__(self, min_bytes: int = WORKER_MIN_BYTES) -> None:
        self.min_bytes = min_bytes
        self._pool: ProcessPoolExecutor | None = None
        # The officers whose profiles the worker has (as sent in exchange ``_sent_in``): an
        # officer that is the same object again is named by its key alone.
        self._sent: dict[str, OfficerProfile] = {}
        self._sent_in: int | None = None
        self._exchanges = 0

    def wanted(self, size: int) -> bool:
        """Whether an export of ``size`` bytes is planned here."""
        return size >= self.min_bytes

    async def plan(self, request: ImportRequest) -> SignupPlan:
        """The import's plan, made in the worker process. A refused file raises the same
        :class:`~bot.errors.UserError` as in this process."""
        self._exchanges += 1
        request = replace(request, exchange=self._exchanges)
        answer = await self._call(_plan_request, request)
        if isinstance(answer, _Refused):
            raise answer.error()
        assert isinstance(answer, _Packed)
        changes = await _unpacked(answer.changes)
        evidences = await _unpacked(answer.evidences)
        changed = await _unpacked(answer.changed)
        return SignupPlan(
            answer.revision,
            answer.signups_revision,
            answer.officers,
            answer.rows,
            await _unpacked(answer.new),
            await _unpacked(answer.updated),
            StatusPlan(changes, evidences, changed),
            number=answer.number,
            exchange=request.exchange,
        )

    def known(self, plan: SignupPlan, officers: list[Officer]) -> None:
        """``officers`` are those ``plan`` was made with (read here at its revision): the worker
        has their profiles, so that the next matching names them by key."""
        if plan.exchange is not None:
            self._sent, self._sent_in = {o.key: o for o in officers}, plan.exchange

    async def committed(self, plan: SignupPlan, revision: int) -> int | None:
        """``plan``'s sign-ups are now stored, at the sign-ups ``revision``: the worker keeps
        them if it still holds them (its last plan), and says how many they are (else None)."""
        if self._pool is None or plan.number is None:
            return None
        count: int | None = await self._call(_keep_planned, plan.number, revision)
        return count

    async def reconcile(
        self, snap: Snapshot, officers: list[Officer], only: Collection[str] | None
    ) -> tuple[list[Match], Mapping[str, StoredSignup]]:
        """:func:`matched` with the sign-ups this worker holds (``snap.signups``); read again in
        this process if the worker no longer has them and the database has moved on since (the
        write transaction that follows then plans again: its revision moved too)."""
        held = snap.signups
        assert isinstance(held, HeldSignups)
        self._exchanges += 1
        sent, base = self._sent, self._sent_in
        described = await asyncio.to_thread(_described, officers, sent)
        request = MatchRequest(
            held.database,
            held.revision,
            described,
            base,
            self._exchanges,
            snap.rejected_ids,
            only,
        )
        answer: _Matched | _Unknown | None = await self._call(_reconcile_request, request)
        if isinstance(answer, _Unknown):  # it no longer has them: every profile sent
            described = await asyncio.to_thread(_described, officers, {})
            request = replace(request, officers=described, base=None)
            answer = await self._call(_reconcile_request, request)
        if answer is None:
            return await matched(await _read_here(held, snap.rejected_ids), officers, only)
        assert isinstance(answer, _Matched)
        self._sent, self._sent_in = {o.key: o for o in officers}, request.number
        matches: list[Match] = await _unpacked(answer.matches)
        signups: list[StoredSignup] = await _unpacked(answer.signups)
        return matches, {s.key: s for s in signups}

    async def close(self) -> None:
        """Stop the worker process (after the import under way, if any)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, True, cancel_futures=True)

    async def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_in_background
            )
        pool = self._pool
        try:
            # Submitted from a thread: starting the process and queueing the file wait there.
            future: Future[Any] = await asyncio.to_thread(pool.submit, function, *args)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            log.warning("the sign-up import's worker process stopped; a new one will start")
            if self._pool is pool:
                self._pool = None
            raise


_PROFILE_FIELDS = tuple(f.name for f in fields(OfficerProfile))


def _described(
    officers: Sequence[OfficerProfile], sent: Mapping[str, OfficerProfile]
) -> list[str | tuple[Any, ...]]:
    """Each officer's profile as a plain tuple (quick to pickle), or its key alone if it is
    the very object ``sent`` holds under that key (models are replaced, never changed)."""
    names = _PROFILE_FIELDS
    return [
        o.key if sent.get(o.key) is o else tuple([getattr(o, n) for n in names]) for o in officers
    ]


async def _read_here(held: HeldSignups, held_rejected: Collection[tuple[str, int]]) -> Snapshot:
    """The sign-ups read in this process, now, and the rejections ``held_rejected`` names."""
    db = await Database.open(held.database, migrate=False)
    try:
        repo = RegistrationRepository(db)
        async with db.snapshot() as reader:
            revision = await repo.signups_revision(tx=reader)
            rows = await repo.signups(tx=reader)
    finally:
        await db.close()
    signups = await asyncio.to_thread(Signups.build, revision, rows)
    by_id = signups.by_id
    rejected = {(o, by_id[s].key) for o, s in held_rejected if s in by_id}
    return Snapshot(0, [], signups, rejected)


NICENESS = 5  # how much lower than the bot's the worker's scheduling priority is


def _in_background() -> None:
    """The worker process yields the processor to the bot's (and its commands) when both want
    it: on a busy machine the import waits, not the members."""
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)


async def _unpacked(pieces: list[bytes]) -> list[Any]:
    out: list[Any] = []
    for piece in pieces:
        out += pickle.loads(piece)
        await asyncio.sleep(0)  # the other commands' turn between two pieces
    return out


def _packed(items: Sequence[Any]) -> list[bytes]:
    return [
        pickle.dumps(list(items[start : start + PIECE]), pickle.HIGHEST_PROTOCOL)
        for start in range(0, len(items), PIECE)
    ]


@dataclass(frozen=True)
class _Packed:
    number: int
    revision: int
    signups_revision: int
    officers: int
    rows: int
    new: list[bytes]
    updated: list[bytes]
    changes: list[bytes]
    evidences: list[bytes]
    changed: list[bytes]


@dataclass(frozen=True)
class _Matched:
    matches: list[bytes]
    signups: list[bytes]  # the matched ones


@dataclass(frozen=True)
class _Unknown:
    """Officers named by key whose profiles the worker does not have (sent again whole)."""


@dataclass(frozen=True)
class _Refused:
    """A :class:`UserError` as it crosses the boundary (its own pickling would call its
    constructor with the wrong arguments)."""

    kind: type[UserError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def error(self) -> UserError:
        error = self.kind.__new__(self.kind)
        Exception.__init__(error, *self.args)
        error.__dict__.update(self.state)
        return error


@dataclass
class _Kept:
    """What the worker process keeps between two calls (one per process)."""

    signups: tuple[str, Signups] | None = None  # of a database
    planned: tuple[int, str, Signups] | None = None  # the last plan's, until committed
    plans: int = 0  # plans made
    profiles: tuple[int, dict[str, OfficerProfile]] | None = None  # by exchange, the last sent


_KEPT = _Kept()


def _plan_request(request: ImportRequest) -> _Packed | _Refused:
    try:
        with collector_paused():
            return asyncio.run(_planned(request))
    except UserError as error:
        return _Refused(type(error), error.args, dict(error.__dict__))


async def _planned(request: ImportRequest) -> _Packed:
    records = read_export(
        request.data, request.filename, ZoneInfo(request.timezone), request.max_bytes
    )
    rows = export_rows(records)
    kept = _KEPT.signups
    db = await Database.open(request.database, migrate=False)
    try:
        async with db.snapshot() as reader:
            snap = await read_snapshot(
                RegistrationRepository(db),
                reader,
                officers=None,
                signups=kept[1] if kept and kept[0] == request.database else None,
            )
    finally:
        await db.close()
    _KEPT.signups = request.database, snap.local()
    _KEPT.profiles = request.exchange, {o.key: o for o in snap.officers}
    del kept

    async def matcher(
        snap: Snapshot,
        officers: list[Officer],
        actor: str,
        now: datetime,
        only: Collection[str] | None,
    ) -> StatusPlan:
        return await asyncio.to_thread(match, snap, officers, actor, now, only)

    plan = await plan_signups(
        snap, records, rows, request.filename, request.actor, request.now, matcher
    )
    _KEPT.plans += 1
    number = _KEPT.plans
    _KEPT.planned = (number, request.database, plan.after) if plan.after is not None else None
    statuses = plan.statuses
    return _Packed(
        number,
        plan.revision,
        plan.signups_revision,
        plan.officers,
        plan.rows,
        _packed(plan.new),
        _packed(plan.updated),
        _packed(statuses.changes),
        _packed(statuses.evidences),
        _packed(statuses.changed),
    )


def _keep_planned(number: int, revision: int) -> int | None:
    planned = _KEPT.planned
    if planned is None or planned[0] != number:
        return None
    _KEPT.planned = None
    _KEPT.signups = planned[1], replace(planned[2], revision=revision)
    return len(planned[2].rows)


def _reconcile_request(request: MatchRequest) -> _Matched | _Unknown | None:
    """The matches of the officers, or None if neither this process nor the database holds
    the sign-ups of that revision any more."""
    with collector_paused():
        kept = _KEPT.profiles
        known = kept[1] if kept is not None and kept[0] == request.base else {}
        names = _PROFILE_FIELDS
        officers: list[OfficerProfile] = []
        for item in request.officers:
            if isinstance(item, str):
                if item not in known:
                    return _Unknown()
                officers.append(known[item])
            else:
                officers.append(OfficerProfile(**dict(zip(names, item, strict=True))))
        _KEPT.profiles = request.number, {o.key: o for o in officers}
        signups = _held(request.database, request.revision)
        if signups is None:
            return None
        by_id = signups.by_id
        rejected = {(o, by_id[s].key) for o, s in request.rejected if s in by_id}
        found = signups.matcher.reconcile(officers, rejected=rejected, only=request.only)
        by_key = signups.by_key
        chosen = {m.signup: by_key[m.signup] for m in found if m.signup is not None}
        return _Matched(_packed(found), _packed(list(chosen.values())))


def _held(database: str, revision: int) -> Signups | None:
    """The sign-ups of ``revision``: kept, else read if the database is still there."""
    kept = _KEPT.signups
    if kept is not None and kept[0] == database and kept[1].revision == revision:
        return kept[1]

    async def read() -> Signups | None:
        db = await Database.open(database, migrate=False)
        try:
            async with db.snapshot() as reader:
                repo = RegistrationRepository(db)
                if await repo.signups_revision(tx=reader) != revision:
                    return None
                rows = await repo.signups(tx=reader)
        finally:
            await db.close()
        return Signups.build(revision, rows)

    signups = asyncio.run(read())
    if signups is not None:
        _KEPT.signups = database, signups
    return signups
