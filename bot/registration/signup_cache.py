"""The stored sign-ups as matching reads them, built once per sign-ups revision.

A :class:`Signups` holds the rows, their look-ups and the
:class:`~bot.registration.reconcile.SignupIndex` of them. Building one is heavy (call it in a
worker thread); it is never changed afterwards, so a worker may read it while the event loop
serves other commands. The officers' side of matching against it
(:class:`~bot.registration.reconcile.OfficerIndex`, :attr:`Signups.matcher`) is kept with it, so
that one officer added or changed is matched at the cost of its closure, not the roster's. An
import makes the next one from the previous and what it adds or updates
(:meth:`Signups.with_changes`), without reading the sign-ups again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.gc_pause import collector_paused, keep_out_of_collections
from bot.registration.models import Signup, StoredSignup
from bot.registration.reconcile import OfficerIndex, SignupIndex
from bot.registration.signup_file import SignupRecord


@dataclass(frozen=True)
class Signups:
    revision: int  # the sign-ups revision these rows are of
    rows: list[StoredSignup]  # by id
    by_key: dict[str, StoredSignup]
    by_id: dict[int, StoredSignup]
    index: SignupIndex
    # The officers matched against ``index``, kept between calls (carried by ``replace``).
    kept: OfficerIndex | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kept is None:
            object.__setattr__(self, "kept", OfficerIndex(self.index))

    @property
    def matcher(self) -> OfficerIndex:
        """What matching keeps of the officers against these sign-ups."""
        assert self.kept is not None
        return self.kept

    @classmethod
    def build(cls, revision: int, rows: list[StoredSignup]) -> Signups:
        with collector_paused():
            built = cls(
                revision,
                rows,
                {s.key: s for s in rows},
                {s.id: s for s in rows},
                SignupIndex(rows),
            )
        # Millions of long-lived objects: the cyclic garbage collector would walk them all on
        # each full pass, holding every thread (the event loop's too) meanwhile. They hold no
        # cycles, so they are still freed by reference counting once dropped.
        keep_out_of_collections()
        return built

    @property
    def next_id(self) -> int:
        """The id SQLite would give the next sign-up (one more than the highest)."""
        return max(self.by_id, default=0) + 1

    def delta(self, rows: Sequence[Signup]) -> tuple[list[StoredSignup], list[Signup]]:
        """Of an export's ``rows`` (one per key), the new ones (numbered as they will be
        stored) and the known ones it changes."""
        new: list[StoredSignup] = []
        updated: list[Signup] = []
        next_id = self.next_id
        for row in rows:
            known = self.by_key.get(row.key)
            if known is None:
                new.append(_stored(row, next_id + len(new)))
            elif _differs(known, row):
                updated.append(row)
        return new, updated

    def with_changes(
        self, revision: int, new: Sequence[StoredSignup], updated: Sequence[Signup]
    ) -> Signups:
        """These sign-ups once ``new`` are added and ``updated`` written (heavy: a new index)."""
        changed = {s.key: s for s in updated}
        rows = [_stored(changed[s.key], s.id) if s.key in changed else s for s in self.rows] + list(
            new
        )
        return Signups.build(revision, rows)


def export_rows(records: Sequence[SignupRecord]) -> list[Signup]:
    """One sign-up per key: the last row wins."""
    return list({r.signup.key: r.signup for r in records}.values())


def digest(data: bytes, timezone: ZoneInfo, rows: int | None = None) -> str:
    """What identifies an export as read (its bytes and the zone its dates are read in)."""
    text = hashlib.sha256(data).hexdigest() + f"|{timezone.key}"
    return text if rows is None else f"{text}|{rows}"


def digest_rows(stored: str) -> int:
    """The number of rows a :func:`digest` made with ``rows`` names."""
    return int(stored.rsplit("|", 1)[1])


def _stored(row: Signup, signup_id: int) -> StoredSignup:
    return StoredSignup(
        id=signup_id,
        key=row.key,
        name=row.name,
        email=row.email,
        postcode=row.postcode,
        department=row.department,
        signed_up_at=row.signed_up_at,
    )


def _differs(known: StoredSignup, row: Signup) -> bool:
    return (known.name, known.email, known.postcode, known.department, known.signed_up_at) != (
        row.name,
        row.email,
        row.postcode,
        row.department,
        row.signed_up_at,
    )
