"""Fixtures every test folder shares."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A real, migrated SQLite file in the test's own folder."""
    database = await Database.open(tmp_path / "relance.sqlite3")
    yield database
    await database.close()
