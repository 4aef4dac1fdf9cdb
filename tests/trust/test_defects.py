"""Defects of issue 12 that had no test of their own (see tests/trust/README.md)."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from datetime import UTC, datetime
from typing import Any

import pytest

import bot.registration.service as registration_service
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.problems import FileRejected
from bot.registration.roster_file import parse_roster
from bot.resources import reference
from tests.e2e.conftest import demo_deadline, running_bot

CATALOG = Catalog.load()
ZONE = Settings.from_env({}, CATALOG).timezone
HEADER = ["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail"]


def _roster(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([HEADER, *rows])
    return out.getvalue().encode()


def test_a_name_longer_than_the_roster_allows_is_refused_at_import_naming_line_and_column() -> None:
    """Fifteen 100-character names fit /status departement (test_outside_text); longer ones
    never reach it: the import refuses them."""
    data = _roster(
        ["A-1", "É" * 100, "Martin", "RDJ", "22", ""], ["A-2", "Jo", "N" * 101, "", "22", ""]
    )
    with pytest.raises(FileRejected) as refused:
        parse_roster(data, "long.csv")
    [problem] = refused.value.details
    assert (problem.line, problem.column, problem.key) == (
        3,
        "Nom",
        "registration.problem.too_long",
    )


@pytest.mark.asyncio
async def test_another_member_is_answered_while_a_sign_up_file_is_parsed(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 19 MB import parsed on the event loop for 27 s: the parse runs in a worker thread,
    so /aide is answered while it is held there (here until the test lets it go)."""
    started, release = threading.Event(), threading.Event()
    parse = registration_service.parse_signups

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        assert release.wait(30), "the parse was never let go: /aide waited behind it"
        return parse(*args, **kwargs)

    # The demo's export less its last row: a file the bot has not imported yet.
    signups = (
        (reference() / "demo" / "signups.csv").read_bytes().rstrip(b"\r\n").rsplit(b"\n", 1)[0]
    )
    deadline = demo_deadline(datetime.now(UTC), ZONE)
    async with running_bot(tmp_path, demo=True, registration_deadline=deadline) as running:
        sandbox = running.sandbox
        monkeypatch.setattr(registration_service, "parse_signups", held)
        importing = asyncio.create_task(
            sandbox.invoke(
                "/inscriptions importer",
                as_member="alice",
                attachments={"fichier": ("export.csv", signups)},
                timeout=60,
            )
        )
        assert await asyncio.to_thread(started.wait, 30)
        helped = await sandbox.invoke("/aide", as_member="zoe")
        answered_while_held = not release.is_set()
        release.set()
        imported = await importing
    assert answered_while_held and helped.messages
    assert imported.error is None and imported.messages
