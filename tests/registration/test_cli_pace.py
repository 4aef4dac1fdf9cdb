"""The command line's pace line says what the pace means, with a day only when there is one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog, Locale
from bot.registration.cli import RegistrationCli
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes, signups_bytes


async def _cli(db: Database, catalog: Catalog, locale: Locale, tmp_path: Path) -> RegistrationCli:
    clock = FixedClock(datetime(2010, 3, 1, 12, tzinfo=UTC))
    cli = RegistrationCli(RegistrationService(db, clock, Settings(), catalog), catalog, locale)
    roster = tmp_path / "roster.csv"
    roster.write_bytes(roster_bytes("R1;Anne;Le Goff;56;anne@example.org;"))
    await cli.import_roster(roster)
    return cli


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "fr",
            "Rythme sur 7 jours\u00a0: 0 par jour\u202f; à ce rythme, l'objectif ne sera jamais"
            " atteint — il faut relancer.",
        ),
        (
            "en",
            "Pace over 7 days: 0 a day; at that pace the goal is never reached — nudges needed.",
        ),
    ],
)
async def test_no_pace_says_never_instead_of_a_missing_day(
    db: Database, catalog: Catalog, tmp_path: Path, locale: Locale, expected: str
) -> None:
    cli = await _cli(db, catalog, locale, tmp_path)
    assert (await cli.status(None, False)).splitlines()[-1] == expected


async def test_everyone_registered_says_the_goal_is_reached(
    db: Database, catalog: Catalog, tmp_path: Path
) -> None:
    cli = await _cli(db, catalog, "fr", tmp_path)
    signups = tmp_path / "signups.csv"
    signups.write_bytes(signups_bytes("S1,Anne Le Goff,anne@example.org,56000,2010-02-27 10:00"))
    await cli.import_signups(signups, yes=True)
    pace = (await cli.status(None, False)).splitlines()[-1]
    assert pace.endswith("objectif atteint, tous les responsables sont inscrits.")
    assert "—" not in pace
