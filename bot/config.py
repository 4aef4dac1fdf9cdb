"""Settings from the env file (``.env``) and the process environment.

Every variable is documented in ``.env.example`` and in the README's configuration table; the
``VARIABLES`` table below is the single source both are checked against by a test. A bad value
stops start-up with one line per problem naming the variable, what is wrong and a good example.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.i18n import Catalog, Locale, as_locale
from bot.schedule import QuietHours, Schedule, ScheduleError, ladder_days


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__


class Invalid(ValueError):
    """A variable's value is wrong; ``key`` names the reason in the message catalog."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class ConfigError(Exception):
    """One or more variables are wrong; ``problems`` has one line per problem."""

    def __init__(self, problems: list[str], locale: Locale = "fr") -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.locale = locale


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    meaning: str
    example: str
    secret: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "DISCORD_TOKEN",
        "",
        "The bot's token (Developer Portal → Bot). Needed by `run`, not by the shell.",
        "MTIz...abc",
        secret=True,
    ),
    Variable(
        "GUILD_ID",
        "",
        "The id of the party's Discord server; commands are synced there.",
        "123456789012345678",
    ),
    Variable(
        "ORGANISER_ROLE",
        "Organisateurs",
        "The role (id or exact name) allowed to change data.",
        "Organisateurs",
    ),
    Variable("LOCALE", "fr", "Default language of messages and scheduled posts: fr or en.", "fr"),
    Variable(
        "TIMEZONE",
        "Europe/Paris",
        "Time zone for display and schedules (IANA name).",
        "Europe/Paris",
    ),
    Variable(
        "DATABASE_PATH",
        "data/relance.sqlite3",
        "The SQLite database file (created if missing).",
        "/var/lib/relance/relance.sqlite3",
    ),
    Variable("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR.", "INFO"),
    Variable(
        "SYNC_COMMANDS",
        "guild",
        "Slash-command sync at start-up: off, guild (GUILD_ID, instant) or global (up to an hour).",
        "guild",
    ),
    Variable(
        "DISCORD_API_BASE",
        "",
        "REST base URL; empty means Discord itself. For a local sandbox or a proxy.",
        "http://127.0.0.1:8000/api/v10",
    ),
    Variable(
        "DISCORD_GATEWAY_URL",
        "",
        "Gateway URL; empty means Discord itself.",
        "ws://127.0.0.1:8000/gateway",
    ),
    Variable(
        "REGISTRATION_DEADLINE",
        "",
        "Date by which every officer must be registered (YYYY-MM-DD); empty: no deadline.",
        "2026-12-31",
    ),
    Variable(
        "PLATFORM_URL",
        "",
        "The sign-up page of the platform, shown to officers.",
        "https://plateforme.example.org/inscription",
    ),
    Variable(
        "PUBLIC_MIN_OFFICERS",
        "5",
        "Public figures (/progression) leave out departments with fewer officers than this (1 to 100).",
        "5",
    ),
    Variable(
        "ROSTER_MAX_BYTES",
        "10000000",
        "Largest roster file imported, in bytes (about 100 bytes an officer; 10000 to 1000000000).",
        "10000000",
    ),
    Variable(
        "SIGNUPS_MAX_BYTES",
        "100000000",
        "Largest sign-up export imported, in bytes (about 70 bytes a row; 10000 to 1000000000);"
        " Discord's own attachment limit applies to the commands.",
        "100000000",
    ),
    Variable(
        "NEWS_FEEDS",
        "",
        "RSS/Atom feeds to poll, separated by commas or spaces.",
        "https://example.org/feed.xml",
    ),
    Variable(
        "NEWS_POLL_MINUTES", "30", "Minutes between two polls of each feed (5 to 1440).", "30"
    ),
    Variable(
        "NEWS_KEYWORDS",
        "",
        "Keep only articles naming one of these words (commas); empty keeps all.",
        "Créateurs de possibles, réseau social",
    ),
    Variable(
        "NEWS_CHANNEL_ID",
        "",
        "Channel id where the scheduled press digest is posted; empty: not posted.",
        "123456789012345678",
    ),
    Variable(
        "NEWS_DIGEST_SCHEDULE",
        "mon 09:00",
        "When the digest is posted: a cron expression in TIMEZONE (0 9 * * 1), or days and a time"
        " (mon 09:00, daily 08:30).",
        "daily 08:30",
    ),
    Variable(
        "NEWS_FETCH_ALLOWLIST",
        "",
        "Hosts or networks fetched even though private or loopback (commas), on ports 80 and 443 unless an entry names one (host:8080) or all (host:*).",
        "127.0.0.1, intranet.local",
    ),
    Variable("NEWS_MAX_BYTES", "5000000", "Largest page or feed fetched, in bytes.", "5000000"),
    Variable("NEWS_TIMEOUT_SECONDS", "10", "Longest wait for one page or feed, in seconds.", "10"),
    Variable(
        "NUDGE_SCHEDULE",
        "",
        "When nudges are sent: a cron expression in TIMEZONE; empty: no scheduled runs.",
        "0 10 * * 1-5",
    ),
    Variable(
        "NUDGE_LADDER",
        "14,7,3,2,1",
        "Days before REGISTRATION_DEADLINE on which each nudge step is sent (commas).",
        "14,7,3,2,1",
    ),
    Variable(
        "QUIET_HOURS",
        "",
        "Local hours during which no nudge is sent (a run waits for their end); empty: none.",
        "21:00-08:30",
    ),
    Variable(
        "NUDGE_CONFIRM_ABOVE",
        "20",
        "Above this many recipients, /relance envoyer asks for a confirmation first.",
        "20",
    ),
    Variable(
        "ORGANISER_CHANNEL_ID",
        "",
        "Organisers-only channel for campaign reports and summaries; empty: none.",
        "123456789012345678",
    ),
    Variable(
        "REPORT_SCHEDULE",
        "",
        "When the registration report is posted to ORGANISER_CHANNEL_ID: a cron expression in"
        " TIMEZONE, or days and a time (mon 09:00); empty: none.",
        "mon,thu 09:00",
    ),
    Variable(
        "DEPARTMENT_CHANNELS",
        "",
        "Channel of each department for nudges when DMs are closed (else a channel dep-<code>).",
        "56=123456789012345678,29=123456789012345679",
    ),
    Variable(
        "NUDGE_TEMPLATES",
        "",
        "TOML file replacing nudge templates (one table per tier, fr/en); empty: the defaults.",
        "nudges.toml",
    ),
    Variable(
        "DATA_RETENTION_DAYS",
        "",
        "Days after REGISTRATION_DEADLINE when personal data is purged (organisers warned 7 days"
        " before; 0 to 3650); empty: never purged.",
        "90",
    ),
)

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
SyncMode = Literal["off", "guild", "global"]
UTC_ZONE = ZoneInfo("UTC")
_LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
_SYNC_MODES: tuple[SyncMode, ...] = ("off", "guild", "global")


