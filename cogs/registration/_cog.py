"""The registration commands: parse, call one service method, render, answer once."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import RelanceBot
from bot.errors import InvalidInput
from bot.i18n import Locale
from bot.markdown import escape
from bot.registration.links import LinkPending
from bot.registration.models import (
    Choice,
    ImportKind,
    OfficerDetails,
    OfficerMatch,
    Progress,
    ReviewItem,
)
from bot.registration.service import LargeChange, RegistrationService
from bot.scheduler import ScheduledJob, Scheduler, TaskGroup
from cogs._ui import Paginator, actor, command, organiser_only, send_pages, text
from cogs.registration import _links as links
from cogs.registration import _render as render
from cogs.registration._views import (
    DeclareView,
    HistoryView,
    PickOfficerView,
    ReviewOverviewView,
    ReviewView,
    confirm_view,
    import_confirm_view,
    member_name,
    signups_confirm_view,
    user_name,
)

REPORT_JOB = "registration.report"
PROGRESS_AT_ONCE_SECONDS = 1.0  # /progression answers at once if its chart is drawn by then
EMBEDS_KEPT = 4  # /progression's last embeds (national, a region or two, another language)

Interaction = discord.Interaction[RelanceBot]


def _choices(found: list[Choice]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=c.label[:100], value=c.value[:100]) for c in found[:25]]


class Registration(commands.Cog):
    roster = app_commands.Group(**command("cmd.roster"), guild_only=True)
    signups = app_commands.Group(**command("cmd.signups"), guild_only=True)

    def __init__(self, bot: RelanceBot, service: RegistrationService, scheduler: Scheduler) -> None:
        self.bot = bot
        self.service = service
        self.scheduler = scheduler
        self.tasks = TaskGroup()
        self._progress_embeds: list[tuple[Progress, Locale, discord.Embed]] = []

    async def cog_load(self) -> None:
        # After a write that changes the figures, the national chart is drawn in the background,
        # in the configured language, for the next /progression.
        self.service.draw_ahead(self.tasks, self.bot.settings.locale)
        settings = self.bot.settings
        if settings.report_schedule is not None and settings.organiser_channel_id is not None:
            job = ScheduledJob(REPORT_JOB, self.service.next_report_time, self.post_report)
            self.tasks.start(self.scheduler.run(job), REPORT_JOB)

    async def post_report(self, since: datetime) -> None:
        """The scheduled registration report, in the configured language, to
        ORGANISER_CHANNEL_ID: figures, pace, forecast, the departments furthest behind."""
        settings = self.bot.settings
        if settings.organiser_channel_id is None or settings.report_schedule is None:
            return
        await self.bot.wait_until_ready()
        locale = settings.locale
        report = await self.service.report()
        embed = render.progress_embed(self.bot.catalog, report, locale)
        intro = self.bot.catalog.t(
            "reg.lists.report_intro",
            locale,
            schedule=settings.report_schedule.describe(self.bot.catalog, locale),
        )
        channel = self.bot.get_partial_messageable(settings.organiser_channel_id)
        await channel.send(intro, embed=embed, allowed_mentions=discord.AllowedMentions.none())

    async def cog_unload(self) -> None:
        self.service.draw_ahead(None)
        await self.tasks.cancel_all()

    # ----- /status ---------------------------------------------------------------------------

    @app_commands.command(**command("cmd.status"))
    @app_commands.rename(
        officer=text("opt.officer.name"),
        department=text("opt.department.name"),
        list_filter=text("opt.filter.name"),
    )
    @app_commands.describe(
        officer=text("opt.officer.desc"),
        department=text("opt.department.desc"),
        list_filter=text("opt.filter.desc"),
    )
    @app_commands.choices(
        list_filter=[app_commands.Choice(name=text("opt.filter.missing"), value="missing")]
    )
    async def status(
        self,
        interaction: Interaction,
        officer: str | None = None,
        department: str | None = None,
        list_filter: app_commands.Choice[str] | None = None,
    ) -> None:
        bot = self.bot
        locale = bot.locale_for(interaction)
        if list_filter is not None:
            bot.require_organiser(interaction.user)
            if officer is not None:
                raise InvalidInput("reg.ui.filter_no_officer")
            await self._missing(interaction, department, locale)
            return
        if officer is None and department is None:
            mine = await self.service.status_member(interaction.user.id, interaction.user.name)
            if isinstance(mine, LinkPending):  # nothing shown before an organiser confirms
                await self._link_pending(interaction, mine, locale)
                return
            embed = render.officer_embed(bot.catalog, mine, locale, bot.settings.platform_url)
            if mine.may_declare:
                label = bot.catalog.t("reg.ui.declare_button", locale)
                view = DeclareView(bot, self.service, interaction.user.id, label)
                await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            else:
                await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        bot.require_organiser(interaction.user)
        if officer is not None and department is not None:
            raise InvalidInput("reg.ui.pick_one")
        if officer is not None:
            await self._officer_status(interaction, officer, locale)
        elif department is not None:
            await self._department(interaction, department, locale)

    async def _officer_status(self, interaction: Interaction, query: str, locale: Locale) -> None:
        """``/status officier``: the officer found is shown without being read again; when
        several match, the one picked (:meth:`_with_officer`'s list)."""
        bot = self.bot

        async def send(answer: Interaction, found: OfficerDetails) -> None:
            embed = render.officer_embed(bot.catalog, found, locale, bot.settings.platform_url)
            await answer.response.send_message(embed=embed, ephemeral=True)

        async def picked(answer: Interaction, key: str) -> None:
            await send(answer, await self.service.status_officer(key))

        match = await self.service.lookup_officer(query)
        if match.officer is None:
            await self._with_officer(interaction, query, picked, match=match)
            return
        await send(interaction, await self.service.officer_details(match.officer))

    async def _link_pending(
        self, interaction: Interaction, pending: LinkPending, locale: Locale
    ) -> None:
        key = "registration.link.requested" if pending.new else "registration.link.still_waiting"
        await interaction.response.send_message(self.bot.catalog.t(key, locale), ephemeral=True)
        if pending.new:
            await links.notify_organisers(self.bot, pending.waiting)

    async def _with_officer(
        self,
        interaction: Interaction,
        query: str,
        then: Callable[[Interaction, str], Awaitable[None]],
        *,
        match: OfficerMatch | None = None,
    ) -> None:
        """The one officer lookup: goes on with the officer's key, or, when several match,
        lists them to pick from and goes on with the one picked. ``match``: the lookup of
        ``query``, when made already."""
        if match is None:
            match = await self.service.lookup_officer(query)
        if match.officer is not None:
            await then(interaction, match.officer.key)
            return
        locale = self.bot.locale_for(interaction)
        text_ = render.pick_text(self.bot.catalog, match, locale)
        view = PickOfficerView(self.bot, interaction.user.id, match, then, locale)
        await interaction.response.send_message(text_, view=view, ephemeral=True)

    async def _missing(
        self, interaction: Interaction, department: str | None, locale: Locale
    ) -> None:
        """Who is still missing, page by page, with the CSV of their contact fields."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        missing = await self.service.missing(department)
        pages = render.missing_pages(self.bot.catalog, missing, locale)
        data = await self.service.missing_csv(missing, locale)
        scope = missing.department.code if missing.department else "france"
        name = self.bot.catalog.t("reg.ui.missing_filename", locale, scope=scope)
        await send_pages(
            interaction, pages, ephemeral=True, files=[discord.File(io.BytesIO(data), name)]
        )

    async def _department(self, interaction: Interaction, department: str, locale: Locale) -> None:
        """The first page at once; the others are written when the buttons reach them."""
        bot = self.bot
        listed = await self.service.department_list(department)
        first = render.department_page(bot.catalog, listed, locale, 0)
        count = render.department_page_count(listed)
        if count == 1:
            await interaction.response.send_message(embed=first, ephemeral=True)
            return
        view = Paginator(
            interaction.user.id,
            lambda index: render.department_page(bot.catalog, listed, locale, index),
            (bot.t(interaction, "common.previous"), bot.t(interaction, "common.next")),
            count=count,
            first=first,
        )
        await interaction.response.send_message(embed=first, view=view, ephemeral=True)

    async def _officer_search(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Officers' names are personal data: only organisers get suggestions."""
        if not self.bot.is_organiser(interaction.user):
            return []
        return _choices(await self.service.search_officers(current))

    @status.autocomplete("officer")
    async def _officer_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._officer_search(interaction, current)

    @status.autocomplete("department")
    async def _department_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(await self.service.search_departments(current))

    # ----- /progression ----------------------------------------------------------------------

    @app_commands.command(**command("cmd.progress"))
    @app_commands.rename(region=text("opt.region.name"))
    @app_commands.describe(region=text("opt.region.desc"))
    async def progress(self, interaction: Interaction, region: str | None = None) -> None:
        locale = self.bot.locale_for(interaction)

        async def embed_and_chart() -> tuple[discord.Embed, bytes]:
            result = await self.service.progress(region)
            # The embed is written while the chart is drawn (the drawing started first).
            drawing = asyncio.ensure_future(self.service.progress_chart(result, locale))
            await asyncio.sleep(0)
            return self._progress_embed(result, locale), await drawing

        # Usually at hand, or being drawn ahead since the last write: answered in one message;
        # "thinking…" first only if it takes longer (a timer, not a task to wait on: the answer
        # at hand costs no more than the work).
        thinking: list[asyncio.Task[object]] = []

        def defer() -> None:
            thinking.append(asyncio.ensure_future(interaction.response.defer(thinking=True)))

        timer = asyncio.get_running_loop().call_later(PROGRESS_AT_ONCE_SECONDS, defer)
        try:
            embed, png = await embed_and_chart()
        finally:
            timer.cancel()
            for deferring in thinking:
                await deferring
        chart = discord.File(io.BytesIO(png), "progression.png")
        if thinking:
            await interaction.followup.send(embed=embed, file=chart)
        else:
            await interaction.response.send_message(embed=embed, file=chart)

    def _progress_embed(self, progress: Progress, locale: Locale) -> discord.Embed:
        """The embed of ``progress``, written once for the same figures and language (an
        unchanged /progression answers with the one written before)."""
        for figures, language, embed in self._progress_embeds:
            if language == locale and figures == progress:
                return embed
        embed = render.progress_embed(self.bot.catalog, progress, locale)
        self._progress_embeds = [
            (progress, locale, embed),
            *self._progress_embeds[: EMBEDS_KEPT - 1],
        ]
        return embed

    @progress.autocomplete("region")
    async def _region_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(await self.service.search_regions(current))

    # ----- /roster ---------------------------------------------------------------------------

    @roster.command(**command("cmd.roster.import"))
    @app_commands.rename(file=text("opt.file.name"))
    @app_commands.describe(file=text("opt.file.desc"))
    @organiser_only()
    async def roster_import(self, interaction: Interaction, file: discord.Attachment) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await _read(file, self.service.roster_max_bytes)
        diff = await self.service.import_roster(
            data, file.filename, actor(interaction), apply=False
        )
        locale = self.bot.locale_for(interaction)
        embed = render.diff_embed(self.bot.catalog, diff, locale)
        if diff.is_empty:
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
        view = import_confirm_view(
            self.bot, self.service, interaction.user.id, data, file.filename, locale
        )
        await interaction.followup.send(embed=embed, view=view, ephemeral=True)

    @roster.command(**command("cmd.roster.history"))
    @organiser_only()
    async def roster_history(self, interaction: Interaction) -> None:
        await self._history(interaction, ImportKind.ROSTER)

    @roster.command(**command("cmd.roster.export"))
    @organiser_only()
    async def roster_export(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.bot.locale_for(interaction)
        data = await self.service.export_roster(locale)
        await interaction.followup.send(
            self.bot.catalog.t("reg.ui.export_done", locale),
            file=discord.File(io.BytesIO(data), "roster.csv"),
            ephemeral=True,
        )

    @roster.command(**command("cmd.roster.link"))
    @app_commands.rename(officer=text("opt.officer.name"), member=text("opt.member.name"))
    @app_commands.describe(officer=text("opt.officer.desc"), member=text("opt.member.desc"))
    @organiser_only()
    async def roster_link(
        self, interaction: Interaction, officer: str, member: discord.User
    ) -> None:
        async def link(answer: Interaction, key: str) -> None:
            await self._link(answer, key, member)

        await self._with_officer(interaction, officer, link)

    async def _link(self, interaction: Interaction, key: str, member: discord.User) -> None:
        """Link at once, or ask first when the link replaces another."""
        plan = await self.service.plan_link(key, member.id)
        if not plan.replaces:
            await self._linked(interaction, key, member, relink=False)
            return
        locale = self.bot.locale_for(interaction)
        question = render.relink_question(
            self.bot.catalog,
            plan,
            user_name(self.bot, locale, member),
            await member_name(self.bot, interaction, plan.previous_member_id),
            locale,
        )

        async def relink(click: Interaction) -> None:
            self.bot.require_organiser(click.user)
            await self._linked(click, plan.officer.key, member, relink=True, edit=True)

        view = confirm_view(self.bot, interaction.user.id, "relink", relink, locale)
        await interaction.response.send_message(question, view=view, ephemeral=True)

    async def _linked(
        self,
        interaction: Interaction,
        officer: str,
        member: discord.User,
        *,
        relink: bool,
        edit: bool = False,
    ) -> None:
        found = await self.service.link(officer, member.id, actor(interaction), relink=relink)
        text_ = self.bot.t(
            interaction,
            "reg.ui.linked",
            name=escape(found.officer.full_name),
            member=member.mention,
        )
        if edit:
            await interaction.response.edit_message(content=text_, view=None)
        else:
            await interaction.response.send_message(text_, ephemeral=True)

    @roster.command(**command("cmd.roster.add"))
    @app_commands.rename(
        first_name=text("opt.first_name.name"),
        last_name=text("opt.last_name.name"),
        department=text("opt.department.name"),
        email=text("opt.email.name"),
        member=text("opt.member.name"),
    )
    @app_commands.describe(
        first_name=text("opt.first_name.desc"),
        last_name=text("opt.last_name.desc"),
        department=text("opt.department.desc"),
        email=text("opt.email.desc"),
        member=text("opt.member.desc"),
    )
    @organiser_only()
    async def roster_add(
        self,
        interaction: Interaction,
        first_name: str,
        last_name: str,
        department: str,
        email: str | None = None,
        member: discord.User | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # matching may take a while
        added = await self.service.add_officer(
            actor(interaction),
            first_name,
            last_name,
            department,
            email=email or "",
            discord=str(member.id) if member else "",
        )
        locale = self.bot.locale_for(interaction)
        reply = self.bot.catalog.t(
            "reg.ui.added",
            locale,
            name=escape(added.officer.full_name),
            department=escape(added.department.label),
            status=render.status_word(self.bot.catalog, added.officer.status, locale),
        )
        await interaction.followup.send(reply, ephemeral=True)

    @roster.command(**command("cmd.roster.remove"))
    @app_commands.rename(officer=text("opt.officer.name"))
    @app_commands.describe(officer=text("opt.officer.desc"))
    @organiser_only()
    async def roster_remove(self, interaction: Interaction, officer: str) -> None:
        await self._with_officer(interaction, officer, self._ask_remove)

    async def _ask_remove(self, interaction: Interaction, key: str) -> None:
        found = await self.service.status_officer(key)
        locale = self.bot.locale_for(interaction)
        question = self.bot.catalog.t(
            "reg.lists.remove_question",
            locale,
            name=escape(found.officer.full_name),
            key=escape(found.officer.key),
            department=escape(found.department.label),
        )

        async def remove(click: Interaction) -> None:
            self.bot.require_organiser(click.user)
            removed = await self.service.remove_officer(found.officer.key, actor(click))
            reply = self.bot.t(
                click,
                "reg.ui.removed",
                name=escape(removed.officer.full_name),
                key=escape(removed.officer.key),
            )
            await click.response.edit_message(content=reply, view=None)

        view = confirm_view(self.bot, interaction.user.id, "remove", remove, locale)
        await interaction.response.send_message(question, view=view, ephemeral=True)

    @roster_add.autocomplete("department")
    async def _add_department_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(await self.service.search_departments(current))

    @roster_link.autocomplete("officer")
    @roster_remove.autocomplete("officer")
    async def _roster_officer_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._officer_search(interaction, current)

    # ----- /inscriptions, /verification ------------------------------------------------------

    @signups.command(**command("cmd.signups.import"))
    @app_commands.rename(file=text("opt.file.name"))
    @app_commands.describe(file=text("opt.file.desc"))
    @organiser_only()
    async def signups_import(self, interaction: Interaction, file: discord.Attachment) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await _read(file, self.service.signups_max_bytes)
        locale = self.bot.locale_for(interaction)
        try:
            report = await self.service.import_signups(
                data, file.filename, actor(interaction), ask_if_large=True
            )
        except LargeChange as large:
            view = signups_confirm_view(
                self.bot, self.service, interaction.user.id, data, file.filename, locale
            )
            text = self.bot.catalog.t(large.key, locale, **large.params)
            await interaction.followup.send(text, view=view, ephemeral=True)
            return
        pending = await self.service.pending_reviews()
        embed = render.signups_embed(self.bot.catalog, report, len(pending), locale)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @signups.command(**command("cmd.signups.history"))
    @organiser_only()
    async def signups_history(self, interaction: Interaction) -> None:
        await self._history(interaction, ImportKind.SIGNUPS)

    async def _history(self, interaction: Interaction, kind: ImportKind) -> None:
        """The imports of ``kind``, latest first, and the undo of the last import if it is one."""
        locale = self.bot.locale_for(interaction)
        records = await self.service.import_history(kind)
        embed = render.history_embed(self.bot.catalog, kind, records, locale)
        last = await self.service.undoable_import()
        if last is None or last.kind is not kind:
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        view = HistoryView(self.bot, self.service, interaction.user.id, last, locale)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(**command("cmd.review"))
    @app_commands.rename(officer=text("opt.officer.name"), department=text("opt.department.name"))
    @app_commands.describe(officer=text("opt.officer.desc"), department=text("opt.department.desc"))
    @app_commands.guild_only()
    @organiser_only()
    async def review(
        self, interaction: Interaction, officer: str | None = None, department: str | None = None
    ) -> None:
        # No option: the matches by department, the strong ones to confirm at once; else one
        # department's or one officer's, answered one by one.
        locale = self.bot.locale_for(interaction)
        if officer is not None and department is not None:
            raise InvalidInput("reg.ui.pick_one")
        if officer is not None:

            async def one(answer: Interaction, key: str) -> None:
                await self._review(answer, [await self.service.review_item(key)], locale)

            await self._with_officer(interaction, officer, one)
            return
        if department is not None:
            items = await self.service.pending_reviews(department)
            if items:
                await self._review(interaction, items, locale)
                return
        else:
            overview = await self.service.review_overview()
            waiting = len(await self.service.link_requests())
            if overview.total:
                embed = render.review_overview_embed(self.bot.catalog, overview, locale)
                view = ReviewOverviewView(
                    self.bot, self.service, interaction.user.id, overview, locale
                )
                if waiting:  # members asking to be linked by their username
                    links.overview_field(self.bot.catalog, embed, waiting, locale)
                    view.add_item(links.OpenLinkRequests(self.bot, self.service, waiting, locale))
                await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
                return
            if waiting:
                await links.OpenLinkRequests(self.bot, self.service, waiting, locale).callback(
                    interaction
                )
                return
        await interaction.response.send_message(
            self.bot.catalog.t("reg.ui.review_empty", locale), ephemeral=True
        )

    async def _review(
        self, interaction: Interaction, items: list[ReviewItem], locale: Locale
    ) -> None:
        view = ReviewView(self.bot, self.service, interaction.user.id, items, locale)
        await interaction.response.send_message(
            embed=view.current_embed(locale), view=view, ephemeral=True
        )

    @review.autocomplete("department")
    async def _review_department_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(await self.service.search_departments(current))

    @review.autocomplete("officer")
    async def _review_officer_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._officer_search(interaction, current)


async def _read(file: discord.Attachment, limit: int) -> bytes:
    """The attachment's bytes, refused above the service's own cap for that kind of file
    (Discord applies its attachment limit before)."""
    if file.size > limit:
        raise InvalidInput(
            "reg.ui.file_too_large",
            filename=file.filename,  # the error handler escapes it
            limit_mb=max(limit // 1_000_000, 1),
        )
    return await file.read()
