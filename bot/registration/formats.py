"""How numbers and dates read in both languages, the same on Discord, on the command line and
on charts: through the catalog's Babel helpers (:mod:`bot.i18n`)."""

from __future__ import annotations

from datetime import date

from bot.i18n import Locale, format_date, format_number, format_percent


def decimal(value: float, locale: Locale) -> str:
    """A figure (a percentage without its sign, a pace) with at most one decimal and no
    trailing zero, as the language writes it: ``50``, ``12,5`` and ``10 000`` (narrow no-break
    space) in French, ``12.5`` and ``10,000`` in English."""
    return format_number(value, locale)


def percent(value: float, locale: Locale) -> str:
    """A percentage given out of 100 (``56.7``), with its sign: ``56,7 %`` (no-break space)
    in French, ``56.7%`` in English."""
    return format_percent(value / 100, locale)


def day(value: date | None, locale: Locale, missing: str = "—") -> str:
    """A date as people read it (``30 novembre 2026``), ``missing`` when there is none."""
    return format_date(value, locale) if value is not None else missing
