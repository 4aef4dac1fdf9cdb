from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Locale
from bot.registration.departments import department_order
from bot.reminders.ladder import Ladder
from bot.reminders.models import (
    CampaignError,
    DeliveryChannel,
    DepartmentPlan,
    Exemption,
    FailureReason,
    PlannedDelivery,
    Recipient,
    Skipped,
    SkipReason,
    Snooze,
)
from bot.reminders.planner import plan_campaign, snooze_end

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)  # 10:00 in Paris, ten days before the deadline
STEP = Ladder.parse("14,7,3,2,1").steps[0]  # D-14
D7 = Ladder.parse("14,7,3,2,1").steps[1]


def officer(
    key: str,
    status: str = "unregistered",
    user: int | None = None,
    department: str = "56",
    locale: Locale | None = None,
) -> Recipient:
    return Recipient(key, key.title(), department, status, user, locale)


def test_each_officer_gets_a_channel_or_a_skip_reason() -> None:
    recipients = [
        officer("alice", user=1),  # DM, with the department channel as fallback
        officer("bruno", user=2),  # DMs known closed: the department channel
        officer("chloe", user=3, department="29"),  # DMs closed, no channel: unreachable
        officer("david"),  # no linked account: unreachable
        officer("emma", "registered", user=5),
        officer("farid", "self_declared", user=6),
        officer("gael", "probable", user=7),
        officer("hugo", user=8),  # exempted
        officer("ines", user=9),  # already had this step
        officer("jade", user=10),  # snoozed
        officer("karim", user=11),  # had another step only: gets this one
    ]
    plan = plan_campaign(
        recipients,
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        exemptions=[Exemption("hugo", date(2026, 12, 21), "en congé")],
        snoozes=[Snooze("jade", NOW + timedelta(hours=3))],
        already_sent=[("ines", 14), ("karim", 7)],
        closed_dms={2, 3},
        department_channels={"56": 5600},
    )
    assert plan.step == STEP
    assert plan.deliveries == (
        PlannedDelivery(
            "alice", "Alice", "56", STEP, "fr", DeliveryChannel.DM, 1, fallback_channel_id=5600
        ),
        PlannedDelivery("bruno", "Bruno", "56", STEP, "fr", DeliveryChannel.CHANNEL, 2, 5600),
        PlannedDelivery(
            "karim", "Karim", "56", STEP, "fr", DeliveryChannel.DM, 11, fallback_channel_id=5600
        ),
    )
    assert plan.unreachable == (
        PlannedDelivery(
            "chloe",
            "Chloe",
            "29",
            STEP,
            "fr",
            DeliveryChannel.UNREACHABLE,
            3,
            failure=FailureReason.NO_CHANNEL,
        ),
        PlannedDelivery(
            "david",
            "David",
            "56",
            STEP,
            "fr",
            DeliveryChannel.UNREACHABLE,
            None,
            failure=FailureReason.NOT_LINKED,
        ),
    )
    assert plan.skipped == (
        Skipped("emma", "56", SkipReason.REGISTERED),
        Skipped("farid", "56", SkipReason.DECLARED),
        Skipped("gael", "56", SkipReason.PROBABLE),
        Skipped("hugo", "56", SkipReason.EXEMPTED),
        Skipped("ines", "56", SkipReason.ALREADY_SENT),
        Skipped("jade", "56", SkipReason.SNOOZED),
    )
    assert plan.recipients == 3
    assert plan.by_channel() == {
        DeliveryChannel.DM: 2,
        DeliveryChannel.CHANNEL: 1,
        DeliveryChannel.UNREACHABLE: 2,
    }
    assert plan.by_department() == [
        DepartmentPlan("29", {DeliveryChannel.UNREACHABLE: 1}, {}),
        DepartmentPlan(
            "56",
            {DeliveryChannel.DM: 2, DeliveryChannel.CHANNEL: 1, DeliveryChannel.UNREACHABLE: 1},
            {
                SkipReason.REGISTERED: 1,
                SkipReason.DECLARED: 1,
                SkipReason.PROBABLE: 1,
                SkipReason.EXEMPTED: 1,
                SkipReason.ALREADY_SENT: 1,
                SkipReason.SNOOZED: 1,
            },
        ),
    ]
    line = plan.by_department()[1]
    assert (line.dm, line.channel, line.unreachable) == (2, 1, 1)


