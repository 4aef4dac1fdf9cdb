"""Every import is in the history; the last one can be undone, exactly."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.registration.models import ImportKind, ReviewDecision
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import DATA, roster_bytes, signups_bytes

ROSTER = (DATA / "roster.csv").read_bytes()
SIGNUPS = (DATA / "signups.csv").read_bytes()
TABLES = ("signups", "officers", "status_history", "rejected_matches")


async def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: [tuple(r) for r in await db.fetchall(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES
    }


async def _state_before_the_last_import(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "signups.csv", "cli")
    (item,) = [i for i in await service.pending_reviews()][:1] or [None]
    if item is not None:
        await service.review(item.officer.officer.key, ReviewDecision.REJECT, "discord:1")
    await service.link("RDJ-0001", 123456789012345678, "discord:1")


async def test_undoing_a_signup_import_restores_statuses_links_and_history_exactly(
    service: RegistrationService, db: Database
) -> None:
    await _state_before_the_last_import(service)
    before = await _dump(db)
    figures = (await service.progress()).counts
    later = signups_bytes("Z1,Jérôme Lefèbvre,jlefebvre@jeunes-parti.fr,01000,2010-02-27 10:00")
    await service.import_signups(SIGNUPS + later.split(b"\n", 1)[1], "signups2.csv", "discord:7")
    assert await _dump(db) != before
    last = await service.undoable_import()
    assert last is not None and (last.kind, last.filename, last.actor) == (
        ImportKind.SIGNUPS,
        "signups2.csv",
        "discord:7",
    )
    undone = await service.undo_import(last.id, "discord:9")
    assert undone.undone_by == "discord:9"
    assert await _dump(db) == before
    assert (await service.progress()).counts == figures
    assert await service.undoable_import() is None


async def test_undoing_a_roster_import_brings_back_removed_officers(
    service: RegistrationService, db: Database
) -> None:
    await _state_before_the_last_import(service)
    before = await _dump(db)
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;;"), "petit.csv", "cli", apply=True
    )
    assert len((await _dump(db))["officers"]) == 1
    last = await service.undoable_import()
    assert last is not None and last.summary == {"added": 1, "changed": 0, "removed": 40}
    await service.undo_import(last.id, "cli")
    assert await _dump(db) == before


async def test_the_history_lists_each_import_latest_first(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "signups.csv", "discord:7")
    history = await service.import_history()
    assert [(i.kind, i.filename, i.undoable) for i in history] == [
        (ImportKind.SIGNUPS, "signups.csv", True),
        (ImportKind.ROSTER, "roster.csv", False),
    ]
    assert history[0].rows == 334 and set(history[0].summary) == {"new", "updated", "changes"}
    assert [i.kind for i in await service.import_history(ImportKind.ROSTER)] == [ImportKind.ROSTER]


async def test_only_the_last_import_can_be_undone(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    first = await service.undoable_import()
    await service.import_signups(SIGNUPS, "signups.csv", "cli")
    assert first is not None
    with pytest.raises(InvalidInput) as caught:
        await service.undo_import(first.id, "cli")
    assert caught.value.key == "registration.undo.not_last"
