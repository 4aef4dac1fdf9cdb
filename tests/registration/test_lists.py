"""The lists and actions organisers work with: links that replace another, officer lookup."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.registration.service import RegistrationService

ANNE, BOB = 222222222222222222, 333333333333333333


async def test_a_link_replacing_the_officers_account_is_refused_unless_confirmed(
    service: RegistrationService,
) -> None:
    await service.add_officer("cli", "Anne", "Le Goff", "56", key="R1")
    await service.link("R1", ANNE, "cli")
    plan = await service.plan_link("R1", BOB)
    assert (plan.replaces, plan.previous_member_id, plan.other) == (True, ANNE, None)
    with pytest.raises(InvalidInput) as refused:
        await service.link("R1", BOB, "cli")
    assert refused.value.key == "registration.lists.already_linked"
    relinked = await service.link("R1", BOB, "cli", relink=True)
    assert relinked.officer.discord_user_id == BOB


async def test_a_confirmed_link_moves_the_account_from_the_other_officer(
    service: RegistrationService,
) -> None:
    await service.add_officer("cli", "Anne", "Le Goff", "56", key="R1")
    await service.add_officer("cli", "Luc", "Roy", "29", key="R2")
    await service.link("R1", ANNE, "cli")
    plan = await service.plan_link("R2", ANNE)
    assert plan.replaces and plan.other is not None and plan.other.key == "R1"
    await service.link("R2", ANNE, "cli", relink=True)
    assert (await service.status_officer("R1")).officer.discord_user_id is None
    assert (await service.status_officer("R2")).officer.discord_user_id == ANNE


async def test_linking_the_same_account_again_replaces_nothing(
    service: RegistrationService,
) -> None:
    await service.add_officer("cli", "Anne", "Le Goff", "56", key="R1")
    await service.link("R1", ANNE, "cli")
    assert not (await service.plan_link("R1", ANNE)).replaces