@dataclass(frozen=True)
class Settings:
    discord_token: Secret = field(default_factory=lambda: Secret(""))
    guild_id: int | None = None
    organiser_role: str = "Organisateurs"
    locale: Locale = "fr"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    database_path: Path = Path("data/relance.sqlite3")
    log_level: LogLevel = "INFO"
    sync_commands: SyncMode = "guild"
    discord_api_base: str = ""
    discord_gateway_url: str = ""
    registration_deadline: date | None = None
    platform_url: str = ""
    public_min_officers: int = 5
    roster_max_bytes: int = 10_000_000
    signups_max_bytes: int = 100_000_000
    news_feeds: tuple[str, ...] = ()
    news_poll_minutes: int = 30
    news_keywords: tuple[str, ...] = ()
    news_channel_id: int | None = None
    news_digest_schedule: Schedule = field(
        default_factory=lambda: Schedule.parse("mon 09:00", ZoneInfo("Europe/Paris"))
    )
    news_fetch_allowlist: tuple[str, ...] = ()
    news_max_bytes: int = 5_000_000
    news_timeout_seconds: float = 10.0
    nudge_schedule: Schedule | None = None
    nudge_ladder: tuple[int, ...] = (14, 7, 3, 2, 1)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    nudge_confirm_above: int = 20
    organiser_channel_id: int | None = None
    report_schedule: Schedule | None = None
    department_channels: tuple[tuple[str, int], ...] = ()
    nudge_templates: Path | None = None
    data_retention_days: int | None = None

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], cat: Catalog, needed: Collection[str] | None = None
    ) -> Settings:
        """Build settings from a mapping of variables; raise :class:`ConfigError` listing problems.

        ``needed`` names the variables the caller uses (all when ``None``): a bad value of any other
        variable cannot stop it, and that variable keeps its default.
        """
        problems: list[str] = []
        values: dict[str, Any] = {}
        locale = as_locale((env.get("LOCALE") or "").strip() or None)
        for var in VARIABLES:
            raw = (env.get(var.name) or "").strip()
            if not raw or (needed is not None and var.name not in needed):
                raw = var.default
            attr = var.name.lower()
            parser = _PARSERS.get(attr, str)
            try:
                values[attr] = parser(raw)
            except Invalid as exc:
                problems.append(problem_line(cat, locale, var, raw, exc.key, **exc.params))
        if problems:
            raise ConfigError(problems, locale)
        # Schedules run in TIMEZONE, known once every variable is read.
        for attr, value in values.items():
            if isinstance(value, Schedule):
                values[attr] = value.with_zone(values["timezone"])
        return cls(**values)

    def masked(self, cat: Catalog) -> dict[str, str]:
        """The effective configuration as text in the configured language, secrets masked."""
        shown: dict[str, str] = {}
        for var, f in zip(VARIABLES, fields(self), strict=True):
            value = getattr(self, f.name)
            if var.secret:
                shown[var.name] = (
                    "********" if value else cat.t("config.shown.not_set", self.locale)
                )
            else:
                shown[var.name] = _show(value, cat, self.locale)
        return shown

    def check_for_discord(self, cat: Catalog) -> None:
        """The extra requirements of running against Discord for real."""
        problems = []
        if not self.discord_token:
            problems.append(cat.t("config.token_missing", self.locale))
        if self.sync_commands == "guild" and self.guild_id is None:
            problems.append(cat.t("config.guild_missing", self.locale))
        if problems:
            raise ConfigError(problems, self.locale)


