"""A 500-officer campaign through the sandbox with the real discord.py: every linked officer gets
exactly one nudge, by DM, or in their department's channel when their DMs are closed."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

from bot.i18n import Catalog
from bot.reminders.ledger import CampaignState
from bot.sandbox import Sandbox, SandboxLimits
from bot.sandbox.generate import generated_guild
from tests.e2e.conftest import running_bot

OFFICERS = 500
CLOSED = 0.1


def roster_csv(sandbox: Sandbox) -> bytes:
    """The guild's officers as a roster (UTF-8, ``;``), each linked by Discord id."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Identifiant", "Prénom", "Nom", "Département", "E-mail", "Discord"])
    officers = [m for m in sandbox.members() if m.department]
    for index, member in enumerate(officers, 1):
        first, _, last = str(member.user.global_name).partition(" ")
        writer.writerow(
            [
                f"RDJ-{index:05d}",
                first,
                last,
                member.department,
                f"{member.user.username}@example.org",
                member.user.id,
            ]
        )
    return out.getvalue().encode()


async def test_a_500_officer_campaign_nudges_each_once_with_channel_fallbacks(tmp_path):
    # Generous DM and channel buckets, so that the campaign runs in seconds; discord.py still
    # follows every rate-limit header the sandbox sends.
    limits = SandboxLimits()
    limits.route_limits["POST /users/@me/channels"] = (500, 1.0)
    limits.route_limits["POST /channels/{channel_id}/messages"] = (500, 1.0)
    limits.global_limit = 1000
    sandbox = Sandbox(limits, guild=generated_guild(OFFICERS, closed_dms=CLOSED, seed=7))
    deadline = (datetime.now(UTC) + timedelta(days=10)).date()
    async with running_bot(
        tmp_path,
        sandbox=sandbox,
        registration_deadline=deadline,
        platform_url="https://plateforme.example.org",
        nudge_confirm_above=1000,
    ) as r:
        registration = r.bot.services.registration
        await registration.import_roster(roster_csv(sandbox), "roster.csv", "test", apply=True)
        result = await r.invoke("/relance envoyer", as_member="organiser01")
        assert result.deferred
        await sandbox.wait_for_messages(OFFICERS, timeout=120)
        reminders = r.bot.services.reminders
        [stats] = await reminders.history()
        for _ in range(1000):  # the ledger's last writes follow the last message
            if stats.campaign.state is CampaignState.DONE:
                break
            await asyncio.sleep(0.01)
            [stats] = await reminders.history()
        assert stats.campaign.state is CampaignState.DONE
        deliveries = {d["username"]: d for d in sandbox.deliveries() if d["department"]}
        closed = {
            m.user.username for m in sandbox.members() if m.department and not m.user.dms_open
        }
        assert len(deliveries) == OFFICERS and len(closed) == OFFICERS * CLOSED
        counts = {name: (d["dm_messages"], d["channel_messages"]) for name, d in deliveries.items()}
        assert {n for n, c in counts.items() if c == (1, 0)} == set(deliveries) - closed
        assert {n for n, c in counts.items() if c == (0, 1)} == closed
        assert (stats.sent, stats.fallbacks) == (OFFICERS, OFFICERS * CLOSED)
        assert sandbox.counters.invalid_requests == len(closed)  # one 403 per closed DM


async def test_sending_without_a_deadline_or_a_roster_says_what_to_fix(tmp_path):
    catalog = Catalog.load()
    async with running_bot(tmp_path, registration_deadline=None) as r:
        result = await r.invoke("/relance envoyer")
        assert result.messages[-1].content == catalog.t("reminders.no_deadline", "fr")
        assert result.messages[-1].ephemeral
    deadline = (datetime.now(UTC) + timedelta(days=10)).date()
    async with running_bot(tmp_path / "empty", registration_deadline=deadline) as r:
        result = await r.invoke("/relance envoyer")
        assert result.messages[-1].content == catalog.t("reminders.empty_roster", "fr")
        assert result.messages[-1].ephemeral
