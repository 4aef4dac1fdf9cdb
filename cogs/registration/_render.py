"""Pure presenters: registration results → embeds, in the caller's language.

Names, e-mails, keys, roles, file names and the like came from a roster, a sign-up export or
Discord: each is escaped as it goes into a sentence (:mod:`bot.markdown`), never a link, a
mention or formatting. Select labels (:func:`candidate_label`) stay raw: they show no Markdown.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import discord
from discord.utils import TimestampStyle

from bot.i18n import Catalog, Locale
from bot.markdown import clip, escape
from bot.registration import formats
from bot.registration.departments import departments
from bot.registration.models import (
    Counts,
    DepartmentList,
    DepartmentStatus,
    ImportKind,
    ImportRecord,
    LinkPlan,
    MissingList,
    Officer,
    OfficerDetails,
    OfficerLine,
    OfficerMatch,
    OfficerStatus,
    Progress,
    ReviewItem,
    ReviewOverview,
    RosterDiff,
    RosterEntry,
    SignupImportReport,
)
from cogs._ui import line_pages

ICONS = {
    OfficerStatus.REGISTERED: "✅",
    OfficerStatus.PROBABLE: "🔎",
    OfficerStatus.SELF_DECLARED: "✋",
    OfficerStatus.UNREGISTERED: "❌",
}
COLOURS = {
    OfficerStatus.REGISTERED: discord.Colour.green(),
    OfficerStatus.PROBABLE: discord.Colour.gold(),
    OfficerStatus.SELF_DECLARED: discord.Colour.orange(),
    OfficerStatus.UNREGISTERED: discord.Colour.red(),
}
LIST_PAGE = 15
DIFF_SHOWN = 10


def when(moment: datetime | None, style: TimestampStyle = "D") -> str:
    """A Discord timestamp: each reader sees it in their own language and time zone."""
    return discord.utils.format_dt(moment, style) if moment else "—"


def day(value: date, locale: Locale) -> str:
    return value.strftime("%d/%m/%Y" if locale == "fr" else "%Y-%m-%d")


def status_word(cat: Catalog, status: OfficerStatus, locale: Locale) -> str:
    return cat.t(f"registration.status.{status}", locale)


def officer_embed(
    cat: Catalog, details: OfficerDetails, locale: Locale, platform_url: str = ""
) -> discord.Embed:
    t = cat.t
    officer = details.officer
    embed = discord.Embed(
        title=clip(
            t(
                "reg.ui.status_title",
                locale,
                name=escape(officer.full_name),
                department=escape(details.department.label),
            ),
            256,
        ),
        colour=COLOURS[officer.status],
    )
    embed.add_field(
        name=t("reg.ui.field_status", locale),
        value=f"{ICONS[officer.status]} {status_word(cat, officer.status, locale)}",
    )
    embed.add_field(
        name=t("reg.ui.field_since", locale),
        value=when(officer.status_since)
        if officer.status_since
        else t("reg.ui.since_start", locale),
    )
    embed.add_field(
        name=t("reg.ui.field_last_nudge", locale),
        value=when(details.last_nudge) if details.last_nudge else t("reg.ui.never", locale),
    )
    if officer.role:
        embed.add_field(name=t("reg.ui.field_role", locale), value=clip(escape(officer.role), 1024))
    embed.add_field(
        name=t("reg.ui.field_discord", locale),
        value=f"<@{officer.discord_user_id}>"
        if officer.discord_user_id
        else t("reg.ui.not_linked", locale),
    )
    evidence = details.evidence
    if details.own:
        value = t(f"reg.ui.own_evidence.{officer.status}", locale)
    elif evidence is not None:
        signup = evidence.signup
        where = signup.department or signup.postcode
        value = t(
            "reg.ui.evidence_line",
            locale,
            signup=escape(signup.key),
            name=escape(signup.name),
            email=escape(signup.email) if signup.email else "—",
            where=escape(where) if where else "—",
            date=when(signup.signed_up_at),
            confidence=round(evidence.confidence * 100),
            reason=cat.t(f"registration.reason.{evidence.reason}", locale),
        )
    else:
        value = t("reg.ui.no_evidence", locale)
    notes = []
    if officer.self_declared_at and officer.status is OfficerStatus.SELF_DECLARED:
        notes.append(t("reg.ui.self_declared_note", locale, date=when(officer.self_declared_at)))
    if officer.confirmed_by:
        notes.append(t("reg.ui.confirmed_by", locale, actor=actor_text(officer.confirmed_by)))
    embed.add_field(
        name=t("reg.ui.field_evidence", locale),
        value=clip("\n".join([value, *notes]), 1024),
        inline=False,
    )
    if officer.status is not OfficerStatus.REGISTERED and platform_url:
        embed.set_footer(text=t("reg.ui.platform_link", locale, url=platform_url))
    return embed


def actor_text(actor: str) -> str:
    if actor.startswith("discord:") and actor[len("discord:") :].isdigit():
        return f"<@{actor[len('discord:') :]}>"
    return escape(actor)


def counts_line(cat: Catalog, counts: Counts, locale: Locale) -> str:
    return cat.t(
        "reg.ui.counts_line",
        locale,
        registered=counts.registered,
        probable=counts.probable,
        self_declared=counts.self_declared,
        unregistered=counts.unregistered,
    )


def department_pages(
    cat: Catalog, status: DepartmentStatus | DepartmentList, locale: Locale
) -> list[discord.Embed]:
    """Every page of a department's list (:func:`department_page` builds one)."""
    return [department_page(cat, status, locale, i) for i in range(department_page_count(status))]


