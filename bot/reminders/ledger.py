"""The delivery ledger as the domain sees it: campaigns, their deliveries and their figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.i18n import Locale
from bot.reminders.models import DeliveryChannel, DeliveryState, FailureReason


class CampaignState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"


class CampaignLabel(StrEnum):
    NOW = ""  # sent when it was due, or by an organiser
    LATE = "late"  # a scheduled run made after its time (the bot was down)


@dataclass(frozen=True)
class Campaign:
    id: int
    step_days: int
    started_at: datetime
    started_by: str
    state: CampaignState
    label: CampaignLabel
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """One row of the ledger: a nudge to one officer in one campaign."""

    id: int
    campaign_id: int
    officer_key: str
    first_name: str
    department: str
    locale: Locale
    step_days: int
    channel: DeliveryChannel
    discord_user_id: int | None
    channel_id: int | None
    fallback_channel_id: int | None
    nonce: str
    state: DeliveryState
    failure: FailureReason | None
    message_id: int | None
    sent_at: datetime | None
    fallback: bool


@dataclass(frozen=True)
class CampaignStats:
    """A campaign's figures: ``planned`` deliveries (the unreachable included), how many were
    ``sent``, of which ``fallbacks`` went to a department channel, failures by reason, and
    ``registered_48h``: officers nudged who registered (or said so) within 48 hours."""

    campaign: Campaign
    planned: int
    sent: int
    fallbacks: int
    pending: int
    failed: Counter[FailureReason] = field(default_factory=Counter)
    registered_48h: int = 0

    @property
    def done(self) -> int:
        return self.sent + sum(self.failed.values())
