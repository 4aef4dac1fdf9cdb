"""Scheduled nudges end to end: NUDGE_SCHEDULE through the sandbox on an injected clock.

The clock never moves by itself: a test waits until the reminders job sleeps until the instant it
expects (other jobs sleep on the same clock), moves the clock there, and counts what the sandbox
received. Nothing sleeps for real beyond yielding to the event loop.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.client import RelanceBot
from bot.endpoints import logged_in
from bot.i18n import Catalog
from bot.reminders.ledger import CampaignLabel
from bot.reminders.messenger import SendOutcome
from bot.sandbox import Sandbox
from bot.schedule import QuietHours, Schedule
from tests.e2e.conftest import Running, WatchedClock, running_bot, wait_for
from tests.e2e.test_reminders import link_demo_members

CATALOG = Catalog.load()
PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def counts(r: Running) -> tuple[int, int]:
    """(nudges in Claire's DMs, fallback nudges for Emma in #dep-75)."""
    claire = r.sandbox.member("claire").user.id
    emma = r.sandbox.member("emma").user.id
    fallback = [m for m in r.sandbox.messages("dep-75") if m.author_id != emma]
    return r.sandbox.counters.dm_messages[claire], len(fallback)


async def run_at(r: Running, clock: WatchedClock, when: datetime, *, then: datetime) -> None:
    """Move the clock to ``when`` (where the job must be waiting) and wait until the job has run
    and sleeps until ``then``."""
    await wait_for(lambda: clock.waits_for(when))
    clock.set(when)
    await wait_for(lambda: clock.waits_for(then))


def scheduled(tmp_path: Any, clock: WatchedClock, cron: str, deadline: date, **overrides: Any):
    return running_bot(
        tmp_path,
        demo=True,
        clock=clock,
        nudge_schedule=Schedule.parse(cron, PARIS),
        registration_deadline=deadline,
        **overrides,
    )


async def test_a_scheduled_run_at_its_time_nudges_the_demo_officers(tmp_path):
    clock = WatchedClock(paris(2026, 11, 30, 9, 0))  # a Monday, D-14
    async with scheduled(tmp_path, clock, "0 10 * * 1-5", date(2026, 12, 14)) as r:
        await link_demo_members(r)
        await wait_for(lambda: clock.waits_for(paris(2026, 11, 30, 10, 0)))
        assert counts(r) == (0, 0)
        await run_at(r, clock, paris(2026, 11, 30, 10, 0), then=paris(2026, 12, 1, 10, 0))
        assert counts(r) == (1, 1)
        assert r.sandbox.counters.dm_total == 1
        [dm] = r.sandbox.dm_messages("claire")
        assert dm.content.startswith("Salut Claire")  # D-14: the friendly step
        [campaign] = await r.bot.services.reminders.history()
        assert campaign.campaign.label is CampaignLabel.NOW
        assert campaign.campaign.step_days == 14
        assert campaign.sent == 2


async def test_a_run_in_quiet_hours_waits_for_their_end(tmp_path):
    clock = WatchedClock(paris(2026, 11, 30, 7, 0))
    async with scheduled(
        tmp_path,
        clock,
        "0 8 * * *",  # 08:00, inside 21:00-08:30
        date(2026, 12, 14),
        quiet_hours=QuietHours.parse("21:00-08:30"),
    ) as r:
        await link_demo_members(r)
        await wait_for(lambda: clock.waits_for(paris(2026, 11, 30, 8, 30)))
        assert not clock.waits_for(paris(2026, 11, 30, 8, 0))
        clock.set(paris(2026, 11, 30, 8, 29))
        await asyncio.sleep(0.05)
        assert counts(r) == (0, 0)
        await run_at(r, clock, paris(2026, 11, 30, 8, 30), then=paris(2026, 12, 1, 8, 30))
        assert counts(r) == (1, 1)
        [campaign] = await r.bot.services.reminders.history()
        assert campaign.campaign.label is CampaignLabel.NOW


async def test_a_late_run_after_a_restart_in_quiet_hours_waits_for_their_end(tmp_path):
    clock = WatchedClock(paris(2026, 11, 30, 9, 0))
    async with scheduled(
        tmp_path,
        clock,
        "0 10 * * 1-5",
        date(2026, 12, 14),
        quiet_hours=QuietHours.parse("21:00-08:30"),
    ) as r:
        await link_demo_members(r)
        await wait_for(lambda: clock.waits_for(paris(2026, 11, 30, 10, 0)))
        await restart(r, clock, paris(2026, 11, 30, 22, 0))  # 10:00 missed, now quiet hours
        await wait_for(lambda: clock.waits_for(paris(2026, 12, 1, 8, 30)))
        assert counts(r) == (0, 0)
        await run_at(r, clock, paris(2026, 12, 1, 8, 30), then=paris(2026, 12, 1, 10, 0))
        assert counts(r) == (1, 1)
        [campaign] = await r.bot.services.reminders.history()
        assert campaign.campaign.label is CampaignLabel.LATE


async def test_spring_forward_runs_once_at_the_end_of_the_gap(tmp_path):
    # 2026-03-29 in Paris: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
    clock = WatchedClock(paris(2026, 3, 28, 12, 0))
    async with scheduled(
        tmp_path, clock, "30 2 * * *", date(2026, 3, 31), nudge_ladder=(3, 2, 1)
    ) as r:
        await link_demo_members(r)
        gap_end = utc(2026, 3, 29, 1, 0)  # 03:00 CEST
        next_day = utc(2026, 3, 30, 0, 30)  # 02:30 CEST
        await run_at(r, clock, gap_end, then=next_day)
        assert counts(r) == (1, 1)
        await run_at(r, clock, next_day, then=utc(2026, 3, 31, 0, 30))
        assert counts(r) == (2, 2)
        history = await r.bot.services.reminders.history()
        assert sorted(c.campaign.step_days for c in history) == [1, 2]


async def test_fall_back_runs_once_at_the_first_0230(tmp_path):
    # 2026-10-25 in Paris: 03:00 CEST becomes 02:00 CET; 02:30 happens twice that day.
    clock = WatchedClock(paris(2026, 10, 24, 12, 0))
    async with scheduled(
        tmp_path, clock, "30 2 * * *", date(2026, 10, 27), nudge_ladder=(3, 2, 1)
    ) as r:
        await link_demo_members(r)
        first = utc(2026, 10, 25, 0, 30)  # 02:30 CEST
        second = utc(2026, 10, 25, 1, 30)  # 02:30 CET, the same wall time again
        next_day = utc(2026, 10, 26, 1, 30)  # 02:30 CET
        await run_at(r, clock, first, then=next_day)
        assert not clock.waits_for(second)
        clock.set(second + timedelta(minutes=1))
        await asyncio.sleep(0.05)
        assert counts(r) == (1, 1)
        await run_at(r, clock, next_day, then=utc(2026, 10, 27, 1, 30))
        assert counts(r) == (2, 2)
        assert len(await r.bot.services.reminders.history()) == 2


async def restart(r: Running, clock: WatchedClock, when: datetime) -> None:
    """Stop the bot, move the clock to ``when`` while it is down, start it on the same database."""
    services = r.bot.services
    await r.bot.close()
    clock.set(when)
    identifies = r.sandbox.counters.identifies
    restarted = RelanceBot(services, guild_ready_timeout=0.05)
    r.bot = restarted
    stack = r.__dict__.setdefault("_restarted", [])
    session = logged_in(r.sandbox, restarted, timeout=20)
    await session.__aenter__()
    stack.append(session)
    await r.sandbox.wait_until_ready(identifies=identifies + 1)
    await restarted.wait_until_ready()


async def close_restarted(r: Running) -> None:
    for session in reversed(r.__dict__.get("_restarted", [])):
        await session.__aexit__(None, None, None)


async def test_runs_missed_while_down_are_made_once_late_and_labelled(tmp_path):
    clock = WatchedClock(paris(2026, 11, 30, 9, 0))  # a Monday
    async with scheduled(tmp_path, clock, "0 10 * * 1-5", date(2026, 12, 14)) as r:
        try:
            await link_demo_members(r)
            await wait_for(lambda: clock.waits_for(paris(2026, 11, 30, 10, 0)))
            # Down over Monday's and Tuesday's 10:00; back on Wednesday at noon.
            await restart(r, clock, paris(2026, 12, 2, 12, 0))
            await wait_for(lambda: clock.waits_for(paris(2026, 12, 3, 10, 0)))
            assert counts(r) == (1, 1)
            [campaign] = await r.bot.services.reminders.history()
            assert campaign.campaign.label is CampaignLabel.LATE
            assert campaign.sent == 2
            # Thursday's run is on time again, and finds nobody left for this step.
            await run_at(r, clock, paris(2026, 12, 3, 10, 0), then=paris(2026, 12, 4, 10, 0))
            assert counts(r) == (1, 1)
        finally:
            await close_restarted(r)


async def test_the_ladder_steps_in_order_with_nobody_nudged_twice(tmp_path):
    clock = WatchedClock(paris(2026, 12, 10, 9, 0))  # D-4: before the first step's day
    async with scheduled(
        tmp_path, clock, "0 10 * * *", date(2026, 12, 14), nudge_ladder=(3, 2, 1)
    ) as r:
        await link_demo_members(r)
        await run_at(r, clock, paris(2026, 12, 10, 10, 0), then=paris(2026, 12, 11, 10, 0))
        assert counts(r) == (0, 0)
        seen = []
        for day in (11, 12, 13, 14):  # D-3, D-2, D-1, the deadline day (D-1 again: nobody)
            await run_at(
                r, clock, paris(2026, 12, day, 10, 0), then=paris(2026, 12, day + 1, 10, 0)
            )
            seen.append(counts(r))
        assert seen == [(1, 1), (2, 2), (3, 3), (3, 3)]
        dms = [m.content for m in r.sandbox.dm_messages("claire")]
        assert dms[0].startswith("Salut Claire")
        assert dms[1].startswith("Bonjour Claire")
        assert dms[2].startswith("Claire, c'est le dernier appel")
        emma = r.sandbox.member("emma").user.id
        assert r.sandbox.counters.dm_refused[emma] == 1  # closed DMs remembered after the first
        steps = [c.campaign.step_days for c in await r.bot.services.reminders.history()]
        assert sorted(steps, reverse=True)[:3] == [3, 2, 1]


async def test_pause_and_resume_keep_a_scheduled_campaign_in_place(tmp_path):
    clock = WatchedClock(paris(2026, 11, 30, 9, 0))
    async with scheduled(tmp_path, clock, "0 10 * * 1-5", date(2026, 12, 14)) as r:
        await link_demo_members(r)
        reminders = r.bot.services.reminders
        reminders._concurrency = 1  # one delivery at a time, so that a pause falls between two
        messenger = reminders.messenger

        class PausingMessenger:
            """The real messenger, pausing the campaign once the first nudge is delivered."""

            paused = False

            def __getattr__(self, name: str) -> Any:
                return getattr(messenger, name)

            async def _after(self, outcome: SendOutcome) -> SendOutcome:
                if outcome.message_id is not None and not self.paused:
                    self.paused = True
                    await reminders.pause("test")
                return outcome

            async def send_dm(self, *args: Any) -> SendOutcome:
                return await self._after(await messenger.send_dm(*args))

            async def send_channel(self, *args: Any) -> SendOutcome:
                return await self._after(await messenger.send_channel(*args))

        reminders.attach(PausingMessenger())  # type: ignore[arg-type]
        await run_at(r, clock, paris(2026, 11, 30, 10, 0), then=paris(2026, 12, 1, 10, 0))
        assert sum(counts(r)) == 1
        # The next slot neither starts another campaign nor finishes the paused one.
        await run_at(r, clock, paris(2026, 12, 1, 10, 0), then=paris(2026, 12, 2, 10, 0))
        assert sum(counts(r)) == 1
        [campaign] = await reminders.history()
        resumed = await r.invoke("/relance reprendre")
        assert resumed.message.content.startswith(f"Relance n° {campaign.campaign.id}")
        await r.sandbox.wait_for_messages(2, timeout=20)
        await wait_for(lambda: len(reminders._running) == 0)
        assert counts(r) == (1, 1)
        # And the step goes on from there: nobody is nudged twice by the next run.
        await run_at(r, clock, paris(2026, 12, 2, 10, 0), then=paris(2026, 12, 3, 10, 0))
        assert counts(r) == (1, 1)
        [first, *_] = sorted(await reminders.history(), key=lambda c: c.campaign.id)
        assert first.sent == 2


async def test_empty_runs_write_no_campaign_and_the_last_step_summary_goes_out_once(tmp_path):
    clock = WatchedClock(paris(2026, 12, 12, 9, 0))  # D-2
    sandbox = Sandbox()
    organisers = sandbox.channel("relances").id
    async with scheduled(
        tmp_path,
        clock,
        "0 10 * * *",
        date(2026, 12, 14),
        nudge_ladder=(2, 1),
        sandbox=sandbox,
        organiser_channel_id=organisers,
    ) as r:
        await link_demo_members(r)
        for day in (12, 13, 14):  # D-2, D-1 (the last step), the deadline day (nobody left)
            await run_at(
                r, clock, paris(2026, 12, day, 10, 0), then=paris(2026, 12, day + 1, 10, 0)
            )
        assert counts(r) == (2, 2)
        history = await r.bot.services.reminders.history()
        assert sorted(c.campaign.step_days for c in history) == [1, 2]  # no empty campaign
        summary = CATALOG.t("reminders.ui.summary", "fr")
        posted = [m for m in r.sandbox.messages(organisers) if m.content.startswith(summary)]
        assert len(posted) == 1
        # Another run the same day finds nobody either: still no campaign, no second summary.
        clock.set(paris(2026, 12, 14, 10, 30))
        assert await r.bot.services.reminders.scheduled_run(paris(2026, 12, 14, 10, 30)) is None
        assert len(await r.bot.services.reminders.history()) == 2
        posted = [m for m in r.sandbox.messages(organisers) if m.content.startswith(summary)]
        assert len(posted) == 1
