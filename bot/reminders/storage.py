"""The reminders' SQL: campaigns, the delivery ledger, closed DMs, exemptions, snoozes, the
officers' languages and DM channels."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from bot.i18n import Locale, as_locale
from bot.reminders.ledger import Campaign, CampaignLabel, CampaignState, CampaignStats, Delivery
from bot.reminders.models import (
    DeliveryChannel,
    DeliveryState,
    Exemption,
    FailureReason,
    PlannedDelivery,
    Snooze,
)
from bot.storage.database import Database, Transaction

Reader = Database | Transaction

_DELIVERY_COLUMNS = (
    "id, campaign_id, officer_key, first_name, department, locale, step_days, channel, "
    "discord_user_id, channel_id, fallback_channel_id, nonce, state, failure, message_id, "
    "sent_at, fallback"
)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _campaign(row: sqlite3.Row) -> Campaign:
    return Campaign(
        id=row["id"],
        step_days=row["step_days"],
        started_at=datetime.fromisoformat(row["started_at"]),
        started_by=row["started_by"],
        state=CampaignState(row["state"]),
        label=CampaignLabel(row["label"]),
        finished_at=_dt(row["finished_at"]),
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        campaign_id=row["campaign_id"],
        officer_key=row["officer_key"],
        first_name=row["first_name"],
        department=row["department"],
        locale=as_locale(row["locale"]),
        step_days=row["step_days"],
        channel=DeliveryChannel(row["channel"]),
        discord_user_id=row["discord_user_id"],
        channel_id=row["channel_id"],
        fallback_channel_id=row["fallback_channel_id"],
        nonce=row["nonce"],
        state=DeliveryState(row["state"]),
        failure=FailureReason(row["failure"]) if row["failure"] else None,
        message_id=row["message_id"],
        sent_at=_dt(row["sent_at"]),
        fallback=bool(row["fallback"]),
    )


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- campaigns ----------------------------------------------------------------------------

    async def create_campaign(
        self,
        tx: Transaction,
        step_days: int,
        started_at: datetime,
        started_by: str,
        label: CampaignLabel,
        deliveries: Sequence[tuple[PlannedDelivery, str]],
    ) -> int:
        """A running campaign and its deliveries (each with its nonce); the unreachable ones are
        written already failed, with their reason."""
        campaign_id = await tx.insert(
            "INSERT INTO reminder_campaigns (step_days, started_at, started_by, state, label) "
            "VALUES (?, ?, ?, 'running', ?)",
            (step_days, started_at.isoformat(), started_by, label.value),
        )
        await tx.executemany(
            "INSERT INTO reminder_deliveries (campaign_id, officer_key, first_name, department, "
            "locale, step_days, channel, discord_user_id, channel_id, fallback_channel_id, nonce, "
            "state, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    campaign_id,
                    d.officer_key,
                    d.first_name,
                    d.department,
                    d.locale,
                    d.step.days_before,
                    d.channel.value,
                    d.discord_user_id,
                    d.channel_id,
                    d.fallback_channel_id,
                    nonce,
                    DeliveryState.FAILED.value if d.failure else DeliveryState.PLANNED.value,
                    d.failure.value if d.failure else None,
                )
                for d, nonce in deliveries
            ],
        )
        return campaign_id

    async def campaign(self, campaign_id: int) -> Campaign | None:
        row = await self._db.fetchone(
            "SELECT * FROM reminder_campaigns WHERE id = ?", (campaign_id,)
        )
        return _campaign(row) if row else None

    async def unfinished_campaigns(self) -> list[Campaign]:
        rows = await self._db.fetchall(
            "SELECT * FROM reminder_campaigns WHERE state != 'done' ORDER BY id"
        )
        return [_campaign(r) for r in rows]

    async def campaigns(self, limit: int = 20) -> list[Campaign]:
        rows = await self._db.fetchall(
            "SELECT * FROM reminder_campaigns ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_campaign(r) for r in rows]

    async def set_campaign_state(
        self, campaign_id: int, state: CampaignState, when: datetime | None = None
    ) -> None:
        await self._db.execute(
            "UPDATE reminder_campaigns SET state = ?, finished_at = ? WHERE id = ?",
            (state.value, when.isoformat() if when else None, campaign_id),
        )

    # --- deliveries ---------------------------------------------------------------------------

    async def delivery(self, delivery_id: int) -> Delivery | None:
        row = await self._db.fetchone(
            f"SELECT {_DELIVERY_COLUMNS} FROM reminder_deliveries WHERE id = ?", (delivery_id,)
        )
        return _delivery(row) if row else None

    async def deliveries(
        self, campaign_id: int, states: Iterable[DeliveryState] | None = None
    ) -> list[Delivery]:
        sql = f"SELECT {_DELIVERY_COLUMNS} FROM reminder_deliveries WHERE campaign_id = ?"
        params: list[object] = [campaign_id]
        if states is not None:
            wanted = [s.value for s in states]
            sql += f" AND state IN ({','.join('?' * len(wanted))})"
            params += wanted
        rows = await self._db.fetchall(sql + " ORDER BY id", params)
        return [_delivery(r) for r in rows]

    async def mark_sending(self, delivery_id: int) -> None:
        await self._db.execute(
            "UPDATE reminder_deliveries SET state = 'sending' WHERE id = ?", (delivery_id,)
        )

    async def move_to_channel(self, delivery_id: int, channel_id: int) -> None:
        """A refused DM goes to the department channel instead (still ``sending``)."""
        await self._db.execute(
            "UPDATE reminder_deliveries SET channel = 'channel', channel_id = ?, fallback = 1 "
            "WHERE id = ?",
            (channel_id, delivery_id),
        )

    async def mark_sent(self, delivery_id: int, message_id: int, when: datetime) -> None:
        await self._db.execute(
            "UPDATE reminder_deliveries SET state = 'sent', message_id = ?, sent_at = ?, "
            "failure = NULL WHERE id = ?",
            (message_id, when.isoformat(), delivery_id),
        )

    async def mark_failed(self, delivery_id: int, failure: FailureReason) -> None:
        await self._db.execute(
            "UPDATE reminder_deliveries SET state = 'failed', failure = ? WHERE id = ?",
            (failure.value, delivery_id),
        )

    async def already_sent(self) -> set[tuple[str, int]]:
        """(officer key, step) pairs sent or under way: nobody gets a step twice."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT officer_key, step_days FROM reminder_deliveries "
            "WHERE state IN ('planned', 'sending', 'sent')"
        )
        return {(r[0], r[1]) for r in rows}

    async def last_nudges(self, officer_keys: Sequence[str]) -> dict[str, datetime]:
        """When each officer was last nudged (the registration feature's ``NudgeLookup``); a few
        officers' are point reads on the event loop (an officer's few deliveries, by index)."""
        rows = await self._db.fetchall_in(
            "SELECT officer_key, MAX(sent_at) FROM reminder_deliveries "
            "WHERE state = 'sent' AND officer_key IN ({marks}) GROUP BY officer_key",
            list(officer_keys),
            point=True,
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows if r[1]}

    async def stats(self, campaign: Campaign) -> CampaignStats:
        rows = await self._db.fetchall(
            "SELECT state, failure, fallback, COUNT(*) FROM reminder_deliveries "
            "WHERE campaign_id = ? GROUP BY state, failure, fallback",
            (campaign.id,),
        )
        planned = sent = fallbacks = pending = 0
        failed: Counter[FailureReason] = Counter()
        for state, failure, fallback, count in rows:
            planned += count
            if state == DeliveryState.SENT:
                sent += count
                fallbacks += count if fallback else 0
            elif state == DeliveryState.FAILED:
                failed[FailureReason(failure or FailureReason.HTTP_ERROR)] += count
            else:
                pending += count
        return CampaignStats(campaign, planned, sent, fallbacks, pending, failed)

    # --- closed DMs, exemptions, snoozes, settings ---------------------------------------------

    async def closed_dms(self) -> set[int]:
        rows = await self._db.fetchall("SELECT discord_user_id FROM reminder_closed_dms")
        return {r[0] for r in rows}

    async def add_closed_dm(self, user_id: int, when: datetime) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO reminder_closed_dms (discord_user_id, since) VALUES (?, ?)",
            (user_id, when.isoformat()),
        )

    async def clear_closed_dms(self, user_id: int | None = None) -> int:
        if user_id is None:
            return await self._db.execute("DELETE FROM reminder_closed_dms")
        return await self._db.execute(
            "DELETE FROM reminder_closed_dms WHERE discord_user_id = ?", (user_id,)
        )

    # --- officers' languages and DM channels -----------------------------------------------------

    async def locales(self) -> dict[int, Locale]:
        """The language of each Discord user's last interaction with the bot (fr or en)."""
        rows = await self._db.fetchall("SELECT discord_user_id, locale FROM reminder_locales")
        return {r[0]: as_locale(r[1]) for r in rows}

    async def set_locale(self, user_id: int, locale: Locale | None, when: datetime) -> None:
        """Remember ``user_id``'s language; ``None`` (one we do not speak) forgets it."""
        if locale is None:
            await self._db.execute(
                "DELETE FROM reminder_locales WHERE discord_user_id = ?", (user_id,)
            )
            return
        await self._db.execute(
            "INSERT INTO reminder_locales (discord_user_id, locale, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT (discord_user_id) DO UPDATE SET locale = excluded.locale, "
            "seen_at = excluded.seen_at",
            (user_id, locale, when.isoformat()),
        )

    async def dm_channel(self, user_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT channel_id FROM reminder_dm_channels WHERE discord_user_id = ?", (user_id,)
        )
        return int(row[0]) if row else None

    async def set_dm_channel(self, user_id: int, channel_id: int) -> None:
        await self._db.execute(
            "INSERT INTO reminder_dm_channels (discord_user_id, channel_id) VALUES (?, ?) "
            "ON CONFLICT (discord_user_id) DO UPDATE SET channel_id = excluded.channel_id",
            (user_id, channel_id),
        )

    async def forget_dm_channel(self, user_id: int) -> None:
        await self._db.execute(
            "DELETE FROM reminder_dm_channels WHERE discord_user_id = ?", (user_id,)
        )

    async def set_exemption(
        self, officer_key: str, until: date, reason: str, by: str, when: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO reminder_exemptions (officer_key, until, reason, by, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (officer_key) DO UPDATE SET until = excluded.until, "
            "reason = excluded.reason, by = excluded.by, created_at = excluded.created_at",
            (officer_key, until.isoformat(), reason, by, when.isoformat()),
        )

    async def exemptions(self) -> list[Exemption]:
        rows = await self._db.fetchall(
            "SELECT officer_key, until, reason FROM reminder_exemptions ORDER BY officer_key"
        )
        return [Exemption(r[0], date.fromisoformat(r[1]), r[2]) for r in rows]

    async def add_snooze(self, officer_key: str, until: datetime, when: datetime) -> None:
        await self._db.execute(
            "INSERT INTO reminder_snoozes (officer_key, until, created_at) VALUES (?, ?, ?)",
            (officer_key, until.isoformat(), when.isoformat()),
        )

    async def open_snoozes(self, now: datetime) -> list[Snooze]:
        """Running snoozes, and ended ones not yet followed by a nudge."""
        rows = await self._db.fetchall(
            "SELECT s.officer_key, s.until FROM reminder_snoozes s WHERE s.until > ? OR NOT EXISTS "
            "(SELECT 1 FROM reminder_deliveries d WHERE d.officer_key = s.officer_key "
            "AND d.state IN ('planned', 'sending', 'sent') AND d.campaign_id IN "
            "(SELECT id FROM reminder_campaigns WHERE started_at >= s.until))",
            (now.isoformat(),),
        )
        return [Snooze(r[0], datetime.fromisoformat(r[1])) for r in rows]

    async def setting(self, name: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM reminder_settings WHERE name = ?", (name,))
        return str(row[0]) if row else None

    async def set_setting(self, name: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO reminder_settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
