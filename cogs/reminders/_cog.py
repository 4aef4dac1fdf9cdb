"""The reminder commands (/relance …), the scheduled runs and the resume at start-up."""

from __future__ import annotations

import asyncio
import io
import logging
import secrets
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import RelanceBot
from bot.clock import Clock
from bot.errors import DatabaseBusy, DiskFull
from bot.i18n import Locale
from bot.markdown import escape
from bot.registration.service import RegistrationService
from bot.reminders.ledger import CampaignState, CampaignStats
from bot.reminders.service import ReminderService
from bot.reminders.when import parse_day
from bot.scheduler import ScheduledJob, Scheduler, TaskGroup
from cogs._ui import ConfirmView, actor, command, organiser_only, text
from cogs.reminders import _render as render
from cogs.reminders._delivery import DiscordMessenger
from cogs.reminders._views import NudgeButton, sample_view

log = logging.getLogger(__name__)

JOB = "reminders.nudge"
EDIT_EVERY = timedelta(seconds=2)  # the progress message is edited at most this often
# An interaction's token lasts 15 minutes; the progress moves to the organisers' channel a
# minute before, so that no edit is refused (a refused request counts against the bot).
TOKEN_USED_FOR = timedelta(minutes=14)
NEVER = timedelta(days=3650)
CHART_FILE = "relances.png"


class ProgressMessage:
    """One message edited as a campaign goes: the interaction's answer while its token lasts
    (15 min), then one message posted in ORGANISER_CHANNEL_ID and edited there until the end. A
    campaign with no interaction (a scheduled run) reports there from the start."""

    def __init__(
        self,
        bot: RelanceBot,
        service: ReminderService,
        clock: Clock,
        locale: Locale,
        message: discord.WebhookMessage | discord.InteractionMessage | None,
    ) -> None:
        self.bot = bot
        self.service = service
        self.clock = clock
        self.locale = locale
        self.message = message
        self.started = clock.now()
        self.last_edit: datetime | None = None
        self.done_before: int | None = None
        self.report: discord.Message | None = None  # in ORGANISER_CHANNEL_ID
        self.nonce = secrets.token_hex(8)

    def text(self, stats: CampaignStats) -> str:
        step = self.service.ladder.step(stats.campaign.step_days)
        eta = None
        now = self.clock.now()
        if self.done_before is None:
            self.done_before = stats.done
        done_now = stats.done - self.done_before
        left = stats.planned - stats.done
        if done_now > 0 and left > 0:
            eta = now + (now - self.started) / done_now * left
        return render.progress_text(self.bot.catalog, self.locale, stats, step, eta)

    async def __call__(self, stats: CampaignStats) -> None:
        now = self.clock.now()
        final = stats.campaign.state is not CampaignState.RUNNING or stats.pending == 0
        if not final and self.last_edit is not None and now - self.last_edit < EDIT_EVERY:
            return
        self.last_edit = now
        content = self.text(stats)
        if self.message is not None and now - self.started >= TOKEN_USED_FOR:
            self.message = None
        if self.message is not None:
            try:
                await self.message.edit(content=content)
                return
            except discord.HTTPException:
                self.message = None  # refused (the token ended early?): report in the channel
        await self._report(content)

    async def _report(self, content: str) -> None:
        """Post the progress in ORGANISER_CHANNEL_ID the first time, edit that message after."""
        channel = self.bot.settings.organiser_channel_id
        if channel is None:
            return
        try:
            if self.report is None:
                # One nonce for the report: a post Discord stored but answered with a 5xx comes
                # back on the next try, to be edited, instead of a second report.
                self.report = await self.bot.get_partial_messageable(channel).send(
                    content[:2000],
                    allowed_mentions=discord.AllowedMentions.none(),
                    nonce=self.nonce,
                )
            if self.report.content != content[:2000]:
                self.report = await self.report.edit(content=content[:2000])
        except discord.HTTPException as exc:
            log.warning("could not report a campaign's progress: %s %s", exc.status, exc.code)


