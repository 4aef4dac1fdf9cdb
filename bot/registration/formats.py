"""How numbers read in both languages, the same on Discord, on the command line and on charts."""

from __future__ import annotations

from bot.i18n import Locale


def decimal(value: float, locale: Locale) -> str:
    """A figure (a percentage without its sign, a pace) with at most one decimal and no
    trailing zero, the decimal comma in French: ``50``, ``12,5`` (fr), ``12.5`` (en)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale == "fr" else text
