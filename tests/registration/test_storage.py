from __future__ import annotations

from datetime import UTC, datetime

from bot.storage.database import Database
from bot.storage.registration import (
    OfficerFields,
    RegistrationRepository,
    SignupFields,
    StatusChange,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANNE = OfficerFields(
    "R1", "Anne", "Le Goff", "56", email="anne@x.fr", search_text="anne le goff r1"
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
        await repo.insert_signups(
            tx, [SignupFields("S1", "Anne Le Goff", "anne@x.fr", "56000", "56", NOW)], NOW
        )
    (signup,) = await repo.signups()
    officer = await repo.officer("R1")
    assert officer is not None
    async with db.transaction() as tx:
        await repo.change_status(
            tx,
            officer,
            StatusChange("registered", NOW, "signups", "cli", signup.id, 1.0, "email"),
            NOW,
        )
    after = await repo.officer("R1")
    assert after is not None
    assert (after.status, after.signup_id, after.status_since) == ("registered", signup.id, NOW)
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
        await repo.insert_officer(
            tx, OfficerFields("R2", "Anne", "Roy", "29", search_text="anne roy r2"), NOW
        )
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
            StatusChange("self_declared", NOW, "self", "discord:1", None, 0.0, "none"),
            NOW,
        )
        await repo.delete_officers(tx, [officer_id])
    assert await repo.history() == []
