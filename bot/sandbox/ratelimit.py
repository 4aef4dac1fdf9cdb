"""Discord's REST rate limits: per-route buckets, the global limit and invalid-request counting."""

from __future__ import annotations

import hashlib
import math
from collections import deque
from dataclasses import dataclass, field

from .clock import Clock
from .limits import SandboxLimits


@dataclass
class _Window:
    limit: int
    window: float
    count: int = 0
    reset_at: float = 0.0

    def roll(self, now: float) -> None:
        if now >= self.reset_at:
            self.count = 0
            self.reset_at = now + self.window


@dataclass
class Decision:
    """Whether a request may go through, and the headers to answer with."""

    headers: dict[str, str]
    scope: str | None = None
    retry_after: float = 0.0

    @property
    def limited(self) -> bool:
        return self.scope is not None


class RecentEvents:
    """When events happened, to count those of the last ``window`` seconds (a sliding window)."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()

    def count(self, now: float, window: float) -> int:
        """Events after ``now - window``; the older ones are forgotten."""
        horizon = now - window
        while self._times and self._times[0] <= horizon:
            self._times.popleft()
        return len(self._times)

    def add(self, now: float) -> None:
        self._times.append(now)


def later_ms(seconds: float) -> str:
    """``seconds`` written with three decimals, rounded up: a client that waits exactly what the
    headers say is never a fraction of a millisecond early (rounding to the nearest could be)."""
    return f"{math.ceil(round(seconds * 1000, 6)) / 1000:.3f}"


def bucket_hash(route_key: str) -> str:
    return hashlib.sha1(route_key.encode()).hexdigest()[:16]


@dataclass
class RateLimiter:
    limits: SandboxLimits
    clock: Clock
    _buckets: dict[tuple[str, str], _Window] = field(default_factory=dict)
    _global: _Window | None = None
    _invalid: RecentEvents = field(default_factory=RecentEvents)

    def check(self, route_key: str, major: str, *, global_exempt: bool) -> Decision:
        """Count one request on its bucket (and the global limit unless exempt)."""
        now = self.clock.now()
        limit, window = self.limits.route_limit(route_key)
        bucket = self._buckets.get((route_key, major))
        if bucket is None or bucket.limit != limit or bucket.window != window:
            bucket = self._buckets[(route_key, major)] = _Window(limit, window)
        bucket.roll(now)

        if not global_exempt:
            glob = self._global
            if (
                glob is None
                or glob.limit != self.limits.global_limit
                or glob.window != self.limits.global_window
            ):
                glob = self._global = _Window(self.limits.global_limit, self.limits.global_window)
            glob.roll(now)
            if glob.count >= glob.limit:
                return Decision(
                    self._headers(route_key, bucket, now), "global", max(glob.reset_at - now, 0.001)
                )
            glob.count += 1

        if bucket.count >= bucket.limit:
            return Decision(
                self._headers(route_key, bucket, now), "user", max(bucket.reset_at - now, 0.001)
            )
        bucket.count += 1
        return Decision(self._headers(route_key, bucket, now))

    def peek(self, route_key: str, major: str) -> dict[str, str]:
        """Headers for a response that did not count against the bucket (unknown route...)."""
        now = self.clock.now()
        limit, window = self.limits.route_limit(route_key)
        bucket = self._buckets.get((route_key, major)) or _Window(limit, window, 0, now + window)
        bucket.roll(now)
        return self._headers(route_key, bucket, now)

    def _headers(self, route_key: str, bucket: _Window, now: float) -> dict[str, str]:
        reset_after = max(bucket.reset_at - now, 0.0)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(bucket.limit - bucket.count, 0)),
            "X-RateLimit-Reset": later_ms(bucket.reset_at),
            "X-RateLimit-Reset-After": later_ms(reset_after),
            "X-RateLimit-Bucket": bucket_hash(route_key),
        }

    # ------------------------------------------------------------- invalid requests
    def count_invalid(self) -> None:
        self.invalid_in_window()  # forget the old ones first
        self._invalid.add(self.clock.now())

    def invalid_in_window(self) -> int:
        return self._invalid.count(self.clock.now(), self.limits.invalid_request_window)

    def banned(self) -> bool:
        return self.invalid_in_window() >= self.limits.invalid_request_limit
