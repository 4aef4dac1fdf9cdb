"""Imports and one-officer changes do only the work the change needs, and never act on stale data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.registration.models import OfficerStatus
from bot.registration.service import RegistrationService
from bot.registration.storage import RegistrationRepository
from bot.storage.database import Database
from tests.registration.conftest import DATA, roster_bytes, signups_bytes

ROSTER = (DATA / "roster.csv").read_bytes()
SIGNUPS = (DATA / "signups.csv").read_bytes()
TABLES = ("signups", "officers", "status_history", "rejected_matches", "registration_imports")
HEADER = "Identifiant,Nom complet,Adresse e-mail,Code postal,Date d'inscription"


async def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: [tuple(r) for r in await db.fetchall(f"SELECT * FROM {t} ORDER BY 1")] for t in TABLES
    }


def _settings(**values: object) -> Settings:
    return Settings(registration_deadline=date(2010, 3, 31), **values)  # type: ignore[arg-type]


async def test_the_same_signup_file_again_writes_nothing_at_all(
    service: RegistrationService, db: Database
) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    first = await service.import_signups(SIGNUPS, "signups.csv", "cli")
    before = await _dump(db)
    again = await service.import_signups(SIGNUPS, "signups.csv", "discord:7")
    assert (again.rows, again.new, again.updated, again.unchanged, again.changes) == (
        first.rows,
        0,
        0,
        first.rows,
        [],
    )
    assert await _dump(db) == before  # no import recorded, no undo copy, no status touched


async def test_the_same_file_after_an_undo_is_imported_again(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    first = await service.import_signups(SIGNUPS, "signups.csv", "cli")
    last = await service.undoable_import()
    assert last is not None
    await service.undo_import(last.id, "cli")
    again = await service.import_signups(SIGNUPS, "signups.csv", "cli")
    assert (again.new, len(again.changes)) == (first.new, len(first.changes))


async def test_a_signup_written_by_another_process_is_seen_by_the_next_add(
    db: Database, tmp_path: Path, clock: FixedClock, catalog: Catalog
) -> None:
    bot = RegistrationService(db, clock, _settings(), catalog)
    await bot.import_roster(roster_bytes("R1;Anne;Le Goff;56;;"), "r.csv", "cli", apply=True)
    await bot.import_signups(
        signups_bytes("S1,Paul Kerbrat,paul@example.org,56000,2010-02-01 10:00"), "a.csv", "cli"
    )
    other = await Database.open(db.path)  # the command line, beside the running bot
    try:
        cli = RegistrationService(other, clock, _settings(), catalog)
        await cli.import_signups(
            signups_bytes("S2,Gwenaëlle Le Bihan,gwen@example.org,56000,2010-02-02 10:00"),
            "b.csv",
            "cli",
        )
    finally:
        await other.close()
    added = await bot.add_officer("cli", "Gwenaëlle", "Le Bihan", "56", email="gwen@example.org")
    assert added.officer.status is OfficerStatus.REGISTERED


async def test_an_add_made_while_an_import_is_matched_is_matched_too(
    service: RegistrationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await service.import_roster(roster_bytes("R1;Anne;Le Goff;56;;"), "r.csv", "cli", apply=True)
    match = service._match
    added: list[str] = []

    async def add_meanwhile(*args: object, **kwargs: object) -> object:
        plan = await match(*args, **kwargs)  # type: ignore[arg-type]
        if not added:  # the import has matched, not written: an organiser adds an officer
            added.append("R2")
            await service.add_officer("cli", "Gwenaëlle", "Le Bihan", "56", key="R2")
        return plan

    monkeypatch.setattr(service, "_match", add_meanwhile)
    data = signups_bytes("S2,Gwenaëlle Le Bihan,gwen@example.org,56000,2010-02-02 10:00")
    report = await service.import_signups(data, "s.csv", "cli")
    assert [(c.officer.key, c.new) for c in report.changes] == [("R2", OfficerStatus.REGISTERED)]
    assert (await service.status_officer("R2")).officer.status is OfficerStatus.REGISTERED


async def test_removing_an_officer_frees_the_signup_they_shared(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes(
            "R1;Anne;Le Goff;56;anne@example.org;", "R2;Anne;Le Goff;29;anne@example.org;"
        ),
        "r.csv",
        "cli",
        apply=True,
    )
    await service.import_signups(
        signups_bytes("S1,Anne Le Goff,anne@example.org,,2010-02-01 10:00"), "s.csv", "cli"
    )
    shared = [(await service.status_officer(k)).officer.status for k in ("R1", "R2")]
    assert shared == [OfficerStatus.PROBABLE, OfficerStatus.PROBABLE]
    await service.remove_officer("R2", "cli")
    assert (await service.status_officer("R1")).officer.status is OfficerStatus.REGISTERED


@pytest.mark.parametrize(
    ("setting", "call"),
    [
        ("roster_max_bytes", "roster"),
        ("signups_max_bytes", "signups"),
    ],
)
async def test_the_file_caps_are_settings(
    db: Database, clock: FixedClock, catalog: Catalog, setting: str, call: str
) -> None:
    service = RegistrationService(db, clock, _settings(**{setting: 10_000}), catalog)
    assert getattr(service, setting) == 10_000
    rows = [f"R{i};Anne;Le Goff;56;;" for i in range(600)]
    with pytest.raises(InvalidInput) as caught:
        if call == "roster":
            await service.import_roster(roster_bytes(*rows), "big.csv", "cli", apply=False)
        else:
            lines = [
                f"S{i},Anne Le Goff,a{i}@example.org,56000,2010-02-01 10:00" for i in range(400)
            ]
            await service.import_signups(signups_bytes(*lines), "big.csv", "cli")
    assert (caught.value.key, caught.value.params["limit_kb"]) == ("registration.file.too_large", 9)


async def test_undoing_an_add_free_signup_import_leaves_later_signups_out(
    service: RegistrationService, db: Database
) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "signups.csv", "cli")
    before = await _dump(db)
    extra = signups_bytes("Z1,Jérôme Lefèbvre,jlefebvre@jeunes-parti.fr,01000,2010-02-27 10:00")
    changed = SIGNUPS.replace(b"2010-02-", b"2010-01-", 3) + extra.split(b"\n", 1)[1]
    report = await service.import_signups(changed, "signups2.csv", "cli")
    assert report.new == 1 and report.updated >= 1
    last = await service.undoable_import()
    assert last is not None
    await service.undo_import(last.id, "cli")
    after = await _dump(db)
    assert {t: after[t] for t in TABLES[:-1]} == {t: before[t] for t in TABLES[:-1]}
    with pytest.raises(InvalidInput):
        await service.undo_import(last.id, "cli")


async def test_the_officers_kept_after_a_write_are_those_stored(
    service: RegistrationService, db: Database
) -> None:
    """What a one-officer change matches against, read from no table, is what the tables hold."""
    repo = RegistrationRepository(db)
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "signups.csv", "cli")
    assert service._officers is not None and service._officers[1] == await repo.officers()
    await service.add_officer("cli", "Jérôme", "Lefèbvre", "01", email="jlefebvre@jeunes-parti.fr")
    assert service._officers[1] == await repo.officers()
    assert service._officers[0] == await repo.revision()
    await service.remove_officer("RDJ-0001", "cli")
    assert service._officers[1] == await repo.officers()


async def _statuses(db: Database) -> list[tuple[object, ...]]:
    rows = await db.fetchall(
        "SELECT o.key, o.status, s.key, o.confidence, o.reason FROM officers o"
        " LEFT JOIN signups s ON s.id = o.signup_id ORDER BY o.key"
    )
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("left_out", [range(1, 30, 3), range(200, 230), range(5, 334, 40)])
async def test_a_small_import_matched_incrementally_equals_the_whole_export_at_once(
    service: RegistrationService,
    db: Database,
    tmp_path: Path,
    clock: FixedClock,
    catalog: Catalog,
    left_out: range,
) -> None:
    """The next export matches again only the officers its new sign-ups may concern; every
    officer ends as if the whole export had been imported at once."""
    header, *rows = SIGNUPS.decode("utf-8-sig").splitlines()
    first = [r for i, r in enumerate(rows) if i not in left_out]
    earlier = ("\ufeff" + "\n".join([header, *first]) + "\n").encode("utf-8")
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(earlier, "earlier.csv", "cli")
    await service.import_signups(SIGNUPS, "signups.csv", "cli")
    whole = await Database.open(tmp_path / "whole.sqlite3")
    try:
        at_once = RegistrationService(whole, clock, _settings(), catalog)
        await at_once.import_roster(ROSTER, "roster.csv", "cli", apply=True)
        await at_once.import_signups(SIGNUPS, "signups.csv", "cli")
        assert await _statuses(db) == await _statuses(whole)
    finally:
        await whole.close()
