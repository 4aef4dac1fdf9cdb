"""Who gets a campaign's step, through which channel, and who is skipped and why.

One planner for the preview and the send, so that what ``/relance apercu`` shows is what
``/relance envoyer`` does. Pure: the service reads the roster, exemptions, snoozes, the ledger and
the closed DMs, resolves the department channels, and passes them in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Locale
from bot.registration.departments import department_order
from bot.reminders.models import (
    PROBABLE,
    REGISTERED,
    SELF_DECLARED,
    STATUSES,
    CampaignError,
    CampaignPlan,
    DeliveryChannel,
    Exemption,
    FailureReason,
    PlannedDelivery,
    Recipient,
    Skipped,
    SkipReason,
    Snooze,
    Step,
)
from bot.schedule import deadline_day_end

_STATUS_SKIPS = {
    REGISTERED: SkipReason.REGISTERED,
    SELF_DECLARED: SkipReason.DECLARED,
    PROBABLE: SkipReason.PROBABLE,
}


def plan_campaign(
    recipients: Sequence[Recipient],
    step: Step,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_locale: Locale,
    exemptions: Iterable[Exemption] = (),
    snoozes: Iterable[Snooze] = (),
    already_sent: Collection[tuple[str, int]] = (),
    closed_dms: Collection[int] = (),
    department_channels: Mapping[str, int] | None = None,
) -> CampaignPlan:
    """Plan sending ``step`` to ``recipients`` (the whole roster) at ``now`` (aware).

    - ``exemptions``: organisers' exemptions; those still running on today's date in ``tz`` skip
      their officer (``exempted``);
    - ``snoozes``: running snoozes skip their officer (``snoozed``); an ended snooze not yet
      followed by a nudge sends the step again (``after_snooze``), even if already sent;
    - ``already_sent``: ``(officer key, step days_before)`` pairs in the ledger (``already_sent``);
    - ``closed_dms``: Discord user ids whose DMs are known closed: they go to their department's
      channel in ``department_channels`` (department code → channel id) or are unreachable
      (``no_channel``); officers with no linked account are unreachable (``not_linked``).

    Skip reasons are checked in the order of :class:`~bot.reminders.models.SkipReason`. Raises
    :class:`~bot.reminders.models.CampaignError` ``reminders.empty_roster`` when ``recipients``
    is empty, and ``ValueError`` for a status outside ``STATUSES`` or a repeated officer key.
    """
    if not recipients:
        raise CampaignError("reminders.empty_roster")
    today = now.astimezone(tz).date()
    exempted = {e.officer_key for e in exemptions if e.active_on(today)}
    snoozed: set[str] = set()
    snooze_over: set[str] = set()
    for snooze in snoozes:
        (snoozed if snooze.active_at(now) else snooze_over).add(snooze.officer_key)
    snooze_over -= snoozed  # a newer snooze still running wins
    sent = {key for key, days in already_sent if days == step.days_before}
    closed = set(closed_dms)
    channels = department_channels or {}

    deliveries: list[PlannedDelivery] = []
    unreachable: list[PlannedDelivery] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for officer in sorted(
        recipients, key=lambda r: (department_order(r.department), r.officer_key)
    ):
        if officer.officer_key in seen:
            raise ValueError(f"officer {officer.officer_key!r} is listed twice")
        seen.add(officer.officer_key)
        if officer.status not in STATUSES:
            raise ValueError(f"unknown registration status {officer.status!r}")
        reason = _skip_reason(officer, exempted, sent - snooze_over, snoozed)
        if reason is not None:
            skipped.append(Skipped(officer.officer_key, officer.department, reason))
            continue
        locale = officer.locale or default_locale
        again = officer.officer_key in sent  # not skipped as sent: an ended snooze asks again
        delivery = _route(officer, step, locale, closed, channels, after_snooze=again)
        if delivery.channel is DeliveryChannel.UNREACHABLE:
            unreachable.append(delivery)
        else:
            deliveries.append(delivery)
    return CampaignPlan(step, tuple(deliveries), tuple(unreachable), tuple(skipped))


def _skip_reason(
    officer: Recipient, exempted: set[str], sent: set[str], snoozed: set[str]
) -> SkipReason | None:
    if officer.status in _STATUS_SKIPS:
        return _STATUS_SKIPS[officer.status]
    if officer.officer_key in exempted:
        return SkipReason.EXEMPTED
    if officer.officer_key in sent:
        return SkipReason.ALREADY_SENT
    if officer.officer_key in snoozed:
        return SkipReason.SNOOZED
    return None


def _route(
    officer: Recipient,
    step: Step,
    locale: Locale,
    closed: set[int],
    channels: Mapping[str, int],
    *,
    after_snooze: bool,
) -> PlannedDelivery:
    delivery = PlannedDelivery(
        officer_key=officer.officer_key,
        first_name=officer.first_name,
        department=officer.department,
        step=step,
        locale=locale,
        channel=DeliveryChannel.DM,
        discord_user_id=officer.discord_user_id,
        after_snooze=after_snooze,
    )
    channel_id = channels.get(officer.department)
    if officer.discord_user_id is None:
        unreachable, failure = DeliveryChannel.UNREACHABLE, FailureReason.NOT_LINKED
        return replace(delivery, channel=unreachable, failure=failure)
    if officer.discord_user_id not in closed:
        return replace(delivery, fallback_channel_id=channel_id)
    if channel_id is None:
        unreachable, failure = DeliveryChannel.UNREACHABLE, FailureReason.NO_CHANNEL
        return replace(delivery, channel=unreachable, failure=failure)
    return replace(delivery, channel=DeliveryChannel.CHANNEL, channel_id=channel_id)


def snooze_end(now: datetime, deadline: date, tz: ZoneInfo, hours: int = 24) -> datetime:
    """When "remind me tomorrow", pressed at ``now``, ends (UTC): ``hours`` later, but never past
    the end of the deadline day in ``tz``."""
    return min(now + timedelta(hours=hours), deadline_day_end(deadline, tz)).astimezone(UTC)
