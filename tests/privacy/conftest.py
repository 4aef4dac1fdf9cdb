from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.privacy.service import PrivacyService
from bot.registration.service import RegistrationService
from bot.storage.database import Database

ANNE_ID = 123456789012345678
LUC_ID = 223456789012345678
ORGANISER = "discord:323456789012345678"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2010, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def settings() -> Settings:
    return Settings(registration_deadline=date(2010, 3, 31), data_retention_days=30)


@pytest.fixture
def registration(
    db: Database, clock: FixedClock, settings: Settings, catalog: Catalog
) -> RegistrationService:
    return RegistrationService(db, clock, settings, catalog)


@pytest.fixture
def privacy(
    db: Database, clock: FixedClock, settings: Settings, registration: RegistrationService
) -> PrivacyService:
    return PrivacyService(db, clock, settings, registration)


def roster_bytes(*rows: str) -> bytes:
    header = "Identifiant;Prénom;Nom;Département;E-mail;Discord"
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def signups_bytes(*rows: str) -> bytes:
    header = "Identifiant,Nom complet,Adresse e-mail,Code postal,Date d'inscription"
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode("utf-8")


async def two_officers(registration: RegistrationService, db: Database) -> None:
    """Anne (linked, matched to a sign-up, nudged, exempted) and Luc (linked)."""
    await registration.import_roster(
        roster_bytes(
            f"R1;Anne;Zorglubienne;56;anne.zorglub@exemple.fr;{ANNE_ID}",
            f"R2;Luc;Roy;29;luc.roy@exemple.fr;{LUC_ID}",
        ),
        "r.csv",
        ORGANISER,
        apply=True,
    )
    await registration.import_signups(
        signups_bytes(
            "S1,Anne Zorglubienne,anne.zorglub@exemple.fr,56000,2010-02-01",
            "S2,Luc Roy,luc.roy@exemple.fr,29000,2010-02-02",
        ),
        "s.csv",
        ORGANISER,
    )
    # A second roster import: its undo copy holds Anne too.
    await registration.import_roster(
        roster_bytes(
            f"R1;Anne;Zorglubienne;56;anne.zorglub@exemple.fr;{ANNE_ID}",
            f"R2;Luc;Roy;22;luc.roy@exemple.fr;{LUC_ID}",
        ),
        "r2.csv",
        ORGANISER,
        apply=True,
    )
    async with db.transaction() as tx:
        campaign = await tx.insert(
            "INSERT INTO reminder_campaigns (step_days, started_at, started_by, state) "
            "VALUES (7, '2010-03-01T10:00:00+00:00', ?, 'done')",
            (ORGANISER,),
        )
        for key, first, user in (("R1", "Anne", ANNE_ID), ("R2", "Luc", LUC_ID)):
            await tx.execute(
                "INSERT INTO reminder_deliveries (campaign_id, officer_key, first_name, "
                "department, locale, step_days, channel, discord_user_id, nonce, state) "
                "VALUES (?, ?, ?, '56', 'fr', 7, 'dm', ?, 'n', 'sent')",
                (campaign, key, first, user),
            )
        await tx.execute(
            "INSERT INTO reminder_exemptions (officer_key, until, reason, by, created_at) "
            "VALUES ('R1', '2010-03-10', 'Zorglubienne en congé', ?, '2010-03-01')",
            (ORGANISER,),
        )
        await tx.execute(
            "INSERT INTO reminder_locales (discord_user_id, locale, seen_at) VALUES (?, 'fr', 'x')",
            (ANNE_ID,),
        )
