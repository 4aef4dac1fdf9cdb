from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.registration import map as department_map
from bot.registration.charts import CURVE_WIDTH, MAP_WIDTH, forecast_line, progress_chart
from bot.registration.cli import RegistrationCli, cmd_reconcile
from bot.registration.models import Counts, CurvePoint, Progress
from bot.registration.progress import forecast
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
        "Liste des responsables\u00a0: 40 ajoutés, 0 modifié, 0 retiré, 0 inchangé."
    )
    signups = await cli.import_signups(DATA / "signups.csv", yes=True)  # 24 of 40 change
    assert signups.splitlines()[-1] == "24 inscrits sur 40 (60\u00a0%), 0 probable, 0 déclaré."
    status = json.loads(await cli.status("15", True))
    assert (status["registered"], status["officers"][0]["signup"]) == (1, "S000013")
    national = json.loads(await cli.status(None, True))
    assert (national["registered"], national["total"], national["deadline"]) == (24, 40, None)


def _progress(
    registered: int,
    pace: float,
    deadline: date | None,
    today: date = date(2010, 3, 1),
    total: int = 40,
) -> Progress:
    counts = Counts(total=total, registered=registered, unregistered=total - registered)
    return Progress(
        region=None,
        counts=counts,
        today=today,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        pace_per_day=pace,
        forecast=forecast(counts.missing, pace, today),
        behind=[],
        departments=[],
        curve=[CurvePoint(today, registered)],
    )


@pytest.mark.parametrize(
    ("progress", "line"),
    [
        # 10 days at 1.5 a day: 15 more by the deadline
        (_progress(10, 1.5, date(2010, 3, 11)), ((date(2010, 3, 1), 10), (date(2010, 3, 11), 25))),
        # everyone registered on 4 March at 10 a day: the line stops there
        (_progress(10, 10, date(2010, 3, 31)), ((date(2010, 3, 1), 10), (date(2010, 3, 4), 40))),
        # not moving: flat to the deadline
        (_progress(10, 0, date(2010, 3, 11)), ((date(2010, 3, 1), 10), (date(2010, 3, 11), 10))),
        (_progress(10, 1.5, None), None),  # no deadline
        (_progress(10, 1.5, date(2010, 3, 1)), None),  # the deadline is today
        (_progress(40, 1.5, date(2010, 3, 11)), None),  # done
    ],
)
def test_forecast_line(progress: Progress, line: object) -> None:
    assert forecast_line(progress) == line


def test_the_chart_has_the_map_beside_the_curve(catalog: Catalog) -> None:
    """The map's pixels are pasted on the right of the picture, as drawn alone."""
    progress = _progress(10, 1.5, date(2010, 3, 11))
    chart = np.asarray(Image.open(io.BytesIO(progress_chart(catalog, progress, "fr"))))
    height, width, _ = chart.shape
    left = round(width * CURVE_WIDTH / (CURVE_WIDTH + MAP_WIDTH))
    drawn = department_map.map_pixels(catalog, {}, "fr", width - left, height)
    assert (chart[:, left:] == drawn).all()
    assert (chart[:, :left] == 255).mean() < 0.97  # the curve, not a blank
