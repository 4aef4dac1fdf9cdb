"""When scheduled posts happen: one schedule type for the nudges, the press digest and the reports.

A :class:`Schedule` is a cron expression (five fields: minute, hour, day of month, month, day of
week, as in ``0 10 * * 1-5``) evaluated in a time zone by `cronsim`_. The older form of the env
file is still read and turned into cron: days then a time, as ``mon 09:00``, ``mon,thu 9h30``,
``mon-fri 18:00`` or ``daily 08:30`` (French day names ``lun`` … ``dim`` too).

Daylight saving, for a run at a fixed local time (the Debian cron rules cronsim follows): a time
that does not exist on the spring-forward day (02:30 in Paris on the last Sunday of March) runs
once, at the first valid instant after the gap (03:00); a time that happens twice on the
fall-back day runs once, at its first occurrence. Expressions whose minute or hour is ``*``
(``*/15 * * * *``) follow real time instead: every fifteen real minutes.

:class:`QuietHours` (``21:00-08:30``) hold a run back until they end.

Every moment in and out is an aware datetime; results are in UTC. Bad input raises
:class:`ScheduleError`, whose key names a sentence of the message catalog.

.. _cronsim: https://github.com/cuu508/cronsim
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from babel.lists import format_list
from cronsim import CronSim, CronSimError

from bot.errors import InvalidInput
from bot.i18n import Catalog, Locale

# Field order of a five-field cron expression, and the catalog key naming each when it is bad.
CRON_FIELDS = ("minute", "hour", "day", "month", "weekday")
_FIELD_KEYS = {name: f"schedule.bad_{name}" for name in CRON_FIELDS}

_DAY_NAMES: dict[str, int] = {  # legacy form: name -> cron day of week (0 = Sunday)
    **{name: (i + 1) % 7 for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat"))},
    "sun": 0,
    **{name: (i + 1) % 7 for i, name in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam"))},
    "dim": 0,
}
_EVERY_DAY = ("daily", "quotidien")
_TIME = re.compile(r"(\d{1,2})(?:[:h](\d{2})?)?")
_CRON_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_DESCRIBED_TIMES = 6  # more local times than this in one day: described by the cron text


class ScheduleError(InvalidInput, ValueError):
    """A schedule or quiet hours that cannot be read; ``key`` names the sentence in the catalog
    (``schedule.*``), ``params`` fill it in. Also a ``ValueError``, for settings parsers."""


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant (UTC) at which the wall clock in ``tz`` shows ``naive``.

    A wall time that does not exist (in a spring-forward gap) becomes the first valid instant after
    the gap; one that happens twice (fall-back) is its first occurrence (see :func:`occurrences`).
    """
    if naive.tzinfo is not None:
        raise ValueError("localize() takes a naive datetime")
    aware = naive.replace(tzinfo=tz, fold=0)
    while aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != aware.replace(tzinfo=None):
        aware += timedelta(minutes=1)  # gaps are whole minutes; at most a few hours
    return aware.astimezone(UTC)


