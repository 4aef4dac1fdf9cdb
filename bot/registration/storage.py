"""Storage for registration: officers (with their current status), sign-ups, status history and
organisers' rejections of proposed matches. All the SQL of the feature lives here, and every row
read comes back as a type of :mod:`bot.registration.models`.

Reads take an optional transaction so that a service can read and write consistently inside one.
Every write also moves the registration revision (once per transaction): a cache of what is read
here compares :meth:`RegistrationRepository.revision` with the one it was computed at.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import weakref
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple, TypeVar

from bot.registration.links import LinkRequest
from bot.registration.models import (
    LIST_ORDER,
    HistoryEntry,
    ImportKind,
    ImportRecord,
    MatchReason,
    Officer,
    OfficerLine,
    OfficerName,
    OfficerProfile,
    OfficerStatus,
    Signup,
    StatusChange,
    StatusEvent,
    StatusSource,
    StoredSignup,
)
from bot.registration.roster_ops import search_text
from bot.storage.database import IN_BATCH, Database, Params, Transaction

_OFFICER_COLUMNS = (
    "id, key, first_name, last_name, role, department, email, discord_user_id, discord_username, "
    "phone, status, status_since, status_source, status_actor, signup_id, confidence, reason, "
    "self_declared_at, confirmed_at, confirmed_by, created_at"
)
_SIGNUP_COLUMNS = "id, key, name, email, postcode, department, signed_up_at"
# The order of a department's list (models.LIST_ORDER), then by name.
_LIST_ORDER = (
    "CASE status "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(LIST_ORDER))
    + " END, last_name, first_name, key"
)
# A department's list of at most this many officers is read on the event loop: the largest
# department of a national roster has a few hundred; 100 officers read there in 0.3 ms on a
# loaded machine of two cores, against 1 ms through a reader's thread.
LIST_ON_LOOP = 500
# Values as read back: a dictionary look-up is cheaper than the enum's own, on every row.
_STATUS = {s.value: s for s in OfficerStatus}
_SOURCE = {s.value: s for s in StatusSource}
_REASON = {r.value: r for r in MatchReason}

Reader = Database | Transaction
T = TypeVar("T")
_ON_THE_LOOP = 2_000  # rows converted on the event loop; more go to a worker thread
CHANGES_KEPT = 100_000  # registration_changes kept for the figures' readers behind


class ChangesDropped(Exception):
    """The changes a reader of :meth:`RegistrationRepository.changed_officers` is behind by
    were dropped: it reads everything again, then goes on from ``last``."""

    def __init__(self, last: int) -> None:
        super().__init__(last)
        self.last = last


async def _converted(convert: Callable[[sqlite3.Row], T], rows: list[sqlite3.Row]) -> list[T]:
    """``rows`` as models; many are converted in a worker thread, so that reading the whole
    roster or export does not hold the event loop."""
    if len(rows) <= _ON_THE_LOOP:
        return [convert(r) for r in rows]
    return await asyncio.to_thread(lambda: [convert(r) for r in rows])


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _officer(row: sqlite3.Row) -> Officer:
    """A row of ``_OFFICER_COLUMNS``, by position: a department or a search reads many."""
    (
        officer_id,
        key,
        first_name,
        last_name,
        role,
        department,
        email,
        discord_user_id,
        discord_username,
        phone,
        status,
        status_since,
        status_source,
        status_actor,
        signup_id,
        confidence,
        reason,
        self_declared_at,
        confirmed_at,
        confirmed_by,
        created_at,
    ) = row
    return Officer(
        id=officer_id,
        key=key,
        first_name=first_name,
        last_name=last_name,
        role=role,
        department=department,
        email=email,
        discord_user_id=discord_user_id,
        discord_username=discord_username,
        phone=phone,
        status=_STATUS[status],
        status_since=_dt(status_since),
        status_source=_SOURCE[status_source],
        status_actor=status_actor,
        signup_id=signup_id,
        confidence=confidence,
        reason=_REASON[reason],
        self_declared_at=_dt(self_declared_at),
        confirmed_at=_dt(confirmed_at),
        confirmed_by=confirmed_by,
        created_at=datetime.fromisoformat(created_at),
    )


_LINE_COLUMNS = "id, key, first_name, last_name, department, status, status_since"


def _line(row: sqlite3.Row) -> OfficerLine:
    """A row of ``_LINE_COLUMNS``: what a department's list shows of an officer."""
    return OfficerLine(
        key=row[1],
        first_name=row[2],
        last_name=row[3],
        department=row[4],
        status=_STATUS[row[5]],
        status_since=_dt(row[6]),
    )


def _signup(row: sqlite3.Row) -> StoredSignup:
    """A row of ``_SIGNUP_COLUMNS``, by position: reconciliation reads every sign-up."""
    signup_id, key, name, email, postcode, department, signed_up_at = row
    return StoredSignup(
        id=signup_id,
        key=key,
        name=name,
        email=email,
        postcode=postcode,
        department=department,
        signed_up_at=_dt(signed_up_at),
    )


