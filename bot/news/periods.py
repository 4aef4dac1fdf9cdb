"""Periods typed by users ("7d", "7j", "24h", "2026-03-01") and the digest schedule."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput

DEFAULT_PERIOD = timedelta(days=7)
_RELATIVE = re.compile(
    r"^\s*(\d{1,4})\s*(h|heures?|hours?|d|j|jours?|days?|w|sem|semaines?|weeks?)\s*$", re.I
)


def parse_since(value: str | None, now: datetime, tz: ZoneInfo) -> datetime:
    """The start of a period: a duration back from ``now``, or a local date (from midnight).

    A date after today is refused: a period starts at the latest today.
    """
    if value is None or not value.strip():
        return now - DEFAULT_PERIOD
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if unit.startswith("h"):
            return now - timedelta(hours=amount)
        if unit[0] in "ws":
            return now - timedelta(weeks=amount)
        return now - timedelta(days=amount)
    word = value.strip().casefold().replace("’", "'")
    today = now.astimezone(tz).date()
    back = _DAYS_BACK.get(word)
    day = today - timedelta(days=back) if back is not None else _date(value.strip())
    if day > today:
        raise InvalidInput("news.since.future", date=day, today=today)
    try:
        return datetime.combine(day, time(0, 0), tz).astimezone(UTC)
    except OverflowError:  # 1 January of year 1 in a zone ahead of UTC: from the very start
        return datetime.min.replace(tzinfo=UTC)


# Words for the start of a period, as days back from today (local midnight).
_DAYS_BACK = {
    "aujourd'hui": 0,
    "today": 0,
    "hier": 1,
    "yesterday": 1,
    "semaine": 7,
    "week": 7,
    "mois": 30,
    "month": 30,
}


def _date(text: str) -> date:
    """``2026-03-01`` or, as French readers write it, ``01/03/2026``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise InvalidInput("news.since.invalid", value=text) from None
