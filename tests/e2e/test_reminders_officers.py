"""Reminders and the officers they reach: their language, their DM channels kept across restarts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.client import RelanceBot
from bot.clock import FixedClock as BotClock
from bot.endpoints import logged_in
from bot.i18n import Catalog
from bot.reminders.ledger import CampaignState
from bot.reminders.messenger import SendOutcome
from bot.sandbox import Sandbox
from bot.sandbox.clock import FakeClock
from tests.e2e.conftest import demo_deadline, running_bot, wait_for
from tests.e2e.test_reminders import link_demo_members, nudged

CATALOG = Catalog.load()

PARIS = ZoneInfo("Europe/Paris")  # the bot's default zone, where it counts days


async def test_nudges_follow_the_language_of_the_officer_s_last_interaction(demo):
    await link_demo_members(demo)
    demo.sandbox.update_member("claire", locale="en-US")
    await demo.invoke("/status", as_member="claire")  # any interaction tells the language
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    assert dm.content.startswith("Hi Claire")
    assert [b["label"] for b in dm.buttons] == ["I've registered", "Remind me tomorrow"]
    emma = demo.sandbox.member("emma")
    [fallback] = [m for m in demo.sandbox.messages("dep-75") if m.author_id != emma.id]
    assert fallback.content.startswith(f"<@{emma.id}> Salut Emma")  # never interacted: LOCALE
    # Back in French, a click on the nudge is enough for the next step to be in French.
    demo.sandbox.update_member("claire", locale="fr")
    await demo.sandbox.click(dm, "I've registered")
    await demo.bot.services.registration.review("RDJ-00058", False, "test")  # not yet, in fact
    reminders = demo.bot.services.reminders
    started = await reminders.start("test", step=reminders.ladder.step(7))
    await reminders.run(started.campaign.id)
    nudges = [m for m in demo.sandbox.dm_messages("claire") if not m.ephemeral]
    assert nudges[-1].content.startswith("Bonjour Claire")


async def test_a_resume_and_a_later_campaign_open_no_dm_twice(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    claire = demo.sandbox.member("claire").user.id
    assert demo.sandbox.counters.dm_opens[claire] == 1
    reminders = demo.bot.services.reminders
    # As after a kill right after the send: the delivery still "sending", the campaign running.
    [campaign] = await reminders.history()
    [delivery] = [
        d
        for d in await reminders._repo.deliveries(campaign.campaign.id)
        if d.discord_user_id == claire
    ]
    await reminders._repo.mark_sending(delivery.id)
    await reminders._repo.set_campaign_state(campaign.campaign.id, CampaignState.RUNNING)
    services = demo.bot.services
    await demo.bot.close()
    identifies = demo.sandbox.counters.identifies
    restarted = RelanceBot(services, guild_ready_timeout=0.05)  # discord.py's DM cache is empty
    async with logged_in(demo.sandbox, restarted, timeout=20):
        await demo.sandbox.wait_until_ready(identifies=identifies + 1)
        await restarted.wait_until_ready()
        for _ in range(500):  # the resume at start-up finds the nudge in the DM's history
            if await reminders.unfinished() is None:
                break
            await wait_for(lambda: True)
        assert await reminders.unfinished() is None
        [again] = await reminders.history()
        assert again.sent == 2
        started = await reminders.start("test", step=reminders.ladder.step(7))
        assert (await reminders.run(started.campaign.id)).sent == 2
    assert demo.sandbox.counters.dm_messages[claire] == 2
    assert demo.sandbox.counters.dm_opens[claire] == 1


async def test_a_campaign_outliving_the_interaction_token_reports_in_the_organisers_channel(
    tmp_path,
):
    token_clock = FakeClock(time.time())  # the sandbox's: interaction tokens last 15 minutes
    # The bot's clock moves a few seconds a nudge (more than the progress message's edit
    # interval, far less than the token's life): the token ends "early" for the bot, and when
    # the progress is edited does not depend on how fast the machine runs.
    bot_clock = BotClock(datetime.now(UTC))
    sandbox = Sandbox(clock=token_clock)
    organisers = sandbox.channel("relances").id
    deadline = demo_deadline(datetime.now(UTC), PARIS)
    async with running_bot(
        tmp_path,
        sandbox=sandbox,
        demo=True,
        clock=bot_clock,
        registration_deadline=deadline,
        organiser_channel_id=organisers,
    ) as demo:
        await link_demo_members(demo)
        reminders = demo.bot.services.reminders
        reminders._concurrency = 1
        messenger = reminders.messenger

        class SlowMessenger:
            """The real messenger; each nudge takes 16 minutes on the sandbox's clock and
            3 seconds on the bot's."""

            def __getattr__(self, name: str) -> Any:
                return getattr(messenger, name)

            async def send_dm(self, *args: Any) -> SendOutcome:
                outcome = await messenger.send_dm(*args)
                token_clock.advance(16 * 60)
                bot_clock.advance(timedelta(seconds=3))
                return outcome

        reminders.attach(SlowMessenger())  # type: ignore[arg-type]
        answer = await demo.invoke("/relance envoyer")
        await nudged(demo, 2)
        await wait_for(lambda: len(reminders._running) == 0)
        campaign = (await reminders.history())[0].campaign
        assert answer.messages[-1].content.startswith(f"Relance n° {campaign.id} (J-14)\u00a0: 0/")
        reports = [
            m for m in demo.sandbox.messages(organisers) if m.author_id == sandbox.bot_user_id
        ]
        [report] = reports
        assert report.edited  # posted when the token expired, then edited as the campaign went
        assert report.content.startswith(f"Relance n° {campaign.id} (J-14)\u00a0: 2/")
        assert report.content.endswith(
            CATALOG.t("reminders.ui.progress_done", "fr", id=campaign.id)
        )


async def test_the_progress_leaves_the_interaction_before_its_token_ends(tmp_path):
    """With the bot's clock moving too, the progress moves to the organisers' channel a minute
    before the token ends: Discord never refuses an edit (a refusal counts against the bot)."""
    token_clock = FakeClock(time.time())
    bot_clock = BotClock(datetime.now(UTC))
    sandbox = Sandbox(clock=token_clock)
    organisers = sandbox.channel("relances").id
    deadline = demo_deadline(datetime.now(UTC), PARIS)
    async with running_bot(
        tmp_path,
        sandbox=sandbox,
        demo=True,
        clock=bot_clock,
        registration_deadline=deadline,
        organiser_channel_id=organisers,
    ) as demo:
        await link_demo_members(demo)
        reminders = demo.bot.services.reminders
        reminders._concurrency = 1
        messenger = reminders.messenger

        class SlowMessenger:
            """The real messenger; the first nudge takes 16 minutes on both clocks."""

            def __getattr__(self, name: str) -> Any:
                return getattr(messenger, name)

            async def send_dm(self, *args: Any) -> SendOutcome:
                outcome = await messenger.send_dm(*args)
                token_clock.advance(16 * 60)
                bot_clock.advance(timedelta(minutes=16))
                return outcome

        reminders.attach(SlowMessenger())  # type: ignore[arg-type]
        await demo.invoke("/relance envoyer")
        await nudged(demo, 2)
        await wait_for(lambda: len(reminders._running) == 0)
        reports = [
            m for m in demo.sandbox.messages(organisers) if m.author_id == sandbox.bot_user_id
        ]
        assert len(reports) == 1
        assert dict(sandbox.counters.invalid_reasons) == {"403 50007": 1}  # Emma's closed DMs
