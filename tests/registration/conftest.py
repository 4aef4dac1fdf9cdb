from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.service import RegistrationService
from bot.storage.database import Database

DATA = Path(__file__).resolve().parents[1] / "data" / "registration"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2010, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def service(db: Database, clock: FixedClock, catalog: Catalog) -> RegistrationService:
    return RegistrationService(
        db, clock, Settings(registration_deadline=date(2010, 3, 31)), catalog
    )


def roster_bytes(
    *rows: str, header: str = "Identifiant;Prénom;Nom;Département;E-mail;Discord"
) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def signups_bytes(
    *rows: str,
    header: str = "Identifiant,Nom complet,Adresse e-mail,Code postal,Date d'inscription",
) -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode("utf-8")


def department_reads(service: RegistrationService, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The departments whose whole list ``service`` reads from the database from now on."""
    read: list[str] = []
    original = service._repo.department_lines

    async def counted(department: str) -> object:
        read.append(department)
        return await original(department)

    monkeypatch.setattr(service._repo, "department_lines", counted)
    return read
