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


async def _three(service: RegistrationService) -> None:
    await service.add_officer("cli", "Caroline", "David", "69", key="R1", email="c.d@example.org")
    await service.add_officer("cli", "Nathalie", "David", "971", key="R2")
    await service.add_officer(
        "cli", "David", "Kerbrat", "29", key="R3", discord="david", email="dk@example.org"
    )
    await service.link("R2", ANNE, "cli")


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("R3", "R3"),
        ("r1", "R1"),
        ("Kerbrat David", "R3"),
        ("david kerbrat", "R3"),
        ("Nathalie DAVID", "R2"),
        ("C.D@Example.org", "R1"),
        (f"<@{ANNE}>", "R2"),
        (f"<@!{ANNE}>", "R2"),
        (str(ANNE), "R2"),
        ("@david", "R3"),
    ],
)
async def test_an_officer_is_found_by_id_name_in_any_order_email_or_discord_member(
    service: RegistrationService, query: str, key: str
) -> None:
    await _three(service)
    match = await service.lookup_officer(query)
    assert match.officer is not None and match.officer.key == key
    assert (await service.status_officer(query)).officer.key == key


async def test_an_ambiguous_query_gives_the_candidates_to_pick_from(
    service: RegistrationService,
) -> None:
    await _three(service)
    match = await service.lookup_officer("David")
    assert match.officer is None
    assert [o.key for o in match.candidates] == ["R1", "R2", "R3"]
    assert not match.more
    few = await service.lookup_officer("David", limit=2)
    assert ([o.key for o in few.candidates], few.more) == (["R1", "R2"], True)


async def test_commands_without_a_pick_list_name_the_candidates(
    service: RegistrationService, catalog
) -> None:
    from bot.registration.service import AmbiguousOfficer

    await _three(service)
    with pytest.raises(AmbiguousOfficer) as many:
        await service.remove_officer("David", "cli")
    assert many.value.problems == [
        "Caroline David — 69 – Rhône (R1)",
        "Nathalie David — 971 – Guadeloupe (R2)",
        "David Kerbrat — 29 – Finistère (R3)",
    ]
    assert catalog.has(many.value.key)
    assert len(await service.roster()) == 3


async def test_the_same_lookup_serves_link_and_review(service: RegistrationService) -> None:
    await _three(service)
    assert (await service.link("dk@example.org", BOB, "cli")).officer.key == "R3"
    with pytest.raises(InvalidInput) as not_pending:
        await service.review_item("Kerbrat David")
    assert not_pending.value.key == "registration.review.not_pending"
