from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.registration.models import (
    MatchReason,
    OfficerProfile,
    OfficerStatus,
    Signup,
    StatusChange,
    StatusSource,
)
from bot.registration.storage import RegistrationRepository
from bot.storage.database import Database

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANNE = OfficerProfile(
    key="R1", first_name="Anne", last_name="Le Goff", department="56", email="anne@x.fr"
)


def _profile(key: str, first_name: str, last_name: str, department: str) -> OfficerProfile:
    return OfficerProfile(
        key=key, first_name=first_name, last_name=last_name, department=department
    )


def _change(
    status: OfficerStatus,
    source: StatusSource,
    actor: str,
    *,
    at: datetime = NOW,
    signup_id: int | None = None,
    confidence: float = 0.0,
    reason: MatchReason = MatchReason.NONE,
) -> StatusChange:
    return StatusChange(
        status=status,
        effective_at=at,
        source=source,
        actor=actor,
        signup_id=signup_id,
        confidence=confidence,
        reason=reason,
    )


async def test_migration_creates_the_registration_tables(db: Database) -> None:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    assert {"officers", "signups", "status_history", "rejected_matches"} <= {r[0] for r in rows}
    assert await db.schema_version() >= 2


async def test_an_inserted_officer_reads_back_unregistered(db: Database) -> None:
    repo = RegistrationRepository(db)
    async with db.transaction() as tx:
        await repo.insert_officer(tx, ANNE, NOW)
    officer = await repo.officer("r1")
    assert officer is not None
    assert (officer.key, officer.full_name, officer.status, officer.status_since) == (
        "R1",
        "Anne Le Goff",
        "unregistered",
        None,
    )


async def test_change_status_updates_the_row_and_appends_history(db: Database) -> None:
    repo = RegistrationRepository(db)
    async with db.transaction() as tx:
        await repo.insert_officer(tx, ANNE, NOW)
        signup = Signup(
            key="S1",
            name="Anne Le Goff",
            email="anne@x.fr",
            postcode="56000",
            department="56",
            signed_up_at=NOW,
        )
        await repo.insert_signups(tx, [signup], NOW)
    (stored,) = await repo.signups()
    officer = await repo.officer("R1")
    assert officer is not None
    async with db.transaction() as tx:
        await repo.change_status(
            tx,
            officer,
            _change(
                OfficerStatus.REGISTERED,
                StatusSource.SIGNUPS,
                "cli",
                signup_id=stored.id,
                confidence=1.0,
                reason=MatchReason.EMAIL,
            ),
            NOW,
        )
    after = await repo.officer("R1")
    assert after is not None
    assert (after.status, after.signup_id, after.status_since) == ("registered", stored.id, NOW)
    (entry,) = await repo.history()
    assert (entry.status, entry.previous, entry.source, entry.actor) == (
        "registered",
        "unregistered",
        "signups",
        "cli",
    )


async def test_search_matches_every_term(db: Database) -> None:
    repo = RegistrationRepository(db)
    async with db.transaction() as tx:
        await repo.insert_officer(tx, ANNE, NOW)
        await repo.insert_officer(tx, _profile("R2", "Anne", "Roy", "29"), NOW)
    assert [o.key for o in await repo.search(["anne"], 10)] == ["R1", "R2"]
    assert [o.key for o in await repo.search(["anne", "goff"], 10)] == ["R1"]
    assert await repo.search(["100%"], 10) == []


async def test_deleting_an_officer_deletes_its_history(db: Database) -> None:
    repo = RegistrationRepository(db)
    async with db.transaction() as tx:
        officer_id = await repo.insert_officer(tx, ANNE, NOW)
    officer = await repo.officer("R1")
    assert officer is not None
    async with db.transaction() as tx:
        await repo.change_status(
            tx,
            officer,
            _change(OfficerStatus.SELF_DECLARED, StatusSource.SELF, "discord:1"),
            NOW,
        )
        await repo.delete_officers(tx, [officer_id])
    assert await repo.history() == []


async def _two_departments(db: Database) -> RegistrationRepository:
    """R1 (56) registered, R2 (56) and R3 (29) unregistered."""
    repo = RegistrationRepository(db)
    async with db.transaction() as tx:
        await repo.insert_officer(tx, ANNE, NOW)
        await repo.insert_officer(tx, _profile("R2", "Luc", "Roy", "56"), NOW)
        await repo.insert_officer(tx, _profile("R3", "Léa", "Morin", "29"), NOW)
    officer = await repo.officer("R1")
    assert officer is not None
    async with db.transaction() as tx:
        await repo.change_status(
            tx,
            officer,
            _change(
                OfficerStatus.REGISTERED,
                StatusSource.REVIEW,
                "cli",
                confidence=1.0,
                reason=MatchReason.EMAIL,
            ),
            NOW,
        )
    return repo


