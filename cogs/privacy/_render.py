"""What the privacy commands show: the audit trail's pages, the retention notice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.i18n import Catalog, Locale, format_date
from bot.markdown import clip, escape
from bot.privacy.models import ERASED, AuditLine, AuditPage, PrivacyAction

AUDIT_PAGE = 10  # entries a page
DETAIL_SHOWN = 120  # characters of an entry's detail shown


def moment(cat: Catalog, at: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """A moment as the organisers read it, in the configured zone: 1er déc. 2026 à 14:05."""
    local = at.astimezone(zone)
    return cat.t(
        "privacy.audit.when",
        locale,
        date=format_date(local, locale, "medium"),
        time=local.strftime("%H:%M"),
    )


def actor_text(cat: Catalog, actor: str, locale: Locale) -> str:
    if actor.startswith("discord:") and actor[8:].isdigit():
        return f"<@{actor[8:]}>"
    if actor in {"cli", "scheduler", "schedule", ERASED}:
        return cat.t(f"privacy.audit.actor.{actor}", locale)
    return escape(actor)


def action_text(cat: Catalog, action: str, locale: Locale) -> str:
    key = f"privacy.audit.action.{action}"
    if cat.has(key):
        return cat.t(key, locale)
    return cat.t("privacy.audit.action.other", locale, code=escape(action))


def detail_text(cat: Catalog, line: AuditLine, locale: Locale) -> str:
    if line.action in {PrivacyAction.ERASE, PrivacyAction.PURGE} and line.detail.isdigit():
        return " — " + cat.t("privacy.audit.erased", locale, count=int(line.detail))
    if not line.detail:
        return ""
    return " — " + clip(escape(line.detail), DETAIL_SHOWN)


def audit_page_count(total: int) -> int:
    return max(1, -(-total // AUDIT_PAGE))


def audit_embed(
    cat: Catalog, page: AuditPage, index: int, zone: ZoneInfo, locale: Locale
) -> discord.Embed:
    """One page of the audit trail, newest first."""
    if not page.lines:
        lines = [cat.t("privacy.audit.empty", locale)]
    else:
        lines = [
            cat.t(
                "privacy.audit.line",
                locale,
                when=moment(cat, line.at, zone, locale),
                actor=actor_text(cat, line.actor, locale),
                action=action_text(cat, line.action, locale),
                detail=detail_text(cat, line, locale),
            )
            for line in page.lines
        ]
    city = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    header = cat.t("privacy.audit.count", locale, total=page.total, zone=city)
    embed = discord.Embed(
        title=cat.t("privacy.audit.title", locale),
        description=(header + "\n\n" + "\n".join(lines))[:4000],
        colour=discord.Colour.blurple(),
    )
    pages = audit_page_count(page.total)
    if pages > 1:
        embed.set_footer(text=cat.t("common.page", locale, page=index + 1, pages=pages))
    return embed
