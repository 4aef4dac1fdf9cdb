from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.reminders.when import (
    WhenError,
    check_before_deadline,
    normalise,
    parse_day,
    parse_when,
)

PARIS = ZoneInfo("Europe/Paris")
CAT = Catalog.load()
# Wednesday 11 March 2026, 16:20:37 in Paris (CET, UTC+1).
NOW = datetime(2026, 3, 11, 15, 20, 37, tzinfo=UTC)


def paris(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French
        ("demain 10h", paris(3, 12, 10)),
        ("demain à 10h", paris(3, 12, 10)),
        ("Demain 10H", paris(3, 12, 10)),
        ("demain 10 h", paris(3, 12, 10)),
        ("demain 10:00", paris(3, 12, 10)),
        ("demain à 10h05", paris(3, 12, 10, 5)),
        ("demain 9 h 30", paris(3, 12, 9, 30)),
        ("demain midi", paris(3, 12, 12)),
        ("demain 0h", paris(3, 12, 0)),
        ("après-demain 18h", paris(3, 13, 18)),
        ("aujourd'hui 18h", paris(3, 11, 18)),
        ("lundi 9h30", paris(3, 16, 9, 30)),
        ("lundi à 9h30", paris(3, 16, 9, 30)),
        ("lundi prochain 9h", paris(3, 16, 9)),
        ("jeudi 14h30", paris(3, 12, 14, 30)),
        ("mercredi 18h", paris(3, 18, 18)),  # today's weekday: next week's
        ("dans 2 jours", paris(3, 13, 16, 20)),  # keeps the time of day, whole minutes
        ("dans 3 heures", paris(3, 11, 19, 20)),
        ("dans 2h", paris(3, 11, 18, 20)),
        ("dans 30 minutes", paris(3, 11, 16, 50)),
        ("25/12 18h", paris(12, 25, 18)),
        ("le 25/12 à 18h", paris(12, 25, 18)),
        ("25 décembre 18h", paris(12, 25, 18)),
        ("3 avril 10h", paris(4, 3, 10)),  # summer time: 08:00 UTC
        ("10h", paris(3, 12, 10)),  # past today: tomorrow
        ("18h", paris(3, 11, 18)),
        # English
        ("in 2 days", paris(3, 13, 16, 20)),
        ("in 2h", paris(3, 11, 18, 20)),
        ("tomorrow 10am", paris(3, 12, 10)),
        ("tomorrow at 10", paris(3, 12, 10)),
        ("tomorrow at 10:00", paris(3, 12, 10)),
        ("tomorrow noon", paris(3, 12, 12)),
        ("monday 9:30", paris(3, 16, 9, 30)),
        ("next monday 9:30", paris(3, 16, 9, 30)),
        ("today 6pm", paris(3, 11, 18)),
        ("December 25 6pm", paris(12, 25, 18)),
        # ISO
        ("2026-12-25 18:00", paris(12, 25, 18)),
        ("2026-12-25T18:00", paris(12, 25, 18)),
        ("2026-12-25T18:00+01:00", paris(12, 25, 18)),
        ("2026-12-25T17:00Z", paris(12, 25, 18)),
        # daylight saving: 02:30 does not exist on 29 March, 03:00 is the first valid instant
        ("29/03 2h30", paris(3, 29, 3)),
    ],
)
def test_phrases_are_read(text: str, expected: datetime) -> None:
    moment = parse_when(text, NOW, PARIS)
    assert moment == expected
    assert moment.tzinfo is UTC


def test_english_only_reading_still_works() -> None:
    assert parse_when("tomorrow 10am", NOW, PARIS, ("en",)) == paris(3, 12, 10)


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "reminders.when.unreadable", {"text": ""}),
        ("blah", "reminders.when.unreadable", {"text": "blah"}),
        ("demain matin", "reminders.when.unreadable", {"text": "demain matin"}),
        ("lundi", "reminders.when.no_time", {"text": "lundi"}),
        ("25/12", "reminders.when.no_time", {"text": "25/12"}),
        ("2026-12-25", "reminders.when.no_time", {"text": "2026-12-25"}),
        (
            "hier 10h",
            "reminders.when.past",
            {"text": "hier 10h", "day": date(2026, 3, 10), "time": "10:00"},
        ),
        (
            "yesterday 10am",
            "reminders.when.past",
            {"text": "yesterday 10am", "day": date(2026, 3, 10), "time": "10:00"},
        ),
        (
            "2026-01-01 10:00",
            "reminders.when.past",
            {"text": "2026-01-01 10:00", "day": date(2026, 1, 1), "time": "10:00"},
        ),
        (
            "dans 0 minutes",
            "reminders.when.past",
            {"text": "dans 0 minutes", "day": date(2026, 3, 11), "time": "16:20"},
        ),
        (
            "12/25 6pm",  # day before month: month 25 cannot be, read as a far year
            "reminders.when.too_far",
            {"text": "12/25 6pm", "day": date(2125, 3, 12), "time": "18:00"},
        ),
    ],
)
def test_unusable_times_are_refused_with_their_reason(
    text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW, PARIS)
    assert (caught.value.key, caught.value.params) == (key, params)


