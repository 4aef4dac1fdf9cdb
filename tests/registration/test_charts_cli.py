from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.registration.charts import progress_chart
from bot.registration.cli import RegistrationCli, cmd_reconcile
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import DATA


async def test_progress_chart_is_a_png(service: RegistrationService, catalog: Catalog) -> None:
    await service.import_roster((DATA / "roster.csv").read_bytes(), "r.csv", "cli", apply=True)
    await service.import_signups((DATA / "signups.csv").read_bytes(), "s.csv", "cli")
    for locale in ("fr", "en"):
        png = progress_chart(catalog, await service.progress(), locale)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(png) > 10_000


def test_cmd_reconcile_prints_one_object_per_roster_row(catalog: Catalog) -> None:
    rows = json.loads(cmd_reconcile(catalog, "fr", DATA / "roster.csv", DATA / "signups.csv"))
    assert len(rows) == 40
    assert set(rows[0]) == {"officer", "status", "signup", "confidence", "reason"}


def test_cmd_reconcile_refuses_a_missing_file(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        cmd_reconcile(catalog, "fr", tmp_path / "none.csv", DATA / "signups.csv")
    assert caught.value.key == "registration.cli.no_file"


async def test_cli_import_then_status(db: Database, catalog: Catalog) -> None:
    clock = FixedClock(datetime(2010, 3, 1, 12, tzinfo=UTC))
    cli = RegistrationCli(RegistrationService(db, clock, Settings(), catalog), catalog, "fr")
    roster = await cli.import_roster(DATA / "roster.csv")
    assert roster.splitlines()[0] == (
        "Liste des responsables : 40 ajouté(s), 0 modifié(s), 0 retiré(s), 0 inchangé(s)."
    )
    signups = await cli.import_signups(DATA / "signups.csv")
    assert signups.splitlines()[-1] == "24 inscrits sur 40 (60 %), 0 probable(s), 0 déclaré(s)."
    status = json.loads(await cli.status("15", True))
    assert (status["registered"], status["officers"][0]["signup"]) == (1, "S000013")
    national = json.loads(await cli.status(None, True))
    assert (national["registered"], national["total"], national["deadline"]) == (24, 40, None)
