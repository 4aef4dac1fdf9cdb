"""The message catalog: every user-facing sentence, in French (default) and English.

Sentences live in ``bot/locales/*.toml``, one table per key with an ``fr`` and an ``en`` string::

    ["help.title"]
    fr = "Commandes de Relance"
    en = "Relance commands"

Placeholders use ``str.format`` syntax. Keys are unique across files.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any, Literal

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")
DEFAULT_LOCALE: Locale = "fr"

LOCALES_DIR = Path(__file__).parent / "locales"


class CatalogError(Exception):
    pass


def as_locale(value: str | None, default: Locale = DEFAULT_LOCALE) -> Locale:
    """Map a Discord or user locale (``fr``, ``en-US``, ``en-GB``...) to one we speak."""
    if not value:
        return default
    head = str(value).split("-")[0].lower()
    if head == "fr":
        return "fr"
    if head == "en":
        return "en"
    return default


class Catalog:
    def __init__(self, entries: dict[str, dict[str, str]]) -> None:
        self._entries = entries

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        entries: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.toml")):
            with path.open("rb") as handle:
                data = tomllib.load(handle)
            for key, value in data.items():
                if key in entries:
                    raise CatalogError(f"{path.name}: key {key!r} is defined twice")
                if not isinstance(value, dict) or set(value) != set(LOCALES):
                    raise CatalogError(f"{path.name}: key {key!r} needs exactly 'fr' and 'en'")
                entries[key] = {loc: str(value[loc]) for loc in LOCALES}
        return cls(entries)

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def has(self, key: str) -> bool:
        return key in self._entries

    def raw(self, key: str, locale: Locale) -> str:
        return self._entries[key][locale]

    def t(self, key: str, locale: Locale = DEFAULT_LOCALE, /, **params: Any) -> str:
        """The sentence ``key`` in ``locale`` with ``params`` filled in."""
        try:
            template = self._entries[key][locale]
        except KeyError as exc:
            raise CatalogError(f"unknown message key {key!r}") from exc
        return template.format(**params) if params else template

    def placeholders(self, key: str, locale: Locale) -> set[str]:
        names = set()
        for _, field, _, _ in string.Formatter().parse(self._entries[key][locale]):
            if field:
                names.add(field.split(".")[0].split("[")[0])
        return names
