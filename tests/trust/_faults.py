"""Helpers of the fault suite: a campaign-ready bot on a generated guild, and the check that the
delivery ledger and what the sandbox delivered agree (none lost, none doubled)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.reminders.ledger import CampaignState, CampaignStats
from bot.sandbox import Sandbox, SandboxLimits
from bot.sandbox.generate import generated_guild
from tests.e2e.conftest import Running, running_bot
from tests.e2e.test_reminders_scale import roster_csv

OFFICERS = 12
CLOSED_DMS = 0.25  # 3 of 12: their nudges go to their department's channel
MESSAGES = "/channels/{channel_id}/messages"
DM_OPEN = "/users/@me/channels"
CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"
EDIT_FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
GUARD = 20.0  # seconds: bounded waits fail only on a hang


def roomy_limits(**fields: Any) -> SandboxLimits:
    """Discord's limits, with DM and channel buckets wide enough for a campaign to take a
    second; discord.py still follows every header, and the faults come on top."""
    limits = SandboxLimits(**fields)
    limits.route_limits["POST /users/@me/channels"] = (500, 1.0)
    limits.route_limits["POST /channels/{channel_id}/messages"] = (500, 1.0)
    limits.global_limit = 1000
    return limits


@contextlib.asynccontextmanager
async def campaign_bot(
    tmp_path: Any,
    *,
    officers: int = OFFICERS,
    closed_dms: float = CLOSED_DMS,
    limits: SandboxLimits | None = None,
    **overrides: Any,
) -> AsyncIterator[Running]:
    """The real bot on a generated guild whose officers are on the roster, linked by id, with
    a deadline ten days ahead and the organisers' channel for reports."""
    sandbox = Sandbox(
        limits or roomy_limits(), guild=generated_guild(officers, closed_dms=closed_dms, seed=5)
    )
    deadline = (datetime.now(UTC) + timedelta(days=10)).date()
    settings: dict[str, Any] = {
        "registration_deadline": deadline,
        "platform_url": "https://plateforme.example.org",
        "nudge_confirm_above": 1000,
        "organiser_channel_id": sandbox.channel("organisateurs").id,
        **overrides,
    }
    async with running_bot(tmp_path, sandbox=sandbox, **settings) as running:
        registration = running.bot.services.registration
        await registration.import_roster(roster_csv(sandbox), "roster.csv", "test", apply=True)
        yield running


async def campaign_finished(running: Running) -> CampaignStats:
    """The last campaign's figures once it is done (the ledger's last writes follow the last
    message the sandbox saw)."""
    reminders = running.bot.services.reminders
    async with asyncio.timeout(GUARD):
        while True:
            history = await reminders.history(1)
            if history and history[0].campaign.state is CampaignState.DONE:
                return history[0]
            await asyncio.sleep(0.02)


@dataclass(frozen=True)
class LedgerRow:
    delivery_id: int
    user_id: int
    state: str
    failure: str | None
    message_id: int | None


async def ledger(running: Running, campaign_id: int) -> list[LedgerRow]:
    rows = await running.bot.services.db.fetchall(
        "SELECT id, discord_user_id, state, failure, message_id FROM reminder_deliveries"
        " WHERE campaign_id = ? ORDER BY id",
        (campaign_id,),
    )
    return [LedgerRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def assert_each_sent_once(running: Running, rows: list[LedgerRow]) -> None:
    """Every delivery the ledger says sent is one message the officer has, with its marker; a
    failed one left them nothing; nobody has a second nudge."""
    sandbox = running.sandbox
    delivered = {int(d["id"]): d for d in sandbox.deliveries() if d["department"]}
    assert Counter(r.user_id for r in rows) == Counter(dict.fromkeys(delivered, 1))
    for row in rows:
        got = delivered[row.user_id]
        ids = [int(m["id"]) for m in got["messages"]]
        if row.state == "sent":
            assert ids == [row.message_id], (got["username"], ids, row)
            assert f"relance:registered:{row.delivery_id}" in got["markers"]
        else:
            assert row.state == "failed" and ids == [], (got["username"], ids, row)