def problem_line(
    cat: Catalog, locale: Locale, var: Variable, raw: str, key: str, /, **params: Any
) -> str:
    """One configuration problem: the variable, its value (hidden if secret), what is wrong
    (the catalog sentence ``key``) and a good example."""
    return cat.t(
        "config.problem",
        locale,
        name=var.name,
        shown=cat.t("config.hidden", locale) if var.secret or looks_secret(raw) else repr(raw),
        reason=cat.t(key, locale, **params),
        example=var.example,
    )


_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_\-.]{24,}")


def looks_secret(raw: str) -> bool:
    """Whether a value looks like a token or a key pasted into the wrong variable: one long run of
    token characters mixing capitals, small letters and digits (a Discord token, an API key). Such
    a value is never echoed, whichever variable holds it; ids, names, paths, file names, URLs and
    schedules do not look so."""
    text = raw.strip()
    return (
        _SECRET_SHAPE.fullmatch(text) is not None
        and re.search(r"\.[A-Za-z]{2,4}$", text) is None  # a file name
        and any(c.isdigit() for c in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
    )


def variable(name: str) -> Variable:
    """The documented variable called ``name``."""
    [found] = [v for v in VARIABLES if v.name == name]
    return found


def load_settings(
    cat: Catalog,
    env_file: str | Path | None = ".env",
    environ: Mapping[str, str] | None = None,
    needed: Collection[str] | None = None,
) -> Settings:
    """Read ``env_file`` (if it exists), let the process environment override it, validate the
    ``needed`` variables (all when ``None``)."""
    merged: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ if environ is None else environ)
    return Settings.from_env(merged, cat, needed)


def _show(value: object, cat: Catalog, locale: Locale) -> str:
    if value is None:
        return cat.t("config.shown.not_set", locale)
    if isinstance(value, tuple):
        return ", ".join(
            f"{v[0]}={v[1]}" if isinstance(v, tuple) else str(v) for v in value
        ) or cat.t("config.shown.none", locale)
    if isinstance(value, ZoneInfo):
        return value.key
    if isinstance(value, Schedule):
        return value.text
    if isinstance(value, QuietHours):
        return value.text or cat.t("config.shown.none", locale)
    if isinstance(value, str) and looks_secret(value):
        return cat.t("config.hidden", locale)
    return str(value) if str(value) else cat.t("config.shown.empty", locale)


