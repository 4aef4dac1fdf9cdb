"""The reminders' use cases: preview, campaigns (exactly once across crashes), buttons, history.

A campaign is written to the ledger before anything is sent: every delivery ``planned``, then,
one by one, ``sending`` (committed) → the request with the delivery's nonce → ``sent`` or
``failed`` (committed). :meth:`ReminderService.resume` finishes what a crash left: a ``sending``
delivery is first looked for in the target's recent history (its marker, the delivery id, is in
the buttons' ``custom_id``), and sent again with the same nonce only if it is not there.

The Discord side is a :class:`~bot.reminders.messenger.Messenger` the cog attaches at start-up.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import ConfigError, Settings, problem_line, variable
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.i18n import Catalog, Locale
from bot.registration.departments import departments
from bot.registration.service import RegistrationService
from bot.reminders import charts
from bot.reminders.ladder import Ladder, due_step, step_to_send
from bot.reminders.ledger import Campaign, CampaignLabel, CampaignState, CampaignStats, Delivery
from bot.reminders.messenger import Messenger, SendOutcome
from bot.reminders.models import (
    REGISTERED,
    SELF_DECLARED,
    CampaignPlan,
    DeliveryChannel,
    DeliveryState,
    FailureReason,
    PlannedDelivery,
    Recipient,
    Step,
)
from bot.reminders.planner import plan_campaign, snooze_end
from bot.reminders.storage import ReminderRepository
from bot.reminders.templates import NudgeTemplates, TemplateError, nudge_values, render
from bot.reminders.when import parse_when
from bot.schedule import QuietHours, Schedule
from bot.single_flight import Shared
from bot.storage.audit import AuditRepository
from bot.storage.database import Database

log = logging.getLogger(__name__)

Progress = Callable[[CampaignStats], Awaitable[None]]
CONCURRENCY = 12  # sends under way at once: DMs to different users go in parallel
LATE_AFTER = timedelta(minutes=5)  # a scheduled run this much after its time is labelled late
EFFECT_WINDOW = timedelta(hours=48)
NEXT_RUN = "next_run"
SCHEDULE = "schedule"
SUMMARY_POSTED = "summary_posted"  # + deadline and step: the last step's summary was posted


@dataclass(frozen=True)
class Preview:
    """What ``/relance apercu`` shows: the plan and one message exactly as an officer sees it."""

    plan: CampaignPlan
    deadline: date
    sample: str | None
    sample_delivery: PlannedDelivery | None


@dataclass(frozen=True)
class Started:
    """A campaign written to the ledger, ready to send."""

    campaign: Campaign
    plan: CampaignPlan


def configured_templates(catalog: Catalog, settings: Settings) -> NudgeTemplates:
    """The templates, with NUDGE_TEMPLATES's file in place of the defaults it replaces.

    A file that cannot be used stops start-up as a bad setting does: :class:`ConfigError`, one
    line naming the variable and the problem (an unknown placeholder is named in it).
    """
    try:
        return NudgeTemplates.load(catalog, settings.nudge_templates)
    except TemplateError as exc:
        line = problem_line(
            catalog,
            settings.locale,
            variable("NUDGE_TEMPLATES"),
            str(settings.nudge_templates),
            exc.key,
            **exc.params,
        )
        raise ConfigError([line], settings.locale) from None


class ReminderService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        catalog: Catalog,
        registration: RegistrationService,
        *,
        templates: NudgeTemplates | None = None,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._registration = registration
        self._repo = ReminderRepository(db)
        self._templates = templates or configured_templates(catalog, settings)
        self._concurrency = concurrency
        self._messenger: Messenger | None = None
        self._running: Shared[int, CampaignStats] = Shared()
        self._schedule: Schedule | None = settings.nudge_schedule  # in TIMEZONE already
        self._one_off: datetime | None = None
        # Read from the ledger once, then kept in step with it (this process owns the database).
        self._locales: dict[int, Locale] | None = None
        self._dm_channels: dict[int, int] = {}

    # --- wiring ------------------------------------------------------------------------------

    def attach(self, messenger: Messenger) -> None:
        """The Discord side, given by the cog when it loads."""
        self._messenger = messenger

    @property
    def messenger(self) -> Messenger:
        if self._messenger is None:
            raise RuntimeError("no messenger attached")
        return self._messenger

    @property
    def ladder(self) -> Ladder:
        return Ladder.of(self._settings.nudge_ladder)

    @property
    def timezone(self) -> ZoneInfo:
        return self._settings.timezone

    @property
    def confirm_above(self) -> int:
        return self._settings.nudge_confirm_above

    def _today(self) -> date:
        return self._clock.now().astimezone(self._settings.timezone).date()

    def today(self) -> date:
        """Today in the configured zone, as the ladder and the exemptions count days."""
        return self._today()

    async def _audit(self, actor: str, action: str, detail: str) -> None:
        async with self._db.transaction() as tx:
            await AuditRepository.record(tx, self._clock.now(), actor, action, detail)

    # --- planning ----------------------------------------------------------------------------

    async def recipients(self) -> list[Recipient]:
        """The whole roster as campaigns see it, each with the language of their last
        interaction with the bot when there was one."""
        locales = await self._known_locales()
        return [
            Recipient(
                officer_key=officer.key,
                first_name=officer.first_name,
                department=officer.department,
                status=str(officer.status),
                discord_user_id=officer.discord_user_id,
                locale=locales.get(officer.discord_user_id)
                if officer.discord_user_id is not None
                else None,
            )
            for officer in await self._registration.roster()
        ]

    async def _known_locales(self) -> dict[int, Locale]:
        if self._locales is None:
            self._locales = await self._repo.locales()
        return self._locales

    async def remember_locale(self, user_id: int, discord_locale: str | None) -> None:
        """The language of ``user_id``'s interaction with the bot (Discord gives it only then):
        their next nudges are in it when it is French or English, else in LOCALE."""
        head = (discord_locale or "").split("-")[0].lower()
        locale: Locale | None = "fr" if head == "fr" else "en" if head == "en" else None
        known = await self._known_locales()
        if known.get(user_id) == locale:
            return
        await self._repo.set_locale(user_id, locale, self._clock.now())
        if locale is None:
            known.pop(user_id, None)
        else:
            known[user_id] = locale

    async def department_channels(self, codes: Sequence[str]) -> dict[str, int]:
        """DEPARTMENT_CHANNELS, else a text channel named ``dep-<code>``."""
        channels = dict(self._settings.department_channels)
        missing = sorted({c for c in codes if c not in channels})
        if missing and self._messenger is not None:
            named = await self._messenger.channels_named([f"dep-{c.lower()}" for c in missing])
            for code in missing:
                channel_id = named.get(f"dep-{code.lower()}")
                if channel_id is not None:
                    channels[code] = channel_id
        return channels

    async def plan(self, step: Step | None = None) -> CampaignPlan:
        deadline = self._settings.registration_deadline
        step = step or step_to_send(self.ladder, deadline, self._today())
        recipients = await self.recipients()
        now = self._clock.now()
        return plan_campaign(
            recipients,
            step,
            now=now,
            tz=self._settings.timezone,
            default_locale=self._settings.locale,
            exemptions=await self._repo.exemptions(),
            snoozes=await self._repo.open_snoozes(now),
            already_sent=await self._repo.already_sent(),
            closed_dms=await self._repo.closed_dms(),
            department_channels=await self.department_channels(
                sorted({r.department for r in recipients})
            ),
        )

    def message(self, first_name: str, department: str, locale: Locale, step_days: int) -> str:
        """The nudge text an officer receives."""
        deadline = self._settings.registration_deadline
        step = self.ladder.step(step_days)
        if deadline is None or step is None:
            raise InvalidInput("reminders.no_deadline")
        dep = departments().by_code(department)
        shown = f"{dep.name} ({dep.code})" if dep else department
        values = nudge_values(
            self._catalog,
            locale,
            first_name=first_name,
            department=shown,
            platform_url=self._settings.platform_url,
            deadline=deadline,
            today=self._today(),
            tz=self._settings.timezone,
        )
        return render(self._templates.get(step.tier, locale), values)

    async def preview(self) -> Preview:
        plan = await self.plan()
        deadline = self._settings.registration_deadline
        assert deadline is not None  # plan() raised otherwise
        sample = plan.deliveries[0] if plan.deliveries else None
        text = (
            self.message(sample.first_name, sample.department, sample.locale, plan.step.days_before)
            if sample
            else None
        )
        return Preview(plan, deadline, text, sample)

    # --- campaigns -----------------------------------------------------------------------------

    async def start(
        self,
        actor: str,
        *,
        step: Step | None = None,
        label: CampaignLabel = CampaignLabel.NOW,
        plan: CampaignPlan | None = None,
    ) -> Started:
        """Plan the current step (or take ``plan``) and write the campaign and its deliveries;
        nothing is sent yet. Raises ``reminders.campaign_running`` while another campaign is
        unfinished."""
        if await self._repo.unfinished_campaigns():
            raise InvalidInput("reminders.ui.campaign_running")
        plan = plan if plan is not None else await self.plan(step)
        now = self._clock.now()
        rows = [(d, secrets.token_hex(8)) for d in (*plan.deliveries, *plan.unreachable)]
        async with self._db.transaction() as tx:
            campaign_id = await self._repo.create_campaign(
                tx, plan.step.days_before, now, actor, label, rows
            )
            await AuditRepository.record(
                tx, now, actor, "nudge.start", f"{campaign_id}: {len(plan.deliveries)}"
            )
        campaign = await self._repo.campaign(campaign_id)
        assert campaign is not None
        return Started(campaign, plan)

    async def run(self, campaign_id: int, progress: Progress | None = None) -> CampaignStats:
        """Send a campaign's outstanding deliveries (at most one run per campaign at a time)."""
        return await self._running.run(campaign_id, lambda: self._run(campaign_id, progress))

    async def _run(self, campaign_id: int, progress: Progress | None) -> CampaignStats:
        campaign = await self._campaign(campaign_id)
        todo = await self._repo.deliveries(
            campaign_id, (DeliveryState.SENDING, DeliveryState.PLANNED)
        )
        semaphore = asyncio.Semaphore(self._concurrency)
        paused = False

        async def one(delivery: Delivery) -> None:
            nonlocal paused
            async with semaphore:
                if paused:
                    return
                current = await self._repo.campaign(campaign_id)
                if current is None or current.state is not CampaignState.RUNNING:
                    paused = True
                    return
                await self._deliver(delivery)
                if progress is not None:
                    await progress(await self._repo.stats(campaign))

        # Deliveries caught "sending" by a crash first: each is checked before anything new.
        await asyncio.gather(*(one(d) for d in todo))
        current = await self._campaign(campaign_id)
        if current.state is CampaignState.RUNNING and not await self._repo.deliveries(
            campaign_id, (DeliveryState.SENDING, DeliveryState.PLANNED)
        ):
            await self._repo.set_campaign_state(campaign_id, CampaignState.DONE, self._clock.now())
            current = await self._campaign(campaign_id)
            step = self.ladder.step(current.step_days)
            if step is not None and step.is_last:
                await self._post_summary(step)
        stats = await self._with_effect(await self._repo.stats(current))
        if progress is not None:
            await progress(stats)
        return stats

    async def summary(self) -> str:
        """Who is still not registered, per department: for the organisers' channel only."""
        locale = self._settings.locale
        by_department: dict[str, list[str]] = {}
        for officer in await self._registration.roster():
            if str(officer.status) not in (REGISTERED, SELF_DECLARED):
                by_department.setdefault(officer.department, []).append(
                    f"{officer.first_name} {officer.last_name}"
                )
        missing = {
            f"{dep.name} ({dep.code})": by_department[dep.code]
            for dep in departments().all()
            if dep.code in by_department
        }
        lines = [self._catalog.t("reminders.ui.summary", locale)]
        for department, names in missing.items():
            lines.append(
                self._catalog.t(
                    "reminders.ui.summary_line",
                    locale,
                    department=department,
                    names=", ".join(names),
                )
            )
        return "\n".join(lines)

    async def _post_summary(self, step: Step) -> None:
        """After the last step: the summary in ORGANISER_CHANNEL_ID (never a public channel),
        once per step and deadline, however many campaigns that step takes."""
        channel = self._settings.organiser_channel_id
        if channel is None or self._messenger is None:
            return
        posted = f"{SUMMARY_POSTED}:{self._settings.registration_deadline}:{step.days_before}"
        if await self._repo.setting(posted) is not None:
            return
        await self._repo.set_setting(posted, self._clock.now().isoformat())
        text = await self.summary()
        for start in range(0, len(text), 1900):  # a message holds 2,000 characters
            await self._messenger.post_report(channel, text[start : start + 1900])

    async def _campaign(self, campaign_id: int) -> Campaign:
        campaign = await self._repo.campaign(campaign_id)
        if campaign is None:
            raise NotFound("reminders.ui.no_campaign")
        return campaign

    async def _deliver(self, delivery: Delivery) -> None:
        messenger = self.messenger
        if delivery.state is DeliveryState.SENDING:
            if delivery.channel is DeliveryChannel.CHANNEL:
                target_channel = delivery.channel_id
            else:  # the DM opened before the crash, when the ledger has it
                target_channel = await self._dm_channel(delivery.discord_user_id)
            found = await messenger.find_sent(delivery.discord_user_id, target_channel, delivery.id)
            if found is not None:
                await self._repo.mark_sent(delivery.id, found, self._clock.now())
                return
        else:
            await self._repo.mark_sending(delivery.id)
        text = self.message(
            delivery.first_name, delivery.department, delivery.locale, delivery.step_days
        )
        user_id = delivery.discord_user_id
        if user_id is None:  # planned rows always have one; unreachable ones are written failed
            await self._repo.mark_failed(delivery.id, FailureReason.NOT_LINKED)
            return
        if delivery.channel is DeliveryChannel.DM:
            outcome = await self._send_dm(user_id, text, delivery)
            target = outcome.dm_channel_id
            if outcome.dm_closed:
                await self._repo.add_closed_dm(user_id, self._clock.now())
                if delivery.fallback_channel_id is None:
                    await self._repo.mark_failed(delivery.id, FailureReason.NO_CHANNEL)
                    return
                await self._repo.move_to_channel(delivery.id, delivery.fallback_channel_id)
                target = delivery.fallback_channel_id
                outcome = await messenger.send_channel(
                    delivery.fallback_channel_id,
                    user_id,
                    text,
                    delivery.nonce + "c",
                    delivery.id,
                    delivery.locale,
                )
        else:
            assert delivery.channel_id is not None
            nonce = delivery.nonce + ("c" if delivery.fallback else "")
            target = delivery.channel_id
            outcome = await messenger.send_channel(
                delivery.channel_id, user_id, text, nonce, delivery.id, delivery.locale
            )
        if outcome.failure is FailureReason.HTTP_ERROR:
            # A 5xx may come after Discord posted the message: looked for as after a crash, so
            # that the ledger says sent and no later campaign sends it again.
            found = await messenger.find_sent(user_id, target, delivery.id)
            if found is not None:
                outcome = SendOutcome(message_id=found)
        await self._finish(delivery, outcome)

    async def _dm_channel(self, user_id: int | None) -> int | None:
        if user_id is None:
            return None
        if user_id not in self._dm_channels:
            found = await self._repo.dm_channel(user_id)
            if found is None:
                return None
            self._dm_channels[user_id] = found
        return self._dm_channels[user_id]

    async def _send_dm(self, user_id: int, text: str, delivery: Delivery) -> SendOutcome:
        """A DM in the channel the ledger knows, else in one opened now and remembered, so that
        no later campaign, and no resume, opens it again."""
        known = await self._dm_channel(user_id)
        send = self.messenger.send_dm
        args = (user_id, text, delivery.nonce, delivery.id, delivery.locale)
        outcome = await send(*args, known)
        if known is not None and outcome.failure is FailureReason.NOT_FOUND:
            # The channel the ledger had is gone: open the DM again.
            await self._repo.forget_dm_channel(user_id)
            self._dm_channels.pop(user_id, None)
            known = None
            outcome = await send(*args, None)
        if outcome.dm_channel_id is not None and outcome.dm_channel_id != known:
            await self._repo.set_dm_channel(user_id, outcome.dm_channel_id)
            self._dm_channels[user_id] = outcome.dm_channel_id
        return outcome

    async def _finish(self, delivery: Delivery, outcome: SendOutcome) -> None:
        if outcome.message_id is not None:
            await self._repo.mark_sent(delivery.id, outcome.message_id, self._clock.now())
        else:
            await self._repo.mark_failed(delivery.id, outcome.failure or FailureReason.HTTP_ERROR)

    async def stats(self, campaign_id: int) -> CampaignStats:
        return await self._repo.stats(await self._campaign(campaign_id))

    async def names(self, officer_keys: Sequence[str]) -> dict[str, str]:
        """Officers' full names by key (for the organisers' preview)."""
        officers = await self._registration.officers_by_key(officer_keys)
        return {key: f"{o.first_name} {o.last_name}" for key, o in officers.items()}

    async def resume(self) -> list[CampaignStats]:
        """At start-up: finish every running campaign a stop interrupted (paused ones wait; one
        this process already sends, started since, is left to its own progress report)."""
        done = []
        for campaign in await self._repo.unfinished_campaigns():
            if campaign.state is CampaignState.RUNNING and campaign.id not in self._running:
                log.info("resuming nudge campaign %d", campaign.id)
                done.append(await self.run(campaign.id))
        return done

    async def unfinished(self) -> Campaign | None:
        found = await self._repo.unfinished_campaigns()
        return found[-1] if found else None

    async def pause(self, actor: str) -> Campaign:
        campaign = await self.unfinished()
        if campaign is None or campaign.state is not CampaignState.RUNNING:
            raise InvalidInput("reminders.ui.nothing_to_pause")
        await self._repo.set_campaign_state(campaign.id, CampaignState.PAUSED)
        await self._audit(actor, "nudge.pause", str(campaign.id))
        return await self._campaign(campaign.id)

    async def unpause(self, actor: str) -> Campaign:
        """Mark the paused campaign running again; the caller then :meth:`run` s it."""
        campaign = await self.unfinished()
        if campaign is None or campaign.state is not CampaignState.PAUSED:
            raise InvalidInput("reminders.ui.nothing_to_resume")
        await self._repo.set_campaign_state(campaign.id, CampaignState.RUNNING)
        await self._audit(actor, "nudge.resume", str(campaign.id))
        return await self._campaign(campaign.id)

    # --- history and the status hook ------------------------------------------------------------

    async def history(self, limit: int = 10) -> list[CampaignStats]:
        return [
            await self._with_effect(await self._repo.stats(c))
            for c in await self._repo.campaigns(limit)
        ]

    async def history_chart(self, history: Sequence[CampaignStats], locale: Locale) -> bytes:
        """The PNG of :func:`~bot.reminders.charts.history_chart`, drawn in a worker thread."""
        return await asyncio.to_thread(
            charts.history_chart, self._catalog, history, self._settings.timezone, locale
        )

    async def _with_effect(self, stats: CampaignStats) -> CampaignStats:
        """How many of those nudged registered (or said so) within 48 hours of their nudge."""
        sent = [
            d
            for d in await self._repo.deliveries(stats.campaign.id, (DeliveryState.SENT,))
            if d.sent_at is not None
        ]
        if not sent:
            return stats
        officers = await self._registration.officers_by_key({d.officer_key for d in sent})
        registered = 0
        for delivery in sent:
            officer = officers.get(delivery.officer_key)
            if officer is None:
                continue
            since = officer.status_since
            assert delivery.sent_at is not None
            if (
                str(officer.status) in (REGISTERED, SELF_DECLARED)
                and since is not None
                and delivery.sent_at <= since <= delivery.sent_at + EFFECT_WINDOW
            ):
                registered += 1
        return replace(stats, registered_48h=registered)

    # --- officers' buttons -----------------------------------------------------------------------

    async def _own_delivery(self, delivery_id: int, user_id: int) -> Delivery:
        delivery = await self._repo.delivery(delivery_id)
        if delivery is None:
            raise NotFound("reminders.ui.no_delivery")
        if delivery.discord_user_id != user_id:
            raise PermissionDenied("reminders.ui.not_your_nudge")
        return delivery

    async def declare(self, delivery_id: int, user_id: int) -> bool:
        """ "I've registered" on a nudge: a declaration, pending an organiser's confirmation.
        Returns whether it changed anything."""
        await self._own_delivery(delivery_id, user_id)
        declaration = await self._registration.declare_registered(user_id)
        return bool(declaration.changed)

    async def snooze(self, delivery_id: int, user_id: int) -> datetime:
        """ "Remind me tomorrow": no nudge for 24 hours, never past the deadline."""
        delivery = await self._own_delivery(delivery_id, user_id)
        deadline = self._settings.registration_deadline
        if deadline is None:
            raise InvalidInput("reminders.no_deadline")
        now = self._clock.now()
        until = snooze_end(now, deadline, self._settings.timezone)
        await self._repo.add_snooze(delivery.officer_key, until, now)
        return until

    # --- exemptions and closed DMs ---------------------------------------------------------------

    async def exempt(self, officer: str, until: date, reason: str, actor: str) -> tuple[str, str]:
        """Exempt an officer (key or search) up to ``until`` included; returns (key, name)."""
        if until < self._today():
            raise InvalidInput("reminders.ui.exempt_past", until=until)
        if not reason.strip():
            raise InvalidInput("reminders.ui.exempt_reason")
        found = (await self._registration.status_officer(officer)).officer
        now = self._clock.now()
        await self._repo.set_exemption(found.key, until, reason.strip(), actor, now)
        await self._audit(actor, "nudge.exempt", found.key)
        return found.key, f"{found.first_name} {found.last_name}"

    async def closed_dm_count(self) -> int:
        """How many officers' DMs are remembered as closed (their nudges go to a channel)."""
        return len(await self._repo.closed_dms())

    async def forget_closed_dms(self, actor: str) -> int:
        """Forget every closed DM: the next nudges try the DM first again. Returns how many."""
        count = await self._repo.clear_closed_dms()
        await self._audit(actor, "nudge.reset_dms", str(count))
        return count

    # --- the schedule ----------------------------------------------------------------------------

    async def load_schedule(self) -> None:
        """Read the schedule changed with ``/relance calendrier`` (else NUDGE_SCHEDULE)."""
        stored = await self._repo.setting(SCHEDULE)
        if stored is not None:
            self._schedule = Schedule.parse(stored, self._settings.timezone) if stored else None
        else:
            self._schedule = self._settings.nudge_schedule
        one_off = await self._repo.setting(NEXT_RUN)
        self._one_off = datetime.fromisoformat(one_off) if one_off else None

    @property
    def schedule(self) -> Schedule | None:
        return self._schedule

    @property
    def quiet(self) -> QuietHours:
        return self._settings.quiet_hours

    def next_after(self, moment: datetime) -> datetime | None:
        """The next scheduled run after ``moment``: a one-off time set with ``/relance
        calendrier`` first, else the cron schedule; held back by quiet hours."""
        tz = self._settings.timezone
        cron = self._schedule.next_after(moment, self.quiet) if self._schedule else None
        one_off = self._one_off
        if one_off is not None and one_off > moment:
            deferred = self.quiet.defer(one_off, tz)
            return deferred if cron is None else min(deferred, cron)
        return cron

    def next_runs(self, n: int = 5) -> list[datetime]:
        runs: list[datetime] = []
        moment = self._clock.now()
        for _ in range(n):
            found = self.next_after(moment)
            if found is None:
                break
            runs.append(found)
            moment = found
        return runs

    async def set_calendar(self, text: str, actor: str) -> list[datetime]:
        """A cron expression replaces the schedule; a time in words ("demain 10h", "in 2 days")
        becomes the next run, the schedule going on after it. Returns the next five runs."""
        tz = self._settings.timezone
        now = self._clock.now()
        if len(text.split()) == 5:
            schedule = Schedule.parse(text, tz)
            await self._repo.set_setting(SCHEDULE, schedule.text)
            await self._repo.set_setting(NEXT_RUN, "")
        else:
            at = parse_when(text, now, tz, deadline=self._settings.registration_deadline)
            await self._repo.set_setting(NEXT_RUN, at.astimezone(UTC).isoformat())
        await self._audit(actor, "nudge.schedule", text.strip()[:100])
        await self.load_schedule()
        return self.next_runs()

    async def scheduled_run(
        self, due: datetime, progress: Progress | None = None
    ) -> CampaignStats | None:
        """A scheduled run: the due step to whoever has not had it; ``late`` when made well after
        ``due`` (the bot was down). Nothing, and no campaign written, when no step is due, a
        campaign is unfinished or nobody is left to nudge."""
        deadline = self._settings.registration_deadline
        if deadline is None:
            return None
        step = due_step(self.ladder, deadline, self._today())
        if step is None or await self._repo.unfinished_campaigns():
            return None
        plan = await self.plan(step)
        if not plan.deliveries:  # nobody to nudge: no campaign in the history
            return None
        late = self._clock.now() - due > LATE_AFTER
        label = CampaignLabel.LATE if late else CampaignLabel.NOW
        started = await self.start("schedule", label=label, plan=plan)
        return await self.run(started.campaign.id, progress)
