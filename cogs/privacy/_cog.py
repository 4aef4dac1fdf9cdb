"""The privacy commands: parse, call one service method, render, answer once (privately)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import RelanceBot
from bot.errors import PermissionDenied
from bot.i18n import format_date
from bot.markdown import escape
from bot.privacy.service import PrivacyService, RetentionStep
from bot.registration.service import RegistrationService
from bot.scheduler import ScheduledJob, Scheduler, TaskGroup
from cogs._ui import ConfirmView, actor, command, organiser_only, text
from cogs.privacy import _render as render
from cogs.privacy._views import AuditPaginator

RETENTION_JOB = "privacy.retention"
RETENTION_CHECK = timedelta(hours=1)  # how often the retention job looks at the calendar

Interaction = discord.Interaction[RelanceBot]


class Privacy(commands.Cog):
    privacy = app_commands.Group(**command("cmd.privacy"))

    def __init__(
        self,
        bot: RelanceBot,
        service: PrivacyService,
        registration: RegistrationService,
        scheduler: Scheduler,
    ) -> None:
        self.bot = bot
        self.service = service
        self.registration = registration
        self.scheduler = scheduler
        self.tasks = TaskGroup()

    async def cog_load(self) -> None:
        if self.service.retention() is not None:
            job = ScheduledJob(RETENTION_JOB, lambda last: last + RETENTION_CHECK, self.retention)
            self.tasks.start(self.scheduler.run(job), RETENTION_JOB)

    async def cog_unload(self) -> None:
        await self.tasks.cancel_all()

    async def retention(self, since: datetime) -> None:
        """DATA_RETENTION_DAYS: the notice to ORGANISER_CHANNEL_ID a week before, then the purge
        (posted there too)."""
        step = await self.service.retention_step()
        if step is RetentionStep.NOTHING:
            return
        settings = self.bot.settings
        retention = self.service.retention()
        assert retention is not None
        locale = settings.locale
        channel_id = settings.organiser_channel_id
        if step is RetentionStep.NOTICE:
            if channel_id is not None:
                await self.bot.wait_until_ready()
                notice = self.bot.catalog.t(
                    "privacy.retention.notice",
                    locale,
                    date=format_date(retention.purge_at, locale),
                    days=retention.days,
                )
                await self.bot.get_partial_messageable(channel_id).send(
                    notice, allowed_mentions=discord.AllowedMentions.none()
                )
            await self.service.notice_posted()
            return
        purged = await self.service.purge()
        if channel_id is not None:
            await self.bot.wait_until_ready()
            done = self.bot.catalog.t("privacy.retention.done", locale, count=purged.people)
            await self.bot.get_partial_messageable(channel_id).send(
                done, allowed_mentions=discord.AllowedMentions.none()
            )

    # ----- /confidentialite export --------------------------------------------------------------

    @privacy.command(**command("cmd.privacy.export"))
    @app_commands.rename(officer=text("opt.officer.name"))
    @app_commands.describe(officer=text("opt.privacy_officer.desc"))
    async def export(self, interaction: Interaction, officer: str | None = None) -> None:
        bot = self.bot
        if officer is not None and (
            interaction.guild is None or not bot.is_organiser(interaction.user)
        ):
            raise PermissionDenied("privacy.export.only_organisers")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if officer is None:
            found = await self.service.export_own(interaction.user.id)
        else:
            found = await self.service.export_officer(officer, actor(interaction))
        reply = bot.t(interaction, "privacy.export.done", name=escape(found.person.full_name))
        file = discord.File(io.BytesIO(found.content), found.filename)
        await interaction.followup.send(reply, file=file, ephemeral=True)

    # ----- /confidentialite effacer -------------------------------------------------------------

    @privacy.command(**command("cmd.privacy.erase"))
    @app_commands.rename(officer=text("opt.officer.name"))
    @app_commands.describe(officer=text("opt.officer.desc"))
    @organiser_only()
    async def erase(self, interaction: Interaction, officer: str) -> None:
        bot = self.bot
        person = await self.service.officer(officer)
        locale = bot.locale_for(interaction)
        cat = bot.catalog
        question = cat.t(
            "privacy.erase.question",
            locale,
            name=escape(person.full_name),
            key=escape(person.key),
        )

        async def go(click: Interaction) -> None:
            bot.require_organiser(click.user)
            await click.response.defer()
            erased = await self.service.erase(person.key, actor(click))
            reply = bot.t(
                click,
                "privacy.erase.done",
                name=escape(person.full_name),
                rows=erased.total,
                backups=erased.backups,
            )
            await click.edit_original_response(content=reply, view=None)

        view = ConfirmView(
            interaction.user.id,
            (cat.t("privacy.erase.button", locale), cat.t("privacy.erase.keep_button", locale)),
            go,
            cat.t("privacy.erase.kept", locale),
        )
        await interaction.response.send_message(question, view=view, ephemeral=True)

    @export.autocomplete("officer")
    @erase.autocomplete("officer")
    async def _officer_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._officer_search(interaction, current)

    async def _officer_search(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Officers' names are personal data: only organisers get suggestions."""
        if not self.bot.is_organiser(interaction.user):
            return []
        found = await self.registration.search_officers(current)
        return [app_commands.Choice(name=c.label[:100], value=c.value[:100]) for c in found[:25]]

    # ----- /audit -------------------------------------------------------------------------------

    @app_commands.command(**command("cmd.audit"))
    @app_commands.rename(officer=text("opt.officer.name"), organiser=text("opt.organiser.name"))
    @app_commands.describe(
        officer=text("opt.audit_officer.desc"), organiser=text("opt.organiser.desc")
    )
    @app_commands.guild_only()
    @organiser_only()
    async def audit(
        self,
        interaction: Interaction,
        officer: str | None = None,
        organiser: discord.User | None = None,
    ) -> None:
        bot = self.bot
        locale = bot.locale_for(interaction)
        zone = bot.settings.timezone
        organiser_id = organiser.id if organiser is not None else None

        async def page(index: int) -> discord.Embed:
            found = await self.service.audit(
                officer=officer,
                organiser_id=organiser_id,
                page=index,
                per_page=render.AUDIT_PAGE,
            )
            return render.audit_embed(bot.catalog, found, index, zone, locale)

        first_page = await self.service.audit(
            officer=officer, organiser_id=organiser_id, per_page=render.AUDIT_PAGE
        )
        first = render.audit_embed(bot.catalog, first_page, 0, zone, locale)
        count = render.audit_page_count(first_page.total)
        if count == 1:
            await interaction.response.send_message(embed=first, ephemeral=True)
            return
        view = AuditPaginator(
            interaction.user.id,
            page,
            (bot.t(interaction, "common.previous"), bot.t(interaction, "common.next")),
            count=count,
            first=first,
        )
        await interaction.response.send_message(embed=first, view=view, ephemeral=True)

    @audit.autocomplete("officer")
    async def _audit_officer_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._officer_search(interaction, current)
