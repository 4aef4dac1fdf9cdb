"""Counts said in words: the reasons behind a campaign's skips and failures, each with its
count, as one list the language writes."""

from __future__ import annotations

from collections import Counter

from babel.lists import format_list

from bot.i18n import Catalog, Locale
from bot.reminders.models import FailureReason, SkipReason


def reasons_text(
    catalog: Catalog,
    locale: Locale,
    counts: Counter[SkipReason] | Counter[FailureReason],
    prefix: str,
) -> str:
    """Each reason with its count, most first, as a list the language writes ("3 sans compte
    Discord lié, 2 aux messages privés fermés et 1 erreur de Discord"); ``prefix`` is ``skip``
    or ``failure``."""
    ordered = sorted(
        ((reason, count) for reason, count in counts.items() if count),
        key=lambda kv: (-kv[1], kv[0].value),
    )
    parts = [
        catalog.t(f"reminders.{prefix}_count.{reason.value}", locale, count=count)
        for reason, count in ordered
    ]
    return format_list(parts, locale=locale) if parts else ""