def occurrences(naive: datetime, tz: ZoneInfo) -> list[datetime]:
    """Every instant (UTC) at which the wall clock in ``tz`` shows ``naive``, in order: two on the
    fall-back day, else one (:func:`localize`'s)."""
    first = localize(naive, tz)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if second != first and second.astimezone(tz).replace(tzinfo=None) == naive:
        return [first, second]
    return [first]


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("schedule moments must be timezone-aware")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local time during which nothing is sent; ``start`` included, ``end``
    excluded; ``start > end`` spans midnight (``21:00-08:30``). ``window`` ``None``: no quiet
    hours, and :meth:`defer` returns its moment unchanged."""

    window: tuple[time, time] | None = None

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """``"21:00-08:30"`` (or ``21h-8h30``); empty text: no quiet hours.

        Raises :class:`ScheduleError`: ``schedule.quiet_format`` (not two times joined by ``-``),
        ``schedule.quiet_time`` (a time such as ``25:00``), ``schedule.quiet_same`` (start = end).
        """
        cleaned = text.strip()
        if not cleaned:
            return cls(None)
        parts = [p.strip() for p in cleaned.split("-")]
        if len(parts) != 2 or not all(parts):
            raise ScheduleError("schedule.quiet_format", value=cleaned)
        start, end = (_time_of_day(p, "schedule.quiet_time") for p in parts)
        if start == end:
            raise ScheduleError("schedule.quiet_same", value=cleaned)
        return cls((start, end))

    def __bool__(self) -> bool:
        return self.window is not None

    @property
    def text(self) -> str:
        """``"21:00-08:30"``, or ``""`` for none (what :meth:`parse` reads back)."""
        if self.window is None:
            return ""
        start, end = self.window
        return f"{start:%H:%M}-{end:%H:%M}"

    def contains(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Whether ``moment``'s local wall time in ``tz`` falls inside the quiet hours."""
        if self.window is None:
            return False
        start, end = self.window
        local = _utc(moment).astimezone(tz).time().replace(tzinfo=None)
        if start < end:
            return start <= local < end
        return local >= start or local < end

    def defer(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """``moment`` (UTC) if it is outside the quiet hours, else the instant they end (UTC)."""
        moment = _utc(moment)
        if self.window is None or not self.contains(moment, tz):
            return moment
        end = self.window[1]
        day = moment.astimezone(tz).date()
        for offset in (0, 1):
            wall = datetime.combine(day + timedelta(days=offset), end)
            for candidate in occurrences(wall, tz):  # twice on the fall-back day
                if candidate > moment:
                    return candidate
        raise AssertionError("quiet hours end within a day")  # pragma: no cover


@dataclass(frozen=True)
class Schedule:
    """A recurring schedule in a time zone.

    ``text`` is what was written (trimmed, lower-case, spaces collapsed): store it and
    :meth:`parse` it back. ``cron`` is the five-field cron expression it stands for.
    """

    text: str
    cron: str
    tz: ZoneInfo

    @classmethod
    def parse(cls, text: str, tz: ZoneInfo) -> Schedule:
        """Read a cron expression or the legacy ``days time`` form, in ``tz``.

        Raises :class:`ScheduleError` with one of the keys ``schedule.empty``,
        ``schedule.fields`` (not five fields nor ``days time``), ``schedule.bad_minute``,
        ``schedule.bad_hour``, ``schedule.bad_day``, ``schedule.bad_month``,
        ``schedule.bad_weekday`` (that field is wrong), ``schedule.never`` (no date ever
        matches, as the 30th of February), ``schedule.days``, ``schedule.time`` (legacy form).
        """
        cleaned = " ".join(text.split()).lower()
        if not cleaned:
            raise ScheduleError("schedule.empty")
        fields = cleaned.split()
        if len(fields) == 5:
            cron = cleaned
            _check_cron(cron)
        elif len(fields) == 2:
            cron = _legacy_to_cron(*fields)
        else:
            raise ScheduleError("schedule.fields", text=cleaned, count=len(fields))
        schedule = cls(cleaned, cron, tz)
        schedule.next_after(datetime(2000, 1, 1, tzinfo=UTC))  # raises schedule.never
        return schedule

    def with_zone(self, tz: ZoneInfo) -> Schedule:
        """The same schedule evaluated in another time zone."""
        return Schedule(self.text, self.cron, tz)

    def next_after(self, moment: datetime, quiet: QuietHours | None = None) -> datetime:
        """The first run strictly after ``moment`` (aware), in UTC; held back to the end of
        ``quiet`` hours if it falls inside them."""
        moment = _utc(moment)
        for run in CronSim(self.cron, moment.astimezone(self.tz)):  # ends after 50 idle years
            found = _utc(run)
            if found > moment:  # a repeated wall time can come back before moment
                return quiet.defer(found, self.tz) if quiet else found
        raise ScheduleError("schedule.never", text=self.text)

    def next_runs(
        self, after: datetime, n: int = 5, quiet: QuietHours | None = None
    ) -> list[datetime]:
        """The next ``n`` runs after ``after``, in UTC, each the next after the one before (so
        runs held back by ``quiet`` hours to the same instant count once)."""
        runs: list[datetime] = []
        moment = after
        for _ in range(n):
            moment = self.next_after(moment, quiet)
            runs.append(moment)
        return runs

    def describe(self, catalog: Catalog, locale: Locale) -> str:
        """The schedule in words: ``tous les jours à 08:30``, ``chaque lundi et jeudi à 09:30``;
        an expression these words cannot say is shown as it is (``schedule.describe.cron``)."""
        simple = _simple_weekly(self.cron)
        if simple is None:
            return catalog.t("schedule.describe.cron", locale, cron=self.cron)
        days, times = simple
        when = format_list([f"{t:%H:%M}" for t in times], locale=locale)
        if len(days) == 7:
            return catalog.t("schedule.describe.daily", locale, times=when)
        names = get_day_names("wide", locale=locale)
        # cron counts days from Sunday = 0, Babel from Monday = 0; list them from Monday.
        ordered = sorted(days, key=lambda d: (d - 1) % 7)
        listed = format_list([str(names[(d - 1) % 7]) for d in ordered], locale=locale)
        return catalog.t("schedule.describe.weekly", locale, days=listed, times=when)


def _time_of_day(text: str, key: str) -> time:
    match = _TIME.fullmatch(text.strip().lower())
    if match is None:
        raise ScheduleError(key, value=text)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ScheduleError(key, value=text)
    return time(hour, minute)


def _legacy_to_cron(days_text: str, time_text: str) -> str:
    days = _legacy_days(days_text)
    at = _time_of_day(time_text, "schedule.time")
    return f"{at.minute} {at.hour} * * {days}"


def _legacy_days(days_text: str) -> str:
    """``mon,thu`` / ``mon-fri`` / ``daily`` as a cron day-of-week field (0 = Sunday)."""
    if days_text in _EVERY_DAY:
        return "*"
    chosen: set[int] = set()
    for item in days_text.split(","):
        first, _, last = item.partition("-")
        if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
            raise ScheduleError("schedule.days", value=days_text)
        start = _DAY_NAMES[first]
        span = (_DAY_NAMES[last] - start) % 7 if last else 0
        chosen.update((start + i) % 7 for i in range(span + 1))
    return "*" if len(chosen) == 7 else ",".join(str(d) for d in sorted(chosen))


def _check_cron(cron: str) -> None:
    try:
        CronSim(cron, datetime(2000, 1, 1))
        return
    except CronSimError:
        pass
    fields = cron.split()
    for index, name in enumerate(CRON_FIELDS):  # which field is wrong on its own
        probe = ["*"] * 5
        probe[index] = fields[index]
        try:
            CronSim(" ".join(probe), datetime(2000, 1, 1))
        except CronSimError:
            raise ScheduleError(_FIELD_KEYS[name], value=fields[index], text=cron) from None
    raise ScheduleError("schedule.never", text=cron)  # each field fine, together impossible


def _simple_weekly(cron: str) -> tuple[set[int], list[time]] | None:
    """(days of week, 0 = Sunday; times of day) when ``cron`` is a few fixed times on some days
    of the week, else ``None``."""
    minute, hour, day, month, weekday = cron.split()
    if day != "*" or month != "*":
        return None
    minutes, hours = _numbers(minute, 59), _numbers(hour, 23)
    days = set(range(7)) if weekday == "*" else _numbers(weekday, 7, names=_CRON_DAYS)
    if not minutes or not hours or not days or len(minutes) * len(hours) > _DESCRIBED_TIMES:
        return None
    days = {d % 7 for d in days}
    return days, [time(h, m) for h in sorted(hours) for m in sorted(minutes)]


def _numbers(text: str, top: int, names: tuple[str, ...] = ()) -> set[int] | None:
    """The values of a cron field made of numbers, names and ranges, or ``None`` for anything
    else (``*``, steps, ``L``, ``#``)."""

    def value(token: str) -> int | None:
        if token.upper() in names:
            return names.index(token.upper())
        return int(token) if token.isdigit() and int(token) <= top else None

    found: set[int] = set()
    for item in text.split(","):
        first, dash, last = item.partition("-")
        low, high = value(first), value(last) if dash else value(first)
        if low is None or high is None or high < low:
            return None
        found.update(range(low, high + 1))
    return found


def deadline_day_end(deadline: date, tz: ZoneInfo) -> datetime:
    """The instant (UTC) the deadline day ends in ``tz``: the following local midnight."""
    return localize(datetime.combine(deadline + timedelta(days=1), time()), tz)


MAX_LADDER_DAYS = 365


class LadderError(ScheduleError):
    """A nudge ladder that cannot be read; keys ``reminders.ladder.*``."""


def ladder_days(text: str) -> tuple[int, ...]:
    """Read ``NUDGE_LADDER`` (``"14,7,3,2,1"``): whole numbers of days before the deadline (0 is
    the deadline day) separated by commas, in any order; furthest first.

    Raises :class:`LadderError`: ``reminders.ladder.empty``, ``reminders.ladder.item_empty``
    (``position``, from 1), ``reminders.ladder.not_number``, ``reminders.ladder.negative``,
    ``reminders.ladder.too_far`` (``max``), ``reminders.ladder.duplicate`` (each with ``value``).
    """
    cleaned = text.strip()
    if not cleaned:
        raise LadderError("reminders.ladder.empty")
    days: list[int] = []
    for position, item in enumerate(cleaned.split(","), 1):
        value = item.strip()
        if not value:
            raise LadderError("reminders.ladder.item_empty", position=position, text=cleaned)
        number = value.removeprefix("-")
        if not number.isascii() or not number.isdigit():
            raise LadderError("reminders.ladder.not_number", value=value)
        if value.startswith("-"):
            raise LadderError("reminders.ladder.negative", value=value)
        day = int(number)
        if day > MAX_LADDER_DAYS:
            raise LadderError("reminders.ladder.too_far", value=value, max=MAX_LADDER_DAYS)
        if day in days:
            raise LadderError("reminders.ladder.duplicate", value=value)
        days.append(day)
    return tuple(sorted(days, reverse=True))
