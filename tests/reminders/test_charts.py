"""The history chart: a PNG of each campaign's figures, in French and English."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PIL import Image

from bot.i18n import Catalog
from bot.reminders.charts import SHOWN, campaign_label, history_chart
from bot.reminders.ledger import Campaign, CampaignLabel, CampaignState, CampaignStats
from bot.reminders.models import FailureReason

CAT = Catalog.load()
PARIS = ZoneInfo("Europe/Paris")


def stats(number: int, step: int, sent: int, fallbacks: int, failed: int, registered: int):
    campaign = Campaign(
        id=number,
        step_days=step,
        started_at=datetime(2026, 12, number, 9, tzinfo=UTC),
        started_by="test",
        state=CampaignState.DONE,
        label=CampaignLabel.LATE if number == 2 else CampaignLabel.NOW,
    )
    return CampaignStats(
        campaign,
        planned=sent + failed,
        sent=sent,
        fallbacks=fallbacks,
        pending=0,
        failed=Counter({FailureReason.DM_CLOSED: failed}),
        registered_48h=registered,
    )


def test_the_chart_is_a_small_png_in_both_languages(tmp_path):
    history = [
        stats(3, 3, 120, 14, 6, 31),
        stats(2, 7, 180, 20, 9, 40),
        stats(1, 14, 240, 25, 3, 52),
    ]
    for locale in ("fr", "en"):
        png = history_chart(CAT, history, PARIS, locale)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert 500 <= image.width <= 1200 and 300 <= image.height <= 600
        assert len(png) < 200_000
        (tmp_path / f"history-{locale}.png").write_bytes(png)


def test_only_the_latest_campaigns_are_drawn():
    history = [stats(n, 14, n, 0, 0, 0) for n in range(SHOWN + 5, 0, -1)]
    image = Image.open(io.BytesIO(history_chart(CAT, history, PARIS)))
    assert image.width <= 1.1 * SHOWN * 110 + 2.5 * 110 + 1


def test_a_campaign_is_labelled_with_the_day_it_started_in_paris() -> None:
    late = stats(2, 7, 3, 0, 0, 0)  # started 2 December 09:00 UTC
    assert campaign_label(CAT, late, PARIS, "fr") == "n° 2 · J-7\n2 déc. (en retard)"
    assert campaign_label(CAT, late, PARIS, "en") == "#2 · D-7\nDec 2 (late)"
    evening = replace(
        late, campaign=replace(late.campaign, started_at=datetime(2026, 12, 2, 23, 30, tzinfo=UTC))
    )
    assert campaign_label(CAT, evening, PARIS, "fr").startswith("n° 2 · J-7\n3 déc.")
