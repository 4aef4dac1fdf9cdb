"""``/status departement``: a department's list is kept in memory while the registration data
stays as it was read, or changed only by a write of this process that said what it touched (see
also ``test_department_lists_written``); another program's write makes it be read again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.departments import departments
from bot.registration.kept_lists import KeptLists
from bot.registration.models import Counts, DepartmentList, OfficerLine, OfficerStatus
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import department_reads, roster_bytes

ANNE, CLAIRE = 111111111111111111, 222222222222222222
ROSTER = roster_bytes(
    f"M1;Anne;Alpha;56;a@x.fr;{ANNE}",
    "M2;Bruno;Beta;56;b@x.fr;",
    f"F1;Claire;Gamma;29;c@x.fr;{CLAIRE}",
)
RENAMED = roster_bytes(
    f"M1;Anne;Alpha;56;a@x.fr;{ANNE}",
    "M2;Bruno;Bêta-Renommé;56;b@x.fr;",
    f"F1;Claire;Gamma;29;c@x.fr;{CLAIRE}",
)


def _service(db: Database, clock: FixedClock, catalog: Catalog) -> RegistrationService:
    return RegistrationService(
        db, clock, Settings(registration_deadline=date(2010, 3, 31)), catalog
    )


@pytest.fixture
async def loaded(service: RegistrationService) -> RegistrationService:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    return service


@pytest.fixture
def reads(loaded: RegistrationService, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The departments whose list ``loaded`` read from the database."""
    return department_reads(loaded, monkeypatch)


@pytest.fixture
async def other_program(db: Database) -> AsyncIterator[Database]:
    """The same database file opened again, as the command line or another process would."""
    other = await Database.open(db.path)
    yield other
    await other.close()


async def _fresh(db: Database, clock: FixedClock, catalog: Catalog, code: str) -> DepartmentList:
    """The list as a service with nothing kept reads it."""
    return await _service(db, clock, catalog).department_list(code)


def _shown(listed: DepartmentList) -> list[tuple[str, str, OfficerStatus]]:
    return [(o.key, o.full_name, o.status) for o in listed.officers]


async def test_a_list_asked_again_unchanged_is_not_read_again(
    loaded: RegistrationService, reads: list[str]
) -> None:
    first = await loaded.department_list("56")
    again = await loaded.department_list("Morbihan")
    assert again == first
    assert reads == ["56"]


