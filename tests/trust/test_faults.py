"""Faults through the sandbox (issue 12): gateway drops, 5xx, 429 storms, slow routes, a hanging
feed. The real bot and the real discord.py against the sandbox; each case checks what users,
organisers and the ledger see: served what can be, told when not, recovered, nothing lost.

Waits are bounded only to fail on a hang; Retry-After windows are checked by the sandbox, which
counts every request sent inside one (``counters.inside_retry_after``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.sandbox import Sandbox
from tests.e2e.conftest import WatchedClock, running_bot, wait_for
from tests.trust._faults import (
    GUARD,
    MESSAGES,
    assert_each_sent_once,
    campaign_bot,
    campaign_finished,
    ledger,
)

CATALOG = Catalog.load()
HELP_TITLE = "Commandes de Relance"
PARIS = ZoneInfo("Europe/Paris")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # NEWS_DIGEST_SCHEDULE's default slot
NEWS_CHANNEL = "revue-de-presse"


async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before identifying again (Discord's identify limit, which the
    sandbox does not enforce): skipped, so that a new session costs no real time."""


def refusals(sandbox: Sandbox, status: int) -> list[Any]:
    return [e for e in sandbox.errors if e.status == status]


def soon(clock: WatchedClock) -> datetime | None:
    """The first moment a task sleeps until within five minutes (a retry, not a schedule)."""
    horizon = clock.now() + timedelta(minutes=5)
    due = [when for when, sleepers in clock.waiting_until.items() if sleepers and when <= horizon]
    return min(due) if due else None


def answered(result: Any) -> bool:
    return result.error is None and bool(result.messages) and bool(result.message.embeds)


# --- 1. the gateway ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "resumes", "identifies"),
    [
        ("drop", 1, 1),
        ("reconnect", 1, 1),
        ("invalid_resumable", 1, 1),
        ("invalid_new_session", 0, 2),
    ],
)
async def test_commands_are_answered_across_gateway_trouble(
    tmp_path, monkeypatch, fault: str, resumes: int, identifies: int
):
    async with running_bot(tmp_path) as running:
        sandbox = running.sandbox
        monkeypatch.setattr(running.bot, "before_identify_hook", no_identify_wait)
        faults = sandbox.faults
        trouble = {
            "drop": faults.drop_gateway,
            "reconnect": faults.reconnect,
            "invalid_resumable": lambda: faults.invalid_session(resumable=True),
            "invalid_new_session": lambda: faults.invalid_session(resumable=False),
        }[fault]()
        if resumes:  # a resumed session replays what was dispatched meanwhile
            during = await asyncio.gather(*(running.invoke("/aide") for _ in range(3)))
            assert all(answered(r) for r in during)
        await trouble
        await sandbox.wait_until_ready(GUARD, commands=False, identifies=identifies)
        after = await running.invoke("/aide", as_member="zoe")
        assert answered(after) and after.message.embeds[0]["title"] == HELP_TITLE
        assert (sandbox.counters.resumes, sandbox.counters.identifies) == (resumes, identifies)


async def test_a_campaign_across_a_drop_and_a_new_session_nudges_each_officer_once(
    tmp_path, monkeypatch
):
    async with campaign_bot(tmp_path) as running:
        sandbox = running.sandbox
        monkeypatch.setattr(running.bot, "before_identify_hook", no_identify_wait)
        troubles: list[asyncio.Task[None]] = []
        posted = 0

        def on_exchange(method, path, query, body, status, response) -> None:
            nonlocal posted
            if method == "POST" and path.endswith("/messages") and status == 200:
                posted += 1
                if posted == 3:
                    troubles.append(sandbox.faults.drop_gateway())
                elif posted == 7:
                    troubles.append(sandbox.faults.invalid_session(resumable=False))

        sandbox.on_exchange(on_exchange)
        result = await running.invoke("/relance envoyer", as_member="organiser01")
        assert result.deferred and result.error is None
        stats = await campaign_finished(running)
        await asyncio.gather(*troubles)
        await sandbox.wait_until_ready(GUARD, commands=False, identifies=2)
        assert len(troubles) == 2
        assert (stats.sent, stats.pending, sum(stats.failed.values())) == (12, 0, 0)
        assert_each_sent_once(running, await ledger(running, stats.campaign.id))
        assert sandbox.counters.nonce_replays == 0
        after = await running.invoke("/aide", as_member="organiser02")
        assert answered(after)


