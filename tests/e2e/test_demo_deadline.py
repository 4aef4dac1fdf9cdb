"""The demo deadline of the end-to-end tests counts days as the bot does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from tests.e2e.conftest import demo_deadline

PARIS = ZoneInfo("Europe/Paris")


def test_the_demo_deadline_is_three_weeks_after_today_in_paris_even_just_after_midnight() -> None:
    now = datetime(2026, 3, 11, 23, 30, tzinfo=UTC)  # 00:30 on 12 March in Paris
    today_for_the_bot = FixedClock(now).now().astimezone(PARIS).date()
    assert demo_deadline(now, PARIS) == date(2026, 4, 2)
    assert (demo_deadline(now, PARIS) - today_for_the_bot).days == 21
