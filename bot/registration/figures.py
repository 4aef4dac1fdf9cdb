"""The figures of ``/progression`` kept in memory and brought up to date officer by officer.

Each officer counts in their department's status counts and, through their own history, in the
registration curve: registered at the end of a day when their last change of that day or before
(in effective order) says so. :class:`RegistrationFigures` keeps, per department, the counts, how
the registered count moves from one day to the next, and the days changes took effect on; when an
officer's status, department or history changes, only that officer's part is taken out and put
back, so a change costs a few look-ups and the curve a walk over the days, not a read of the whole
history. :func:`bot.registration.progress.registration_curve` over the whole history gives the
same curve.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.registration.models import Counts, CurvePoint, OfficerStatus

K = TypeVar("K")
Moves = dict[date, int]  # day: how the registered count moves at the end of it


@dataclass(frozen=True, slots=True)
class OfficerFigures:
    """What one officer adds to the figures: their department and status, the days their
    registered state changes at the end of (+1 / -1), and the days their changes took effect."""

    department: str
    status: OfficerStatus
    moves: tuple[tuple[date, int], ...]
    days: tuple[date, ...]


def officer_figures(
    department: str,
    status: OfficerStatus,
    events: Iterable[tuple[datetime, OfficerStatus]],
    tz: ZoneInfo,
) -> OfficerFigures:
    """An officer's part, from their status changes in effective order (then recorded)."""
    moves: list[tuple[date, int]] = []
    days: list[date] = []
    registered = False  # at the end of the last day passed
    today_registered = False
    current: date | None = None
    for at, event_status in events:
        day = at.astimezone(tz).date()
        if day != current:
            if current is not None and today_registered != registered:
                moves.append((current, 1 if today_registered else -1))
                registered = today_registered
            current = day
            days.append(day)
        today_registered = event_status is OfficerStatus.REGISTERED
    if current is not None and today_registered != registered:
        moves.append((current, 1 if today_registered else -1))
    return OfficerFigures(department, status, tuple(moves), tuple(days))


class _Department:
    __slots__ = ("counted", "counts", "days", "moves")

    def __init__(self) -> None:
        self.counts: dict[OfficerStatus, int] = {}
        self.counted: Counts | None = None  # :class:`Counts` of ``counts``, until they change
        self.moves: Moves = {}
        self.days: dict[date, int] = {}  # day: how many officers have a change on it


class RegistrationFigures:
    """Counts and curve of every department, kept officer by officer (see the module)."""

    def __init__(self) -> None:
        self._officers: dict[int, OfficerFigures] = {}
        self._departments: dict[str, _Department] = {}
        self._national = _Department()  # every department together

    def __len__(self) -> int:
        return len(self._officers)

    def set(self, officer_id: int, figures: OfficerFigures | None) -> None:
        """The officer's part is now ``figures`` (``None``: the officer is gone)."""
        old = self._officers.pop(officer_id, None)
        if old is not None:
            self._add(old, -1)
        if figures is not None:
            self._officers[officer_id] = figures
            self._add(figures, 1)

    def _add(self, figures: OfficerFigures, sign: int) -> None:
        department = self._departments.get(figures.department)
        if department is None:
            department = self._departments[figures.department] = _Department()
        for part in (department, self._national):
            _bump(part.counts, figures.status, sign)
            part.counted = None
            for day, move in figures.moves:
                _bump(part.moves, day, sign * move)
            for day in figures.days:
                _bump(part.days, day, sign)
        if not department.counts:
            del self._departments[figures.department]

    def counts(self, codes: Collection[str]) -> dict[str, Counts]:
        """The :class:`Counts` of each department of ``codes`` having officers: the same
        objects from one call to the next for the departments no change touched."""
        return {code: _counted(part) for code, part in self._departments.items() if code in codes}

    def total(self, codes: Collection[str]) -> Counts:
        """The :class:`Counts` of ``codes``'s departments together."""
        if all(code in codes for code in self._departments):
            return _counted(self._national)
        by: dict[OfficerStatus, int] = {}
        for code, part in self._departments.items():
            if code in codes:
                for status, n in part.counts.items():
                    _bump(by, status, n)
        return Counts.of(by)

    def curve(self, codes: Collection[str], today: date) -> list[CurvePoint]:
        """Registered officers of ``codes``'s departments at the end of each day, from the first
        change to ``today`` (as :func:`~bot.registration.progress.registration_curve`)."""
        if all(code in codes for code in self._departments):
            moves, days = self._national.moves, self._national.days
        else:
            moves, days = {}, {}
            for code, part in self._departments.items():
                if code in codes:
                    for day, move in part.moves.items():
                        _bump(moves, day, move)
                    for day, n in part.days.items():
                        _bump(days, day, n)
        if not days:
            return [CurvePoint(today, 0)]
        day, last = min(days), max(today, max(days))
        points: list[CurvePoint] = []
        count = 0
        while day <= last:
            count += moves.get(day, 0)
            points.append(CurvePoint(day, count))
            day += timedelta(days=1)
        return points


def _counted(part: _Department) -> Counts:
    if part.counted is None:
        part.counted = Counts.of(part.counts)
    return part.counted


def _bump(counter: dict[K, int], key: K, by: int) -> None:
    value = counter.get(key, 0) + by
    if value:
        counter[key] = value
    else:
        counter.pop(key, None)