def department_page_count(status: DepartmentStatus | DepartmentList) -> int:
    return max(1, -(-len(status.officers) // LIST_PAGE))


def department_page(
    cat: Catalog, status: DepartmentStatus | DepartmentList, locale: Locale, index: int
) -> discord.Embed:
    """Page ``index`` (from 0) of a department's list: only its officers' lines are written."""
    title, header = _heading(cat, locale, status.department.label, status.counts)
    if not status.officers:
        return discord.Embed(title=title, description=cat.t("reg.ui.empty_department", locale))
    shown = status.officers[index * LIST_PAGE : (index + 1) * LIST_PAGE]
    lines = [officer_line(cat, o, locale) for o in shown]
    page = line_pages(cat, title, lines, LIST_PAGE, locale, header=header)[0]
    pages = department_page_count(status)
    if pages > 1:
        page.set_footer(text=cat.t("common.page", locale, page=index + 1, pages=pages))
    return page


def department_title(
    cat: Catalog, status: DepartmentStatus | DepartmentList, locale: Locale
) -> str:
    return _title(cat, locale, status.department.label, status.counts)


def _title(cat: Catalog, locale: Locale, label: str, counts: Counts) -> str:
    return cat.t(
        "reg.ui.department_title",
        locale,
        department=escape(label),
        registered=counts.registered,
        total=counts.total,
        percent=formats.decimal(counts.percent, locale),
    )


@lru_cache(maxsize=256)
def _heading(cat: Catalog, locale: Locale, label: str, counts: Counts) -> tuple[str, str]:
    """A department list's title and counts line, the same on each of its pages and again while
    its counts hold (written once: 50 µs; found again: 1 µs)."""
    return _title(cat, locale, label, counts), counts_line(cat, counts, locale)


def officer_line(cat: Catalog, officer: OfficerDetails | OfficerLine, locale: Locale) -> str:
    """An officer in a department's list: icon, name, key, status and since when."""
    line = officer.officer if isinstance(officer, OfficerDetails) else officer
    return _officer_line(cat, locale, line.status, line.full_name, line.key, line.status_since)


# A page shows the same officers' lines again and again (a list looked at, its pages turned):
# each line is written once (13 µs), then found by what it shows (1 µs); bounded.
_LINES_CACHED = 4096


@lru_cache(maxsize=_LINES_CACHED)
def _officer_line(
    cat: Catalog,
    locale: Locale,
    status: OfficerStatus,
    name: str,
    key: str,
    since: datetime | None,
) -> str:
    return cat.t(
        "reg.ui.officer_line",
        locale,
        icon=ICONS[status],
        name=escape(name),
        key=escape(key),
        status=status_word(cat, status, locale),
        since=f" · {when(since)}" if since else "",
    )


def progress_embed(cat: Catalog, progress: Progress, locale: Locale) -> discord.Embed:
    t = cat.t
    counts = progress.counts
    scope = escape(progress.region) if progress.region else t("reg.ui.scope_national", locale)
    embed = discord.Embed(
        title=t("reg.ui.progress_title", locale, scope=scope),
        description=t(
            "reg.ui.progress_summary",
            locale,
            registered=counts.registered,
            total=counts.total,
            percent=formats.decimal(counts.percent, locale),
            counts=counts_line(cat, counts, locale),
        ),
        colour=discord.Colour.blurple(),
    )
    if progress.deadline is None:
        deadline = t("reg.ui.deadline_none", locale)
    elif progress.days_left is not None and progress.days_left < 0:
        deadline = t(
            "reg.ui.deadline_passed",
            locale,
            date=day(progress.deadline, locale),
            days=-progress.days_left,
        )
    else:
        deadline = t(
            "reg.ui.deadline_value",
            locale,
            date=day(progress.deadline, locale),
            days=progress.days_left,
        )
    embed.add_field(name=t("reg.ui.field_deadline", locale), value=deadline, inline=False)
    embed.add_field(
        name=t("reg.ui.field_pace", locale),
        value=t("reg.ui.pace_value", locale, pace=progress.pace_per_day),
    )
    if counts.total and counts.missing == 0:
        forecast = t("reg.ui.forecast_done", locale)
    elif progress.forecast is None:
        forecast = t("reg.ui.forecast_never", locale)
    elif progress.deadline and progress.forecast > progress.deadline:
        forecast = t("reg.ui.forecast_late", locale, date=day(progress.forecast, locale))
    else:
        forecast = day(progress.forecast, locale)
    embed.add_field(name=t("reg.ui.field_forecast", locale), value=forecast)
    if progress.behind:
        lines = [
            t(
                "reg.ui.behind_line",
                locale,
                department=escape(d.department.label),
                registered=d.counts.registered,
                total=d.counts.total,
                percent=formats.decimal(d.counts.percent, locale),
            )
            for d in progress.behind
        ]
        embed.add_field(
            name=t("reg.ui.field_behind", locale), value="\n".join(lines)[:1024], inline=False
        )
    footer = [t("reg.ui.chart_caption", locale)]
    if progress.hidden_departments:
        footer.append(
            t(
                "reg.ui.hidden_departments",
                locale,
                count=progress.hidden_departments,
                minimum=progress.public_min,
            )
        )
    embed.set_footer(text="\n".join(footer))
    embed.set_image(url="attachment://progression.png")
    return embed


def diff_embed(cat: Catalog, diff: RosterDiff, locale: Locale) -> discord.Embed:
    t = cat.t
    state = t("reg.ui.diff_applied" if diff.applied else "reg.ui.diff_preview", locale)
    embed = discord.Embed(
        title=clip(
            t("reg.ui.diff_title", locale, filename=escape(diff.filename), state=state), 256
        ),
        description=t("reg.ui.diff_nothing", locale)
        if diff.is_empty
        else t(
            "reg.ui.diff_summary",
            locale,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
            unchanged=diff.unchanged,
        ),
        colour=discord.Colour.green() if diff.applied else discord.Colour.blurple(),
    )
    for key, entries in (
        ("reg.ui.diff_added", diff.added),
        ("reg.ui.diff_changed", diff.changed),
        ("reg.ui.diff_removed", diff.removed),
    ):
        if not entries:
            continue
        lines = [diff_line(cat, entry, locale) for entry in entries[:DIFF_SHOWN]]
        if len(entries) > DIFF_SHOWN:
            lines.append(t("reg.ui.diff_more", locale, count=len(entries) - DIFF_SHOWN))
        embed.add_field(name=t(key, locale), value=_fit("\n".join(lines)), inline=False)
    return embed


def diff_line(cat: Catalog, entry: RosterEntry, locale: Locale) -> str:
    """``Anne Le Goff (R1, 56) — Département : 56 → 22``: the fields named in ``locale``."""
    officer = entry.officer
    detail = ", ".join(
        f"{cat.t(f'registration.field.{c.field}', locale)}: "
        f"{escape(c.old) if c.old else '∅'} → {escape(c.new) if c.new else '∅'}"
        for c in entry.changes
    )
    who = f"{escape(officer.full_name)} ({escape(officer.key)}, {escape(officer.department)})"
    return who + (f" — {detail}" if detail else "")


def signups_embed(
    cat: Catalog, report: SignupImportReport, review_count: int, locale: Locale
) -> discord.Embed:
    t = cat.t
    embed = discord.Embed(
        title=clip(t("reg.ui.signups_title", locale, filename=escape(report.filename)), 256),
        description=t(
            "reg.ui.signups_summary",
            locale,
            rows=report.rows,
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            changes=len(report.changes),
        )
        + "\n"
        + counts_line(cat, report.counts, locale),
        colour=discord.Colour.green(),
    )
    if report.changes:
        lines = [
            t(
                "reg.ui.change_line",
                locale,
                name=escape(c.officer.full_name),
                department=escape(c.officer.department),
                old=status_word(cat, c.old, locale),
                new=status_word(cat, c.new, locale),
            )
            for c in report.changes[:DIFF_SHOWN]
        ]
        if len(report.changes) > DIFF_SHOWN:
            lines.append(t("reg.ui.diff_more", locale, count=len(report.changes) - DIFF_SHOWN))
        embed.add_field(
            name=t("reg.ui.field_status", locale), value=_fit("\n".join(lines)), inline=False
        )
    if review_count:
        embed.set_footer(text=t("reg.ui.review_hint", locale, count=review_count))
    return embed


def review_embed(
    cat: Catalog, item: ReviewItem, index: int, count: int, locale: Locale
) -> discord.Embed:
    t = cat.t
    details = item.officer
    embed = officer_embed(cat, details, locale)
    embed.title = clip(
        t(
            "reg.ui.review_title",
            locale,
            index=index,
            count=count,
            name=escape(details.officer.full_name),
            department=escape(details.department.label),
        ),
        256,
    )
    embed.description = t("reg.ui.review_question", locale)
    return embed


def missing_pages(cat: Catalog, missing: MissingList, locale: Locale) -> list[discord.Embed]:
    """Who is still missing: one line each (with the department when national)."""
    scope = (
        escape(missing.department.label)
        if missing.department
        else cat.t("reg.ui.scope_national", locale)
    )
    title = cat.t(
        "reg.ui.missing_title",
        locale,
        scope=scope,
        count=len(missing.officers),
        total=missing.total,
    )
    index = departments()
    lines = []
    for o in missing.officers:
        dep = index.by_code(o.department)
        lines.append(
            cat.t(
                "reg.ui.missing_line",
                locale,
                icon=ICONS[o.status],
                name=escape(o.full_name),
                key=escape(o.key),
                status=status_word(cat, o.status, locale),
                where=""
                if missing.department
                else f" — {escape(dep.label if dep else o.department)}",
            )
        )
    if not lines:
        lines = [cat.t("reg.ui.missing_none", locale)]
    return line_pages(
        cat, clip(title, 256), lines, LIST_PAGE, locale, header=cat.t("reg.ui.missing_hint", locale)
    )


def history_embed(
    cat: Catalog, kind: ImportKind, records: list[ImportRecord], locale: Locale
) -> discord.Embed:
    """The import history of one kind, latest first: when, who, file, rows, what changed."""
    t = cat.t
    lines = [
        t(
            "reg.ui.history_line",
            locale,
            when=when(r.at, "f"),
            actor=actor_text(r.actor),
            filename=escape(r.filename),
            rows=r.rows,
            changed=t(f"reg.ui.history_summary.{r.kind}", locale, **r.summary),
        )
        + (
            "\n"
            + t(
                "reg.ui.history_undone",
                locale,
                when=when(r.undone_at, "f"),
                actor=actor_text(r.undone_by or ""),
            )
            if r.undone_at
            else ""
        )
        for r in records
    ]
    return discord.Embed(
        title=t(f"reg.ui.history_title.{kind}", locale),
        description=_fit("\n".join(lines) or t("reg.ui.history_empty", locale), 4096),
        colour=discord.Colour.blurple(),
    )


def undo_question(cat: Catalog, record: ImportRecord, locale: Locale) -> str:
    """The confirmation asked before undoing ``record``."""
    return cat.t(
        "reg.ui.undo_confirm",
        locale,
        kind=cat.t(f"reg.ui.import_kind.{record.kind}", locale),
        filename=escape(record.filename),
        when=when(record.at, "f"),
        actor=actor_text(record.actor),
    )


def _fit(text: str, limit: int = 1024) -> str:
    return clip(text, limit)


def relink_question(
    catalog: Catalog, plan: LinkPlan, member: str, previous: str, locale: Locale
) -> str:
    """Before a link that replaces another: who is linked to whom now, then the question.
    ``member`` and ``previous`` are members' names as Discord gives them (outside text)."""
    name = escape(plan.officer.full_name)
    member, previous = escape(member), escape(previous)
    lines = []
    if plan.previous_member_id is not None:
        lines.append(catalog.t("reg.lists.relink_officer", locale, name=name, previous=previous))
    if plan.other is not None:
        lines.append(
            catalog.t(
                "reg.lists.relink_member", locale, member=member, other=escape(plan.other.full_name)
            )
        )
    lines.append(catalog.t("reg.lists.relink_question", locale, name=name, member=member))
    return "\n".join(lines)


def candidate_label(officer: Officer) -> str:
    """A candidate of an ambiguous query: ``"Caroline David — 69 – Rhône (RDJ-00028)"``; raw
    text, for a select's label (escape it to put it in a message)."""
    dep = departments().by_code(officer.department)
    return f"{officer.full_name} — {dep.label if dep else officer.department} ({officer.key})"


def pick_text(catalog: Catalog, match: OfficerMatch, locale: Locale) -> str:
    """Above the pick list: how many match, each candidate, and whether some are left out."""
    count = len(match.candidates)
    lines = [
        catalog.t("registration.lists.ambiguous", locale, query=escape(match.query), count=count)
    ]
    lines += [f"• {escape(candidate_label(o))}" for o in match.candidates]
    if match.more:
        lines.append(catalog.t("reg.lists.pick_more", locale, count=count))
    return clip("\n".join(lines), 1900)


OVERVIEW_LINES = 40  # departments listed in the /verification overview
STRONG_LINES = 40  # strong matches listed in the question itself (all are in its attachment)


def review_overview_embed(cat: Catalog, overview: ReviewOverview, locale: Locale) -> discord.Embed:
    """What is left to check, by department (most first), and how many are strong."""
    lines = []
    for group in overview.groups[:OVERVIEW_LINES]:
        strong = sum(i.strong for i in group.items)
        key = "reg.lists.overview_line_strong" if strong else "reg.lists.overview_line"
        lines.append(
            cat.t(
                key,
                locale,
                department=escape(group.department.label),
                count=len(group.items),
                strong=strong,
            )
        )
    if len(overview.groups) > OVERVIEW_LINES:
        extra = len(overview.groups) - OVERVIEW_LINES
        lines.append(cat.t("reg.lists.overview_more", locale, count=extra))
    embed = discord.Embed(
        title=cat.t("reg.lists.overview_title", locale, count=overview.total)[:256],
        description="\n".join(lines)[:4096],
        colour=discord.Colour.gold(),
    )
    embed.add_field(
        name=cat.t("reg.lists.strong_field", locale),
        value=cat.t("reg.lists.strong_rule", locale, count=len(overview.strong))[:1024],
        inline=False,
    )
    return embed


def strong_lines(
    cat: Catalog, items: list[ReviewItem], locale: Locale, *, markdown: bool = True
) -> list[str]:
    """Each strong match as the organiser confirms it: officer, department, the sign-up; its
    fields escaped for a message (``markdown``), raw for the attached text file."""
    shown = escape if markdown else str
    return [
        cat.t(
            "reg.lists.strong_line",
            locale,
            officer=shown(i.officer.officer.full_name),
            department=shown(i.officer.department.label),
            name=shown(i.evidence.signup.name),
            email=shown(i.evidence.signup.email),
            postcode=shown(i.evidence.signup.postcode),
        )
        for i in items
    ]


def strong_embed(cat: Catalog, lines: list[str], locale: Locale) -> discord.Embed:
    """The question before confirming them all: the first lines (:func:`strong_lines`, for a
    message), the rest attached."""
    shown = [f"• {line}" for line in lines[:STRONG_LINES]]
    if len(lines) > STRONG_LINES:
        shown.append(cat.t("reg.lists.strong_attached", locale, count=len(lines) - STRONG_LINES))
    return discord.Embed(
        title=cat.t("reg.lists.strong_title", locale, count=len(lines))[:256],
        description=clip("\n".join(shown), 4096),
        colour=discord.Colour.gold(),
    )
