from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.news.periods import parse_since

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # 11:30 in Paris


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        (None, datetime(2026, 11, 19, 10, 30, tzinfo=UTC)),
        ("7j", datetime(2026, 11, 19, 10, 30, tzinfo=UTC)),
        ("24h", datetime(2026, 11, 25, 10, 30, tzinfo=UTC)),
        ("2 semaines", datetime(2026, 11, 12, 10, 30, tzinfo=UTC)),
        ("aujourd'hui", datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),
        ("Aujourd’hui", datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),
        ("hier", datetime(2026, 11, 24, 23, 0, tzinfo=UTC)),
        ("yesterday", datetime(2026, 11, 24, 23, 0, tzinfo=UTC)),
        ("semaine", datetime(2026, 11, 18, 23, 0, tzinfo=UTC)),
        ("mois", datetime(2026, 10, 26, 23, 0, tzinfo=UTC)),
        ("2026-11-01", datetime(2026, 10, 31, 23, 0, tzinfo=UTC)),
        ("01/11/2026", datetime(2026, 10, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_periods_people_type(typed, start):
    assert parse_since(typed, NOW, PARIS) == start


@pytest.mark.parametrize("typed", ["bientôt", "32/13/2026", "7 ans"])
def test_unknown_period_is_refused_with_its_text(typed):
    with pytest.raises(InvalidInput) as info:
        parse_since(typed, NOW, PARIS)
    assert info.value.key == "news.since.invalid"
    assert info.value.params == {"value": typed}
