"""No log level writes personal data: DEBUG logs ids and counts, not names or e-mails."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.logs import setup_logging
from bot.registration.service import RegistrationService
from bot.storage.database import Database

ROSTER = (
    "Identifiant;Prénom;Nom;Département;E-mail\r\n"
    "R1;Gwenaëlle;Le Bihan;56;gwenaelle.lebihan@example.org\r\n"
).encode()


@pytest.fixture
def debug_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("aiosqlite", "discord")}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


async def test_debug_logging_writes_no_name_nor_e_mail(
    debug_logging: None, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    setup_logging("DEBUG")
    service = RegistrationService(
        db, FixedClock(datetime(2026, 3, 1, tzinfo=UTC)), Settings(), Catalog.load()
    )
    await service.import_roster(ROSTER, "roster.csv", "test", apply=True)
    found = await service.lookup_officer("Le Bihan")
    assert found.officer is not None and found.officer.key == "R1"
    logging.getLogger("bot.test").debug("a debug line of our own, %d officer", 1)
    written = capsys.readouterr().err
    assert "a debug line of our own, 1 officer" in written  # DEBUG is on
    for personal in ("Bihan", "Gwena", "gwenaelle.lebihan@example.org", "example.org"):
        assert personal not in written


def test_a_library_logger_set_to_debug_by_hand_still_writes_no_sql(
    debug_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("DEBUG")
    logging.getLogger("aiosqlite").setLevel(logging.DEBUG)
    logging.getLogger("aiosqlite").debug("executing %s", ("SELECT ?", ("Le Bihan",)))
    logging.getLogger("aiosqlite").warning("a warning stays")
    written = capsys.readouterr().err
    assert "Le Bihan" not in written and "a warning stays" in written
