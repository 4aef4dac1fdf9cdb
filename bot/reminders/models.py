"""The reminders' domain types: steps, recipients, planned deliveries and campaign plans.

Closed sets are :class:`enum.StrEnum` members, whose values are what the database stores and
what the catalog keys end with (``reminders.tier.<tier>``, ``reminders.skip.<reason>``,
``reminders.failure.<reason>``, ``reminders.channel.<channel>``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.errors import InvalidInput
from bot.i18n import Locale
from bot.registration.departments import department_order

# Registration statuses as the registration feature stores them (a ``StrEnum`` of theirs whose
# values are these strings compares equal to them).
REGISTERED = "registered"
PROBABLE = "probable"
SELF_DECLARED = "self_declared"
UNREGISTERED = "unregistered"
STATUSES = (REGISTERED, PROBABLE, SELF_DECLARED, UNREGISTERED)


class Tier(StrEnum):
    """The tone of a step's message: the first step is friendly, the last a last call, those in
    between firmer. A ladder of one step is a last call; of two, friendly then last call."""

    FRIENDLY = "friendly"
    FIRMER = "firmer"
    LAST_CALL = "last_call"


class DeliveryChannel(StrEnum):
    """Where a nudge goes: the officer's DMs, their department's channel (DMs closed), or nowhere
    (``unreachable``: no linked account, or DMs closed and no department channel)."""

    DM = "dm"
    CHANNEL = "channel"
    UNREACHABLE = "unreachable"


class DeliveryState(StrEnum):
    """A delivery's life in the ledger: written ``planned`` with the plan, ``sending`` just before
    the request (with its nonce), then ``sent`` or ``failed``. At start-up a ``sending`` delivery
    is sent again with the same nonce, which Discord answers with the first message."""

    PLANNED = "planned"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class FailureReason(StrEnum):
    """Why a delivery failed or could not be attempted."""

    NOT_LINKED = "not_linked"  # no Discord account linked to the officer
    NO_CHANNEL = "no_channel"  # DMs closed and the department has no channel
    DM_CLOSED = "dm_closed"  # DMs refused (403, code 50007) and no fallback was possible
    CHANNEL_FORBIDDEN = "channel_forbidden"  # the bot may not post in the department channel
    NOT_FOUND = "not_found"  # the user or the channel no longer exists
    HTTP_ERROR = "http_error"  # any other error from Discord


class SkipReason(StrEnum):
    """Why an officer of the roster is not nudged, checked in this order."""

    REGISTERED = "registered"
    DECLARED = "declared"  # said "I've registered"; nudged again if an organiser rejects it
    PROBABLE = "probable"  # a sign-up probably matches, waiting for an organiser's review
    EXEMPTED = "exempted"  # an organiser exempted them until a date
    ALREADY_SENT = "already_sent"  # already had this step
    SNOOZED = "snoozed"  # asked to be reminded later, and that time has not come


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: sent ``days_before`` the deadline, in the tone of ``tier``;
    ``number`` counts from 1 in the order they are sent, out of ``count``. A step is known by its
    ``days_before`` (what the ledger stores), so it keeps its identity if the ladder changes."""

    days_before: int
    tier: Tier
    number: int
    count: int

    def day(self, deadline: date) -> date:
        """The day this step comes due."""
        return deadline - timedelta(days=self.days_before)

    @property
    def is_last(self) -> bool:
        return self.number == self.count


@dataclass(frozen=True)
class Recipient:
    """An officer as a campaign sees them. ``department`` is its code (``56``, ``2A``, ``974``);
    ``status`` one of :data:`STATUSES`; ``locale`` the one Discord gave, if any."""

    officer_key: str
    first_name: str
    department: str
    status: str
    discord_user_id: int | None
    locale: Locale | None = None


@dataclass(frozen=True)
class Exemption:
    """An organiser's exemption: no nudges up to and including ``until``."""

    officer_key: str
    until: date
    reason: str

    def active_on(self, today: date) -> bool:
        return today <= self.until


@dataclass(frozen=True)
class Snooze:
    """ "Remind me tomorrow": no nudge before ``until``. A snooze that has ended and has not been
    followed by a nudge yet (the service passes only those and active ones) asks for the current
    step again, even if the officer already had it."""

    officer_key: str
    until: datetime

    def active_at(self, now: datetime) -> bool:
        return now < self.until


@dataclass(frozen=True)
class PlannedDelivery:
    """One nudge to send: ``channel`` ``dm`` (to ``discord_user_id``, falling back to
    ``fallback_channel_id`` if the DM is refused) or ``channel`` (``channel_id``, mentioning only
    that user); ``unreachable`` with ``failure`` saying why. ``after_snooze``: a repeat of a step
    the officer already had, asked for with "remind me tomorrow"."""

    officer_key: str
    first_name: str
    department: str
    step: Step
    locale: Locale
    channel: DeliveryChannel
    discord_user_id: int | None
    channel_id: int | None = None
    fallback_channel_id: int | None = None
    failure: FailureReason | None = None
    after_snooze: bool = False


@dataclass(frozen=True)
class Skipped:
    officer_key: str
    department: str
    reason: SkipReason


@dataclass(frozen=True)
class DepartmentPlan:
    """A department's line in the preview: how many through each channel (``dm``, ``channel``,
    ``unreachable``), how many skipped and why; counts absent from the mappings are zero."""

    department: str
    channels: Mapping[DeliveryChannel, int]
    skipped: Mapping[SkipReason, int]

    @property
    def dm(self) -> int:
        return self.channels.get(DeliveryChannel.DM, 0)

    @property
    def channel(self) -> int:
        return self.channels.get(DeliveryChannel.CHANNEL, 0)

    @property
    def unreachable(self) -> int:
        return self.channels.get(DeliveryChannel.UNREACHABLE, 0)


@dataclass(frozen=True)
class CampaignPlan:
    """What a campaign will do, shared by the preview and the send.

    ``deliveries`` are sent (through a DM or a channel), ``unreachable`` cannot be (the ledger
    records them as failed, the preview lists them with how to link them), ``skipped`` are not
    nudged and why. Each list is ordered by department, then officer key.
    """

    step: Step
    deliveries: tuple[PlannedDelivery, ...]
    unreachable: tuple[PlannedDelivery, ...]
    skipped: tuple[Skipped, ...]

    @property
    def recipients(self) -> int:
        """How many nudges will be sent (what ``NUDGE_CONFIRM_ABOVE`` is compared with)."""
        return len(self.deliveries)

    def by_channel(self) -> Counter[DeliveryChannel]:
        return Counter(d.channel for d in (*self.deliveries, *self.unreachable))

    def by_skip_reason(self) -> Counter[SkipReason]:
        return Counter(s.reason for s in self.skipped)

    def by_department(self) -> list[DepartmentPlan]:
        """One line per department that has anyone in the plan, in department order."""
        channels: defaultdict[str, Counter[DeliveryChannel]] = defaultdict(Counter)
        skipped: defaultdict[str, Counter[SkipReason]] = defaultdict(Counter)
        for delivery in (*self.deliveries, *self.unreachable):
            channels[delivery.department][delivery.channel] += 1
        for skip in self.skipped:
            skipped[skip.department][skip.reason] += 1
        codes = sorted(set(channels) | set(skipped), key=department_order)
        return [DepartmentPlan(c, dict(channels[c]), dict(skipped[c])) for c in codes]


class CampaignError(InvalidInput):
    """A campaign that cannot be planned: ``reminders.no_deadline``, ``reminders.empty_roster``,
    ``reminders.deadline_passed``."""
