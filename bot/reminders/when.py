"""One-off times typed by organisers, in French or English, read by `dateparser`_.

Read: "demain 10h", "demain à 10h", "lundi 9h30", "lundi prochain 9h", "après-demain 18h",
"aujourd'hui 18h", "dans 2 jours", "dans 3 heures", "in 2 days", "tomorrow 10am",
"tomorrow at 10", "next monday 9:30", "25/12 18h", "25 décembre 18h", ISO ("2026-12-25 18:00",
"2026-12-25T18:00+01:00"). Times are local to the configured zone; day before month.

What dateparser alone gets wrong, and is normalised first: the French hours ``10h`` and
``9h30`` (read as durations, so "demain 10h" came back at the current time of day), a bare hour
after "à"/"at", and "lundi prochain". A weekday names its next occurrence after today
("mercredi 18h" typed on a Wednesday is next week's: say "aujourd'hui 18h" for today). A day
without a time ("lundi", "25/12") is refused rather than read as midnight; relative days
("dans 2 jours") keep the current time of day. Results are whole minutes.

.. _dateparser: https://dateparser.readthedocs.io/
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.schedule import deadline_day_end, localize

LANGUAGES = ("fr", "en")
MAX_AHEAD = timedelta(days=400)  # further than this is a misreading ("12/25" read as 2125)

_NOT_A_DURATION = r"(?<!\bdans )(?<!\bin )(?<![\d:])"  # "dans 2h" / "in 2h" stay durations
_HOUR_MINUTES = re.compile(_NOT_A_DURATION + r"(\d{1,2}) ?h ?(\d{2})\b")
_HOUR = re.compile(_NOT_A_DURATION + r"(\d{1,2}) ?h\b")
_BARE_HOUR = re.compile(r"\b(à|a|at) (\d{1,2})\b(?![:h\d])")
_NEXT_WEEKDAY = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) prochaine?\b")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}")


class WhenError(InvalidInput):
    """A time that cannot be used: ``reminders.when.unreadable``, ``reminders.when.no_time``,
    ``reminders.when.past``, ``reminders.when.too_far``, ``reminders.when.after_deadline``;
    each with ``text`` (what was typed), the last three with the moment in the configured zone as
    ``day`` (a ``date``, which the catalog writes as people read it) and ``time`` (``HH:MM``),
    the last with ``deadline`` (a ``date``)."""


def normalise(text: str) -> str:
    """``text`` lower-cased, spaces collapsed, French hours as ``HH:MM`` (what dateparser
    reads)."""
    cleaned = " ".join(text.split()).lower()
    cleaned = _HOUR_MINUTES.sub(r"\1:\2", cleaned)
    cleaned = _HOUR.sub(r"\1:00", cleaned)
    cleaned = _BARE_HOUR.sub(r"\1 \2:00", cleaned)
    return _NEXT_WEEKDAY.sub(r"\1", cleaned)


def parse_when(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    languages: Sequence[str] = LANGUAGES,
    *,
    deadline: date | None = None,
) -> datetime:
    """The moment ``text`` names, read at ``now`` (aware) in ``tz``; aware, in UTC.

    Raises :class:`WhenError` when the text is unreadable or names no time of day, when the
    moment is not after ``now``, more than :data:`MAX_AHEAD` away, or after the end of the
    ``deadline`` day (when one is given).
    """
    if now.tzinfo is None:
        raise ValueError("parse_when() needs an aware now")
    cleaned = normalise(text)
    if not cleaned:
        raise WhenError("reminders.when.unreadable", text=text.strip())
    local_now = now.astimezone(tz).replace(tzinfo=None)
    moment = _iso(text.strip(), cleaned, tz) if _ISO.match(cleaned) else None
    if moment is None:
        moment = _dateparser(text.strip(), cleaned, local_now, tz, languages)
    try:
        moment = moment.replace(second=0, microsecond=0).astimezone(UTC)
    except OverflowError:  # the calendar's first or last day, beyond UTC's
        raise WhenError("reminders.when.unreadable", text=text.strip()) from None
    day, hour = local_day_and_time(moment, tz)
    if moment <= now:
        raise WhenError("reminders.when.past", text=text.strip(), day=day, time=hour)
    if moment - now > MAX_AHEAD:
        raise WhenError("reminders.when.too_far", text=text.strip(), day=day, time=hour)
    if deadline is not None:
        check_before_deadline(moment, deadline, tz, text=text.strip())
    return moment


def check_before_deadline(moment: datetime, deadline: date, tz: ZoneInfo, *, text: str) -> None:
    """Raise :class:`WhenError` ``reminders.when.after_deadline`` when ``moment`` (aware) comes
    after the end of the ``deadline`` day in ``tz``; ``text`` is what the organiser typed (a time
    or a schedule, whose next run is ``moment``)."""
    if moment >= deadline_day_end(deadline, tz):
        day, hour = local_day_and_time(moment, tz)
        raise WhenError(
            "reminders.when.after_deadline", text=text, day=day, time=hour, deadline=deadline
        )


def local_day_and_time(moment: datetime, tz: ZoneInfo) -> tuple[date, str]:
    """``moment`` (aware) as a sentence's ``day`` and ``time`` in ``tz``: the local date (the
    catalog writes it ``25 décembre 2026``) and the local time of day (``18:00``)."""
    local = moment.astimezone(tz)
    return local.date(), f"{local:%H:%M}"


def _iso(typed: str, cleaned: str, tz: ZoneInfo) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(cleaned.upper())
    except ValueError:
        return None
    try:
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else localize(parsed, tz)
    except OverflowError:  # year 1 or 9999, which UTC cannot hold in this zone
        key = "reminders.when.past" if parsed.year == 1 else "reminders.when.too_far"
        raise WhenError(key, text=typed, day=parsed.date(), time=f"{parsed:%H:%M}") from None


def _dateparser(
    typed: str, cleaned: str, local_now: datetime, tz: ZoneInfo, languages: Sequence[str]
) -> datetime:
    from dateparser.date import DateDataParser  # slow to import: only when a time is read

    parser = DateDataParser(
        languages=list(languages),
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now,  # the injected clock, in local wall time
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(cleaned)
    found = data.date_obj
    if not isinstance(found, datetime):
        raise WhenError("reminders.when.unreadable", text=typed)
    if found.tzinfo is not None:  # the text named a zone ("10:00 UTC")
        return found
    if data.period != "time" and found.time() == time() and local_now.time() != time():
        raise WhenError("reminders.when.no_time", text=typed)
    return localize(found, tz)


_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")


def parse_day(text: str, today: date) -> date:
    """A day typed by an organiser, day before month: ``31/12/2026``, ``31/12/26``, ``31.12``
    or ``31/12`` (the next 31 December from ``today`` on), or ISO ``2026-12-31``; raises
    :class:`InvalidInput` ``reminders.ui.bad_date`` (with ``value``) otherwise."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    match = _DAY.match(cleaned)
    if match is None:
        raise InvalidInput("reminders.ui.bad_date", value=cleaned)
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    if year is not None:
        try:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        except ValueError:
            raise InvalidInput("reminders.ui.bad_date", value=cleaned) from None
    # The next one from today on: 29/02 may be up to eight years away (2096 to 2104).
    for ahead in range(9):
        try:
            found = date(today.year + ahead, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise InvalidInput("reminders.ui.bad_date", value=cleaned)
