"""Time source of the sandbox: the system clock, or a fake one that tests move by hand."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything with a ``now()`` returning seconds since the Unix epoch."""

    def now(self) -> float: ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> float:
        return time.time()


class FakeClock:
    """A clock that only moves when told to.

    Rate-limit windows, interaction deadlines and token lifetimes are all measured with the
    sandbox clock, so a test can jump 15 minutes ahead without sleeping.
    """

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._now += seconds

    def set(self, timestamp: float) -> None:
        self._now = timestamp
