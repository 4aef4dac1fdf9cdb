"""Many officers detailed (every probable match after an import) are built and ordered in a
worker thread: the same answer as on the event loop."""

from __future__ import annotations

import pytest

from bot.registration import service as service_module
from bot.registration.service import RegistrationService
from tests.registration.test_lists import _two_probables


async def test_probable_matches_off_the_loop_are_the_same_in_the_same_order(
    service: RegistrationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _two_probables(service)
    on_the_loop = await service.pending_reviews()
    monkeypatch.setattr(service_module, "_ON_THE_LOOP", 0)
    off_the_loop = await service.pending_reviews()
    assert [i.officer.officer.key for i in off_the_loop] == ["R2", "R1"]
    assert off_the_loop == on_the_loop
    assert await service.status_officer("R1") == (await service.pending_reviews())[1].officer
