from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.schedule import (
    QuietHours,
    Schedule,
    ScheduleError,
    deadline_day_end,
    localize,
    occurrences,
)

PARIS = ZoneInfo("Europe/Paris")
CAT = Catalog.load()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def paris(
    year: int, month: int, day: int, hour: int, minute: int, second: int = 0, *, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS, fold=fold)


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cron"),
    [
        ("0 10 * * 1-5", "0 10 * * 1-5"),
        ("  0  10 *  * MON-FRI ", "0 10 * * mon-fri"),
        ("*/15 8-18 * * *", "*/15 8-18 * * *"),
        ("0 9 L * *", "0 9 l * *"),
        ("mon 09:00", "0 9 * * 1"),
        ("mon,thu 9h30", "30 9 * * 1,4"),
        ("daily 08:30", "30 8 * * *"),
        ("quotidien 8h", "0 8 * * *"),
        ("mon-fri 18:00", "0 18 * * 1,2,3,4,5"),
        ("sat-mon 10:00", "0 10 * * 0,1,6"),
        ("lun,jeu 9h30", "30 9 * * 1,4"),
        ("sun 7:05", "5 7 * * 0"),
        ("mon-sun 12:00", "0 12 * * *"),
        ("MON 9H", "0 9 * * 1"),
    ],
)
def test_cron_and_legacy_forms_are_read(text: str, cron: str) -> None:
    schedule = Schedule.parse(text, PARIS)
    assert schedule.cron == cron
    assert Schedule.parse(schedule.text, PARIS) == schedule


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "schedule.empty", {}),
        ("   ", "schedule.empty", {}),
        ("* * * *", "schedule.fields", {"text": "* * * *", "count": 4}),
        ("0 0 10 * * 1", "schedule.fields", {"text": "0 0 10 * * 1", "count": 6}),
        ("monday", "schedule.fields", {"text": "monday", "count": 1}),
        ("61 * * * *", "schedule.bad_minute", {"value": "61", "text": "61 * * * *"}),
        ("0 25 * * *", "schedule.bad_hour", {"value": "25", "text": "0 25 * * *"}),
        ("0 9 32 * *", "schedule.bad_day", {"value": "32", "text": "0 9 32 * *"}),
        ("0 9 * 13 *", "schedule.bad_month", {"value": "13", "text": "0 9 * 13 *"}),
        ("0 9 * * 8", "schedule.bad_weekday", {"value": "8", "text": "0 9 * * 8"}),
        ("0 9 * * lundi", "schedule.bad_weekday", {"value": "lundi", "text": "0 9 * * lundi"}),
        ("0 9 * * 5-1", "schedule.bad_weekday", {"value": "5-1", "text": "0 9 * * 5-1"}),
        ("0 0 30 2 *", "schedule.never", {"text": "0 0 30 2 *"}),
        ("0 0 31 4,6 *", "schedule.never", {"text": "0 0 31 4,6 *"}),
        ("monday 09:00", "schedule.days", {"value": "monday"}),
        ("mon,xyz 10:00", "schedule.days", {"value": "mon,xyz"}),
        ("mon 25:00", "schedule.time", {"value": "25:00"}),
        ("mon 9h75", "schedule.time", {"value": "9h75"}),
        ("daily noon", "schedule.time", {"value": "noon"}),
    ],
)
def test_bad_schedules_are_refused_with_their_reason(
    text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(ScheduleError) as caught:
        Schedule.parse(text, PARIS)
    assert caught.value.key == key
    assert caught.value.params == params
    assert isinstance(caught.value, ValueError)


def test_every_schedule_error_has_a_sentence_naming_the_value() -> None:
    with pytest.raises(ScheduleError) as caught:
        Schedule.parse("0 25 * * *", PARIS)
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "dans «\u00a00 25 * * *\u00a0», l'heure «\u00a025\u00a0» n'est pas valable\u00a0: de 0 à 23, une liste (9,14) "
        "ou un intervalle (9-17)\u202f; exemple\u00a0: «\u00a00 10 * * 1-5\u00a0» (10:00 du lundi au vendredi)"
    )
    assert CAT.t(caught.value.key, "en", **caught.value.params) == (
        "in '0 25 * * *', the hour '25' is not valid: 0 to 23, a list (9,14) or a range "
        "(9-17); example: '0 10 * * 1-5' (10:00 Monday to Friday)"
    )


