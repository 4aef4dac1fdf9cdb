"""Storage for registration: officers (with their current status), sign-ups, status history and
organisers' rejections of proposed matches. All the SQL of the feature lives here, and every row
read comes back as a type of :mod:`bot.registration.models`.

Reads take an optional transaction so that a service can read and write consistently inside one.
Every write also moves the registration revision (once per transaction): a cache of what is read
here compares :meth:`RegistrationRepository.revision` with the one it was computed at.
"""

from __future__ import annotations

import json
import sqlite3
import weakref
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from operator import attrgetter

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
from bot.storage.database import Database, Params, Transaction

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
# Values as read back: a dictionary look-up is cheaper than the enum's own, on every row.
_STATUS = {s.value: s for s in OfficerStatus}
_SOURCE = {s.value: s for s in StatusSource}
_REASON = {r.value: r for r in MatchReason}

Reader = Database | Transaction


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


class RegistrationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Transactions whose revision already moved: once is enough for any number of writes.
        self._revised: weakref.WeakSet[Transaction] = weakref.WeakSet()

    # --- the revision ----------------------------------------------------------------------

    async def revision(self) -> int:
        """A number that moves with every committed write to registration data, made on this
        database by any process (one row read)."""
        row = await self._db.fetchone("SELECT revision FROM registration_revision")
        return int(row[0]) if row else 0

    async def _revise(self, tx: Transaction) -> None:
        if tx not in self._revised:
            await tx.execute("UPDATE registration_revision SET revision = revision + 1")
            self._revised.add(tx)

    # --- import history ----------------------------------------------------------------------

    async def keep_state_before_import(self, tx: Transaction) -> None:
        """Copy the registration tables aside, replacing the copy kept for an earlier import
        (only the last import can be undone)."""
        for table in _UNDOABLE_TABLES:
            await tx.execute(f"DELETE FROM import_before_{table}")
            await tx.execute(f"INSERT INTO import_before_{table} SELECT * FROM {table}")
        await tx.execute("UPDATE registration_imports SET undoable = 0 WHERE undoable = 1")

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
        return await tx.insert(
            "INSERT INTO registration_imports (kind, at, actor, filename, rows, summary, undoable)"
            " VALUES (?, ?, ?, ?, ?, ?, 1)",
            (kind.value, at.isoformat(), actor, filename, rows, json.dumps(summary)),
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
        undone and drop the copy."""
        await self._revise(tx)
        for table in reversed(_UNDOABLE_TABLES):
            await tx.execute(f"DELETE FROM {table}")
        for table in _UNDOABLE_TABLES:
            await tx.execute(f"INSERT INTO {table} SELECT * FROM import_before_{table}")
            await tx.execute(f"DELETE FROM import_before_{table}")
        await tx.execute(
            "UPDATE registration_imports SET undoable = 0, undone_at = ?, undone_by = ?"
            " WHERE id = ?",
            (at.isoformat(), actor, import_id),
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
        return [_officer(r) for r in rows]

    async def department_officers(self, department: str) -> list[Officer]:
        """A department's officers in the order of its list (:meth:`officer_lines`)."""
        return await self.listed_officers([department])

    async def listed_officers(self, departments: Collection[str] | None = None) -> list[Officer]:
        """Officers (of ``departments``, if given) by department, each department in the order of
        its list (:meth:`officer_lines`)."""
        sql, params = self._officers_where(departments, None)
        rows = await self._db.fetchall(f"{sql} ORDER BY department, {_LIST_ORDER}", params)
        return [_officer(r) for r in rows]

    async def officers_by_key(self, keys: Collection[str]) -> dict[str, Officer]:
        rows = await self._db.fetchall_in(
            f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE key IN ({{marks}})", sorted(keys)
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

    async def officer_lines(self, department: str) -> list[OfficerLine]:
        """A department's officers, furthest from registered first (unregistered, self-declared,
        probable, registered), then by name: only what the list shows."""
        rows = await self._db.fetchall(
            "SELECT key, first_name, last_name, status, status_since FROM officers "
            f"WHERE department = ? ORDER BY {_LIST_ORDER}",
            (department,),
        )
        return [
            OfficerLine(
                key=r[0],
                first_name=r[1],
                last_name=r[2],
                department=department,
                status=_STATUS[r[3]],
                status_since=_dt(r[4]),
            )
            for r in rows
        ]

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
        row = await (tx or self._db).fetchone(
            f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE {where}", params
        )
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

    async def delete_officers(self, tx: Transaction, officer_ids: Iterable[int]) -> None:
        await self._write_many(tx, "DELETE FROM officers WHERE id = ?", [(i,) for i in officer_ids])

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
        return [_signup(r) for r in rows]

    async def signup(self, signup_id: int) -> StoredSignup | None:
        row = await self._db.fetchone(
            f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id = ?", (signup_id,)
        )
        return _signup(row) if row else None

    async def signups_by_id(self, ids: Collection[int]) -> dict[int, StoredSignup]:
        rows = await self._db.fetchall_in(
            f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id IN ({{marks}})", sorted(ids)
        )
        return {r["id"]: _signup(r) for r in rows}

    async def insert_signups(
        self, tx: Transaction, signups: Sequence[Signup], now: datetime
    ) -> None:
        await self._write_many(
            tx,
            "INSERT INTO signups (key, name, email, postcode, department, signed_up_at, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*_signup_values(s), now.isoformat()) for s in signups],
        )

    async def update_signups(
        self, tx: Transaction, signups: Sequence[Signup], now: datetime
    ) -> None:
        await self._write_many(
            tx,
            "UPDATE signups SET name = ?, email = ?, postcode = ?, department = ?, "
            "signed_up_at = ?, imported_at = ? WHERE key = ?",
            [(*_signup_values(s)[1:], now.isoformat(), s.key) for s in signups],
        )

    async def _write_many(self, tx: Transaction, sql: str, rows: list[tuple[object, ...]]) -> None:
        """One statement for each row; nothing written, nor the revision moved, for none."""
        if rows:
            await self._revise(tx)
            await tx.executemany(sql, rows)

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
