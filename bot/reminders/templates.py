"""The nudge messages: one template per tier (friendly, firmer, last call) and language.

A template is text with placeholders in braces, among :data:`PLACEHOLDERS`::

    {first_name}    the officer's first name
    {department}    their department, as the service names it ("Morbihan (56)")
    {platform_url}  the sign-up page (PLATFORM_URL)
    {days_left}     the days left, in words with the right plural ("1 jour", "2 jours")
    {deadline}      the deadline as Discord timestamps: its date, then how far away it is

``{{`` and ``}}`` write a literal brace. The defaults are the catalog keys
``reminders.template.<tier>`` (``bot/locales/reminders.toml``). Admins can replace any of them
with a TOML file of the same shape, one table per tier, one string per language; what it leaves
out keeps the default::

    [friendly]
    fr = \"\"\"Salut {first_name} ! ...\"\"\"
    en = \"\"\"Hi {first_name}! ...\"\"\"

    [last_call]
    fr = "..."

Every template is checked when it is loaded: an unknown placeholder, a lone brace, an empty
text or one that could not fit in a Discord message (2,000 characters, the mention of a
channel nudge and the longest first name included) is refused with a
:class:`TemplateError` naming the tier, the language and the culprit.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale

from bot.errors import InvalidInput
from bot.i18n import LOCALES, Catalog, Locale
from bot.markdown import escape
from bot.reminders.models import Tier
from bot.schedule import localize

PLACEHOLDERS = ("first_name", "department", "platform_url", "days_left", "deadline")
DISCORD_MAX_MESSAGE = 2000  # Discord's limit on a message's content
# A nudge posted in a department channel starts with the officer's mention: "<@id> ".
MENTION_ROOM = len(f"<@{2**64 - 1}> ")
MAX_MESSAGE = DISCORD_MAX_MESSAGE - MENTION_ROOM  # the longest nudge text, wherever it goes
MAX_NAME = 100  # the longest first name a roster may hold (registration.roster_file)

# The longest values a placeholder is expected to take, to check at load time that a template
# leaves room for them (the real values are checked again at render time). A first name is
# the longest the roster allows, every character escaped (shown as plain text: two each).
_LONGEST = {
    "first_name": "\\x" * MAX_NAME,
    "department": "x" * 60,
    "platform_url": "x" * 200,
    "days_left": "x" * 20,
    "deadline": "<t:1798758000:D> (<t:1798758000:R>)",
}


class TemplateError(InvalidInput):
    """A template or a template file that cannot be used; keys ``reminders.template.*``."""


@dataclass(frozen=True)
class Template:
    """A checked template; ``parts`` is its text split into (literal, placeholder or ``None``)."""

    tier: Tier
    locale: Locale
    text: str
    parts: tuple[tuple[str, str | None], ...]

    @classmethod
    def parse(cls, text: str, tier: Tier, locale: Locale) -> Template:
        """Check ``text`` and split it.

        Raises :class:`TemplateError` ``reminders.template.empty``,
        ``reminders.template.braces`` (a lone ``{`` or ``}``),
        ``reminders.template.unknown_placeholder`` (``name``, ``known``),
        ``reminders.template.too_long`` (``length``, ``limit``); each also with ``tier`` and
        ``locale``.
        """
        if not text.strip():
            raise TemplateError("reminders.template.empty", tier=tier.value, locale=locale)
        try:
            pieces = list(string.Formatter().parse(text))
        except ValueError:
            raise TemplateError(
                "reminders.template.braces", tier=tier.value, locale=locale
            ) from None
        parts: list[tuple[str, str | None]] = []
        for literal, name, spec, conversion in pieces:
            if name is None:
                parts.append((literal, None))
                continue
            if name not in PLACEHOLDERS or spec or conversion:
                shown = "{" + name + (f"!{conversion}" if conversion else "")
                shown += (f":{spec}" if spec else "") + "}"
                raise TemplateError(
                    "reminders.template.unknown_placeholder",
                    name=shown,
                    known=", ".join("{" + p + "}" for p in PLACEHOLDERS),
                    tier=tier.value,
                    locale=locale,
                )
            parts.append((literal, name))
        template = cls(tier, locale, text, tuple(parts))
        length = len(template.fill(_LONGEST))
        if length > MAX_MESSAGE:
            raise TemplateError(
                "reminders.template.too_long",
                length=length,
                limit=MAX_MESSAGE,
                tier=tier.value,
                locale=locale,
            )
        return template

    @property
    def placeholders(self) -> set[str]:
        return {name for _, name in self.parts if name is not None}

    def fill(self, values: Mapping[str, str]) -> str:
        """The text with each placeholder replaced by its value (values are not re-read for
        braces); ``KeyError`` if a used placeholder has no value."""
        return "".join(literal + (values[name] if name else "") for literal, name in self.parts)


def render(template: Template, values: Mapping[str, str]) -> str:
    """The message an officer receives. Raises :class:`TemplateError`
    ``reminders.template.too_long`` when the values make it longer than a Discord message, and
    ``ValueError`` when a placeholder the template uses is missing from ``values``."""
    missing = template.placeholders - set(values)
    if missing:
        raise ValueError(f"no value for {', '.join(sorted(missing))}")
    text = template.fill(values)
    if len(text) > MAX_MESSAGE:
        raise TemplateError(
            "reminders.template.too_long",
            length=len(text),
            limit=MAX_MESSAGE,
            tier=template.tier.value,
            locale=template.locale,
        )
    return text


@dataclass(frozen=True)
class NudgeTemplates:
    """The template of each tier in each language."""

    templates: Mapping[tuple[Tier, Locale], Template]

    def get(self, tier: Tier, locale: Locale) -> Template:
        return self.templates[(tier, locale)]

    @classmethod
    def defaults(cls, catalog: Catalog) -> NudgeTemplates:
        """The templates of the catalog (``reminders.template.<tier>``)."""
        return cls(
            {
                (tier, locale): Template.parse(
                    catalog.raw(f"reminders.template.{tier.value}", locale), tier, locale
                )
                for tier in Tier
                for locale in LOCALES
            }
        )

    @classmethod
    def load(cls, catalog: Catalog, override: Path | None = None) -> NudgeTemplates:
        """The defaults, with the templates of the TOML file ``override`` in their place.

        Raises :class:`TemplateError` ``reminders.template.file_missing`` (``path``),
        ``reminders.template.file_syntax`` (``path``, ``detail``),
        ``reminders.template.file_tier`` (``name``, ``known``),
        ``reminders.template.file_locale`` (``tier``, ``name``, ``known``),
        ``reminders.template.file_value`` (``tier``, ``locale``), or any error of
        :meth:`Template.parse`.
        """
        templates = dict(cls.defaults(catalog).templates)
        if override is None:
            return cls(templates)
        try:
            with override.open("rb") as handle:
                data = tomllib.load(handle)
        except OSError:
            raise TemplateError("reminders.template.file_missing", path=str(override)) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TemplateError(
                "reminders.template.file_syntax", path=str(override), detail=str(exc)
            ) from None
        tiers = {tier.value: tier for tier in Tier}
        for name, table in data.items():
            if name not in tiers or not isinstance(table, dict):
                raise TemplateError(
                    "reminders.template.file_tier", name=name, known=", ".join(tiers)
                )
            tier = tiers[name]
            for locale_name, text in table.items():
                locale = _locale(locale_name)
                if locale is None:
                    raise TemplateError(
                        "reminders.template.file_locale",
                        tier=name,
                        name=locale_name,
                        known=", ".join(LOCALES),
                    )
                if not isinstance(text, str):
                    raise TemplateError("reminders.template.file_value", tier=name, locale=locale)
                templates[(tier, locale)] = Template.parse(text, tier, locale)
        return cls(templates)


def _locale(name: str) -> Locale | None:
    for locale in LOCALES:
        if name == locale:
            return locale
    return None


def discord_deadline(deadline: date, tz: ZoneInfo) -> str:
    """The deadline as Discord shows it to each reader: ``<t:UNIX:D> (<t:UNIX:R>)``, its date
    then how far away it is. The instant is noon in ``tz`` on the deadline day, so that every
    reader from UTC-10 to UTC+12 (French Polynesia to Wallis) sees the right date."""
    unix = int(localize(datetime.combine(deadline, time(12)), tz).timestamp())
    return f"<t:{unix}:D> (<t:{unix}:R>)"


def days_left_text(catalog: Catalog, locale: Locale, days: int) -> str:
    """``days`` in words: ``reminders.days.zero`` (deadline day, "moins d'un jour"), else
    ``reminders.days.one`` or ``reminders.days.other`` as the language's plural rules choose
    (Babel's CLDR data: in French 1 is singular, in English 1 alone)."""
    if days <= 0:
        return catalog.t("reminders.days.zero", locale)
    form = BabelLocale.parse(locale).plural_form(days)
    key = "reminders.days.one" if form == "one" else "reminders.days.other"
    return catalog.t(key, locale, count=days)


def plain(text: str) -> str:
    """``text`` as Discord shows it literally (:func:`bot.markdown.escape`): one line, its
    spaces collapsed, Markdown characters escaped, and ``@everyone``/``@here`` broken by a
    zero-width space (no mention, even where one is allowed)."""
    return escape(" ".join(text.split()))


def nudge_values(
    catalog: Catalog,
    locale: Locale,
    *,
    first_name: str,
    department: str,
    platform_url: str,
    deadline: date,
    today: date,
    tz: ZoneInfo,
) -> dict[str, str]:
    """The value of every placeholder for one officer on ``today`` (a local date in ``tz``).

    The name and the department come from the roster (outside text): they are shown as plain
    text, never as a link, a mention or formatting."""
    return {
        "first_name": plain(first_name),
        "department": plain(department),
        "platform_url": platform_url,
        "days_left": days_left_text(catalog, locale, (deadline - today).days),
        "deadline": discord_deadline(deadline, tz),
    }
