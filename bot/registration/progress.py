"""Figures for ``/progress``: the registration curve from the status history, pace and forecast."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.registration.models import CurvePoint, DepartmentProgress, OfficerStatus, StatusEvent

PACE_DAYS = 7


def registration_curve(
    events: Iterable[StatusEvent], today: date, tz: ZoneInfo
) -> list[CurvePoint]:
    """Registered officers at the end of each day, from the first change to ``today``.

    ``events`` are the status changes in effective order.
    """
    registered: set[int] = set()
    by_day: dict[date, int] = {}
    for officer_id, at, status in events:
        if status is OfficerStatus.REGISTERED:
            registered.add(officer_id)
        else:
            registered.discard(officer_id)
        by_day[at.astimezone(tz).date()] = len(registered)
    if not by_day:
        return [CurvePoint(today, 0)]
    points: list[CurvePoint] = []
    day, count = min(by_day), 0
    last = max(today, max(by_day))
    while day <= last:
        count = by_day.get(day, count)
        points.append(CurvePoint(day, count))
        day += timedelta(days=1)
    return points


def pace_per_day(curve: list[CurvePoint], today: date, days: int = PACE_DAYS) -> float:
    """Net registrations per day over the last ``days`` days ending ``today``."""
    now = _value_on(curve, today)
    before = _value_on(curve, today - timedelta(days=days))
    return round(max(now - before, 0) / days, 2)


def forecast(missing: int, pace: float, today: date) -> date | None:
    """The day everyone is registered at ``pace``; ``None`` when done or not moving."""
    if missing <= 0 or pace <= 0:
        return None
    return today + timedelta(days=math.ceil(missing / pace))


def furthest_behind(
    departments: list[DepartmentProgress], limit: int = 5
) -> list[DepartmentProgress]:
    """Departments with someone missing, the lowest completion (then most missing) first."""
    lagging = [d for d in departments if d.counts.missing > 0]
    lagging.sort(key=behind_first)
    return lagging[:limit]


def behind_first(department: DepartmentProgress) -> tuple[float, int, str]:
    """The order of departments by how far behind: the lowest completion, then the most
    missing, then by code (for :func:`furthest_behind` and the chart's bars)."""
    return department.counts.percent, -department.counts.missing, department.department.code


def _value_on(curve: list[CurvePoint], day: date) -> int:
    value = 0
    for point in curve:
        if point.day > day:
            break
        value = point.registered
    return value