# --- next runs -------------------------------------------------------------------------------


def test_next_after_is_strictly_after_and_in_utc() -> None:
    schedule = Schedule.parse("0 10 * * 1-5", PARIS)
    # Friday 2026-03-06 10:00 Paris is 09:00 UTC; the next weekday run is Monday.
    assert schedule.next_after(utc(2026, 3, 6, 8, 59)) == utc(2026, 3, 6, 9, 0)
    assert schedule.next_after(utc(2026, 3, 6, 9, 0)) == utc(2026, 3, 9, 9, 0)
    assert schedule.next_after(paris(2026, 3, 6, 10, 0, 30)) == utc(2026, 3, 9, 9, 0)
    assert schedule.next_after(utc(2026, 3, 6, 9, 0)).tzinfo is UTC


def test_next_runs_lists_the_legacy_form_in_local_time() -> None:
    schedule = Schedule.parse("mon,thu 9h30", PARIS)
    runs = schedule.next_runs(utc(2026, 3, 1), 4)
    assert [r.astimezone(PARIS) for r in runs] == [
        paris(2026, 3, 2, 9, 30),
        paris(2026, 3, 5, 9, 30),
        paris(2026, 3, 9, 9, 30),
        paris(2026, 3, 12, 9, 30),
    ]


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Schedule.parse("0 10 * * *", PARIS).next_after(datetime(2026, 3, 1))


def test_with_zone_evaluates_the_same_expression_elsewhere() -> None:
    schedule = Schedule.parse("0 10 * * *", PARIS).with_zone(ZoneInfo("America/Guadeloupe"))
    assert schedule.next_after(utc(2026, 3, 1)) == utc(2026, 3, 1, 14, 0)


# Daylight saving in Paris: 2026-03-29 02:00 CET jumps to 03:00 CEST (02:30 does not exist);
# 2026-10-25 03:00 CEST falls back to 02:00 CET (02:30 happens twice).
@pytest.mark.parametrize(
    ("cron", "after", "expected"),
    [
        (  # spring forward: 02:30 does not exist, the run is made once at 03:00 CEST
            "30 2 * * *",
            utc(2026, 3, 28, 12, 0),
            [utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30), utc(2026, 3, 31, 0, 30)],
        ),
        (  # spring forward: 10:00 is 10:00 CEST, an hour earlier in UTC than the day before
            "0 10 * * *",
            utc(2026, 3, 28, 0, 0),
            [utc(2026, 3, 28, 9, 0), utc(2026, 3, 29, 8, 0), utc(2026, 3, 30, 8, 0)],
        ),
        (  # fall back: 02:30 happens twice, the run is made once, at the first (CEST)
            "30 2 * * *",
            utc(2026, 10, 24, 12, 0),
            [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30), utc(2026, 10, 27, 1, 30)],
        ),
        (  # fall back: 10:00 is 10:00 CET, an hour later in UTC than the day before
            "0 10 * * *",
            utc(2026, 10, 24, 0, 0),
            [utc(2026, 10, 24, 8, 0), utc(2026, 10, 25, 9, 0), utc(2026, 10, 26, 9, 0)],
        ),
    ],
)
def test_daylight_saving_neither_skips_nor_doubles_a_run(
    cron: str, after: datetime, expected: list[datetime]
) -> None:
    assert Schedule.parse(cron, PARIS).next_runs(after, 3) == expected


def test_a_moment_in_the_repeated_hour_does_not_bring_the_run_back() -> None:
    schedule = Schedule.parse("30 2 * * *", PARIS)
    # 02:10 CET, the second 02:10 of 2026-10-25, after the run of 02:30 CEST: next is the 26th.
    second_time = paris(2026, 10, 25, 2, 10, fold=1)
    assert second_time.astimezone(UTC) == utc(2026, 10, 25, 1, 10)
    assert schedule.next_after(second_time) == utc(2026, 10, 26, 1, 30)


