from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import Catalog
from bot.reminders.ladder import (
    MAX_DAYS,
    Ladder,
    LadderError,
    current_step,
    due_step,
    step_to_send,
    tiers,
)
from bot.reminders.models import CampaignError, Step, Tier

CAT = Catalog.load()
DEADLINE = date(2026, 12, 31)
F, M, L = Tier.FRIENDLY, Tier.FIRMER, Tier.LAST_CALL


@pytest.mark.parametrize(
    ("text", "days", "tiers_"),
    [
        ("14,7,3,2,1", [14, 7, 3, 2, 1], [F, M, M, M, L]),
        ("1, 3 ,14", [14, 3, 1], [F, M, L]),
        ("7,1", [7, 1], [F, L]),
        ("5", [5], [L]),
        ("0", [0], [L]),
        ("365,0", [365, 0], [F, L]),
    ],
)
def test_ladders_are_read_sorted_with_their_tiers(
    text: str, days: list[int], tiers_: list[Tier]
) -> None:
    ladder = Ladder.parse(text)
    assert [s.days_before for s in ladder] == days
    assert [s.tier for s in ladder] == tiers_
    assert [s.number for s in ladder] == list(range(1, len(days) + 1))
    assert {s.count for s in ladder} == {len(days)}
    assert Ladder.parse(ladder.text) == ladder


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "reminders.ladder.empty", {}),
        ("  ", "reminders.ladder.empty", {}),
        ("14,,7", "reminders.ladder.item_empty", {"position": 2, "text": "14,,7"}),
        ("14,7,", "reminders.ladder.item_empty", {"position": 3, "text": "14,7,"}),
        ("14,sept", "reminders.ladder.not_number", {"value": "sept"}),
        ("14,1.5", "reminders.ladder.not_number", {"value": "1.5"}),
        ("J-14", "reminders.ladder.not_number", {"value": "J-14"}),
        ("14,-3", "reminders.ladder.negative", {"value": "-3"}),
        ("400,7", "reminders.ladder.too_far", {"value": "400", "max": MAX_DAYS}),
        ("14,7,14", "reminders.ladder.duplicate", {"value": "14"}),
        ("7,07", "reminders.ladder.duplicate", {"value": "07"}),
    ],
)
def test_bad_ladders_are_refused_with_their_reason(
    text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(LadderError) as caught:
        Ladder.parse(text)
    assert (caught.value.key, caught.value.params) == (key, params)


def test_the_ladder_sentences_name_the_culprit() -> None:
    with pytest.raises(LadderError) as caught:
        Ladder.parse("14,7,14")
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "«\u00a014\u00a0» figure deux fois\u00a0: chaque étape tombe un jour différent\u202f; exemple\u00a0: «\u00a014,7,3,2,1\u00a0»"
    )
    with pytest.raises(LadderError) as caught:
        Ladder.parse("14,-3")
    assert CAT.t(caught.value.key, "en", **caught.value.params) == (
        "'-3' falls after the deadline: steps count the days before it (0 for the day itself); "
        "example: '14,7,3,2,1'"
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, []), (1, [L]), (2, [F, L]), (3, [F, M, L]), (5, [F, M, M, M, L])],
)
def test_tiers(count: int, expected: list[Tier]) -> None:
    assert tiers(count) == expected


def test_steps_know_their_day_and_whether_they_are_last() -> None:
    ladder = Ladder.parse("14,7,1")
    assert [s.day(DEADLINE) for s in ladder] == [
        date(2026, 12, 17),
        date(2026, 12, 24),
        date(2026, 12, 30),
    ]
    assert [s.is_last for s in ladder] == [False, False, True]
    assert ladder.step(7) == Step(7, Tier.FIRMER, 2, 3)
    assert ladder.step(3) is None


LADDER = Ladder.parse("14,7,3,2,1")


@pytest.mark.parametrize(
    ("days_left", "current", "due"),
    [
        (60, 14, None),  # before the first step: current sends it early, no scheduled run does
        (15, 14, None),
        (14, 14, 14),
        (10, 14, 14),  # ten days before: the D-14 step
        (7, 7, 7),
        (4, 7, 7),
        (3, 3, 3),
        (2, 2, 2),
        (1, 1, 1),
        (0, 1, 1),  # the deadline day: the last step
        (-1, None, None),  # after the deadline: nothing
    ],
)
def test_current_and_due_steps(days_left: int, current: int | None, due: int | None) -> None:
    today = date.fromordinal(DEADLINE.toordinal() - days_left)
    found = current_step(LADDER, DEADLINE, today)
    assert (found.days_before if found else None) == current
    found = due_step(LADDER, DEADLINE, today)
    assert (found.days_before if found else None) == due


def test_a_deadline_day_step_is_current_on_the_deadline_day() -> None:
    ladder = Ladder.parse("3,0")
    step = current_step(ladder, DEADLINE, DEADLINE)
    assert step == Step(0, Tier.LAST_CALL, 2, 2)


def test_step_to_send_needs_a_deadline_that_has_not_passed() -> None:
    assert step_to_send(LADDER, DEADLINE, date(2026, 12, 21)) == Step(14, Tier.FRIENDLY, 1, 5)
    with pytest.raises(CampaignError) as caught:
        step_to_send(LADDER, None, date(2026, 12, 21))
    assert (caught.value.key, caught.value.params) == ("reminders.no_deadline", {})
    with pytest.raises(CampaignError) as caught:
        step_to_send(LADDER, DEADLINE, date(2027, 1, 1))
    assert (caught.value.key, caught.value.params) == (
        "reminders.deadline_passed",
        {"deadline": date(2026, 12, 31)},
    )
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "L'échéance des inscriptions, le 31 décembre 2026, est passée\u00a0: il n'y a plus "
        "d'étape à envoyer."
    )
