from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.privacy.rules import mentions, notice_at, purge_at, scrub

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("PAR-1", "erased"),
        ("PAR-10", "PAR-10"),
        ('["PAR-1", "PAR-2"]', '["erased", "PAR-2"]'),
        ("PAR-1 discord:42 (was discord:421)", "erased erased (was discord:421)"),
        ('{"file": "par-1.csv"}', '{"file": "par-1.csv"}'),
    ],
)
def test_scrub_replaces_whole_tokens_only(detail: str, expected: str) -> None:
    assert scrub(detail, ["PAR-1", "discord:42"]) == expected
    assert mentions(detail, ["PAR-1", "discord:42"]) is (expected != detail)


def test_the_notice_comes_a_week_before_the_purge_but_not_before_the_deadline() -> None:
    assert purge_at(date(2026, 12, 31), 30, PARIS) == datetime(2027, 1, 30, tzinfo=PARIS)
    assert notice_at(date(2026, 12, 31), 30, PARIS) == datetime(2027, 1, 23, tzinfo=PARIS)
    assert notice_at(date(2026, 12, 31), 3, PARIS) == datetime(2026, 12, 31, tzinfo=PARIS)