class Reminders(commands.Cog):
    nudge = app_commands.Group(**command("cmd.nudge"), guild_only=True)

    def __init__(
        self,
        bot: RelanceBot,
        service: ReminderService,
        registration: RegistrationService,
        scheduler: Scheduler,
        clock: Clock,
    ) -> None:
        self.bot = bot
        self.service = service
        self.registration = registration
        self.scheduler = scheduler
        self.clock = clock
        self.tasks = TaskGroup()
        self.schedule_task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.service.attach(DiscordMessenger(self.bot))
        self.bot.add_dynamic_items(NudgeButton)
        await self.service.load_schedule()
        self.tasks.start(self._resume(), "reminders-resume")
        self._arm()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(NudgeButton)
        await self.tasks.cancel_all()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[RelanceBot]) -> None:
        """Every interaction (a command, a click on a nudge…) tells its user's language, which
        Discord gives nowhere else: their next nudges are written in it."""
        try:
            await self.service.remember_locale(interaction.user.id, str(interaction.locale))
        except (DatabaseBusy, DiskFull) as error:
            # Learnt again at their next interaction; the command itself says what is wrong.
            log.warning("interaction language not remembered: %s", type(error).__name__)
        except Exception:
            log.exception("could not remember an interaction's language")

    async def _resume(self) -> None:
        await self.bot.wait_until_ready()
        for stats in await self.service.resume():
            channel = self.bot.settings.organiser_channel_id
            if channel is not None:
                text = render.progress_text(
                    self.bot.catalog, self.bot.settings.locale, stats, None, None
                )
                await self.service.messenger.post_report(channel, text)

    def _arm(self) -> None:
        """(Re)start the durable scheduled job with the current schedule."""
        if self.schedule_task is not None:
            self.schedule_task.cancel()
        service = self.service

        def next_after(moment: datetime) -> datetime:
            return service.next_after(moment) or moment + NEVER

        async def run(previous: datetime) -> None:
            due = next_after(previous)
            # A run made late (the bot was down) may fall in quiet hours: it waits for their end.
            clock = self.clock
            start = service.quiet.defer(clock.now(), service.timezone)
            await clock.sleep((start - clock.now()).total_seconds())
            await self.bot.wait_until_ready()
            progress = ProgressMessage(self.bot, service, clock, self.bot.settings.locale, None)
            await service.scheduled_run(due, progress)

        job = ScheduledJob(JOB, next_after, run)
        self.schedule_task = self.tasks.start(self.scheduler.run(job), "reminders-schedule")

    # ----- /relance apercu ---------------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.preview"))
    @organiser_only()
    async def preview(self, interaction: discord.Interaction[RelanceBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = self.bot
        locale = bot.locale_for(interaction)
        found = await self.service.preview()
        names = await self.service.names([d.officer_key for d in found.plan.unreachable[:20]])
        embed = render.preview_embed(bot.catalog, locale, found, names, bot.settings.timezone)
        if found.sample is None or found.sample_delivery is None:
            await interaction.followup.send(
                bot.t(interaction, "reminders.ui.nobody"), embed=embed, ephemeral=True
            )
            return
        await interaction.followup.send(embed=embed, ephemeral=True)
        sample_locale = found.sample_delivery.locale
        labels = (
            bot.catalog.t("reminders.button.registered", sample_locale),
            bot.catalog.t("reminders.button.snooze", sample_locale),
        )
        intro = render.sample_intro(bot.catalog, locale, found.sample_delivery.first_name)
        await interaction.followup.send(
            f"{intro}\n\n{found.sample}"[:2000], view=sample_view(labels), ephemeral=True
        )

    # ----- /relance envoyer --------------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.send"))
    @organiser_only()
    async def send(self, interaction: discord.Interaction[RelanceBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        plan = await self.service.plan()
        if plan.recipients > self.service.confirm_above:
            t = self.bot.t
            view = ConfirmView(
                interaction.user.id,
                (
                    t(interaction, "reminders.ui.confirm_send"),
                    t(interaction, "reminders.ui.confirm_cancel"),
                ),
                self._confirmed,
                t(interaction, "reminders.ui.cancelled"),
            )
            await interaction.followup.send(
                t(interaction, "reminders.ui.confirm", count=plan.recipients),
                view=view,
                ephemeral=True,
            )
            return
        await self._launch(interaction)

    async def _confirmed(self, interaction: discord.Interaction[RelanceBot]) -> None:
        await interaction.response.edit_message(view=None)
        await self._launch(interaction)

    async def _launch(self, interaction: discord.Interaction[RelanceBot]) -> None:
        """Write the campaign, answer with its progress message, send in the background."""
        started = await self.service.start(actor(interaction))
        locale = self.bot.locale_for(interaction)
        progress = ProgressMessage(self.bot, self.service, self.clock, locale, None)
        stats = await self.service.stats(started.campaign.id)
        message = await interaction.followup.send(progress.text(stats), ephemeral=True, wait=True)
        progress.message = message
        self.tasks.start(self._run(started.campaign.id, progress), f"nudge-{started.campaign.id}")

    async def _run(self, campaign_id: int, progress: ProgressMessage) -> None:
        await self.service.run(campaign_id, progress)

    # ----- /relance pause, reprendre -------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.pause"))
    @organiser_only()
    async def pause(self, interaction: discord.Interaction[RelanceBot]) -> None:
        campaign = await self.service.pause(actor(interaction))
        await interaction.response.send_message(
            self.bot.t(interaction, "reminders.ui.paused", id=campaign.id), ephemeral=True
        )

    @nudge.command(**command("cmd.nudge.resume"))
    @organiser_only()
    async def resume(self, interaction: discord.Interaction[RelanceBot]) -> None:
        campaign = await self.service.unpause(actor(interaction))
        locale = self.bot.locale_for(interaction)
        await interaction.response.send_message(
            self.bot.t(interaction, "reminders.ui.resumed", id=campaign.id), ephemeral=True
        )
        message = await interaction.original_response()
        progress = ProgressMessage(self.bot, self.service, self.clock, locale, message)
        self.tasks.start(self._run(campaign.id, progress), f"nudge-{campaign.id}")

    # ----- /relance historique ------------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.history"))
    @organiser_only()
    async def history(self, interaction: discord.Interaction[RelanceBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.service.history()
        steps = {s.days_before: s for s in self.service.ladder}
        locale = self.bot.locale_for(interaction)
        embed = render.history_embed(self.bot.catalog, locale, found, steps)
        if not found:
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
        png = await self.service.history_chart(found, locale)
        chart = discord.File(
            io.BytesIO(png),
            CHART_FILE,
            description=self.bot.catalog.t("reminders.ui.history_chart_alt", locale),
        )
        embed.set_image(url=f"attachment://{CHART_FILE}")
        await interaction.followup.send(embed=embed, file=chart, ephemeral=True)

    # ----- /relance exempter ---------------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.exempt"))
    @app_commands.rename(
        officer=text("opt.officer.name"),
        reason=text("opt.reason.name"),
        until=text("opt.until.name"),
    )
    @app_commands.describe(
        officer=text("opt.officer.desc"),
        reason=text("opt.reason.desc"),
        until=text("opt.until.desc"),
    )
    @organiser_only()
    async def exempt(
        self, interaction: discord.Interaction[RelanceBot], officer: str, reason: str, until: str
    ) -> None:
        end = parse_day(until, self.service.today())
        _, name = await self.service.exempt(officer, end, reason, actor(interaction))
        await interaction.response.send_message(
            self.bot.t(
                interaction,
                "reminders.ui.exempted",
                name=escape(name),
                until=end,
                reason=escape(reason.strip()),
            ),
            ephemeral=True,
        )

    # ----- /relance reessayer-mp ----------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.retry_dms"))
    @organiser_only()
    async def retry_dms(self, interaction: discord.Interaction[RelanceBot]) -> None:
        t = self.bot.t
        count = await self.service.closed_dm_count()
        if count == 0:
            await interaction.response.send_message(
                t(interaction, "reminders.ui.retry_dms_none"), ephemeral=True
            )
            return
        view = ConfirmView(
            interaction.user.id,
            (
                t(interaction, "reminders.ui.retry_dms_confirm"),
                t(interaction, "reminders.ui.confirm_cancel"),
            ),
            self._retry_dms_confirmed,
            t(interaction, "reminders.ui.retry_dms_cancelled"),
        )
        await interaction.response.send_message(
            t(interaction, "reminders.ui.retry_dms_question", count=count),
            view=view,
            ephemeral=True,
        )

    async def _retry_dms_confirmed(self, interaction: discord.Interaction[RelanceBot]) -> None:
        self.bot.require_organiser(interaction.user)
        count = await self.service.forget_closed_dms(actor(interaction))
        await interaction.response.edit_message(
            content=self.bot.t(interaction, "reminders.ui.retry_dms_done", count=count), view=None
        )

    @exempt.autocomplete("officer")
    async def _officer_choices(
        self, interaction: discord.Interaction[RelanceBot], current: str
    ) -> list[app_commands.Choice[str]]:
        if not self.bot.is_organiser(interaction.user):
            return []
        found = await self.registration.search_officers(current)
        return [app_commands.Choice(name=c.label[:100], value=c.value[:100]) for c in found[:25]]

    # ----- /relance calendrier -------------------------------------------------------------------

    @nudge.command(**command("cmd.nudge.schedule"))
    @app_commands.rename(when=text("opt.when.name"))
    @app_commands.describe(when=text("opt.when.desc"))
    @organiser_only()
    async def calendar(self, interaction: discord.Interaction[RelanceBot], when: str) -> None:
        runs = await self.service.set_calendar(when, actor(interaction))
        self._arm()
        await interaction.response.send_message(
            render.schedule_text(self.bot.catalog, self.bot.locale_for(interaction), runs),
            ephemeral=True,
        )