def test_runs_every_quarter_hour_follow_real_time_through_the_repeated_hour() -> None:
    schedule = Schedule.parse("*/30 * * * *", PARIS)
    runs = schedule.next_runs(utc(2026, 10, 24, 23, 45), 5)  # 01:45 CEST
    assert runs == [
        utc(2026, 10, 25, 0, 0),  # 02:00 CEST
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST
        utc(2026, 10, 25, 1, 0),  # 02:00 CET
        utc(2026, 10, 25, 1, 30),  # 02:30 CET
        utc(2026, 10, 25, 2, 0),  # 03:00 CET
    ]


# --- quiet hours -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("21:00-08:30", (time(21, 0), time(8, 30))),
        ("21h-8h30", (time(21, 0), time(8, 30))),
        (" 12:00 - 14:00 ", (time(12, 0), time(14, 0))),
        ("", None),
        ("   ", None),
    ],
)
def test_quiet_hours_are_read(text: str, window: tuple[time, time] | None) -> None:
    quiet = QuietHours.parse(text)
    assert quiet.window == window
    assert bool(quiet) is (window is not None)
    assert QuietHours.parse(quiet.text) == quiet


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("25:00-08:00", "schedule.quiet_time", "25:00"),
        ("21:00-08:60", "schedule.quiet_time", "08:60"),
        ("21:00", "schedule.quiet_format", "21:00"),
        ("21:00-", "schedule.quiet_format", "21:00-"),
        ("21:00-08:00-09:00", "schedule.quiet_format", "21:00-08:00-09:00"),
        ("soir-matin", "schedule.quiet_time", "soir"),
        ("08:00-08:00", "schedule.quiet_same", "08:00-08:00"),
    ],
)
def test_bad_quiet_hours_are_refused(text: str, key: str, value: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        QuietHours.parse(text)
    assert (caught.value.key, caught.value.params) == (key, {"value": value})


def test_the_quiet_hours_sentence_names_the_bad_time() -> None:
    with pytest.raises(ScheduleError) as caught:
        QuietHours.parse("25:00-08:00")
    assert CAT.t(caught.value.key, "en", **caught.value.params) == (
        "'25:00' is not a time: write HH:MM, between 00:00 and 23:59; example: '21:00-08:30'"
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 3, 10, 20, 59), paris(2026, 3, 10, 20, 59)),  # before: unchanged
        (paris(2026, 3, 10, 21, 0), paris(2026, 3, 11, 8, 30)),  # start included
        (paris(2026, 3, 10, 23, 30), paris(2026, 3, 11, 8, 30)),  # spans midnight
        (paris(2026, 3, 11, 3, 0), paris(2026, 3, 11, 8, 30)),  # after midnight: same day
        (paris(2026, 3, 11, 8, 30), paris(2026, 3, 11, 8, 30)),  # end excluded
        (paris(2026, 3, 11, 12, 0), paris(2026, 3, 11, 12, 0)),
        (paris(2026, 3, 28, 22, 0), paris(2026, 3, 29, 8, 30)),  # night of spring forward
        (paris(2026, 10, 24, 22, 0), paris(2026, 10, 25, 8, 30)),  # night of fall back
    ],
)
def test_quiet_hours_defer_to_their_end(moment: datetime, expected: datetime) -> None:
    deferred = QuietHours.parse("21:00-08:30").defer(moment, PARIS)
    assert deferred == expected
    assert deferred.tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 3, 10, 11, 59), paris(2026, 3, 10, 11, 59)),
        (paris(2026, 3, 10, 12, 0), paris(2026, 3, 10, 14, 0)),
        (paris(2026, 3, 10, 13, 59), paris(2026, 3, 10, 14, 0)),
        (paris(2026, 3, 10, 14, 0), paris(2026, 3, 10, 14, 0)),
    ],
)
def test_quiet_hours_within_a_day(moment: datetime, expected: datetime) -> None:
    assert QuietHours.parse("12:00-14:00").defer(moment, PARIS) == expected


def test_quiet_hours_ending_in_the_spring_gap_end_at_the_first_valid_instant() -> None:
    quiet = QuietHours.parse("00:00-02:30")
    assert quiet.defer(paris(2026, 3, 29, 1, 0), PARIS) == utc(2026, 3, 29, 1, 0)  # 03:00 CEST