def _snowflake(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 15 <= len(raw) <= 21:
        raise Invalid("config.snowflake")
    return int(raw)


def _choice(options: tuple[str, ...], *, lower: bool = True) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.lower() if lower else raw.upper()
        if value not in options:
            raise Invalid("config.choice", options=", ".join(options))
        return value

    return parse


def _locale(raw: str) -> Locale:
    return cast(Locale, _choice(("fr", "en"))(raw))


def _timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("config.timezone") from None


def _url(raw: str, schemes: tuple[str, ...]) -> str:
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise Invalid("config.url", schemes=" | ".join(s + "://" for s in schemes))
    return raw.rstrip("/")


def _date(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid("config.date") from None


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise Invalid("config.whole_number") from None
        if not low <= value <= high:
            raise Invalid("config.between", low=low, high=high)
        return value

    return parse


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise Invalid("config.seconds") from None
    if not 0.5 <= value <= 120:
        raise Invalid("config.between", low=0.5, high=120)
    return value


def _list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.replace("\n", ",").split(",") if part.strip())


def _feeds(raw: str) -> tuple[str, ...]:
    feeds = tuple(part for part in raw.replace(",", " ").split() if part)
    for feed in feeds:
        _url(feed, ("http", "https"))
    return feeds


def _schedule(raw: str) -> Schedule:
    """A cron expression or the ``mon 09:00`` form (put in TIMEZONE by :meth:`Settings.from_env`)."""
    try:
        return Schedule.parse(raw, UTC_ZONE)
    except ScheduleError as exc:
        raise Invalid(exc.key, **exc.params) from None


def _optional_schedule(raw: str) -> Schedule | None:
    return _schedule(raw) if raw else None


def _quiet_hours(raw: str) -> QuietHours:
    try:
        return QuietHours.parse(raw)
    except ScheduleError as exc:
        raise Invalid(exc.key, **exc.params) from None


def _ladder(raw: str) -> tuple[int, ...]:
    try:
        return ladder_days(raw)
    except ScheduleError as exc:
        raise Invalid(exc.key, **exc.params) from None


def _department_channels(raw: str) -> tuple[tuple[str, int], ...]:
    """``56=<channel id>,2A=<channel id>``."""
    pairs: list[tuple[str, int]] = []
    for item in _list(raw):
        code, equals, channel = (part.strip() for part in item.partition("="))
        if not equals or not code or not channel.isdigit() or not 15 <= len(channel) <= 21:
            raise Invalid("reminders.ui.config_department_channels", item=item)
        pairs.append((code.upper(), int(channel)))
    return tuple(pairs)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "discord_token": Secret,
    "guild_id": _snowflake,
    "organiser_role": lambda raw: raw,
    "locale": _locale,
    "timezone": _timezone,
    "database_path": Path,
    "log_level": _choice(_LOG_LEVELS, lower=False),
    "sync_commands": _choice(_SYNC_MODES),
    "discord_api_base": lambda raw: _url(raw, ("http", "https")),
    "discord_gateway_url": lambda raw: _url(raw, ("ws", "wss")),
    "registration_deadline": _date,
    "platform_url": lambda raw: _url(raw, ("http", "https")),
    "public_min_officers": _int_range(1, 100),
    "roster_max_bytes": _int_range(10_000, 1_000_000_000),
    "signups_max_bytes": _int_range(10_000, 1_000_000_000),
    "news_feeds": _feeds,
    "news_poll_minutes": _int_range(5, 1440),
    "news_keywords": _list,
    "news_channel_id": _snowflake,
    "news_digest_schedule": _schedule,
    "news_fetch_allowlist": _list,
    "news_max_bytes": _int_range(10_000, 100_000_000),
    "news_timeout_seconds": _seconds,
    "nudge_schedule": _optional_schedule,
    "nudge_ladder": _ladder,
    "quiet_hours": _quiet_hours,
    "nudge_confirm_above": _int_range(0, 100_000),
    "organiser_channel_id": _snowflake,
    "report_schedule": _optional_schedule,
    "department_channels": _department_channels,
    "nudge_templates": lambda raw: Path(raw) if raw else None,
    "data_retention_days": lambda raw: _int_range(0, 3650)(raw) if raw else None,
}