def test_a_status_skip_comes_before_the_others() -> None:
    plan = plan_campaign(
        [officer("emma", "registered", user=5)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        exemptions=[Exemption("emma", date(2027, 1, 1), "x")],
        already_sent=[("emma", 14)],
        snoozes=[Snooze("emma", NOW + timedelta(hours=1))],
    )
    assert plan.skipped == (Skipped("emma", "56", SkipReason.REGISTERED),)


@pytest.mark.parametrize(
    ("until", "exempted"),
    [
        (date(2026, 12, 20), False),  # ended yesterday
        (date(2026, 12, 21), True),  # up to and including today (Paris)
        (date(2027, 1, 15), True),
    ],
)
def test_exemptions_run_up_to_their_end_date(until: date, exempted: bool) -> None:
    plan = plan_campaign(
        [officer("hugo", user=8)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        exemptions=[Exemption("hugo", until, "")],
    )
    assert bool(plan.skipped) is exempted
    assert plan.recipients == (0 if exempted else 1)


def test_the_exemption_day_is_the_local_one() -> None:
    late_evening = datetime(2026, 12, 21, 23, 30, tzinfo=UTC)  # already the 22nd in Paris
    plan = plan_campaign(
        [officer("hugo", user=8)],
        STEP,
        now=late_evening,
        tz=PARIS,
        default_locale="fr",
        exemptions=[Exemption("hugo", date(2026, 12, 21), "")],
    )
    assert plan.recipients == 1


def test_an_ended_snooze_asks_for_the_step_again() -> None:
    plan = plan_campaign(
        [officer("jade", user=10), officer("lina", user=12), officer("mia", user=13)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        snoozes=[Snooze("jade", NOW - timedelta(minutes=1)), Snooze("lina", NOW)],
        already_sent=[("jade", 14), ("lina", 14), ("mia", 14)],
    )
    assert [(d.officer_key, d.after_snooze) for d in plan.deliveries] == [
        ("jade", True),
        ("lina", True),  # a snooze ending now has ended
    ]
    assert plan.skipped == (Skipped("mia", "56", SkipReason.ALREADY_SENT),)


def test_an_ended_snooze_with_a_newer_one_running_still_waits() -> None:
    plan = plan_campaign(
        [officer("jade", user=10)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        snoozes=[Snooze("jade", NOW - timedelta(days=1)), Snooze("jade", NOW + timedelta(hours=1))],
    )
    assert plan.skipped == (Skipped("jade", "56", SkipReason.SNOOZED),)


def test_an_ended_snooze_for_a_step_not_yet_sent_is_an_ordinary_delivery() -> None:
    plan = plan_campaign(
        [officer("jade", user=10)],
        D7,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        snoozes=[Snooze("jade", NOW - timedelta(hours=1))],
        already_sent=[("jade", 14)],
    )
    assert [(d.officer_key, d.step, d.after_snooze) for d in plan.deliveries] == [
        ("jade", D7, False)
    ]


def test_the_officer_locale_wins_over_the_default() -> None:
    plan = plan_campaign(
        [officer("alice", user=1, locale="en"), officer("bruno", user=2)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
    )
    assert [(d.officer_key, d.locale) for d in plan.deliveries] == [
        ("alice", "en"),
        ("bruno", "fr"),
    ]
    assert plan.deliveries[0].fallback_channel_id is None


def test_plans_are_ordered_by_department_then_officer() -> None:
    plan = plan_campaign(
        [
            officer("b", user=1, department="974"),
            officer("a", user=2, department="2B"),
            officer("c", user=3, department="2A"),
            officer("d", user=4, department="9"),
            officer("e", user=5, department="10"),
        ],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
    )
    assert [d.department for d in plan.deliveries] == ["9", "10", "2A", "2B", "974"]


@pytest.mark.parametrize(
    ("codes", "ordered"),
    [
        (["974", "2B", "01", "2A", "1", "95"], ["01", "1", "2A", "2B", "95", "974"]),
        (["21", "2A", "19", "2B", "06", "971"], ["06", "19", "2A", "2B", "21", "971"]),
    ],
)
def test_department_order(codes: list[str], ordered: list[str]) -> None:
    assert sorted(codes, key=department_order) == ordered


def test_an_empty_roster_cannot_be_planned() -> None:
    with pytest.raises(CampaignError) as caught:
        plan_campaign([], STEP, now=NOW, tz=PARIS, default_locale="fr")
    assert caught.value.key == "reminders.empty_roster"


def test_unknown_statuses_and_repeated_officers_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="unknown registration status 'done'"):
        plan_campaign([officer("a", "done")], STEP, now=NOW, tz=PARIS, default_locale="fr")
    with pytest.raises(ValueError, match="listed twice"):
        plan_campaign([officer("a"), officer("a")], STEP, now=NOW, tz=PARIS, default_locale="fr")


def test_five_hundred_officers_are_planned_once_each() -> None:
    recipients = [
        officer(f"o{i:03}", user=1000 + i, department=str(1 + i % 95)) for i in range(500)
    ]
    plan = plan_campaign(
        recipients,
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
        closed_dms={1000 + i for i in range(0, 500, 10)},
        department_channels={str(d): 9000 + d for d in range(1, 96)},
        already_sent=[(f"o{i:03}", 14) for i in range(0, 500, 50)],
    )
    assert plan.recipients == 490
    assert plan.by_channel() == {DeliveryChannel.DM: 450, DeliveryChannel.CHANNEL: 40}
    assert len({d.officer_key for d in plan.deliveries}) == 490


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 21, 9, 0, tzinfo=UTC), datetime(2026, 12, 22, 9, 0, tzinfo=UTC)),
        # the day before the deadline at 10:00 Paris: 24 h later is still the deadline day
        (datetime(2026, 12, 30, 9, 0, tzinfo=UTC), datetime(2026, 12, 31, 9, 0, tzinfo=UTC)),
        # on the deadline day: never past its end (midnight in Paris)
        (datetime(2026, 12, 31, 9, 0, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_snoozes_never_run_past_the_deadline(now: datetime, expected: datetime) -> None:
    end = snooze_end(now, date(2026, 12, 31), PARIS)
    assert end == expected
    assert end.tzinfo is UTC


class Status(StrEnum):  # as the registration feature stores statuses
    REGISTERED = "registered"
    UNREGISTERED = "unregistered"


def test_statuses_may_be_string_enums() -> None:
    plan = plan_campaign(
        [officer("a", Status.REGISTERED, user=1), officer("b", Status.UNREGISTERED, user=2)],
        STEP,
        now=NOW,
        tz=PARIS,
        default_locale="fr",
    )
    assert plan.skipped == (Skipped("a", "56", SkipReason.REGISTERED),)
    assert [d.officer_key for d in plan.deliveries] == ["b"]