_PROFILE_COLUMNS = attrgetter(
    "key",
    "first_name",
    "last_name",
    "role",
    "department",
    "email",
    "discord_user_id",
    "discord_username",
    "phone",
)
_SIGNUP_FIELDS = attrgetter("key", "name", "email", "postcode", "department")


def _profile_values(profile: OfficerProfile) -> tuple[object, ...]:
    """The roster's columns in the order the writes below name them, and the search text."""
    return (*_PROFILE_COLUMNS(profile), search_text(profile))


def _signup_values(signup: Signup) -> tuple[object, ...]:
    """The export's columns in the order the writes below name them."""
    when = signup.signed_up_at
    return (*_SIGNUP_FIELDS(signup), when.isoformat() if when else None)


# In the order rows may refer to each other's: a restore deletes backwards, inserts forwards.
_UNDOABLE_TABLES = ("signups", "officers", "status_history", "rejected_matches")
_IMPORT_COLUMNS = "id, kind, at, actor, filename, rows, summary, undoable, undone_at, undone_by"


def _import(row: sqlite3.Row) -> ImportRecord:
    return ImportRecord(
        id=row["id"],
        kind=ImportKind(row["kind"]),
        at=datetime.fromisoformat(row["at"]),
        actor=row["actor"],
        filename=row["filename"],
        rows=row["rows"],
        summary=json.loads(row["summary"]),
        undoable=bool(row["undoable"]),
        undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
        undone_by=row["undone_by"],
    )


class UndoMarks(NamedTuple):
    """The highest ids before an import: rows above them are the import's (or later)."""

    signups: int
    status_history: int


class RegistrationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Transactions whose revision already moved: once is enough for any number of writes.
        self._revised: weakref.WeakSet[Transaction] = weakref.WeakSet()
        self._signups_revised: weakref.WeakSet[Transaction] = weakref.WeakSet()
        # The import a transaction is making, whose undo it keeps (keep_state_before_import).
        self._undo: weakref.WeakKeyDictionary[Transaction, UndoMarks] = weakref.WeakKeyDictionary()

    # --- the revision ----------------------------------------------------------------------

    async def revision(self, *, tx: Transaction | None = None) -> int:
        """A number that moves with every committed write to registration data, made on this
        database by any process (one row read)."""
        sql = "SELECT revision FROM registration_revision"  # one row: a point read
        row = await (tx.fetchone(sql) if tx is not None else self._db.point_fetchone(sql))
        return int(row[0]) if row else 0

    async def signups_revision(self, *, tx: Transaction | None = None) -> int:
        """A number that moves with every committed write to the sign-ups alone (an index of
        them stays valid while officers change)."""
        sql = "SELECT signups FROM registration_revision"  # one row: a point read
        row = await (tx.fetchone(sql) if tx is not None else self._db.point_fetchone(sql))
        return int(row[0]) if row else 0

    def revised(self, tx: Transaction) -> bool:
        """Whether a write of ``tx`` moved the revision (once: from the one ``tx`` began at)."""
        return tx in self._revised

    async def _revise(self, tx: Transaction, *, signups: bool = False) -> None:
        if tx not in self._revised:
            await tx.execute("UPDATE registration_revision SET revision = revision + 1")
            await tx.execute(
                "DELETE FROM registration_changes"
                " WHERE seq <= (SELECT MAX(seq) FROM registration_changes) - ?",
                (CHANGES_KEPT,),
            )
            self._revised.add(tx)
        if signups and tx not in self._signups_revised:
            await tx.execute("UPDATE registration_revision SET signups = signups + 1")
            self._signups_revised.add(tx)

    async def signups_file(self, *, tx: Transaction | None = None) -> str | None:
        """The digest of the last sign-up file imported, while the sign-ups are as it left
        them (``None`` once anything else changed them)."""
        row = await (tx or self._db).fetchone(
            "SELECT signups_file FROM registration_revision WHERE signups_file_at = signups"
        )
        return str(row[0]) if row and row[0] else None

    async def set_signups_file(self, tx: Transaction, digest: str) -> None:
        """Remember ``digest`` as the file that left the sign-ups as they are now in ``tx``."""
        await tx.execute(
            "UPDATE registration_revision SET signups_file = ?, signups_file_at = signups",
            (digest,),
        )

    # --- import history ----------------------------------------------------------------------

    async def keep_state_before_import(self, tx: Transaction) -> UndoMarks:
        """Start keeping what the coming import changes, replacing what was kept for an earlier
        import (only the last import can be undone): every officer and rejection as they are
        (small tables), and the highest sign-up and history ids, above which rows are the
        import's. The import then keeps the sign-ups it updates (:meth:`update_signups` does)
        and the history of the officers it removes (:meth:`delete_officers` does)."""
        for table in _UNDOABLE_TABLES:
            await tx.execute(f"DELETE FROM import_before_{table}")
        await tx.execute("INSERT INTO import_before_officers SELECT * FROM officers")
        await tx.execute(
            "INSERT INTO import_before_rejected_matches SELECT * FROM rejected_matches"
        )
        await tx.execute("UPDATE registration_imports SET undoable = 0 WHERE undoable = 1")
        row = await tx.fetchone(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM signups),"
            " (SELECT COALESCE(MAX(id), 0) FROM status_history)"
        )
        assert row is not None
        marks = UndoMarks(signups=int(row[0]), status_history=int(row[1]))
        self._undo[tx] = marks
        return marks

    async def add_import(
        self,
        tx: Transaction,
        kind: ImportKind,
        at: datetime,
        actor: str,
        filename: str,
        rows: int,
        summary: dict[str, int],
    ) -> int:
        """Record an import, the one the state kept by :meth:`keep_state_before_import` precedes."""
        await self._revise(tx)
        marks = self._undo.get(tx)
        return await tx.insert(
            "INSERT INTO registration_imports (kind, at, actor, filename, rows, summary, undoable,"
            " undo_marks) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
            (
                kind.value,
                at.isoformat(),
                actor,
                filename,
                rows,
                json.dumps(summary),
                json.dumps(marks._asdict()) if marks else None,
            ),
        )

    async def imports(
        self, kind: ImportKind | None = None, limit: int = 20, *, tx: Transaction | None = None
    ) -> list[ImportRecord]:
        """The latest imports first, of one kind or of both."""
        where, params = ("WHERE kind = ?", (kind.value,)) if kind else ("", ())
        rows = await (tx or self._db).fetchall(
            f"SELECT {_IMPORT_COLUMNS} FROM registration_imports {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_import(r) for r in rows]

    async def undoable_import(self, *, tx: Transaction | None = None) -> ImportRecord | None:
        row = await (tx or self._db).fetchone(
            f"SELECT {_IMPORT_COLUMNS} FROM registration_imports WHERE undoable = 1"
        )
        return _import(row) if row else None

    async def restore_state_before_import(
        self, tx: Transaction, import_id: int, at: datetime, actor: str
    ) -> None:
        """Put back the tables as they were before the import (same rows, same ids), mark it
        undone and drop what was kept."""
        await self._revise(tx, signups=True)
        row = await tx.fetchone(
            "SELECT undo_marks FROM registration_imports WHERE id = ?", (import_id,)
        )
        if row is None or row[0] is None:
            await self._restore_copies(tx)
        else:
            await self._restore_changes(tx, UndoMarks(**json.loads(row[0])))
        for table in _UNDOABLE_TABLES:
            await tx.execute(f"DELETE FROM import_before_{table}")
        await tx.execute(
            "UPDATE registration_imports SET undoable = 0, undone_at = ?, undone_by = ?"
            " WHERE id = ?",
            (at.isoformat(), actor, import_id),
        )

    @staticmethod
    async def _restore_copies(tx: Transaction) -> None:
        """Whole copies of the four tables (kept by imports made before only changes were)."""
        for table in reversed(_UNDOABLE_TABLES):
            await tx.execute(f"DELETE FROM {table}")
        for table in _UNDOABLE_TABLES:
            await tx.execute(f"INSERT INTO {table} SELECT * FROM import_before_{table}")

    @staticmethod
    async def _restore_changes(tx: Transaction, marks: UndoMarks) -> None:
        """The rows kept by :meth:`keep_state_before_import` and the import back in place; rows
        made since (above the marks) gone. Officers are updated in place rather than deleted
        and inserted again: a deletion would take their history with it."""
        columns = [r[1] for r in await tx.fetchall("PRAGMA table_info(officers)")]
        kept = "SELECT id FROM import_before_officers"
        await tx.execute("DELETE FROM status_history WHERE id > ?", (marks.status_history,))
        await tx.execute(f"DELETE FROM officers WHERE id NOT IN ({kept})")
        # Links may have moved between officers: clear them first (they are unique).
        await tx.execute(f"UPDATE officers SET discord_user_id = NULL WHERE id IN ({kept})")
        assigned = ", ".join(f"{c} = b.{c}" for c in columns if c != "id")
        await tx.execute(
            f"UPDATE officers SET {assigned} FROM import_before_officers AS b"
            " WHERE officers.id = b.id"
        )
        await tx.execute(
            "INSERT INTO officers SELECT * FROM import_before_officers"
            " WHERE id NOT IN (SELECT id FROM officers)"
        )
        await tx.execute("DELETE FROM signups WHERE id > ?", (marks.signups,))
        signup_columns = [r[1] for r in await tx.fetchall("PRAGMA table_info(signups)")]
        assigned = ", ".join(f"{c} = b.{c}" for c in signup_columns if c != "id")
        await tx.execute(
            f"UPDATE signups SET {assigned} FROM import_before_signups AS b WHERE signups.id = b.id"
        )
        await tx.execute("INSERT INTO status_history SELECT * FROM import_before_status_history")
        await tx.execute("DELETE FROM rejected_matches")
        await tx.execute(
            "INSERT INTO rejected_matches SELECT * FROM import_before_rejected_matches"
        )

    # --- officers: reads ---------------------------------------------------------------------

    async def officers(
        self,
        departments: Collection[str] | None = None,
        *,
        status: OfficerStatus | None = None,
        tx: Transaction | None = None,
    ) -> list[Officer]:
        """Officers (of ``departments``, with ``status``, if given), by department then name."""
        sql, params = self._officers_where(departments, status)
        rows = await (tx or self._db).fetchall(
            sql + " ORDER BY department, last_name, first_name, key", params
        )
        return await _converted(_officer, rows)

    async def department_officers(self, department: str) -> list[Officer]:
        """A department's officers in the order of its list (:meth:`department_lines`)."""
        return await self.listed_officers([department])

    async def listed_officers(self, departments: Collection[str] | None = None) -> list[Officer]:
        """Officers (of ``departments``, if given) by department, each department in the order of
        its list (:meth:`department_lines`)."""
        sql, params = self._officers_where(departments, None)
        rows = await self._db.fetchall(f"{sql} ORDER BY department, {_LIST_ORDER}", params)
        return await _converted(_officer, rows)

    async def officers_by_key(self, keys: Collection[str]) -> dict[str, Officer]:
        """The officers of ``keys`` (a few: point reads on the event loop; the UNIQUE index)."""
        rows = await self._db.fetchall_in(
            f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE key IN ({{marks}})",
            sorted(keys),
            point=True,
        )
        return {r["key"]: _officer(r) for r in rows}

    @staticmethod
    def _officers_where(
        departments: Collection[str] | None, status: OfficerStatus | None
    ) -> tuple[str, list[str]]:
        sql = f"SELECT {_OFFICER_COLUMNS} FROM officers"
        clauses: list[str] = []
        params: list[str] = []
        if departments is not None:
            params = sorted(departments)
            clauses.append(f"department IN ({','.join('?' * len(params))})")
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return sql, params

    async def department_lines(self, department: str) -> tuple[list[int], list[OfficerLine]]:
        """A department's officers, furthest from registered first (unregistered, self-declared,
        probable, registered), then by name: their ids, and only what the list shows, in that
        order.

        Read on the event loop up to :data:`LIST_ON_LOOP` officers (the statement is bounded
        by its ``LIMIT``): a trip to a reader's thread costs more than the read itself; a larger
        department is read again there, whole."""
        sql = f"SELECT {_LINE_COLUMNS} FROM officers WHERE department = ? ORDER BY {_LIST_ORDER}"
        rows = await self._db.point_fetchall(f"{sql} LIMIT {LIST_ON_LOOP + 1}", (department,))
        if len(rows) > LIST_ON_LOOP:
            rows = await self._db.fetchall(sql, (department,))
        return [r[0] for r in rows], [_line(r) for r in rows]

    async def lines_by_id(self, ids: Collection[int]) -> dict[int, OfficerLine]:
        """The list lines of the officers of ``ids`` that exist, by id (a few: point reads on
        the event loop; the primary key)."""
        rows = await self._db.fetchall_in(
            f"SELECT {_LINE_COLUMNS} FROM officers WHERE id IN ({{marks}})", sorted(ids), point=True
        )
        return {r[0]: _line(r) for r in rows}

    async def status_counts(
        self, departments: Collection[str] | None = None, *, tx: Transaction | None = None
    ) -> dict[str, dict[OfficerStatus, int]]:
        """How many officers have each status, per department (of ``departments`` if given)."""
        sql = "SELECT department, status, COUNT(*) AS n FROM officers"
        params: list[str] = []
        if departments is not None:
            params = sorted(departments)
            sql += f" WHERE department IN ({','.join('?' * len(params))})"
        rows = await (tx or self._db).fetchall(sql + " GROUP BY department, status", params)
        counts: dict[str, dict[OfficerStatus, int]] = {}
        for r in rows:
            counts.setdefault(r["department"], {})[_STATUS[r["status"]]] = r["n"]
        return counts

    async def _one(self, where: str, params: Params, tx: Transaction | None) -> Officer | None:
        """The officer ``where`` finds through an index of one row per value (a point read, on
        the event loop outside a transaction)."""
        sql = f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE {where}"
        read = tx.fetchone if tx is not None else self._db.point_fetchone
        row = await read(sql, params)
        return _officer(row) if row else None

    async def officers_by_contact(
        self, *, email: str = "", user_id: int | None = None, username: str = "", limit: int
    ) -> list[Officer]:
        """Officers by e-mail, by linked Discord id or by the roster's Discord username (the
        first given), in name order."""
        value: object
        if email:
            where, value = "email = ? COLLATE NOCASE", email
        elif user_id is not None:
            where, value = "discord_user_id = ?", user_id
        else:
            where, value = "discord_username = ? COLLATE NOCASE", username
        rows = await self._db.fetchall(
            f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE {where} "
            "ORDER BY last_name, first_name, key LIMIT ?",
            (value, limit),
        )
        return [_officer(r) for r in rows]

    async def officer(self, key: str, *, tx: Transaction | None = None) -> Officer | None:
        return await self._one("key = ? COLLATE NOCASE", (key,), tx)

    async def officer_by_discord(
        self, user_id: int, *, tx: Transaction | None = None
    ) -> Officer | None:
        return await self._one("discord_user_id = ?", (user_id,), tx)

    async def officer_by_username(
        self, username: str, *, tx: Transaction | None = None
    ) -> Officer | None:
        return await self._one(
            "discord_user_id IS NULL AND discord_username = ? COLLATE NOCASE", (username,), tx
        )

    async def search(self, terms: Sequence[str], limit: int) -> list[Officer]:
        """Officers whose folded search text contains every term."""
        rows = await self._search(_OFFICER_COLUMNS, terms, limit)
        return [_officer(r) for r in rows]

    async def search_names(self, terms: Sequence[str], limit: int) -> list[OfficerName]:
        """:meth:`search` for autocomplete: only what a choice shows, read from an index."""
        rows = await self._search("key, first_name, last_name, department", terms, limit)
        return [
            OfficerName(key=r[0], first_name=r[1], last_name=r[2], department=r[3]) for r in rows
        ]

    async def _search(self, columns: str, terms: Sequence[str], limit: int) -> list[sqlite3.Row]:
        where = " AND ".join("search_text LIKE ? ESCAPE '\\'" for _ in terms) or "1"
        params: list[object] = [f"%{_escape_like(t)}%" for t in terms]
        return await self._db.fetchall(
            f"SELECT {columns} FROM officers WHERE {where} "
            "ORDER BY last_name, first_name, key LIMIT ?",
            [*params, limit],
        )

    async def history(
        self, departments: Collection[str] | None = None, *, officer_id: int | None = None
    ) -> list[HistoryEntry]:
        """Status changes in the order they took effect (then recorded)."""
        sql = (
            "SELECT h.officer_id, h.effective_at, h.recorded_at, h.status, h.previous, h.source, "
            "h.actor, h.signup_id, h.reason "
            "FROM status_history h JOIN officers o ON o.id = h.officer_id"
        )
        clauses: list[str] = []
        params: list[object] = []
        if departments is not None:
            clauses.append(f"o.department IN ({','.join('?' * len(departments))})")
            params.extend(sorted(departments))
        if officer_id is not None:
            clauses.append("h.officer_id = ?")
            params.append(officer_id)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = await self._db.fetchall(sql + " ORDER BY h.effective_at, h.id", params)
        return [
            HistoryEntry(
                officer_id=r["officer_id"],
                effective_at=datetime.fromisoformat(r["effective_at"]),
                recorded_at=datetime.fromisoformat(r["recorded_at"]),
                status=_STATUS[r["status"]],
                previous=_STATUS[r["previous"]],
                source=_SOURCE[r["source"]],
                actor=r["actor"],
                signup_id=r["signup_id"],
                reason=_REASON.get(r["reason"], MatchReason.NONE),
            )
            for r in rows
        ]

    async def status_events(self, departments: Collection[str] | None = None) -> list[StatusEvent]:
        """Status changes of officers (of ``departments`` if given), in the order they took
        effect (then recorded): :meth:`history` reduced to what the registration curve reads."""
        sql = "SELECT h.officer_id, h.effective_at, h.status FROM status_history h"
        params: list[str] = []
        if departments is not None:
            params = sorted(departments)
            sql += (
                " JOIN officers o ON o.id = h.officer_id"
                f" WHERE o.department IN ({','.join('?' * len(params))})"
            )
        rows = await self._db.fetchall(sql + " ORDER BY h.effective_at, h.id", params)
        parse, status = datetime.fromisoformat, _STATUS
        return [StatusEvent(r[0], parse(r[1]), status[r[2]]) for r in rows]

    async def changed_officers(
        self, after: int | None, *, tx: Transaction | None = None
    ) -> tuple[int, list[int]]:
        """The last of the ``registration_changes`` (``after``, or 0, when there is none) and
        the officers named by those after ``after``, once each (none for ``None``: the last
        alone). Raises :class:`ChangesDropped` when some of those were dropped already."""
        reader = tx or self._db
        # Two lookups by the primary key (one MIN and one MAX together would scan the table).
        ends = (
            "SELECT (SELECT MIN(seq) FROM registration_changes),"
            " (SELECT MAX(seq) FROM registration_changes)"
        )
        row = await (tx.fetchone(ends) if tx is not None else self._db.point_fetchone(ends))
        if row is None or row[1] is None:
            return after or 0, []
        first, last = int(row[0]), int(row[1])
        if after is None:
            return last, []
        if first > after + 1:
            raise ChangesDropped(last)
        rows = await reader.fetchall(
            "SELECT DISTINCT officer_id FROM registration_changes WHERE seq > ?", (after,)
        )
        return last, [r[0] for r in rows]

    async def figure_rows(
        self, officer_ids: Sequence[int] | None, *, tx: Transaction | None = None
    ) -> tuple[list[tuple[int, str, OfficerStatus]], list[tuple[int, datetime, OfficerStatus]]]:
        """The officers' ``(id, department, status)`` and their status changes ``(officer id,
        effective at, status)`` by officer, in effective order (then recorded): of
        ``officer_ids`` (those still there), else of everyone."""
        reader = tx or self._db
        officers_sql = "SELECT id, department, status FROM officers"
        events_sql = "SELECT officer_id, effective_at, status FROM status_history"
        order = " ORDER BY officer_id, effective_at, id"
        if officer_ids is None:
            officer_rows = await reader.fetchall(officers_sql)
            event_rows = await reader.fetchall(events_sql + order)
        else:
            officer_rows, event_rows = [], []
            for start in range(0, len(officer_ids), IN_BATCH):
                batch = officer_ids[start : start + IN_BATCH]
                marks = ",".join("?" * len(batch))
                officer_rows += await reader.fetchall(
                    f"{officers_sql} WHERE id IN ({marks})", batch
                )
                event_rows += await reader.fetchall(
                    f"{events_sql} WHERE officer_id IN ({marks}){order}", batch
                )

        def convert() -> tuple[
            list[tuple[int, str, OfficerStatus]], list[tuple[int, datetime, OfficerStatus]]
        ]:
            parse, status = datetime.fromisoformat, _STATUS
            return (
                [(r[0], r[1], status[r[2]]) for r in officer_rows],
                [(r[0], parse(r[1]), status[r[2]]) for r in event_rows],
            )

        if len(event_rows) + len(officer_rows) > _ON_THE_LOOP:
            return await asyncio.to_thread(convert)
        return convert()

    # --- officers: writes --------------------------------------------------------------------

    async def insert_officer(self, tx: Transaction, profile: OfficerProfile, now: datetime) -> int:
        await self._revise(tx)
        return await tx.insert(
            "INSERT INTO officers (key, first_name, last_name, role, department, email, "
            "discord_user_id, discord_username, phone, search_text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_profile_values(profile), now.isoformat()),
        )

    async def update_officer(
        self, tx: Transaction, officer_id: int, profile: OfficerProfile
    ) -> None:
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET key = ?, first_name = ?, last_name = ?, role = ?, department = ?, "
            "email = ?, discord_user_id = ?, discord_username = ?, phone = ?, search_text = ? "
            "WHERE id = ?",
            (*_profile_values(profile), officer_id),
        )

    async def insert_officers(
        self, tx: Transaction, profiles: Sequence[OfficerProfile], now: datetime
    ) -> None:
        """:meth:`insert_officer` for many, in one batch; an :class:`Officer` keeps the id it
        was given (the service numbers them ahead, to reconcile before it writes)."""
        created = now.isoformat()
        await self._write_many(
            tx,
            "INSERT INTO officers (id, key, first_name, last_name, role, department, email, "
            "discord_user_id, discord_username, phone, search_text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            profiles,
            lambda p: (p.id if isinstance(p, Officer) else None, *_profile_values(p), created),
        )

    async def update_officers(
        self, tx: Transaction, updates: Sequence[tuple[int, OfficerProfile]]
    ) -> None:
        """:meth:`update_officer` for many, in one batch. Links that move between officers are
        cleared first (each Discord id is linked to one officer at most at any time)."""
        await self._write_many(
            tx,
            "UPDATE officers SET discord_user_id = NULL WHERE id = ?",
            updates,
            lambda update: (update[0],),
        )
        await self._write_many(
            tx,
            "UPDATE officers SET key = ?, first_name = ?, last_name = ?, role = ?, department = ?, "
            "email = ?, discord_user_id = ?, discord_username = ?, phone = ?, search_text = ? "
            "WHERE id = ?",
            updates,
            lambda update: (*_profile_values(update[1]), update[0]),
        )

    async def delete_officers(self, tx: Transaction, officer_ids: Iterable[int]) -> None:
        """Officers and, with them, their history and rejections (kept first when an import
        is being made, for its undo)."""
        ids = list(officer_ids)
        if tx in self._undo:
            await tx.executemany(
                "INSERT INTO import_before_status_history"
                " SELECT * FROM status_history WHERE officer_id = ?",
                [(i,) for i in ids],
            )
        await self._write_many(tx, "DELETE FROM officers WHERE id = ?", ids, lambda i: (i,))

    async def set_discord(self, tx: Transaction, officer_id: int, user_id: int | None) -> None:
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET discord_user_id = ? WHERE id = ?", (user_id, officer_id)
        )

    async def change_status(
        self, tx: Transaction, officer: Officer, change: StatusChange, recorded_at: datetime
    ) -> None:
        """Set the officer's status and append the change to the history, in ``tx``."""
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET status = ?, status_since = ?, status_source = ?, "
            "status_actor = ?, signup_id = ?, confidence = ?, reason = ? WHERE id = ?",
            (
                change.status,
                change.effective_at.isoformat(),
                change.source,
                change.actor,
                change.signup_id,
                change.confidence,
                change.reason,
                officer.id,
            ),
        )
        await tx.execute(
            "INSERT INTO status_history (officer_id, effective_at, recorded_at, status, previous, "
            "source, actor, signup_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                officer.id,
                change.effective_at.isoformat(),
                recorded_at.isoformat(),
                change.status,
                officer.status,
                change.source,
                change.actor,
                change.signup_id,
                change.reason,
            ),
        )

    async def change_statuses(
        self,
        tx: Transaction,
        changes: Sequence[tuple[Officer, StatusChange]],
        recorded_at: datetime,
    ) -> None:
        """:meth:`change_status` for many officers, in two batches."""
        await self._write_many(
            tx,
            "UPDATE officers SET status = ?, status_since = ?, status_source = ?, "
            "status_actor = ?, signup_id = ?, confidence = ?, reason = ? WHERE id = ?",
            changes,
            lambda change: (
                change[1].status,
                change[1].effective_at.isoformat(),
                change[1].source,
                change[1].actor,
                change[1].signup_id,
                change[1].confidence,
                change[1].reason,
                change[0].id,
            ),
        )
        recorded = recorded_at.isoformat()
        await self._write_many(
            tx,
            "INSERT INTO status_history (officer_id, effective_at, recorded_at, status, previous, "
            "source, actor, signup_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            changes,
            lambda change: (
                change[0].id,
                change[1].effective_at.isoformat(),
                recorded,
                change[1].status,
                change[0].status,
                change[1].source,
                change[1].actor,
                change[1].signup_id,
                change[1].reason,
            ),
        )

    async def set_evidences(
        self, tx: Transaction, evidences: Sequence[tuple[int, float, MatchReason]]
    ) -> None:
        """:meth:`set_evidence` for many ``(officer id, confidence, reason)``, in one batch."""
        await self._write_many(
            tx,
            "UPDATE officers SET confidence = ?, reason = ? WHERE id = ?",
            evidences,
            lambda evidence: (evidence[1], evidence[2], evidence[0]),
        )

    async def set_evidence(
        self, tx: Transaction, officer_id: int, confidence: float, reason: MatchReason
    ) -> None:
        """Refresh how sure a match is, without a status change (no history entry)."""
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET confidence = ?, reason = ? WHERE id = ?",
            (confidence, reason, officer_id),
        )

    async def set_self_declared(
        self, tx: Transaction, officer_id: int, at: datetime | None
    ) -> None:
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET self_declared_at = ? WHERE id = ?",
            (at.isoformat() if at else None, officer_id),
        )

    async def set_confirmed(
        self, tx: Transaction, officer_id: int, at: datetime | None, actor: str | None
    ) -> None:
        await self._revise(tx)
        await tx.execute(
            "UPDATE officers SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
            (at.isoformat() if at else None, actor, officer_id),
        )

    # --- sign-ups ----------------------------------------------------------------------------

    async def holds_data(self) -> bool:
        """Whether any officer or sign-up is stored."""
        row = await self._db.fetchone(
            "SELECT EXISTS(SELECT 1 FROM officers) OR EXISTS(SELECT 1 FROM signups)"
        )
        return bool(row and row[0])

    async def signups(self, *, tx: Transaction | None = None) -> list[StoredSignup]:
        rows = await (tx or self._db).fetchall(f"SELECT {_SIGNUP_COLUMNS} FROM signups ORDER BY id")
        return await _converted(_signup, rows)

    async def signup(self, signup_id: int) -> StoredSignup | None:
        row = await self._db.point_fetchone(
            f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id = ?", (signup_id,)
        )
        return _signup(row) if row else None

    async def signups_by_id(self, ids: Collection[int]) -> dict[int, StoredSignup]:
        """The sign-ups of ``ids`` (a few: point reads on the event loop; the primary key)."""
        rows = await self._db.fetchall_in(
            f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id IN ({{marks}})",
            sorted(ids),
            point=True,
        )
        return {s.id: s for s in await _converted(_signup, rows)}

    async def insert_signups(
        self, tx: Transaction, signups: Sequence[StoredSignup | Signup], now: datetime
    ) -> None:
        """New sign-ups; a :class:`StoredSignup` keeps the id it was given (the service numbers
        them ahead, to reconcile before it writes)."""
        imported = now.isoformat()
        await self._revise_signups(tx, signups)
        await self._write_many(
            tx,
            "INSERT INTO signups (id, key, name, email, postcode, department, signed_up_at, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            signups,
            lambda s: (s.id if isinstance(s, StoredSignup) else None, *_signup_values(s), imported),
        )

    async def update_signups(
        self, tx: Transaction, signups: Sequence[Signup], now: datetime
    ) -> None:
        """Known sign-ups (by key) as the export now gives them (kept first when an import is
        being made, for its undo)."""
        imported = now.isoformat()
        await self._revise_signups(tx, signups)
        if tx in self._undo:
            await tx.executemany(
                "INSERT INTO import_before_signups SELECT * FROM signups WHERE key = ?",
                [(s.key,) for s in signups],
            )
        await self._write_many(
            tx,
            "UPDATE signups SET name = ?, email = ?, postcode = ?, department = ?, "
            "signed_up_at = ?, imported_at = ? WHERE key = ?",
            signups,
            lambda s: (*_signup_values(s)[1:], imported, s.key),
        )

    async def _revise_signups(self, tx: Transaction, signups: Sequence[Signup]) -> None:
        if signups:
            await self._revise(tx, signups=True)

    async def _write_many(
        self,
        tx: Transaction,
        sql: str,
        items: Sequence[T],
        row: Callable[[T], tuple[object, ...]],
    ) -> None:
        """One statement for each of ``items``, in one batch; nothing written, nor the revision
        moved, for none. Each item becomes its ``row`` of parameters as the batch runs, in the
        database's thread: tens of thousands of them never hold the event loop."""
        if items:
            await self._revise(tx)
            await tx.executemany(sql, map(row, items))

    # --- organisers' rejections --------------------------------------------------------------

    async def rejected_pairs(self, *, tx: Transaction | None = None) -> set[tuple[int, int]]:
        """``(officer id, sign-up id)`` pairs an organiser said are not the same person."""
        rows = await (tx or self._db).fetchall("SELECT officer_id, signup_id FROM rejected_matches")
        return {(r["officer_id"], r["signup_id"]) for r in rows}

    async def reject(
        self, tx: Transaction, officer_id: int, signup_id: int, at: datetime, actor: str
    ) -> None:
        await self._revise(tx)
        await tx.execute(
            "INSERT OR IGNORE INTO rejected_matches (officer_id, signup_id, rejected_at, actor) "
            "VALUES (?, ?, ?, ?)",
            (officer_id, signup_id, at.isoformat(), actor),
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class LinkRequestRepository:
    """Members asking to be linked to an officer by the roster's username
    (:mod:`bot.registration.links`). Requests touch no registration figure: they do not move
    the revision."""

    # Still to answer: the officer is not linked, nor the member to anyone.
    _WAITING = (
        "FROM link_requests r JOIN officers o ON o.id = r.officer_id "
        "WHERE o.discord_user_id IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM officers m WHERE m.discord_user_id = r.discord_user_id)"
    )

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, tx: Transaction, officer_id: int, user_id: int, at: datetime) -> bool:
        """File a request; whether it is new (asking again files nothing)."""
        added = await tx.execute(
            "INSERT OR IGNORE INTO link_requests (officer_id, discord_user_id, requested_at) "
            "VALUES (?, ?, ?)",
            (officer_id, user_id, at.isoformat()),
        )
        return added > 0

    async def exists(self, officer_id: int, user_id: int, *, tx: Transaction | None = None) -> bool:
        row = await (tx or self._db).fetchone(
            "SELECT 1 FROM link_requests WHERE officer_id = ? AND discord_user_id = ?",
            (officer_id, user_id),
        )
        return row is not None

    async def count(self, *, tx: Transaction | None = None) -> int:
        row = await (tx or self._db).fetchone(f"SELECT count(*) {self._WAITING}")
        return int(row[0]) if row else 0

    async def waiting(self, *, tx: Transaction | None = None) -> list[LinkRequest]:
        """The requests still to answer, oldest first."""
        return await self._read(f"{self._WAITING} ORDER BY r.requested_at, r.id", (), tx)

    async def request(
        self, request_id: int, *, tx: Transaction | None = None
    ) -> LinkRequest | None:
        """A request still to answer, by id."""
        found = await self._read(f"{self._WAITING} AND r.id = ?", (request_id,), tx)
        return found[0] if found else None

    async def _read(self, where: str, params: Params, tx: Transaction | None) -> list[LinkRequest]:
        conn = tx or self._db
        rows = await conn.fetchall(
            f"SELECT r.id, r.officer_id, r.discord_user_id, r.requested_at {where}", params
        )
        ids = sorted({int(r["officer_id"]) for r in rows})
        officers = {
            o.id: o
            for o in map(
                _officer,
                await conn.fetchall(
                    f"SELECT {_OFFICER_COLUMNS} FROM officers "
                    f"WHERE id IN ({','.join('?' * len(ids))})",
                    ids,
                ),
            )
        }
        return [
            LinkRequest(
                id=int(r["id"]),
                officer=officers[int(r["officer_id"])],
                discord_user_id=int(r["discord_user_id"]),
                requested_at=datetime.fromisoformat(r["requested_at"]),
            )
            for r in rows
        ]

    async def remove(self, tx: Transaction, request_id: int) -> int:
        return await tx.execute("DELETE FROM link_requests WHERE id = ?", (request_id,))

    async def settle(self, tx: Transaction, officer_id: int, user_id: int) -> int:
        """Drop the requests a link makes moot: the officer's, and the member's for anyone."""
        return await tx.execute(
            "DELETE FROM link_requests WHERE officer_id = ? OR discord_user_id = ?",
            (officer_id, user_id),
        )