# --- 2. 500 and 503 ------------------------------------------------------------------------------


async def test_5xx_on_nudges_are_retried_or_told_as_failed_and_never_doubled(tmp_path):
    # Every DM open: which send meets which failure varies, what becomes of each does not.
    async with campaign_bot(tmp_path, closed_dms=0.0) as running:
        sandbox = running.sandbox
        faults = sandbox.faults
        # In the order the sends meet them: a 500 whose message was created (discord.py retries
        # it with the same nonce), a 503 that created nothing, a 503 whose message was created.
        faults.fail_next("POST", MESSAGES, 500, processed=True)
        faults.fail_next("POST", MESSAGES, 503)
        faults.fail_next("POST", MESSAGES, 503, processed=True)
        result = await running.invoke("/relance envoyer", as_member="organiser01")
        assert result.deferred and result.error is None
        stats = await campaign_finished(running)
        rows = await ledger(running, stats.campaign.id)
        assert_each_sent_once(running, rows)
        assert sorted((r.state, r.failure) for r in rows if r.state != "sent") == [
            ("failed", "http_error")
        ]
        assert (stats.sent, stats.pending) == (11, 0)
        assert sandbox.counters.nonce_replays == 1
        # The organiser who launched it reads the outcome, the failure in words.
        done = CATALOG.t("reminders.ui.progress_done", "fr", id=stats.campaign.id)
        [progress] = [m for m in result.messages if m.content.endswith(done)]
        assert "\u00a0: 11/12 envoyées · 0 via le salon du département · " in progress.content
        assert "1 échec, dont 1 erreur de Discord" in progress.content


async def test_a_scheduled_digest_refused_by_a_503_is_posted_once_on_a_later_try(tmp_path):
    clock = WatchedClock(MONDAY_8)
    async with running_bot(tmp_path, demo=True, clock=clock, news_channel_id=None):
        pass  # the demo articles, then the digest's channel configured:
    channel_id = Sandbox().channel(NEWS_CHANNEL).id
    async with running_bot(tmp_path, clock=clock, news_channel_id=channel_id) as running:
        sandbox = running.sandbox
        await wait_for(lambda: clock.waits_for(MONDAY_9), attempts=500)
        # Refused twice: the first time after Discord stored it, the second time before.
        sandbox.faults.fail_next("POST", MESSAGES, 503, processed=True)
        sandbox.faults.fail_next("POST", MESSAGES, 503)
        clock.advance(MONDAY_9 - clock.now() + timedelta(seconds=1))
        for refused in (1, 2):  # each refusal: a later try, on the bot's clock
            await wait_for(
                lambda n=refused: len(refusals(sandbox, 503)) == n and soon(clock) is not None, 500
            )
            retry = soon(clock)
            assert retry is not None
            clock.advance(retry - clock.now())
        await wait_for(lambda: sandbox.counters.route("POST", MESSAGES) == 3, attempts=500)
        [posted] = sandbox.messages(NEWS_CHANNEL)
        assert posted.content == CATALOG.t("news.ui.scheduled_intro", "fr")
        assert posted.embeds[0]["title"] == "Revue de presse"
        assert sandbox.counters.nonce_replays == 1  # the try after the first refusal
        assert len(refusals(sandbox, 503)) == 2
        news = running.bot.services.news
        async with asyncio.timeout(GUARD):  # remembered as posted, for the next digest
            while await news.previous_digest() is None:
                await asyncio.sleep(0.02)