def test_quiet_hours_ending_in_the_repeated_hour_end_at_its_next_occurrence() -> None:
    quiet = QuietHours.parse("01:00-02:30")
    # 02:10 CET, the second 02:10 of 2026-10-25: inside again; the next 02:30 is the CET one.
    assert quiet.defer(paris(2026, 10, 25, 2, 10, fold=1), PARIS) == utc(2026, 10, 25, 1, 30)
    assert quiet.defer(paris(2026, 10, 25, 1, 30), PARIS) == utc(2026, 10, 25, 0, 30)


def test_no_quiet_hours_change_nothing() -> None:
    moment = utc(2026, 3, 10, 23, 0)
    assert QuietHours.parse("").defer(moment, PARIS) == moment
    assert QuietHours().contains(moment, PARIS) is False


def test_a_scheduled_run_in_quiet_hours_waits_for_their_end_and_counts_once() -> None:
    schedule = Schedule.parse("0 * * * *", PARIS)  # every hour
    quiet = QuietHours.parse("21:00-08:30")
    runs = schedule.next_runs(paris(2026, 3, 10, 19, 30), 4, quiet)
    assert [r.astimezone(PARIS) for r in runs] == [
        paris(2026, 3, 10, 20, 0),
        paris(2026, 3, 11, 8, 30),  # 21:00 … 08:00 all held back to 08:30, once
        paris(2026, 3, 11, 9, 0),
        paris(2026, 3, 11, 10, 0),
    ]


# --- words and helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fr", "en"),
    [
        ("daily 08:30", "tous les jours à 08:30", "every day at 08:30"),
        ("mon,thu 9h30", "chaque lundi et jeudi à 09:30", "every Monday and Thursday at 09:30"),
        (
            "0 10 * * 1-5",
            "chaque lundi, mardi, mercredi, jeudi et vendredi à 10:00",
            "every Monday, Tuesday, Wednesday, Thursday, and Friday at 10:00",
        ),
        ("0 9 * * sun,mon", "chaque lundi et dimanche à 09:00", "every Monday and Sunday at 09:00"),
        ("0 9 * * 7", "chaque dimanche à 09:00", "every Sunday at 09:00"),
        ("0,30 9 * * *", "tous les jours à 09:00 et 09:30", "every day at 09:00 and 09:30"),
        (
            "0 9 1 * *",
            "selon l'expression cron «\u00a00 9 1 * *\u00a0»",
            "on the cron expression '0 9 1 * *'",
        ),
        (
            "*/15 * * * *",
            "selon l'expression cron «\u00a0*/15 * * * *\u00a0»",
            "on the cron expression '*/15 * * * *'",
        ),
    ],
)
def test_describe_says_the_schedule_in_words(text: str, fr: str, en: str) -> None:
    schedule = Schedule.parse(text, PARIS)
    assert schedule.describe(CAT, "fr") == fr
    assert schedule.describe(CAT, "en") == en


@pytest.mark.parametrize(
    ("naive", "expected"),
    [
        (datetime(2026, 3, 29, 2, 30), utc(2026, 3, 29, 1, 0)),  # gap: first valid instant
        (datetime(2026, 10, 25, 2, 30), utc(2026, 10, 25, 0, 30)),  # twice: the first
        (datetime(2026, 7, 1, 12, 0), utc(2026, 7, 1, 10, 0)),
    ],
)
def test_localize(naive: datetime, expected: datetime) -> None:
    assert localize(naive, PARIS) == expected


def test_localize_refuses_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        localize(utc(2026, 1, 1), PARIS)


def test_deadline_day_ends_at_local_midnight() -> None:
    assert deadline_day_end(date(2026, 12, 31), PARIS) == utc(2026, 12, 31, 23, 0)
    assert deadline_day_end(date(2026, 6, 30), PARIS) == utc(2026, 6, 30, 22, 0)


@pytest.mark.parametrize(
    ("naive", "expected"),
    [
        (datetime(2026, 10, 25, 2, 30), [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)]),
        (datetime(2026, 3, 29, 2, 30), [utc(2026, 3, 29, 1, 0)]),
        (datetime(2026, 7, 1, 12, 0), [utc(2026, 7, 1, 10, 0)]),
    ],
)
def test_occurrences(naive: datetime, expected: list[datetime]) -> None:
    assert occurrences(naive, PARIS) == expected
