"""Faults through the sandbox (issue 12): gateway drops, 5xx, 429 storms, slow routes, a hanging
feed. The real bot and the real discord.py against the sandbox; each case checks what users,
organisers and the ledger see: served what can be, told when not, recovered, nothing lost.

Waits are bounded only to fail on a hang; Retry-After windows are checked by the sandbox, which
counts every request sent inside one (``counters.inside_retry_after``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.i18n import Catalog
from bot.reminders.ledger import CampaignStats
from bot.sandbox import Sandbox, SandboxLimits
from tests.e2e.conftest import Running, WatchedClock, running_bot, wait_for
from tests.e2e.test_news import rss
from tests.news.conftest import ARTICLE_HTML, LocalServer, page
from tests.trust._faults import (
    CALLBACK,
    DM_OPEN,
    EDIT_FOLLOWUP,
    FOLLOWUP,
    GUARD,
    MESSAGES,
    assert_each_sent_once,
    campaign_bot,
    campaign_finished,
    ledger,
    roomy_limits,
)

CATALOG = Catalog.load()
HELP_TITLE = "Commandes de Relance"
PARIS = ZoneInfo("Europe/Paris")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # NEWS_DIGEST_SCHEDULE's default slot
NEWS_CHANNEL = "revue-de-presse"
# Discord's 3 s for a first answer, shrunk: the waits that outlast it stay short, and a loaded
# machine still answers a plain command within it.
SHRUNK_DEADLINE = 1.5


async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before identifying again (Discord's identify limit, which the
    sandbox does not enforce): skipped, so that a new session costs no real time."""


def refusals(sandbox: Sandbox, status: int) -> list[Any]:
    return [e for e in sandbox.errors if e.status == status]


def soon(clock: WatchedClock) -> datetime | None:
    """The first moment to come that a task sleeps until, within five minutes (a retry, not a
    schedule); one already reached, whose sleeper has not woken yet, is not one."""
    now = clock.now()
    horizon = now + timedelta(minutes=5)
    due = [t for t, sleepers in clock.waiting_until.items() if sleepers and now < t <= horizon]
    return min(due) if due else None


async def one_article_for_the_digest(running: Running, clock: WatchedClock) -> None:
    """An article added a minute after the digest job armed itself for Monday 09:00."""
    await wait_for(lambda: clock.waits_for(MONDAY_9), attempts=500)
    clock.advance(timedelta(minutes=1))
    news = running.bot.services.news
    await news.add_file(ARTICLE_HTML.encode(), "lancement.html", "test")


async def final_progress(result: Any, stats: CampaignStats) -> Any:
    """The launching organiser's progress message once it says the campaign is finished (its
    last edit follows the ledger's last write)."""
    done = CATALOG.t("reminders.ui.progress_done", "fr", id=stats.campaign.id)
    await wait_for(lambda: any(m.content.endswith(done) for m in result.messages), 500)
    [progress] = [m for m in result.messages if m.content.endswith(done)]
    return progress


def client_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The client's warnings and errors (its start-up notes may be captured too)."""
    return [r for r in caplog.records if r.name == "bot.client" and r.levelno >= logging.WARNING]


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
        progress = await final_progress(result, stats)
        assert "\u00a0: 11/12 envoyées · 0 via le salon du département · " in progress.content
        assert "1 échec, dont 1 erreur de Discord" in progress.content


async def test_a_scheduled_digest_refused_by_a_503_is_posted_once_on_a_later_try(tmp_path):
    clock = WatchedClock(MONDAY_8)
    channel_id = Sandbox().channel(NEWS_CHANNEL).id
    async with running_bot(tmp_path, clock=clock, news_channel_id=channel_id) as running:
        sandbox = running.sandbox
        await one_article_for_the_digest(running, clock)
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


async def test_a_feed_notice_refused_by_a_503_after_the_post_is_posted_once(tmp_path):
    server = LocalServer()

    async def broken(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500)

    server.routes["/broken.xml"] = broken
    await server.start()
    clock = WatchedClock(MONDAY_8)
    sandbox = Sandbox()
    # The first post of the bot is the poll's notice: stored by Discord, answered 503.
    sandbox.faults.fail_next("POST", MESSAGES, 503, processed=True)
    feed = server.url("/broken.xml")
    try:
        async with running_bot(
            tmp_path,
            sandbox=sandbox,
            clock=clock,
            news_feeds=(feed,),
            news_channel_id=sandbox.channel(NEWS_CHANNEL).id,
            news_fetch_allowlist=("127.0.0.1:*",),
        ):
            await wait_for(
                lambda: len(refusals(sandbox, 503)) == 1 and soon(clock) is not None, 500
            )
            retry = soon(clock)
            assert retry is not None
            clock.advance(retry - clock.now())
            await wait_for(lambda: sandbox.counters.route("POST", MESSAGES) == 2, attempts=500)
            [notice] = sandbox.messages(NEWS_CHANNEL)
            assert notice.content.startswith(f"Le flux {feed} est en échec\u00a0: ")
            assert "erreur 500" in notice.content
            assert sandbox.counters.nonce_replays == 1
    finally:
        await server.stop()


