"""Storage for registration: officers (with their current status), sign-ups, status history and
organisers' rejections of proposed matches. All the SQL of the feature lives here.

Reads take an optional transaction so that a service can read and write consistently inside one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from bot.storage.database import Database, Params, Transaction

_OFFICER_COLUMNS = (
    "id, key, first_name, last_name, role, department, email, discord_user_id, discord_username, "
    "phone, status, status_since, status_source, status_actor, signup_id, confidence, reason, "
    "self_declared_at, confirmed_at, confirmed_by, created_at"
)
_SIGNUP_COLUMNS = "id, key, name, email, postcode, department, signed_up_at"


@dataclass(frozen=True)
class OfficerFields:
    """What the roster says about an officer."""

    key: str
    first_name: str
    last_name: str
    department: str
    role: str = ""
    email: str = ""
    discord_user_id: int | None = None
    discord_username: str = ""
    phone: str = ""
    search_text: str = ""


@dataclass(frozen=True)
class OfficerRow:
    id: int
    key: str
    first_name: str
    last_name: str
    role: str
    department: str
    email: str
    discord_user_id: int | None
    discord_username: str
    phone: str
    status: str
    status_since: datetime | None
    status_source: str
    status_actor: str
    signup_id: int | None
    confidence: float
    reason: str
    self_declared_at: datetime | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    created_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class SignupFields:
    key: str
    name: str
    email: str
    postcode: str
    department: str | None
    signed_up_at: datetime | None


@dataclass(frozen=True)
class SignupRow(SignupFields):
    id: int


@dataclass(frozen=True)
class StatusChange:
    """A new status for an officer, written to the officer's row and to the history."""

    status: str
    effective_at: datetime
    source: str
    actor: str
    signup_id: int | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class HistoryRow:
    officer_id: int
    department: str
    effective_at: datetime
    recorded_at: datetime
    status: str
    previous: str
    source: str
    actor: str
    signup_id: int | None
    reason: str


class StatusEvent(NamedTuple):
    """One status change, as much as the registration curve needs (a tuple: there are many)."""

    officer_id: int
    effective_at: datetime
    status: str


class OfficerLine(NamedTuple):
    """An officer as a department's list shows them (a tuple: a department reads many)."""

    key: str
    first_name: str
    last_name: str
    status: str
    status_since: datetime | None


class OfficerName(NamedTuple):
    """Who an officer is, as autocomplete shows it."""

    key: str
    first_name: str
    last_name: str
    department: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


Reader = Database | Transaction


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _officer(row: sqlite3.Row) -> OfficerRow:
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
    return OfficerRow(
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
        _dt(status_since),
        status_source,
        status_actor,
        signup_id,
        confidence,
        reason,
        _dt(self_declared_at),
        _dt(confirmed_at),
        confirmed_by,
        datetime.fromisoformat(created_at),
    )


def _signup(row: sqlite3.Row) -> SignupRow:
    """A row of ``_SIGNUP_COLUMNS``, by position: reconciliation reads every sign-up."""
    signup_id, key, name, email, postcode, department, signed_up_at = row
    return SignupRow(
        id=signup_id,
        key=key,
        name=name,
        email=email,
        postcode=postcode,
        department=department,
        signed_up_at=_dt(signed_up_at),
    )


class RegistrationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- officers: reads ---------------------------------------------------------------------

    async def officers(
        self,
        departments: Collection[str] | None = None,
        *,
        status: str | None = None,
        tx: Transaction | None = None,
    ) -> list[OfficerRow]:
        """Officers (of ``departments``, with ``status``, if given), by department then name."""
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
        sql += " ORDER BY department, last_name, first_name, key"
        rows = await (tx or self._db).fetchall(sql, params)
        return [_officer(r) for r in rows]

    async def officer_lines(self, department: str) -> list[OfficerLine]:
        """A department's officers, furthest from registered first (unregistered, self-declared,
        probable, registered), then by name: only what the list shows."""
        rows = await self._db.fetchall(
            "SELECT key, first_name, last_name, status, status_since FROM officers "
            "WHERE department = ? ORDER BY CASE status WHEN 'unregistered' THEN 0 "
            "WHEN 'self_declared' THEN 1 WHEN 'probable' THEN 2 ELSE 3 END, "
            "last_name, first_name, key",
            (department,),
        )
        return [OfficerLine(r[0], r[1], r[2], r[3], _dt(r[4])) for r in rows]

    async def status_counts(
        self, departments: Collection[str] | None = None, *, tx: Transaction | None = None
    ) -> dict[str, dict[str, int]]:
        """How many officers have each status, per department (of ``departments`` if given)."""
        sql = "SELECT department, status, COUNT(*) AS n FROM officers"
        params: list[str] = []
        if departments is not None:
            params = sorted(departments)
            sql += f" WHERE department IN ({','.join('?' * len(params))})"
        rows = await (tx or self._db).fetchall(sql + " GROUP BY department, status", params)
        counts: dict[str, dict[str, int]] = {}
        for r in rows:
            counts.setdefault(r["department"], {})[r["status"]] = r["n"]
        return counts

    async def _one(self, where: str, params: Params, tx: Transaction | None) -> OfficerRow | None:
        row = await (tx or self._db).fetchone(
            f"SELECT {_OFFICER_COLUMNS} FROM officers WHERE {where}", params
        )
        return _officer(row) if row else None

    async def officer(self, key: str, *, tx: Transaction | None = None) -> OfficerRow | None:
        return await self._one("key = ? COLLATE NOCASE", (key,), tx)

    async def officer_by_discord(
        self, user_id: int, *, tx: Transaction | None = None
    ) -> OfficerRow | None:
        return await self._one("discord_user_id = ?", (user_id,), tx)

    async def officer_by_username(
        self, username: str, *, tx: Transaction | None = None
    ) -> OfficerRow | None:
        return await self._one(
            "discord_user_id IS NULL AND discord_username = ? COLLATE NOCASE", (username,), tx
        )

    async def search(self, terms: Sequence[str], limit: int) -> list[OfficerRow]:
        """Officers whose folded search text contains every term."""
        rows = await self._search(_OFFICER_COLUMNS, terms, limit)
        return [_officer(r) for r in rows]

    async def search_names(self, terms: Sequence[str], limit: int) -> list[OfficerName]:
        """:meth:`search` for autocomplete: only what a choice shows, read from an index."""
        rows = await self._search("key, first_name, last_name, department", terms, limit)
        return [OfficerName(*r) for r in rows]

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
    ) -> list[HistoryRow]:
        """Status changes in the order they took effect (then recorded)."""
        sql = (
            "SELECT h.officer_id, o.department, h.effective_at, h.recorded_at, h.status, "
            "h.previous, h.source, h.actor, h.signup_id, h.reason "
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
            HistoryRow(
                r["officer_id"],
                r["department"],
                datetime.fromisoformat(r["effective_at"]),
                datetime.fromisoformat(r["recorded_at"]),
                r["status"],
                r["previous"],
                r["source"],
                r["actor"],
                r["signup_id"],
                r["reason"],
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
        parse = datetime.fromisoformat
        return [StatusEvent(r[0], parse(r[1]), r[2]) for r in rows]

    # --- officers: writes --------------------------------------------------------------------

    @staticmethod
    async def insert_officer(tx: Transaction, fields: OfficerFields, now: datetime) -> int:
        return await tx.insert(
            "INSERT INTO officers (key, first_name, last_name, role, department, email, "
            "discord_user_id, discord_username, phone, search_text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fields.key,
                fields.first_name,
                fields.last_name,
                fields.role,
                fields.department,
                fields.email,
                fields.discord_user_id,
                fields.discord_username,
                fields.phone,
                fields.search_text,
                now.isoformat(),
            ),
        )

    @staticmethod
    async def update_officer(tx: Transaction, officer_id: int, fields: OfficerFields) -> None:
        await tx.execute(
            "UPDATE officers SET key = ?, first_name = ?, last_name = ?, role = ?, department = ?, "
            "email = ?, discord_user_id = ?, discord_username = ?, phone = ?, search_text = ? "
            "WHERE id = ?",
            (
                fields.key,
                fields.first_name,
                fields.last_name,
                fields.role,
                fields.department,
                fields.email,
                fields.discord_user_id,
                fields.discord_username,
                fields.phone,
                fields.search_text,
                officer_id,
            ),
        )

    @staticmethod
    async def delete_officers(tx: Transaction, officer_ids: Iterable[int]) -> None:
        await tx.executemany("DELETE FROM officers WHERE id = ?", [(i,) for i in officer_ids])

    @staticmethod
    async def set_discord(tx: Transaction, officer_id: int, user_id: int | None) -> None:
        await tx.execute(
            "UPDATE officers SET discord_user_id = ? WHERE id = ?", (user_id, officer_id)
        )

    @staticmethod
    async def change_status(
        tx: Transaction, officer: OfficerRow, change: StatusChange, recorded_at: datetime
    ) -> None:
        """Set the officer's status and append the change to the history, in ``tx``."""
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

    @staticmethod
    async def set_evidence(
        tx: Transaction, officer_id: int, confidence: float, reason: str
    ) -> None:
        """Refresh how sure a match is, without a status change (no history entry)."""
        await tx.execute(
            "UPDATE officers SET confidence = ?, reason = ? WHERE id = ?",
            (confidence, reason, officer_id),
        )

    @staticmethod
    async def set_self_declared(tx: Transaction, officer_id: int, at: datetime | None) -> None:
        await tx.execute(
            "UPDATE officers SET self_declared_at = ? WHERE id = ?",
            (at.isoformat() if at else None, officer_id),
        )

    @staticmethod
    async def set_confirmed(
        tx: Transaction, officer_id: int, at: datetime | None, actor: str | None
    ) -> None:
        await tx.execute(
            "UPDATE officers SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
            (at.isoformat() if at else None, actor, officer_id),
        )

    # --- sign-ups ----------------------------------------------------------------------------

    async def signups(self, *, tx: Transaction | None = None) -> list[SignupRow]:
        rows = await (tx or self._db).fetchall(f"SELECT {_SIGNUP_COLUMNS} FROM signups ORDER BY id")
        return [_signup(r) for r in rows]

    async def signup(self, signup_id: int) -> SignupRow | None:
        row = await self._db.fetchone(
            f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id = ?", (signup_id,)
        )
        return _signup(row) if row else None

    async def signups_by_id(self, ids: Collection[int]) -> dict[int, SignupRow]:
        found: dict[int, SignupRow] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = await self._db.fetchall(
                f"SELECT {_SIGNUP_COLUMNS} FROM signups WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update({r["id"]: _signup(r) for r in rows})
        return found

    @staticmethod
    async def insert_signups(tx: Transaction, rows: Sequence[SignupFields], now: datetime) -> None:
        await tx.executemany(
            "INSERT INTO signups (key, name, email, postcode, department, signed_up_at, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*_signup_values(r), now.isoformat()) for r in rows],
        )

    @staticmethod
    async def update_signups(tx: Transaction, rows: Sequence[SignupFields], now: datetime) -> None:
        await tx.executemany(
            "UPDATE signups SET name = ?, email = ?, postcode = ?, department = ?, "
            "signed_up_at = ?, imported_at = ? WHERE key = ?",
            [(*_signup_values(r)[1:], now.isoformat(), r.key) for r in rows],
        )

    # --- organisers' rejections --------------------------------------------------------------

    async def rejected_pairs(self, *, tx: Transaction | None = None) -> set[tuple[int, int]]:
        rows = await (tx or self._db).fetchall("SELECT officer_id, signup_id FROM rejected_matches")
        return {(r["officer_id"], r["signup_id"]) for r in rows}

    @staticmethod
    async def reject(
        tx: Transaction, officer_id: int, signup_id: int, at: datetime, actor: str
    ) -> None:
        await tx.execute(
            "INSERT OR IGNORE INTO rejected_matches (officer_id, signup_id, rejected_at, actor) "
            "VALUES (?, ?, ?, ?)",
            (officer_id, signup_id, at.isoformat(), actor),
        )


def _signup_values(row: SignupFields) -> tuple[object, ...]:
    return (
        row.key,
        row.name,
        row.email,
        row.postcode,
        row.department,
        row.signed_up_at.isoformat() if row.signed_up_at else None,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
