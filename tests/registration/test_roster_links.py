"""A roster import never links one Discord account to two officers, and says so before applying."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.cli import RegistrationCli
from bot.registration.problems import FileRejected
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes

ANNE = "R1;Anne;Le Goff;56;anne@example.org;"
PAUL_TAKING_ANNES = "R2;Paul;Kerbrat;29;paul@example.org;123456789012345678"
LINE = (
    "ligne 3 : le compte Discord 123456789012345678 est déjà lié à Anne Le Goff (R1) : un compte"
    " ne peut être lié qu'à un seul responsable"
)


async def _anne_linked(service: RegistrationService) -> None:
    await service.import_roster(roster_bytes(ANNE), "r.csv", "cli", apply=True)
    await service.link("R1", 123456789012345678, "cli")


@pytest.mark.parametrize("apply", [False, True])
async def test_an_account_linked_to_another_officer_is_named_in_the_preview(
    service: RegistrationService, db: Database, catalog: Catalog, apply: bool
) -> None:
    await _anne_linked(service)
    with pytest.raises(FileRejected) as caught:
        await service.import_roster(
            roster_bytes(ANNE, PAUL_TAKING_ANNES), "r2.csv", "cli", apply=apply
        )
    assert [_plain(line) for line in caught.value.lines(catalog, "fr")] == [LINE]
    assert [tuple(r) for r in await db.fetchall("SELECT key, discord_user_id FROM officers")] == [
        ("R1", 123456789012345678)
    ]


async def test_two_rows_giving_one_account_are_refused(
    service: RegistrationService, catalog: Catalog
) -> None:
    rows = ("R1;Anne;Le Goff;56;;123456789012345678", PAUL_TAKING_ANNES)
    with pytest.raises(FileRejected) as caught:
        await service.import_roster(roster_bytes(*rows), "r.csv", "cli", apply=False)
    assert [_plain(line) for line in caught.value.lines(catalog, "fr")] == [
        "ligne 3, colonne « Discord » : le compte Discord « 123456789012345678 » figure déjà"
        " ligne 2"
    ]


async def test_an_account_moving_to_a_new_officer_is_applied(
    service: RegistrationService, db: Database
) -> None:
    await _anne_linked(service)
    rows = ("R1;Anne;Le Goff;56;anne@example.org;223456789012345678", PAUL_TAKING_ANNES)
    diff = await service.import_roster(roster_bytes(*rows), "r2.csv", "cli", apply=True)
    assert (len(diff.added), len(diff.changed)) == (1, 1)
    links = await db.fetchall("SELECT key, discord_user_id FROM officers ORDER BY key")
    assert [tuple(r) for r in links] == [("R1", 223456789012345678), ("R2", 123456789012345678)]


async def test_the_command_line_names_the_conflict_too(
    db: Database, catalog: Catalog, tmp_path: Path
) -> None:
    clock = FixedClock(datetime(2010, 3, 1, 12, tzinfo=UTC))
    service = RegistrationService(db, clock, Settings(), catalog)
    await _anne_linked(service)
    file = tmp_path / "r2.csv"
    file.write_bytes(roster_bytes(ANNE, PAUL_TAKING_ANNES))
    with pytest.raises(FileRejected) as caught:
        await RegistrationCli(service, catalog, "fr").import_roster(file)
    assert [_plain(line) for line in caught.value.lines(catalog, "fr")] == [LINE]


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")
