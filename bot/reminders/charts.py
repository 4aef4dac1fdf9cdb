"""The ``/relance historique`` chart: per campaign, nudges sent, of which through a department
channel, failures, and officers who registered within 48 hours. Drawn with matplotlib's Agg
backend to PNG bytes, without pyplot (each chart is its own figure, safe in a worker thread)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.charts import png
from bot.i18n import Catalog, Locale, format_date
from bot.reminders.ledger import CampaignLabel, CampaignStats

SHOWN = 10  # the latest campaigns drawn, oldest on the left
DPI = 110
_BLUE, _ORANGE, _RED, _GREEN = "#2a6fdb", "#e8a33d", "#d64545", "#2e9e5b"


def history_chart(
    catalog: Catalog, history: Sequence[CampaignStats], tz: ZoneInfo, locale: Locale = "fr"
) -> bytes:
    """A PNG with four bars per campaign (``history`` newest first, as the service gives it)."""
    t = catalog.t
    shown = list(reversed(history[:SHOWN]))
    series = (
        ("reminders.chart.sent", _BLUE, [s.sent for s in shown]),
        ("reminders.chart.fallbacks", _ORANGE, [s.fallbacks for s in shown]),
        ("reminders.chart.failed", _RED, [sum(s.failed.values()) for s in shown]),
        ("reminders.chart.registered", _GREEN, [s.registered_48h for s in shown]),
    )
    fig = Figure(figsize=(max(5.5, 1.1 * len(shown) + 2.5), 4.2), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.2
    positions = np.arange(len(shown))
    highest = 0
    for index, (key, colour, values) in enumerate(series):
        offsets = positions + (index - 1.5) * width
        bars = ax.bar(offsets, values, width, color=colour, label=t(key, locale))
        ax.bar_label(bars, fontsize=7, padding=1)
        highest = max([highest, *values])
    labels = [campaign_label(catalog, stats, tz, locale) for stats in shown]
    ax.set_xticks(positions, labels, fontsize=8)
    ax.set_xlim(-0.7, len(shown) - 0.3)
    ax.set_ylim(0, max(highest, 1) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t("reminders.chart.officers", locale))
    ax.set_title(t("reminders.chart.title", locale), fontsize=12, fontweight="bold", loc="left")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", frameon=False, fontsize=8, ncols=2)
    fig.tight_layout()
    return png(canvas)


_DAY_PATTERN: dict[Locale, str] = {"fr": "d MMM", "en": "MMM d"}


def campaign_label(catalog: Catalog, stats: CampaignStats, tz: ZoneInfo, locale: Locale) -> str:
    """A campaign under its bars: number, step, and the day it started in ``tz``, written as
    ``locale`` writes a short date (``2 déc.``, ``Dec 2``)."""
    campaign = stats.campaign
    late = catalog.t("reminders.chart.late", locale) if campaign.label is CampaignLabel.LATE else ""
    return catalog.t(
        "reminders.chart.campaign",
        locale,
        id=campaign.id,
        days=campaign.step_days,
        day=format_date(campaign.started_at.astimezone(tz), locale, _DAY_PATTERN[locale]),
        late=late,
    )