async def test_a_progress_moved_to_the_organisers_channel_by_503s_is_one_message(tmp_path):
    async with campaign_bot(tmp_path) as running:
        sandbox = running.sandbox
        organisers = sandbox.channel("organisateurs")
        # The launching organiser's message cannot be edited (its token refused): the progress
        # goes to the organisers' channel, whose first post Discord stores and answers 503.
        sandbox.faults.fail_next(
            "PATCH", EDIT_FOLLOWUP, 401, code=50027, message="Invalid Webhook Token"
        )
        sandbox.faults.fail_next("POST", MESSAGES, 503, processed=True, major=organisers.id)
        result = await running.invoke("/relance envoyer", as_member="organiser01")
        assert result.deferred and result.error is None
        stats = await campaign_finished(running)
        assert (stats.sent, sum(stats.failed.values())) == (12, 0)
        done = CATALOG.t("reminders.ui.progress_done", "fr", id=stats.campaign.id)
        await wait_for(
            lambda: any(m.content.endswith(done) for m in sandbox.messages(organisers.id)), 500
        )
        [report] = sandbox.messages(organisers.id)
        assert "12/12 envoyées · 3 via le salon du département · 0 échec" in report.content
        assert len(refusals(sandbox, 503)) == 1
        assert sandbox.counters.nonce_replays == 1  # the next post got the stored one back


# --- 3. 429 storms -------------------------------------------------------------------------------


async def test_429_storms_on_posts_dms_and_the_interaction_are_waited_out_nothing_lost(tmp_path):
    async with campaign_bot(tmp_path) as running:
        sandbox = running.sandbox
        faults = sandbox.faults
        # Fewer 429s per route than discord.py's five tries, so that none may end a request.
        faults.rate_limit_storm("POST " + MESSAGES, 4, scope="user", retry_after=0.05)
        faults.rate_limit_storm("POST " + DM_OPEN, 3, scope="shared", retry_after=0.05)
        faults.rate_limit_storm("POST " + CALLBACK, 2, scope="user", retry_after=0.05)
        faults.rate_limit_storm("POST " + FOLLOWUP, 2, scope="user", retry_after=0.05)
        result = await running.invoke("/relance envoyer", as_member="organiser01")
        assert result.deferred and result.error is None
        stats = await campaign_finished(running)
        assert (stats.sent, stats.fallbacks, sum(stats.failed.values())) == (12, 3, 0)
        assert_each_sent_once(running, await ledger(running, stats.campaign.id))
        counters = sandbox.counters
        assert counters.rate_limited_routes == {
            "user POST " + MESSAGES: 4,
            "shared POST " + DM_OPEN: 3,
            "user POST " + CALLBACK: 2,
            "user POST " + FOLLOWUP: 2,
        }
        assert counters.inside_retry_after == {}  # every retry waited as told
        progress = await final_progress(result, stats)
        assert "12/12 envoyées · 3 via le salon du département · 0 échec" in progress.content


async def test_a_global_429_on_the_scheduled_digest_holds_every_request_as_told(tmp_path):
    clock = WatchedClock(MONDAY_8)
    channel_id = Sandbox().channel(NEWS_CHANNEL).id
    async with running_bot(tmp_path, clock=clock, news_channel_id=channel_id) as running:
        sandbox = running.sandbox
        await one_article_for_the_digest(running, clock)
        sandbox.faults.rate_limit_storm("POST " + MESSAGES, 2, scope="global", retry_after=0.1)
        clock.advance(MONDAY_9 - clock.now() + timedelta(seconds=1))
        await wait_for(lambda: bool(sandbox.messages(NEWS_CHANNEL)), attempts=500)
        # Commands are not held by a global limit (interaction answers are exempt).
        help_ = await running.invoke("/aide")
        assert answered(help_)
        assert len(sandbox.messages(NEWS_CHANNEL)) == 1
        assert sandbox.counters.rate_limited == {"global": 2}
        assert sandbox.counters.inside_retry_after == {}


async def test_an_answer_held_by_429s_past_discords_3_s_lets_the_user_know(tmp_path, caplog):
    # Discord's 3 s shrunk to 1.5 s (the margin a loaded machine needs for the next answer);
    # four 429s of 0.5 s hold the answer past it.
    sandbox = Sandbox(SandboxLimits(initial_response_deadline=SHRUNK_DEADLINE))
    async with running_bot(tmp_path, sandbox=sandbox) as running:
        sandbox.faults.rate_limit_storm("POST " + CALLBACK, 4, scope="user", retry_after=0.5)
        with caplog.at_level(logging.WARNING, logger="bot.client"):
            late = await running.invoke("/aide")
            # Discord tells the user the application did not respond; the bot's answer, when
            # it comes, is refused as too late (10062), and logged as such, not as a bug.
            await wait_for(lambda: bool(client_records(caplog)), attempts=500)
        # Whether the refused answer came before the sandbox gave up waiting or after:
        assert late.messages == [] and late.error in (
            f"no response within {SHRUNK_DEADLINE:g} s",
            "the bot answered after the initial-response deadline",
        )
        assert [(r.levelno, r.getMessage(), r.exc_info) for r in client_records(caplog)] == [
            (logging.WARNING, "the answer to /aide came too late for Discord (10062)", None)
        ]
        assert sandbox.counters.inside_retry_after == {}
        again = await running.invoke("/aide")
        assert answered(again)


