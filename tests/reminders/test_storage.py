"""The reminders' SQL against a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.reminders.ledger import CampaignLabel, CampaignState
from bot.reminders.models import (
    DeliveryChannel,
    DeliveryState,
    FailureReason,
    PlannedDelivery,
    Step,
    Tier,
)
from bot.reminders.storage import ReminderRepository
from bot.storage.database import Database

NOW = datetime(2010, 3, 21, 9, 0, tzinfo=UTC)
STEP = Step(14, Tier.FRIENDLY, 1, 5)


def planned(key: str, user: int | None, failure: FailureReason | None = None) -> PlannedDelivery:
    return PlannedDelivery(
        officer_key=key,
        first_name=key.title(),
        department="56",
        step=STEP,
        locale="fr",
        channel=DeliveryChannel.UNREACHABLE if failure else DeliveryChannel.DM,
        discord_user_id=user,
        fallback_channel_id=560000000000000000,
        failure=failure,
    )


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[ReminderRepository]:
    db = await Database.open(tmp_path / "relance.sqlite3")
    yield ReminderRepository(db)
    await db.close()


async def campaign(repo: ReminderRepository) -> int:
    rows = [
        (planned("claire", 1), "n1"),
        (planned("emma", 2), "n2"),
        (planned("zoe", None, FailureReason.NOT_LINKED), "n3"),
    ]
    async with repo._db.transaction() as tx:
        return await repo.create_campaign(tx, 14, NOW, "discord:1", CampaignLabel.NOW, rows)


async def test_a_campaign_is_written_with_its_deliveries_unreachable_ones_failed(
    repo: ReminderRepository,
) -> None:
    campaign_id = await campaign(repo)
    found = await repo.campaign(campaign_id)
    assert found is not None
    assert (found.state, found.step_days, found.started_at) == (CampaignState.RUNNING, 14, NOW)
    states = [(d.officer_key, d.state, d.failure) for d in await repo.deliveries(campaign_id)]
    assert states == [
        ("claire", DeliveryState.PLANNED, None),
        ("emma", DeliveryState.PLANNED, None),
        ("zoe", DeliveryState.FAILED, FailureReason.NOT_LINKED),
    ]
    assert await repo.already_sent() == {("claire", 14), ("emma", 14)}


async def test_the_ledger_moves_through_sending_to_sent_and_counts(
    repo: ReminderRepository,
) -> None:
    campaign_id = await campaign(repo)
    claire, emma, _ = await repo.deliveries(campaign_id)
    await repo.mark_sending(claire.id)
    assert [d.id for d in await repo.deliveries(campaign_id, (DeliveryState.SENDING,))] == [
        claire.id
    ]
    await repo.mark_sent(claire.id, 99, NOW)
    await repo.mark_sending(emma.id)
    await repo.move_to_channel(emma.id, 560000000000000000)
    await repo.mark_sent(emma.id, 100, NOW + timedelta(seconds=1))
    moved = await repo.delivery(emma.id)
    assert moved is not None and (moved.channel, moved.fallback) == (DeliveryChannel.CHANNEL, True)
    found = await repo.campaign(campaign_id)
    assert found is not None
    stats = await repo.stats(found)
    assert (stats.planned, stats.sent, stats.fallbacks, stats.pending) == (3, 2, 1, 0)
    assert stats.failed == {FailureReason.NOT_LINKED: 1}
    assert await repo.last_nudges(["claire", "zoe"]) == {"claire": NOW}


async def test_closed_dms_are_remembered_until_reset(repo: ReminderRepository) -> None:
    await repo.add_closed_dm(2, NOW)
    await repo.add_closed_dm(2, NOW)
    assert await repo.closed_dms() == {2}
    assert await repo.clear_closed_dms() == 1
    assert await repo.closed_dms() == set()


async def test_an_exemption_is_replaced_by_the_next_one(repo: ReminderRepository) -> None:
    await repo.set_exemption("claire", date(2010, 3, 25), "congé", "discord:1", NOW)
    await repo.set_exemption("claire", date(2010, 4, 2), "maladie", "discord:1", NOW)
    [exemption] = await repo.exemptions()
    assert (exemption.until, exemption.reason) == (date(2010, 4, 2), "maladie")


async def test_an_ended_snooze_stays_open_until_a_campaign_after_it(
    repo: ReminderRepository,
) -> None:
    await repo.add_snooze("claire", NOW - timedelta(hours=1), NOW - timedelta(hours=25))
    assert [s.officer_key for s in await repo.open_snoozes(NOW)] == ["claire"]
    await campaign(repo)  # started at NOW, after the snooze ended: it nudged claire again
    assert await repo.open_snoozes(NOW) == []


async def test_settings_are_kept(repo: ReminderRepository) -> None:
    assert await repo.setting("schedule") is None
    await repo.set_setting("schedule", "0 10 * * 1-5")
    await repo.set_setting("schedule", "0 9 * * *")
    assert await repo.setting("schedule") == "0 9 * * *"