def test_a_time_after_the_deadline_day_is_refused() -> None:
    deadline = date(2026, 3, 20)
    assert parse_when("20/03 23h59", NOW, PARIS, deadline=deadline) == paris(3, 20, 23, 59)
    with pytest.raises(WhenError) as caught:
        parse_when("21/03 0h", NOW, PARIS, deadline=deadline)
    assert (caught.value.key, caught.value.params) == (
        "reminders.when.after_deadline",
        {
            "text": "21/03 0h",
            "day": date(2026, 3, 21),
            "time": "00:00",
            "deadline": date(2026, 3, 20),
        },
    )
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "«\u00a021/03 0h\u00a0» tombe après l'échéance des inscriptions (le 21 mars 2026 à 00:00, "
        "pour une échéance le 20 mars 2026)\u00a0: une relance doit partir avant."
    )
    assert CAT.t(caught.value.key, "en", **caught.value.params) == (
        "'21/03 0h' falls after the registration deadline (March 21, 2026 at 00:00, for a deadline "
        "on March 20, 2026): a nudge must go out before it."
    )


def test_a_refused_moment_is_dated_in_paris_time_not_in_utc() -> None:
    # 00:30 in Paris on 12 March is still 11 March in UTC
    with pytest.raises(WhenError) as caught:
        check_before_deadline(paris(3, 12, 0, 30), date(2026, 3, 11), PARIS, text="jeudi 0h30")
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "«\u00a0jeudi 0h30\u00a0» tombe après l'échéance des inscriptions (le 12 mars 2026 à 00:30, "
        "pour une échéance le 11 mars 2026)\u00a0: une relance doit partir avant."
    )


def test_a_moment_in_the_past_is_written_as_people_read_it() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when("hier 10h", NOW, PARIS)
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "«\u00a0hier 10h\u00a0» tombe dans le passé (le 10 mars 2026 à 10:00)\u00a0: donnez un "
        "moment à venir, comme «\u00a0demain 10h\u00a0»."
    )


def test_a_schedule_whose_next_run_is_after_the_deadline_is_refused() -> None:
    with pytest.raises(WhenError) as caught:
        check_before_deadline(paris(3, 23, 10), date(2026, 3, 20), PARIS, text="0 10 * * 1")
    assert caught.value.params == {
        "text": "0 10 * * 1",
        "day": date(2026, 3, 23),
        "time": "10:00",
        "deadline": date(2026, 3, 20),
    }
    check_before_deadline(paris(3, 20, 10), date(2026, 3, 20), PARIS, text="0 10 * * 5")


def test_the_unreadable_sentence_gives_examples() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when("blah", NOW, PARIS)
    assert CAT.t(caught.value.key, "en", **caught.value.params) == (
        "I cannot read 'blah' as a date and time. Try 'tomorrow 10am', 'monday 9:30', "
        "'25/12 18:00' or 'in 2 days'."
    )


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Demain  10H", "demain 10:00"),
        ("lundi 9h30", "lundi 9:30"),
        ("9 h 05", "9:05"),
        ("dans 2h", "dans 2h"),  # a duration stays one
        ("in 2 h", "in 2 h"),
        ("prochain 9h", "prochain 9:00"),  # "…in " is not "in "
        ("à 10", "à 10:00"),
        ("at 10am", "at 10am"),
        ("mardi prochain à 8h", "mardi à 8:00"),
    ],
)
def test_normalise(text: str, normalised: str) -> None:
    assert normalise(text) == normalised


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("demain 10h", datetime(2026, 3, 11, 16, 20), PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        (" 31/12/26 ", date(2026, 12, 31)),
        ("1.4.2026", date(2026, 4, 1)),
        ("2026-12-31", date(2026, 12, 31)),
        ("25/12", date(2026, 12, 25)),  # the next 25 December
        ("11/03", date(2026, 3, 11)),  # today counts
        ("10/03", date(2027, 3, 10)),  # yesterday's date: next year's
    ],
)
def test_an_exemption_end_is_read_day_before_month(text: str, expected: date) -> None:
    assert parse_day(text, date(2026, 3, 11)) == expected


@pytest.mark.parametrize("text", ["", "demain", "31/02/2026", "12/31/2026", "2026-13-01"])
def test_an_unreadable_day_says_how_to_write_it(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_day(text, date(2026, 3, 11))
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        f"«\u00a0{text}\u00a0» n'est pas une date\u00a0: écrivez le jour, le mois puis l'année, "
        "par exemple 31/12/2026."
    )
