"""Pure privacy rules: where a person's key stands in an audit detail, the retention dates."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.privacy.models import ERASED

NOTICE_DAYS = 7  # the organisers are told this many days before a purge


def _token(value: str) -> re.Pattern[str]:
    # A key or an actor as a whole word, as stored: PAR-1 is not inside PAR-10, R2 not in r2.csv.
    return re.compile(rf"(?<![\w.-]){re.escape(value)}(?![\w.-])")


def mentions(detail: str, tokens: list[str]) -> bool:
    """Whether an audit detail names one of ``tokens`` (a key, ``discord:<id>``)."""
    return any(_token(t).search(detail) for t in tokens if t)


def scrub(detail: str, tokens: list[str]) -> str:
    """``detail`` with each of ``tokens`` replaced by :data:`ERASED`."""
    for token in tokens:
        if token:
            detail = _token(token).sub(ERASED, detail)
    return detail


def purge_at(deadline: date, days: int, zone: ZoneInfo) -> datetime:
    """When the purge is due: ``days`` after the deadline, at midnight in ``zone``."""
    return datetime.combine(deadline + timedelta(days=days), time(0), tzinfo=zone)


def notice_at(deadline: date, days: int, zone: ZoneInfo) -> datetime:
    """When the organisers are told: :data:`NOTICE_DAYS` before the purge, not before the
    deadline itself."""
    purge = purge_at(deadline, days, zone)
    return max(purge - timedelta(days=NOTICE_DAYS), purge_at(deadline, 0, zone))