async def test_a_declaration_keeps_the_other_departments_lists(
    loaded: RegistrationService,
    reads: list[str],
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    before = await loaded.department_list("56")
    await loaded.department_list("29")
    assert (await loaded.declare_registered(CLAIRE)).changed
    morbihan, finistere = await loaded.department_list("56"), await loaded.department_list("29")
    assert reads == ["56", "29"]  # the Finistère's brought up to date by Claire's line
    assert morbihan is before
    assert morbihan == before == await _fresh(db, clock, catalog, "56")
    assert finistere == await _fresh(db, clock, catalog, "29")
    assert _shown(finistere) == [("F1", "Claire Gamma", OfficerStatus.SELF_DECLARED)]
    assert finistere.counts == Counts(total=1, self_declared=1)


async def test_a_declaration_in_the_department_is_shown(
    loaded: RegistrationService,
    reads: list[str],
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    await loaded.department_list("56")
    await loaded.declare_registered(ANNE)
    listed = await loaded.department_list("56")
    assert listed == await _fresh(db, clock, catalog, "56")
    assert ("M1", "Anne Alpha", OfficerStatus.SELF_DECLARED) in _shown(listed)
    assert reads == ["56"]


async def test_a_declaration_that_changes_nothing_keeps_every_list(
    loaded: RegistrationService, reads: list[str]
) -> None:
    await loaded.declare_registered(ANNE)
    await loaded.department_list("56")
    assert not (await loaded.declare_registered(ANNE)).changed
    await loaded.department_list("56")
    assert reads == ["56"]


async def test_a_rename_by_another_program_is_shown(
    loaded: RegistrationService,
    other_program: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    await loaded.department_list("56")
    cli = _service(other_program, clock, catalog)
    await cli.import_roster(RENAMED, "r2.csv", "cli", apply=True)
    listed = await loaded.department_list("56")
    assert ("M2", "Bruno Bêta-Renommé", OfficerStatus.UNREGISTERED) in _shown(listed)


async def test_another_programs_write_before_a_declaration_here_is_shown(
    loaded: RegistrationService,
    other_program: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    """The list kept was read before the other program's write: the declaration made here after
    it does not make that list current."""
    await loaded.department_list("56")
    cli = _service(other_program, clock, catalog)
    await cli.import_roster(RENAMED, "r2.csv", "cli", apply=True)
    await loaded.declare_registered(CLAIRE)
    listed = await loaded.department_list("56")
    assert ("M2", "Bruno Bêta-Renommé", OfficerStatus.UNREGISTERED) in _shown(listed)


async def test_a_status_changed_by_another_program_is_shown(
    loaded: RegistrationService,
    other_program: Database,
    clock: FixedClock,
    catalog: Catalog,
) -> None:
    await loaded.department_list("56")
    await _service(other_program, clock, catalog).declare_registered(ANNE)
    listed = await loaded.department_list("56")
    assert ("M1", "Anne Alpha", OfficerStatus.SELF_DECLARED) in _shown(listed)
    assert listed.counts == Counts(total=2, self_declared=1, unregistered=1)


def _listed(code: str, *lines: OfficerLine) -> DepartmentList:
    department = departments().lookup(code)
    assert department is not None
    return DepartmentList(department, Counts.counted(o.status for o in lines), list(lines))


def _line(key: str, last: str, code: str, status: OfficerStatus) -> OfficerLine:
    return OfficerLine(
        key=key, first_name="A", last_name=last, department=code, status=status, status_since=None
    )


def test_the_lists_kept_are_bounded_the_least_recently_asked_dropped() -> None:
    kept = KeptLists(size=2)
    lists = {code: _listed(code) for code in ("56", "29", "22")}
    kept.keep("56", 1, lists["56"], ())
    kept.keep("29", 1, lists["29"], ())
    assert kept.get("56", 1) is lists["56"]  # now the most recently asked
    kept.keep("22", 1, lists["22"], ())
    assert (kept.get("56", 1), kept.get("29", 1), kept.get("22", 1)) == (
        lists["56"],
        None,
        lists["22"],
    )


def test_a_list_of_another_revision_is_not_given() -> None:
    kept = KeptLists()
    listed = _listed("56")
    kept.keep("56", 3, listed, ())
    assert kept.get("56", 4) is None
    assert kept.get("56", 2) is None
    assert kept.get("56", 3) is listed


def test_a_write_here_keeps_the_lists_it_did_not_touch_and_drops_those_of_another_revision() -> (
    None
):
    kept = KeptLists()
    lists = {code: _listed(code) for code in ("56", "22")}
    kept.keep("56", 3, lists["56"], ())
    kept.keep("22", 2, lists["22"], ())  # read before another write
    kept.written(3, 4, (), {})
    assert (kept.get("56", 4), kept.get("22", 4), kept.get("22", 2)) == (lists["56"], None, None)


U, S, R = OfficerStatus.UNREGISTERED, OfficerStatus.SELF_DECLARED, OfficerStatus.REGISTERED


def test_a_touched_officer_is_put_in_its_place_and_taken_out_of_its_former_list() -> None:
    kept = KeptLists()
    a, b, c = _line("A", "Abel", "56", U), _line("B", "Bon", "56", U), _line("C", "Cas", "56", S)
    kept.keep("56", 3, _listed("56", a, b, c), (1, 2, 3))
    kept.keep("29", 3, _listed("29", _line("D", "Dor", "29", U)), (4,))
    moved = _line("D", "Dor", "56", R)  # 4 moved to the Morbihan, registered
    declared = _line("A", "Abel", "56", S)  # 1 declared
    kept.written(3, 4, (1, 4, 2), {1: declared, 4: moved})  # 2 removed
    assert kept.get("56", 4) == _listed("56", declared, c, moved)
    assert kept.get("29", 4) == _listed("29")


def test_a_write_that_cannot_say_what_it_touched_drops_every_list() -> None:
    kept = KeptLists()
    kept.keep("56", 3, _listed("56"), ())
    assert kept.holds(3)
    kept.clear()
    assert not kept.holds(3)
    assert kept.get("56", 3) is None