async def test_status_counts_count_each_status_per_department(db: Database) -> None:
    repo = await _two_departments(db)
    assert await repo.status_counts() == {
        "29": {"unregistered": 1},
        "56": {"registered": 1, "unregistered": 1},
    }


async def test_status_counts_keep_to_the_departments_asked(db: Database) -> None:
    repo = await _two_departments(db)
    assert await repo.status_counts(["29"]) == {"29": {"unregistered": 1}}


async def test_status_events_are_the_history_reduced_to_the_curve_fields(db: Database) -> None:
    repo = await _two_departments(db)
    officer = await repo.officer("R3")
    assert officer is not None
    later = NOW + timedelta(hours=1)
    async with db.transaction() as tx:
        await repo.change_status(
            tx, officer, _change(OfficerStatus.SELF_DECLARED, StatusSource.SELF, "x", at=later), NOW
        )
    expected = [(h.officer_id, h.effective_at, h.status) for h in await repo.history()]
    assert await repo.status_events() == expected
    assert [e.status for e in await repo.status_events(["29"])] == ["self_declared"]


async def test_officers_filter_by_status(db: Database) -> None:
    repo = await _two_departments(db)
    assert [o.key for o in await repo.officers(status="unregistered")] == ["R3", "R2"]
    assert [o.key for o in await repo.officers(["56"], status="unregistered")] == ["R2"]


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("key = 'r1' COLLATE NOCASE", "officers_key_nocase"),
        (
            "discord_user_id IS NULL AND discord_username = 'anne' COLLATE NOCASE",
            "officers_discord_username",
        ),
        ("search_text LIKE '%anne%' ORDER BY last_name, first_name, key", "officers_name_search"),
    ],
)
async def test_officer_lookups_use_an_index(db: Database, where: str, index: str) -> None:
    plan = await db.fetchall(f"EXPLAIN QUERY PLAN SELECT * FROM officers WHERE {where}")
    assert [_index(r["detail"]) for r in plan] == [f"INDEX {index}"]


async def test_autocomplete_reads_only_the_search_index(db: Database) -> None:
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT key, first_name, last_name, department FROM officers "
        "WHERE search_text LIKE '%anne%' ORDER BY last_name, first_name, key LIMIT 25"
    )
    assert [_index(r["detail"]) for r in plan] == ["COVERING INDEX officers_name_search"]


def _index(detail: str) -> str:
    """``"SEARCH officers USING INDEX x (key=?)"`` → ``"INDEX x"``."""
    return detail.split(" USING ", 1)[-1].split(" (")[0]


async def test_search_names_are_the_search_results_in_short(db: Database) -> None:
    repo = await _two_departments(db)
    expected = [(o.key, o.first_name, o.last_name, o.department) for o in await repo.search([], 10)]
    names = await repo.search_names([], 10)
    assert [(o.key, o.first_name, o.last_name, o.department) for o in names] == expected
    assert [n.full_name for n in await repo.search_names(["goff"], 10)] == ["Anne Le Goff"]


async def test_officer_lines_are_furthest_from_registered_first_then_by_name(db: Database) -> None:
    repo = await _two_departments(db)
    async with db.transaction() as tx:
        await repo.insert_officer(tx, _profile("R4", "Zoé", "Abel", "56"), NOW)
        await repo.insert_officer(tx, _profile("R5", "Yves", "Abel", "56"), NOW)
    zoe = await repo.officer("R4")
    assert zoe is not None
    async with db.transaction() as tx:
        await repo.change_status(
            tx, zoe, _change(OfficerStatus.SELF_DECLARED, StatusSource.SELF, "x"), NOW
        )
    ids, lines = await repo.department_lines("56")
    assert len(ids) == len(lines)
    assert [(o.key, o.status) for o in lines] == [
        ("R5", "unregistered"),
        ("R2", "unregistered"),
        ("R4", "self_declared"),
        ("R1", "registered"),
    ]
    assert (lines[0].first_name, lines[0].last_name, lines[0].status_since) == (
        "Yves",
        "Abel",
        None,
    )
    assert lines[3].status_since == NOW
