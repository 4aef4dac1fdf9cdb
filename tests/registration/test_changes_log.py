"""The change log the figures of ``/progression`` follow: its first and last rows, and the
officers named after a given row, as written by the triggers."""

from __future__ import annotations

import pytest

from bot.registration.storage import ChangesDropped, RegistrationRepository
from bot.storage.database import Database


async def _log(db: Database, officer_ids: list[int]) -> None:
    async with db.transaction() as tx:
        for officer_id in officer_ids:
            await tx.execute(
                "INSERT INTO registration_changes (officer_id) VALUES (?)", (officer_id,)
            )


async def test_an_empty_log_gives_the_row_asked_after_and_no_officer(db: Database) -> None:
    assert await RegistrationRepository(db).changed_officers(7) == (7, [])
    assert await RegistrationRepository(db).changed_officers(None) == (0, [])


async def test_the_officers_after_a_row_once_each_and_the_last_row(db: Database) -> None:
    await _log(db, [11, 12, 11, 13, 12])
    repo = RegistrationRepository(db)
    last, changed = await repo.changed_officers(2)
    assert (last, sorted(changed)) == (5, [11, 12, 13])
    assert await repo.changed_officers(None) == (5, [])


async def test_rows_dropped_before_the_one_asked_after_are_said(db: Database) -> None:
    await _log(db, [1, 2, 3, 4, 5, 6])
    await db.execute("DELETE FROM registration_changes WHERE seq <= 3")
    repo = RegistrationRepository(db)
    assert sorted((await repo.changed_officers(3))[1]) == [4, 5, 6]
    with pytest.raises(ChangesDropped) as dropped:
        await repo.changed_officers(2)
    assert dropped.value.last == 6
