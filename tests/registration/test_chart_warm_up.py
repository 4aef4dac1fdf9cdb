"""Drawing ahead starts by paying, once, what any first picture after a start costs; the warm-up
changes no picture."""

from __future__ import annotations

import pytest

from bot.i18n import Catalog, Locale
from bot.registration import charts
from bot.registration.models import Progress
from bot.registration.service import RegistrationService
from bot.scheduler import TaskGroup
from tests.registration.conftest import roster_bytes, signups_bytes

ROSTER = roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;", "R2;Luc;Roy;29;luc@x.fr;")
ANNE = signups_bytes("S1,Anne Le Goff,anne@x.fr,56000,2010-02-26 10:00")
LUC = signups_bytes("S2,Luc Roy,luc@x.fr,29000,2010-02-27 10:00")


async def test_drawing_ahead_warms_up_once_before_its_first_drawing(
    service: RegistrationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    done: list[object] = []

    def warm_up(catalog: Catalog, departments: int, locale: Locale = "fr") -> None:
        done.append((departments, locale))

    def chart(catalog: Catalog, progress: Progress, locale: Locale = "fr") -> bytes:
        done.append(progress.counts.registered)
        return b"png"

    monkeypatch.setattr(charts, "warm_up", warm_up)
    monkeypatch.setattr(charts, "progress_chart", chart)
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(ANNE, "s.csv", "cli")
    shown = len((await service.progress()).departments)  # as many as the picture will show
    service.draw_ahead(TaskGroup(), "en")
    await service.drawn_ahead()
    await service.import_signups(LUC, "s2.csv", "cli")
    await service.drawn_ahead()
    assert done == [(shown, "en"), 1, 2]


@pytest.mark.parametrize("locale", ["fr", "en"])
async def test_the_warm_up_changes_no_picture(
    service: RegistrationService, catalog: Catalog, locale: Locale
) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(ANNE, "s.csv", "cli")
    progress = await service.progress()
    before = charts.progress_chart(catalog, progress, locale)
    charts.warm_up(catalog, len(progress.departments), locale)
    assert charts.progress_chart(catalog, progress, locale) == before
