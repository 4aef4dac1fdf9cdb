"""``/progress`` reads every officer and the whole history: its figures and charts are kept until
the database changes (or the day does)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.i18n import Catalog
from bot.registration.charts import progress_chart
from bot.registration.models import OfficerProfile
from bot.registration.service import RegistrationService
from bot.registration.storage import RegistrationRepository
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes, signups_bytes

ROSTER = roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;", "R2;Luc;Roy;29;luc@x.fr;")
ANNE_SIGNED_UP = signups_bytes("S1,Anne Le Goff,anne@x.fr,56000,2010-02-26 10:00")
LUC_SIGNED_UP = signups_bytes("S2,Luc Roy,luc@x.fr,29000,2010-02-27 10:00")


async def _loaded(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(ANNE_SIGNED_UP, "s.csv", "cli")


async def test_progress_is_reused_while_nothing_changes(service: RegistrationService) -> None:
    await _loaded(service)
    first = await service.progress()
    assert await service.progress() is first


async def test_progress_counts_a_signup_import_made_after_it(
    service: RegistrationService,
) -> None:
    await _loaded(service)
    assert (await service.progress()).counts.registered == 1
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    assert (await service.progress()).counts.registered == 2


async def test_progress_counts_an_officer_added_by_another_connection(
    service: RegistrationService, db: Database, clock: FixedClock
) -> None:
    await _loaded(service)
    assert (await service.progress()).counts.total == 2
    other = await Database.open(db.path)
    lea = OfficerProfile(key="R3", first_name="Léa", last_name="Morin", department="75")
    async with other.transaction() as tx:
        await RegistrationRepository(other).insert_officer(tx, lea, clock.now())
    await other.close()
    assert (await service.progress()).counts.total == 3


async def test_progress_moves_to_the_next_day(
    service: RegistrationService, clock: FixedClock
) -> None:
    await _loaded(service)
    today = (await service.progress()).today
    clock.advance(timedelta(days=1))
    assert (await service.progress()).today == today + timedelta(days=1)


async def test_progress_is_kept_per_region(service: RegistrationService) -> None:
    await _loaded(service)
    national = await service.progress()
    await service.progress("bretagne")
    assert await service.progress() is national


async def test_the_chart_of_the_same_figures_is_drawn_once(service: RegistrationService) -> None:
    await _loaded(service)
    progress = await service.progress()
    png = await service.progress_chart(progress, "fr")
    assert await service.progress_chart(progress, "fr") is png


async def test_the_chart_in_another_language_is_its_own(
    service: RegistrationService, catalog: Catalog
) -> None:
    await _loaded(service)
    progress = await service.progress()
    french = await service.progress_chart(progress, "fr")
    english = await service.progress_chart(progress, "en")
    assert (english, english != french) == (progress_chart(catalog, progress, "en"), True)


async def test_the_chart_follows_changed_figures(
    service: RegistrationService, catalog: Catalog
) -> None:
    await _loaded(service)
    before = await service.progress_chart(await service.progress(), "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    progress = await service.progress()
    after = await service.progress_chart(progress, "fr")
    assert (after, after != before) == (progress_chart(catalog, progress, "fr"), True)


async def test_the_revision_moves_once_per_write_and_not_on_reads(
    service: RegistrationService, db: Database
) -> None:
    repo = RegistrationRepository(db)
    before = await repo.revision()
    await _loaded(service)  # two write transactions
    after = await repo.revision()
    await service.import_roster(ROSTER, "r.csv", "cli", apply=False)  # a dry run writes nothing
    await service.status_officer("R1")
    assert (after - before, await repo.revision()) == (2, after)


async def test_a_dry_run_keeps_the_figures(service: RegistrationService) -> None:
    await _loaded(service)
    first = await service.progress()
    await service.import_roster(roster_bytes("R9;Zoé;Abel;56;;"), "r.csv", "cli", apply=False)
    assert await service.progress() is first


async def test_figures_read_during_a_write_that_rolls_back_never_count_it(
    service: RegistrationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _loaded(service)
    seen: list[int] = []

    async def read_then_fail(tx: object, statuses: object) -> None:
        # Read on a read-only connection: the committed officers only, not the one being added.
        seen.append((await service.progress()).counts.total)
        raise RuntimeError("the write fails after a read")

    monkeypatch.setattr(service, "_write_statuses", read_then_fail)
    with pytest.raises(RuntimeError):
        await service.add_officer("cli", "Zoé", "Abel", "56", key="R9")
    monkeypatch.undo()
    # The next write moves the revision to the number the rolled-back one had reached.
    await service.link("R1", 123456789012345678, "cli")
    assert (seen, (await service.progress()).counts.total) == ([2], 2)
