"""``/status departement`` after a write of this process: the lists kept are brought up to date by
the officers the write touched, read again by id, and equal the lists a service with nothing
kept reads from the same file; no whole list is read again (an import's undo drops them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.models import OfficerStatus, ReviewDecision
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import department_reads, roster_bytes
from tests.registration.test_lists import _export

ANNE, BRUNO, CLAIRE = 111111111111111111, 222222222222222222, 333333333333333333
ROWS = (
    "R1;Nicolas;Martin;75;nicolas.martin@jeunes-parti.fr;",
    "R2;Julie;Martin;75;julie.martin@gmail.com;",
    "R4;Paul;Zed;75;pz@x.fr;",
    "R3;Anne;Kervella;29;anne.k@jeunes-parti.fr;",
    f"M1;Anne;Alpha;56;a@x.fr;{ANNE}",
    "M2;Bruno;Beta;56;b@x.fr;",
)
SIGNUPS = (
    "S1,Nicolas Martin,nmartin@jeunes-parti.fr,75011,2026-11-02 10:00",
    "S2,Julie Martin,jm1990@gmail.com,75012,2026-11-02 10:00",
)
CODES = ("75", "29", "56")
Write = Callable[[RegistrationService], Awaitable[object]]


@pytest.fixture
async def kept(service: RegistrationService) -> RegistrationService:
    """Two probable matches in Paris; every department's list kept."""
    await service.import_roster(roster_bytes(*ROWS), "r.csv", "cli", apply=True)
    await service.import_signups(_export(*SIGNUPS), "s.csv", "cli")
    for code in CODES:
        await service.department_list(code)
    return service


@pytest.fixture
def reads(kept: RegistrationService, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The departments whose whole list ``kept`` read from the database from now on."""
    return department_reads(kept, monkeypatch)


async def _as_read_afresh(
    service: RegistrationService, db: Database, clock: FixedClock, catalog: Catalog
) -> None:
    """Every department's list ``service`` gives equals the one a service with nothing kept
    reads from the same file."""
    fresh = RegistrationService(
        db, clock, Settings(registration_deadline=date(2010, 3, 31)), catalog
    )
    for code in CODES:
        assert await service.department_list(code) == await fresh.department_list(code), code


def _shown(listed: object) -> list[tuple[str, str, OfficerStatus]]:
    officers = getattr(listed, "officers")  # noqa: B009 - a DepartmentList
    return [(o.key, o.full_name, o.status) for o in officers]


async def _accept(s: RegistrationService) -> object:
    return await s.review("R2", ReviewDecision.ACCEPT, "organiser")


async def _reject(s: RegistrationService) -> object:
    return await s.review("R1", ReviewDecision.REJECT, "organiser")


async def _confirm_strong(s: RegistrationService) -> object:
    return await s.confirm_strong(["R1", "R2"], "organiser")


async def _declare(s: RegistrationService) -> object:
    return await s.declare_registered(ANNE)


async def _link(s: RegistrationService) -> object:
    return await s.link("R3", CLAIRE, "organiser")


async def _relink(s: RegistrationService) -> object:
    """Anne's account moved to Bruno: Anne's officer unlinked."""
    return await s.link("M2", ANNE, "organiser", relink=True)


async def _add(s: RegistrationService) -> object:
    return await s.add_officer("organiser", "Aude", "Kervella", "29", key="R5")


async def _add_matched(s: RegistrationService) -> object:
    """A newcomer whose name a sign-up gives: a probable match from the start."""
    await s.import_signups(
        _export(*SIGNUPS, "S9,Zoé Abel,za@mail.fr,56000,2026-11-03 10:00"), "s2.csv", "cli"
    )
    return await s.add_officer("organiser", "Zoé", "Abel", "56", key="M0")


async def _remove(s: RegistrationService) -> object:
    return await s.remove_officer("R1", "organiser")


async def _roster(s: RegistrationService) -> object:
    """Renamed, moved to another department, added, removed."""
    rows = (
        "R1;Nicolas;Martin;75;nicolas.martin@jeunes-parti.fr;",
        "R2;Julie;Aaron;75;julie.martin@gmail.com;",
        "R4;Paul;Zed;29;pz@x.fr;",
        "R3;Anne;Kervella;29;anne.k@jeunes-parti.fr;",
        f"M1;Anne;Alpha;56;a@x.fr;{ANNE}",
        "M3;Chloé;Abel;56;c@x.fr;",
    )
    return await s.import_roster(roster_bytes(*rows), "r2.csv", "cli", apply=True)


async def _signups(s: RegistrationService) -> object:
    """A new export: Anne Kervella signed up with her address, Julie's sign-up gone."""
    return await s.import_signups(
        _export(SIGNUPS[0], "S3,Anne Kervella,anne.k@jeunes-parti.fr,29000,2026-11-03 10:00"),
        "s2.csv",
        "cli",
    )


@pytest.mark.parametrize(
    "write",
    [
        _accept,
        _reject,
        _confirm_strong,
        _declare,
        _link,
        _relink,
        _add,
        _add_matched,
        _remove,
        _roster,
        _signups,
    ],
)
async def test_a_write_here_brings_the_lists_kept_up_to_date_without_reading_them_again(
    kept: RegistrationService,
    reads: list[str],
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
    write: Write,
) -> None:
    before = {code: _shown(await kept.department_list(code)) for code in CODES}
    await write(kept)
    after = {code: _shown(await kept.department_list(code)) for code in CODES}
    assert reads == []
    await _as_read_afresh(kept, db, clock, catalog)
    if write not in (_link, _relink):  # a link changes nothing a list shows
        assert after != before


async def test_after_an_undo_the_lists_are_read_again(
    kept: RegistrationService,
    reads: list[str],
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    await _signups(kept)
    await _as_read_afresh(kept, db, clock, catalog)
    last = await kept.undoable_import()
    assert last is not None
    await kept.undo_import(last.id, "organiser")
    await _as_read_afresh(kept, db, clock, catalog)
    assert reads == list(CODES)


async def test_the_lists_shown_after_writes_in_a_row_are_those_read_afresh(
    kept: RegistrationService,
    reads: list[str],
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    for write in (_accept, _declare, _add, _relink, _reject, _roster, _signups, _remove):
        await write(kept)
        await _as_read_afresh(kept, db, clock, catalog)
    assert reads == []


async def test_a_write_that_fails_keeps_the_lists(
    kept: RegistrationService, reads: list[str]
) -> None:
    before = [await kept.department_list(code) for code in CODES]
    with pytest.raises(Exception):  # noqa: B017 - R1 exists already
        await kept.add_officer("organiser", "Aude", "Kervella", "29", key="R1")
    assert [await kept.department_list(code) for code in CODES] == before
    assert reads == []