# --- 4. slow answers -----------------------------------------------------------------------------


async def test_over_slow_posts_a_campaign_defers_and_other_commands_are_answered(tmp_path):
    # Discord's 3 s shrunk to 1.5 s; every channel or DM post takes 2 s, longer than that.
    async with campaign_bot(
        tmp_path, limits=roomy_limits(initial_response_deadline=SHRUNK_DEADLINE)
    ) as running:
        sandbox = running.sandbox
        sandbox.faults.slow("POST " + MESSAGES, 2.0)
        sending = asyncio.ensure_future(running.invoke("/relance envoyer", as_member="organiser01"))
        await wait_for(lambda: sandbox.counters.route("POST", MESSAGES) > 0, attempts=500)
        others = await asyncio.gather(
            running.invoke("/aide", as_member="organiser02"),
            running.invoke("/sante", as_member="organiser02"),
        )
        assert all(answered(r) for r in others)
        result = await sending
        assert result.deferred and result.error is None
        stats = await campaign_finished(running)
        assert (stats.sent, sum(stats.failed.values())) == (12, 0)
        assert_each_sent_once(running, await ledger(running, stats.campaign.id))


async def test_a_page_that_answers_late_is_waited_for_deferred_while_others_are_answered(
    tmp_path,
):
    release = asyncio.Event()
    server = LocalServer()

    async def late_page(request: web.Request) -> web.StreamResponse:
        await release.wait()  # answers when the test says so: no real wait, no race
        return web.Response(body=ARTICLE_HTML.encode(), content_type="text/html")

    server.routes["/lancement.html"] = late_page
    await server.start()
    sandbox = Sandbox(SandboxLimits(initial_response_deadline=SHRUNK_DEADLINE))
    try:
        async with running_bot(
            tmp_path, sandbox=sandbox, news_fetch_allowlist=("127.0.0.1:*",)
        ) as running:
            adding = asyncio.ensure_future(
                running.invoke(f"/news ajouter lien:{server.url('/lancement.html')}")
            )
            await wait_for(lambda: server.hits.get("/lancement.html", 0) == 1, attempts=500)
            help_ = await running.invoke("/aide", as_member="zoe")
            assert answered(help_)
            assert not adding.done()
            release.set()
            added = await adding
            assert added.deferred and added.error is None
            assert added.messages[-1].embeds[0]["title"] == (
                "Article n°1 ajouté\u00a0: Cap Militants ouvre ses portes"
            )
    finally:
        release.set()
        await server.stop()


# --- 5. a hanging feed ---------------------------------------------------------------------------


async def test_a_hanging_feed_times_out_the_others_are_stored_and_organisers_told(tmp_path):
    server = LocalServer()
    never = asyncio.Event()

    async def hanging(request: web.Request) -> web.StreamResponse:
        await never.wait()  # accepted, not answered while the bot runs
        return web.Response(status=204)

    server.routes["/hang.xml"] = hanging
    server.routes["/lancement.html"] = page(ARTICLE_HTML)
    await server.start()
    feed, hang = server.url("/feed.xml"), server.url("/hang.xml")
    server.routes["/feed.xml"] = page(
        rss([("Cap Militants ouvre ses portes", server.url("/lancement.html"))]),
        "application/rss+xml",
    )
    channel_id = Sandbox().channel(NEWS_CHANNEL).id
    try:
        async with running_bot(
            tmp_path,
            news_feeds=(hang, feed),
            news_channel_id=channel_id,
            news_timeout_seconds=1.0,
            news_fetch_allowlist=("127.0.0.1:*",),
        ) as running:
            sandbox = running.sandbox
            await wait_for(lambda: bool(sandbox.messages(NEWS_CHANNEL)), attempts=1000)
            [notice] = sandbox.messages(NEWS_CHANNEL)
            assert notice.content == (
                f"Le flux {hang} est en échec\u00a0: Le site 127.0.0.1 n'a pas répondu en "
                "1 seconde\u00a0: réessayez plus tard. Nouvel essai dans 30 min."
            ), notice.content
            assert "news." not in notice.content
            listed = await running.invoke("/news liste")
            assert "Cap Militants ouvre ses portes" in listed.message.embeds[0]["description"]
            assert server.hits["/hang.xml"] == 1
    finally:
        never.set()
        await server.stop()
