"""The lists and actions organisers work with: links that replace another, officer lookup."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.registration.models import MatchReason, Officer, OfficerStatus, Signup, strong
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


# --- /verification at scale ---------------------------------------------------------------


def _probable(email: str, department: str = "75") -> Officer:
    from datetime import UTC, datetime

    return Officer(
        id=1,
        key="R1",
        first_name="Nicolas",
        last_name="Martin",
        department=department,
        email=email,
        status=OfficerStatus.PROBABLE,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("officer_email", "signup_email", "postcode", "department", "reason", "expected"),
    [
        ("n.martin@jeunes-parti.fr", "nm@Jeunes-Parti.fr", "75011", "75", MatchReason.NAME, True),
        ("n.martin@jeunes-parti.fr", "nm@jeunes-parti.fr", "75011", "75", "name_compound", True),
        ("n.martin@gmail.com", "nm@gmail.com", "75011", "75", MatchReason.NAME, False),
        ("n.martin@orange.fr", "nm@orange.fr", "75011", "75", MatchReason.NAME, False),
        ("n.martin@jeunes-parti.fr", "nm@autre.org", "75011", "75", MatchReason.NAME, False),
        ("n.martin@jeunes-parti.fr", "nm@jeunes-parti.fr", "92100", "92", MatchReason.NAME, False),
        ("n.martin@jeunes-parti.fr", "nm@jeunes-parti.fr", "", "75", MatchReason.NAME, False),
        ("n.martin@jeunes-parti.fr", "nm@jeunes-parti.fr", "75011", "75", "last_name_typo", False),
        ("n.martin@jeunes-parti.fr", "nm@jeunes-parti.fr", "75011", "75", "shared", False),
        ("", "nm@jeunes-parti.fr", "75011", "75", MatchReason.NAME, False),
    ],
)
def test_a_strong_match_needs_the_name_the_department_and_an_organisation_domain(
    officer_email: str,
    signup_email: str,
    postcode: str,
    department: str,
    reason: str,
    expected: bool,
) -> None:
    signup = Signup(
        key="S1",
        name="Nicolas Martin",
        email=signup_email,
        postcode=postcode,
        department=department,
    )
    assert strong(_probable(officer_email), signup, MatchReason(reason)) is expected


def _export(*rows: str) -> bytes:
    header = "Identifiant,Nom complet,E-mail,Code postal,Date d'inscription"
    noise = [  # common first names and surnames in Paris: a namesake is expected there
        f"X{i},{first} {last},x{i}@mail{i}.fr,750{i % 20:02},2026-11-02 10:00"
        for i, (first, last) in enumerate(
            (f, s)
            for f in ("Pierre", "Marie", "Paul", "Anne", "Luc", "Léa", "Nicolas", "Julie")
            for s in ("Martin", "Bernard", "Durand", "Petit", "Moreau", "Simon")
            if (f, s) not in {("Nicolas", "Martin"), ("Julie", "Martin")}
        )
    ]
    return ("\n".join([header, *rows, *noise]) + "\n").encode("utf-8")


async def _two_probables(service: RegistrationService) -> None:
    roster = (
        "Identifiant;Prénom;Nom;Département;E-mail\r\n"
        "R1;Nicolas;Martin;75;nicolas.martin@jeunes-parti.fr\r\n"
        "R2;Julie;Martin;75;julie.martin@gmail.com\r\n"
        "R3;Anne;Kervella;29;anne.k@jeunes-parti.fr\r\n"
    ).encode("cp1252")
    await service.import_roster(roster, "r.csv", "cli", apply=True)
    await service.import_signups(
        _export(
            "S1,Nicolas Martin,nmartin@jeunes-parti.fr,75011,2026-11-02 10:00",
            "S2,Julie Martin,jm1990@gmail.com,75012,2026-11-02 10:00",
        ),
        "s.csv",
        "cli",
    )


async def test_the_review_overview_groups_by_department_and_tells_the_strong_ones(
    service: RegistrationService,
) -> None:
    await _two_probables(service)
    overview = await service.review_overview()
    assert [(g.department.code, len(g.items)) for g in overview.groups] == [("75", 2)]
    assert overview.total == 2
    assert [i.officer.officer.key for i in overview.strong] == ["R1"]
    assert [i.officer.officer.key for i in await service.pending_reviews("75")] == ["R2", "R1"]
    assert await service.pending_reviews("29") == []


async def test_confirming_the_strong_ones_checks_each_again_and_counts_what_is_left(
    service: RegistrationService,
) -> None:
    await _two_probables(service)
    done = await service.confirm_strong(["R1", "R2", "R3"], "discord:1")
    assert [o.key for o in done.confirmed] == ["R1"]  # R2 is not strong, R3 not probable
    assert done.left == 1
    assert (await service.status_officer("R1")).officer.status is OfficerStatus.REGISTERED
    assert (await service.status_officer("R2")).officer.status is OfficerStatus.PROBABLE
    again = await service.confirm_strong(["R1"], "discord:1")
    assert (again.confirmed, again.left) == ([], 1)


async def test_the_organisers_report_names_small_departments_behind_too(
    service: RegistrationService,
) -> None:
    await _three(service)  # one officer in each of three departments, fewer than PUBLIC_MIN
    public = await service.progress()
    report = await service.report()
    assert public.behind == []
    assert [d.department.code for d in report.behind] == ["29", "69", "971"]
    assert (report.counts, report.pace_per_day, report.forecast) == (
        public.counts,
        public.pace_per_day,
        public.forecast,
    )


def test_the_report_is_due_at_the_report_schedule(db, clock, catalog) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.config import Settings
    from bot.schedule import Schedule

    paris = ZoneInfo("Europe/Paris")
    settings = Settings(report_schedule=Schedule.parse("mon,thu 09:00", paris))
    service = RegistrationService(db, clock, settings, catalog)
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=paris)
    assert service.next_report_time(datetime(2026, 11, 30, 7, 0, tzinfo=UTC)) == monday
