"""The reminders' progress and history lines as organisers read them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.i18n import Catalog, Locale
from bot.reminders.ledger import Campaign, CampaignLabel, CampaignState, CampaignStats
from bot.reminders.models import FailureReason, SkipReason, Step, Tier
from bot.reminders.wording import reasons_text
from cogs.reminders._render import history_embed, progress_text

CAT = Catalog.load()
STEP = Step(7, Tier.FIRMER, 2, 5)
STARTED = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)


def stats(failed: dict[FailureReason, int], sent: int = 30) -> CampaignStats:
    campaign = Campaign(3, 7, STARTED, "t", CampaignState.DONE, CampaignLabel.NOW)
    total = sent + sum(failed.values())
    return CampaignStats(campaign, total, sent, 2, 0, Counter(failed))


@pytest.mark.parametrize(
    ("failed", "locale", "expected"),
    [
        (
            {FailureReason.NOT_LINKED: 20},
            "fr",
            "Relance n° 3 (J-7)\u00a0: 30/50 envoyées · 2 via le salon du département · "
            "20 échecs, dont 20 sans compte Discord lié\nRelance n° 3 terminée.",
        ),
        (
            {FailureReason.NOT_LINKED: 1},
            "fr",
            "Relance n° 3 (J-7)\u00a0: 30/31 envoyées · 2 via le salon du département · "
            "1 échec, dont 1 sans compte Discord lié\nRelance n° 3 terminée.",
        ),
        (
            {FailureReason.NOT_LINKED: 3, FailureReason.DM_CLOSED: 2, FailureReason.HTTP_ERROR: 1},
            "fr",
            "Relance n° 3 (J-7)\u00a0: 30/36 envoyées · 2 via le salon du département · "
            "6 échecs, dont 3 sans compte Discord lié, 2 aux messages privés fermés et "
            "1 erreur de Discord\nRelance n° 3 terminée.",
        ),
        (
            {FailureReason.NOT_LINKED: 20},
            "en",
            "Nudge #3 (D-7): 30/50 sent · 2 via the department channel · "
            "20 failed (20 with no linked Discord account)\nNudge #3 finished.",
        ),
        (
            {},
            "fr",
            "Relance n° 3 (J-7)\u00a0: 30/30 envoyées · 2 via le salon du département · "
            "0 échec\nRelance n° 3 terminée.",
        ),
    ],
)
def test_the_progress_line_counts_failures_as_people_write_them(
    failed: dict[FailureReason, int], locale: Locale, expected: str
) -> None:
    assert progress_text(CAT, locale, stats(failed), STEP, None) == expected


@pytest.mark.parametrize(
    ("counts", "locale", "expected"),
    [
        (
            {SkipReason.REGISTERED: 1, SkipReason.ALREADY_SENT: 2},
            "fr",
            "2 ont déjà reçu cette étape et 1 déjà inscrit·e",
        ),
        (
            {SkipReason.REGISTERED: 2, SkipReason.SNOOZED: 1},
            "fr",
            "2 déjà inscrit·es et 1 a demandé un rappel plus tard",
        ),
        (
            {SkipReason.PROBABLE: 2, SkipReason.EXEMPTED: 1},
            "en",
            "2 probable registrations (to be confirmed) and 1 exempted by an organiser",
        ),
    ],
)
def test_skip_reasons_agree_with_their_count(
    counts: dict[SkipReason, int], locale: Locale, expected: str
) -> None:
    assert reasons_text(CAT, locale, Counter(counts), "skip") == expected


def test_every_reason_has_a_count_aware_phrase_in_both_languages() -> None:
    for reason in FailureReason:
        for locale in ("fr", "en"):
            one = reasons_text(CAT, locale, Counter({reason: 1}), "failure")
            many = reasons_text(CAT, locale, Counter({reason: 2}), "failure")
            assert one.startswith("1 ") and many.startswith("2 ")
    for skip in SkipReason:
        assert reasons_text(CAT, "fr", Counter({skip: 2}), "skip").startswith("2 ")


def test_the_history_field_says_what_the_failures_were() -> None:
    embed = history_embed(CAT, "fr", [stats({FailureReason.DM_CLOSED: 4})], {7: STEP})
    assert embed.fields[0].value == (
        "prévues 34 · envoyées 30 · via salon 2 · échecs 4, dont 4 aux messages privés fermés · "
        "inscrits sous 48 h\u00a0: 0"
    )
