"""The SQL of privacy: every table that holds personal data, read for an export, rewritten for
an erase or a purge. Tolerant of an older schema (a backup file) where a table is missing."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.privacy.models import ERASED, AuditLine, Person, PrivacyAction, Row
from bot.privacy.rules import mentions, scrub
from bot.storage.database import Database, Transaction

# Columns that name who acted ("discord:<id>", "cli", "scheduler"), rewritten when that person
# is erased.
ACTOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("audit_log", "actor"),
    ("officers", "status_actor"),
    ("officers", "confirmed_by"),
    ("status_history", "actor"),
    ("rejected_matches", "actor"),
    ("registration_imports", "actor"),
    ("registration_imports", "undone_by"),
    ("reminder_campaigns", "started_by"),
    ("reminder_exemptions", "by"),
    ("news_articles", "added_by"),
    ("import_before_officers", "status_actor"),
    ("import_before_officers", "confirmed_by"),
    ("import_before_status_history", "actor"),
    ("import_before_rejected_matches", "actor"),
)
# Tables keyed by the Discord user id alone: what the bot learnt of a member to nudge them.
BY_DISCORD_ID = ("reminder_closed_dms", "reminder_locales", "reminder_dm_channels")
BY_OFFICER_KEY = ("reminder_exemptions", "reminder_snoozes")
# Audit actions whose detail is a count, kept by a purge.
COUNTED = (PrivacyAction.ERASE.value, PrivacyAction.PURGE.value)


def _rows(rows: Sequence[sqlite3.Row]) -> list[Row]:
    return [dict(r) for r in rows]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- finding a person ----------------------------------------------------------------------

    async def person_by_discord(self, user_id: int) -> Person | None:
        row = await self._db.fetchone(
            "SELECT id, key, discord_user_id, email, first_name, last_name FROM officers "
            "WHERE discord_user_id = ?",
            (user_id,),
        )
        return _person(row)

    async def person_by_key(self, key: str, tx: Transaction | None = None) -> Person | None:
        row = await (tx or self._db).fetchone(
            "SELECT id, key, discord_user_id, email, first_name, last_name FROM officers "
            "WHERE key = ? COLLATE NOCASE",
            (key,),
        )
        return _person(row)

    # --- export --------------------------------------------------------------------------------

    async def personal_data(self, tx: Transaction, person: Person) -> dict[str, Any]:
        """Every row about ``person``, by table, read in one transaction."""
        officer = await tx.fetchone("SELECT * FROM officers WHERE id = ?", (person.officer_id,))
        history = await tx.fetchall(
            "SELECT * FROM status_history WHERE officer_id = ? ORDER BY effective_at, id",
            (person.officer_id,),
        )
        signup_ids = await self._signup_ids(tx, person, "officers", "status_history")
        signups = await tx.fetchall(
            f"SELECT * FROM signups WHERE id IN ({_marks(signup_ids)}) ORDER BY id", signup_ids
        )
        rejected = await tx.fetchall(
            "SELECT * FROM rejected_matches WHERE officer_id = ?", (person.officer_id,)
        )
        nudges = await tx.fetchall(
            "SELECT * FROM reminder_deliveries WHERE officer_key = ? "
            + ("OR discord_user_id = ? " if person.discord_user_id is not None else "")
            + "ORDER BY id",
            _key_and_id(person),
        )
        exemptions = await tx.fetchall(
            "SELECT * FROM reminder_exemptions WHERE officer_key = ?", (person.key,)
        )
        snoozes = await tx.fetchall(
            "SELECT * FROM reminder_snoozes WHERE officer_key = ? ORDER BY id", (person.key,)
        )
        links = await tx.fetchall(
            "SELECT * FROM link_requests WHERE officer_id = ? "
            + ("OR discord_user_id = ? " if person.discord_user_id is not None else "")
            + "ORDER BY id",
            _officer_and_id(person),
        )
        preferences: Row = {}
        if person.discord_user_id is not None:
            for table in BY_DISCORD_ID:
                row = await tx.fetchone(
                    f"SELECT * FROM {table} WHERE discord_user_id = ?", (person.discord_user_id,)
                )
                preferences[table.removeprefix("reminder_")] = dict(row) if row else None
        return {
            "officer": dict(officer) if officer else {},
            "status_history": _rows(history),
            "signups": _rows(signups),
            "rejected_matches": _rows(rejected),
            "nudges": _rows(nudges),
            "exemptions": _rows(exemptions),
            "snoozes": _rows(snoozes),
            "preferences": preferences,
            "link_requests": _rows(links),
            "audit": [
                {
                    "id": a.id,
                    "at": a.at.isoformat(),
                    "actor": a.actor,
                    "action": a.action,
                    "detail": a.detail,
                }
                for a in await self.audit_about(tx, person)
            ],
        }

    async def _signup_ids(
        self,
        tx: Transaction,
        person: Person,
        officers: str,
        history: str,
        officer_ids: Sequence[int] = (),
    ) -> list[int]:
        """The sign-ups that are the person's: matched to them, in their history, or bearing
        their e-mail."""
        ids = list(officer_ids) or [person.officer_id]
        marks = _marks(ids)
        rows = await tx.fetchall(
            f"SELECT signup_id FROM {officers} WHERE id IN ({marks}) AND signup_id IS NOT NULL "
            f"UNION SELECT signup_id FROM {history} WHERE officer_id IN ({marks}) "
            "AND signup_id IS NOT NULL",
            [*ids, *ids],
        )
        found = {int(r[0]) for r in rows}
        if person.email.strip():
            table = "signups" if officers == "officers" else "import_before_signups"
            rows = await tx.fetchall(
                f"SELECT id FROM {table} WHERE email = ? COLLATE NOCASE", (person.email.strip(),)
            )
            found |= {int(r[0]) for r in rows}
        return sorted(found)

    async def audit_about(self, tx: Transaction | Database, person: Person) -> list[AuditLine]:
        """Audit entries made by the person or naming them (their key, their Discord id)."""
        tokens = _tokens(person)
        clauses = " OR ".join("detail LIKE ? ESCAPE '\\'" for _ in tokens)
        params: list[Any] = [f"%{_like(t)}%" for t in tokens]
        if person.actor is not None:
            clauses += " OR actor = ?"
            params.append(person.actor)
        rows = await tx.fetchall(
            f"SELECT id, at, actor, action, detail FROM audit_log WHERE {clauses} ORDER BY id",
            params,
        )
        return [
            _audit(r) for r in rows if r["actor"] == person.actor or mentions(r["detail"], tokens)
        ]

    # --- erase ---------------------------------------------------------------------------------

    async def erase(self, tx: Transaction, person: Person) -> dict[str, int]:
        """Remove the person's rows, anonymise the rows kept for their counts; by table, how
        many rows were touched."""
        tables = await _tables(tx)
        counts: dict[str, int] = {}

        def count(table: str, n: int) -> None:
            if n > 0:
                counts[table] = counts.get(table, 0) + n

        signup_ids = await self._signup_ids(tx, person, "officers", "status_history")
        if "link_requests" in tables:
            count(
                "link_requests",
                await tx.execute(
                    "DELETE FROM link_requests WHERE officer_id = ?"
                    + (" OR discord_user_id = ?" if person.discord_user_id is not None else ""),
                    _officer_and_id(person),
                ),
            )
        count(
            "rejected_matches",
            await tx.execute(
                "DELETE FROM rejected_matches WHERE officer_id = ?", (person.officer_id,)
            ),
        )
        count(
            "status_history",
            await tx.execute(
                "DELETE FROM status_history WHERE officer_id = ?", (person.officer_id,)
            ),
        )
        count(
            "officers", await tx.execute("DELETE FROM officers WHERE id = ?", (person.officer_id,))
        )
        if signup_ids:
            count(
                "signups",
                await tx.execute(
                    f"DELETE FROM signups WHERE id IN ({_marks(signup_ids)})", signup_ids
                ),
            )
        await _revise(tx, tables, signups=bool(signup_ids))
        if "import_before_officers" in tables:
            await self._erase_copies(tx, person, count)
        if "reminder_deliveries" in tables:
            count(
                "reminder_deliveries",
                await tx.execute(
                    "UPDATE reminder_deliveries SET officer_key = ?, first_name = '', "
                    "discord_user_id = NULL, message_id = NULL WHERE officer_key = ?"
                    + (" OR discord_user_id = ?" if person.discord_user_id is not None else ""),
                    (ERASED, *_key_and_id(person)),
                ),
            )
            for table in BY_OFFICER_KEY:
                count(
                    table,
                    await tx.execute(f"DELETE FROM {table} WHERE officer_key = ?", (person.key,)),
                )
            if person.discord_user_id is not None:
                for table in BY_DISCORD_ID:
                    if table in tables:
                        count(
                            table,
                            await tx.execute(
                                f"DELETE FROM {table} WHERE discord_user_id = ?",
                                (person.discord_user_id,),
                            ),
                        )
        if person.actor is not None:
            for table, column in ACTOR_COLUMNS:
                if column in tables.get(table, ()):
                    count(
                        table,
                        await tx.execute(
                            f'UPDATE {table} SET "{column}" = ? WHERE "{column}" = ?',
                            (ERASED, person.actor),
                        ),
                    )
        tokens = _tokens(person)
        for line in await self.audit_about(tx, person):
            count(
                "audit_log",
                await tx.execute(
                    "UPDATE audit_log SET detail = ? WHERE id = ?",
                    (scrub(line.detail, tokens), line.id),
                ),
            )
        return counts

    async def _erase_copies(self, tx: Transaction, person: Person, count: Any) -> None:
        """The same person in the copy kept to undo the last import."""
        params: list[Any] = [person.key]
        where = "key = ? COLLATE NOCASE"
        if person.discord_user_id is not None:
            where += " OR discord_user_id = ?"
            params.append(person.discord_user_id)
        if person.email.strip():
            where += " OR email = ? COLLATE NOCASE"
            params.append(person.email.strip())
        ids = [
            int(r[0])
            for r in await tx.fetchall(
                f"SELECT id FROM import_before_officers WHERE {where}", params
            )
        ]
        signup_ids = await self._signup_ids(
            tx, person, "import_before_officers", "import_before_status_history", ids or [-1]
        )
        if ids:
            marks = _marks(ids)
            for table in ("import_before_rejected_matches", "import_before_status_history"):
                count(
                    table,
                    await tx.execute(f"DELETE FROM {table} WHERE officer_id IN ({marks})", ids),
                )
            count(
                "import_before_officers",
                await tx.execute(f"DELETE FROM import_before_officers WHERE id IN ({marks})", ids),
            )
        if signup_ids:
            count(
                "import_before_signups",
                await tx.execute(
                    f"DELETE FROM import_before_signups WHERE id IN ({_marks(signup_ids)})",
                    signup_ids,
                ),
            )

    # --- purge ---------------------------------------------------------------------------------

    async def holds_personal_data(self) -> bool:
        row = await self._db.fetchone(
            "SELECT EXISTS (SELECT 1 FROM officers) OR EXISTS (SELECT 1 FROM signups) "
            "OR EXISTS (SELECT 1 FROM import_before_officers) "
            "OR EXISTS (SELECT 1 FROM import_before_signups) "
            "OR EXISTS (SELECT 1 FROM reminder_deliveries WHERE officer_key <> ?)",
            (ERASED,),
        )
        return bool(row and row[0])

    async def purge(self, tx: Transaction) -> tuple[int, dict[str, int]]:
        """Every person's data: (officers removed, rows touched by table). Counts stay: the
        imports' summaries, the campaigns and their deliveries (anonymised), the audit actions."""
        tables = await _tables(tx)
        row = await tx.fetchone("SELECT count(*) FROM officers")
        people = int(row[0]) if row else 0
        counts: dict[str, int] = {}
        for table in (
            "link_requests",
            "rejected_matches",
            "status_history",
            "officers",
            "signups",
            "import_before_rejected_matches",
            "import_before_status_history",
            "import_before_officers",
            "import_before_signups",
            *BY_OFFICER_KEY,
            *BY_DISCORD_ID,
        ):
            if table in tables:
                n = await tx.execute(f"DELETE FROM {table}")
                if n > 0:
                    counts[table] = n
        await _revise(tx, tables, signups=True)
        if "reminder_deliveries" in tables:
            n = await tx.execute(
                "UPDATE reminder_deliveries SET officer_key = ?, first_name = '', "
                "discord_user_id = NULL, message_id = NULL WHERE officer_key <> ?",
                (ERASED, ERASED),
            )
            if n:
                counts["reminder_deliveries"] = n
        for table, column in ACTOR_COLUMNS:
            if column in tables.get(table, ()):
                n = await tx.execute(
                    f'UPDATE {table} SET "{column}" = ? WHERE "{column}" LIKE \'discord:%\'',
                    (ERASED,),
                )
                if n:
                    counts[table] = counts.get(table, 0) + n
        # Details of registration, nudges and exports name officers by key: only the action
        # stays (the counts of erasures and purges are kept).
        n = await tx.execute(
            "UPDATE audit_log SET detail = '' WHERE detail <> '' AND action NOT LIKE 'news.%' "
            f"AND action NOT IN ({_marks(COUNTED)})",
            COUNTED,
        )
        if n:
            counts["audit_log"] = counts.get("audit_log", 0) + n
        return people, counts

    # --- the audit trail -----------------------------------------------------------------------

    async def audit_page(
        self, *, about: Person | None, actor: str | None, offset: int, limit: int
    ) -> tuple[list[AuditLine], int]:
        """Entries newest first, about a person and/or made by ``actor``; and how many match."""
        where: list[str] = []
        params: list[Any] = []
        if actor is not None:
            where.append("actor = ?")
            params.append(actor)
        if about is None:
            sql = "FROM audit_log" + (f" WHERE {' AND '.join(where)}" if where else "")
            row = await self._db.fetchone(f"SELECT count(*) {sql}", params)
            rows = await self._db.fetchall(
                f"SELECT id, at, actor, action, detail {sql} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            return [_audit(r) for r in rows], int(row[0]) if row else 0
        lines = [
            line
            for line in reversed(await self.audit_about(self._db, about))
            if actor is None or line.actor == actor
        ]
        return lines[offset : offset + limit], len(lines)

    async def audit_count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM audit_log")
        return int(row[0]) if row else 0


def _person(row: sqlite3.Row | None) -> Person | None:
    if row is None:
        return None
    return Person(
        officer_id=int(row["id"]),
        key=row["key"],
        discord_user_id=row["discord_user_id"],
        email=row["email"],
        full_name=f"{row['first_name']} {row['last_name']}".strip(),
    )


def _audit(row: sqlite3.Row) -> AuditLine:
    return AuditLine(
        int(row["id"]),
        datetime.fromisoformat(row["at"]),
        row["actor"],
        row["action"],
        row["detail"],
    )


def _tokens(person: Person) -> list[str]:
    return [person.key, *([person.actor] if person.actor else [])]


def _key_and_id(person: Person) -> tuple[Any, ...]:
    if person.discord_user_id is None:
        return (person.key,)
    return (person.key, person.discord_user_id)


def _officer_and_id(person: Person) -> tuple[Any, ...]:
    if person.discord_user_id is None:
        return (person.officer_id,)
    return (person.officer_id, person.discord_user_id)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def _revise(tx: Transaction, tables: dict[str, set[str]], *, signups: bool) -> None:
    """Move the registration revision (caches of the figures and of the sign-ups see the
    change), in the columns this file's schema has."""
    columns = tables.get("registration_revision", set())
    moved = [c for c in ("revision", "signups") if c in columns and (signups or c == "revision")]
    if moved:
        await tx.execute(
            "UPDATE registration_revision SET " + ", ".join(f"{c} = {c} + 1" for c in moved)
        )


async def _tables(tx: Transaction) -> dict[str, set[str]]:
    """The tables of this database file and their columns."""
    names = [r[0] for r in await tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found: dict[str, set[str]] = {}
    for name in names:
        found[name] = {r[1] for r in await tx.fetchall(f'PRAGMA table_info("{name}")')}
    return found
