"""How the reminders' results look in Discord: pure functions of the service's results.

Officers' names and departments came from the roster: they are escaped as they go into a
sentence (:mod:`bot.markdown`), never a link, a mention or formatting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.i18n import Catalog, Locale
from bot.markdown import escape
from bot.registration.departments import departments
from bot.reminders.ledger import CampaignLabel, CampaignState, CampaignStats
from bot.reminders.models import FailureReason, Step
from bot.reminders.service import Preview
from bot.reminders.templates import discord_deadline
from bot.reminders.wording import reasons_text

LISTED = 15  # unreachable officers named in the preview; the rest are counted


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def step_label(catalog: Catalog, locale: Locale, step: Step) -> str:
    return catalog.t(
        "reminders.step.label",
        locale,
        days=step.days_before,
        tier=catalog.t(f"reminders.tier.{step.tier.value}", locale),
        number=step.number,
        count=step.count,
    )


def _department(code: str) -> str:
    """A department as shown (escaped): its name and code, or the roster's code if unknown."""
    dep = departments().by_code(code)
    return escape(f"{dep.name} ({code})" if dep else code)


def preview_embed(
    catalog: Catalog, locale: Locale, preview: Preview, names: dict[str, str], tz: ZoneInfo
) -> discord.Embed:
    """The plan of the next campaign; ``names`` gives unreachable officers' names by key."""
    plan = preview.plan
    t = catalog.t
    embed = discord.Embed(
        title=t("reminders.ui.preview_title", locale, step=step_label(catalog, locale, plan.step)),
        description=t(
            "reminders.ui.preview_summary",
            locale,
            count=plan.recipients,
            deadline=discord_deadline(preview.deadline, tz),
        ),
        colour=discord.Colour.blurple(),
    )
    lines = []
    for dep in plan.by_department():
        skipped = Counter(dep.skipped)
        reasons = reasons_text(catalog, locale, skipped, "skip")
        lines.append(
            t(
                "reminders.ui.department_line",
                locale,
                department=_department(dep.department),
                dm=dep.dm,
                channel=dep.channel,
                unreachable=dep.unreachable,
                skipped=t("reminders.ui.skipped_part", locale, reasons=reasons) if reasons else "",
            )
        )
    _add_lines(embed, t("reminders.ui.field_departments", locale), lines, catalog, locale)
    skipped_total = reasons_text(catalog, locale, plan.by_skip_reason(), "skip")
    embed.add_field(
        name=t("reminders.ui.field_skipped", locale),
        value=skipped_total or t("reminders.ui.none", locale),
        inline=False,
    )
    if plan.unreachable:
        shown = [
            t(
                "reminders.ui.unreachable_line",
                locale,
                name=escape(names.get(d.officer_key, d.officer_key)),
                department=escape(d.department),
                reason=t(
                    f"reminders.failure.{(d.failure or FailureReason.NOT_LINKED).value}", locale
                ),
            )
            for d in plan.unreachable[:LISTED]
        ]
        if len(plan.unreachable) > LISTED:
            shown.append(t("reminders.ui.more", locale, count=len(plan.unreachable) - LISTED))
        shown.append(t("reminders.ui.how_to_link", locale))
        _add_lines(embed, t("reminders.ui.field_unreachable", locale), shown, catalog, locale)
    return embed


def _add_lines(
    embed: discord.Embed, name: str, lines: Sequence[str], catalog: Catalog, locale: Locale
) -> None:
    """Lines in fields of at most 1,024 characters (Discord's limit), at most five fields."""
    chunk: list[str] = []
    fields = 0
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > 1024:
            embed.add_field(
                name=name if fields == 0 else "\u200b", value="\n".join(chunk), inline=False
            )
            fields += 1
            chunk = []
            if fields >= 5:
                return
        chunk.append(line[:1024])
    embed.add_field(
        name=name if fields == 0 else "\u200b",
        value="\n".join(chunk) or catalog.t("reminders.ui.none", locale),
        inline=False,
    )


def sample_intro(catalog: Catalog, locale: Locale, first_name: str) -> str:
    return catalog.t("reminders.ui.sample_intro", locale, name=escape(first_name))


def progress_text(
    catalog: Catalog, locale: Locale, stats: CampaignStats, step: Step | None, eta: datetime | None
) -> str:
    t = catalog.t
    campaign = stats.campaign
    if campaign.state is CampaignState.PAUSED:
        tail = "\n" + t("reminders.ui.progress_paused", locale, id=campaign.id)
    elif campaign.state is CampaignState.DONE:
        tail = "\n" + t("reminders.ui.progress_done", locale, id=campaign.id)
    else:
        tail = ""
    reasons = reasons_text(catalog, locale, stats.failed, "failure")
    return (
        t(
            "reminders.ui.progress",
            locale,
            id=campaign.id,
            step=step_label(catalog, locale, step) if step else f"J-{campaign.step_days}",
            sent=stats.sent,
            planned=stats.planned,
            fallbacks=stats.fallbacks,
            failed=sum(stats.failed.values()),
            reasons=t("reminders.ui.progress_reasons", locale, reasons=reasons) if reasons else "",
            eta=t("reminders.ui.progress_eta", locale, when=stamp(eta, "R"))
            if eta and campaign.state is CampaignState.RUNNING
            else "",
        )
        + tail
    )


def history_embed(
    catalog: Catalog, locale: Locale, history: Sequence[CampaignStats], steps: dict[int, Step]
) -> discord.Embed:
    t = catalog.t
    embed = discord.Embed(
        title=t("reminders.ui.history_title", locale), colour=discord.Colour.blurple()
    )
    if not history:
        embed.description = t("reminders.ui.history_empty", locale)
        return embed
    for stats in history[:25]:
        campaign = stats.campaign
        step = steps.get(campaign.step_days)
        reasons = reasons_text(catalog, locale, stats.failed, "failure")
        embed.add_field(
            name=t(
                "reminders.ui.history_name",
                locale,
                id=campaign.id,
                step=step_label(catalog, locale, step) if step else f"J-{campaign.step_days}",
                when=stamp(campaign.started_at, "f"),
                late=t("reminders.ui.history_late", locale)
                if campaign.label is CampaignLabel.LATE
                else "",
            )[:256],
            value=t(
                "reminders.ui.history_value",
                locale,
                planned=stats.planned,
                sent=stats.sent,
                fallbacks=stats.fallbacks,
                failed=sum(stats.failed.values()),
                reasons=t("reminders.ui.progress_reasons", locale, reasons=reasons)
                if reasons
                else "",
                registered=stats.registered_48h,
            )[:1024],
            inline=False,
        )
    return embed


def schedule_text(catalog: Catalog, locale: Locale, runs: Sequence[datetime]) -> str:
    if not runs:
        return catalog.t("reminders.ui.schedule_none", locale)
    lines = [catalog.t("reminders.ui.schedule_set", locale)]
    lines += [f"• {stamp(run, 'F')}" for run in runs]
    return "\n".join(lines)
