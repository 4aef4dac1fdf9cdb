"""Fixtures every test folder shares."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A real, migrated SQLite file in the test's own folder."""
    database = await Database.open(tmp_path / "relance.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def collector() -> Iterator[None]:
    """The garbage collector left on or off as the test found it."""
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()
