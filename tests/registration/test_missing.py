"""Who is still missing: the officers not yet registered, listed and exported for organisers."""

from __future__ import annotations

import csv
import io

from bot.registration.models import OfficerStatus
from bot.registration.service import RegistrationService
from tests.registration.conftest import roster_bytes, signups_bytes

ROSTER = roster_bytes(
    "R1;Anne;Le Goff;56;anne@x.fr;",
    "R2;Luc;Roy;56;luc@x.fr;",
    "R3;Léa;Morin;29;lea@x.fr;",
    "R4;Paul;Petit;75;paul@x.fr;",
)


async def _loaded(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(
        signups_bytes("S1,Anne Le Goff,anne@x.fr,56000,2010-02-01 10:00"), "s.csv", "cli"
    )


async def test_a_departments_missing_officers(service: RegistrationService) -> None:
    await _loaded(service)
    missing = await service.missing("56")
    assert missing.department is not None and missing.department.code == "56"
    assert [o.key for o in missing.officers] == ["R2"]
    assert missing.total == 2


async def test_the_countrys_missing_officers_by_region_then_department(
    service: RegistrationService,
) -> None:
    await _loaded(service)
    missing = await service.missing()
    assert missing.department is None
    # Bretagne (29, 56) before Île-de-France (75)
    assert [o.key for o in missing.officers] == ["R3", "R2", "R4"]
    assert all(o.status is not OfficerStatus.REGISTERED for o in missing.officers)


async def test_the_export_of_missing_officers_has_their_contact_fields(
    service: RegistrationService,
) -> None:
    await _loaded(service)
    data = await service.missing_csv(await service.missing("56"), "fr")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][:3] == ["R2", "Luc", "Roy"] and "luc@x.fr" in rows[1]
