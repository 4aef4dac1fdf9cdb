"""The reminder commands of ``python -m bot``: ``nudge preview`` and ``nudge history [--json]``.

Without Discord the preview knows only the channels of DEPARTMENT_CHANNELS (a ``dep-<code>``
channel is found by the bot once connected) and the closed DMs the ledger remembers.
"""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import Catalog, Locale
from bot.reminders.ledger import CampaignStats
from bot.reminders.service import ReminderService
from bot.reminders.wording import reasons_text


class ReminderCli:
    def __init__(self, service: ReminderService, catalog: Catalog, locale: Locale) -> None:
        self.service = service
        self.catalog = catalog
        self.locale = locale

    def _t(self, key: str, **params: Any) -> str:
        return self.catalog.t(key, self.locale, **params)

    async def preview(self, as_json: bool = False) -> str:
        found = await self.service.preview()
        plan = found.plan
        if as_json:
            return json.dumps(
                {
                    "step": plan.step.days_before,
                    "deadline": found.deadline.isoformat(),
                    "recipients": plan.recipients,
                    "departments": [
                        {
                            "department": d.department,
                            "dm": d.dm,
                            "channel": d.channel,
                            "unreachable": d.unreachable,
                            "skipped": {r.value: n for r, n in d.skipped.items()},
                        }
                        for d in plan.by_department()
                    ],
                    "skipped": {r.value: n for r, n in plan.by_skip_reason().items()},
                    "unreachable": [
                        {"officer": d.officer_key, "reason": (d.failure or "").__str__()}
                        for d in plan.unreachable
                    ],
                    "sample": found.sample,
                },
                ensure_ascii=False,
                indent=2,
            )
        step = self._t("reminders.step.label", days=plan.step.days_before)
        lines = [
            self._t("reminders.ui.preview_title", step=step),
            self._t("reminders.cli.recipients", count=plan.recipients),
        ]
        for dep in plan.by_department():
            lines.append(
                self._t(
                    "reminders.cli.department_line",
                    department=dep.department,
                    dm=dep.dm,
                    channel=dep.channel,
                    unreachable=dep.unreachable,
                    skipped=sum(dep.skipped.values()),
                )
            )
        for delivery in plan.unreachable:
            reason = self._t(f"reminders.failure.{(delivery.failure or 'not_linked')}")
            lines.append(
                self._t(
                    "reminders.cli.unreachable_line",
                    officer=delivery.officer_key,
                    department=delivery.department,
                    reason=reason,
                )
            )
        if found.sample is not None and found.sample_delivery is not None:
            lines += [
                "",
                self._t("reminders.ui.sample_intro", name=found.sample_delivery.first_name),
            ]
            lines += ["", found.sample]
        return "\n".join(lines)

    async def history(self, as_json: bool = False) -> str:
        found = await self.service.history(limit=50)
        if as_json:
            return json.dumps([_stats_json(s) for s in found], ensure_ascii=False, indent=2)
        if not found:
            return self._t("reminders.ui.history_empty")
        lines = []
        for stats in found:
            campaign = stats.campaign
            failed = reasons_text(self.catalog, self.locale, stats.failed, "failure")
            local = campaign.started_at.astimezone(self.service.timezone)
            lines.append(
                self._t(
                    "reminders.cli.history_line",
                    id=campaign.id,
                    step=self._t("reminders.step.label", days=campaign.step_days),
                    when=self._t("reminders.moment", day=local.date(), time=f"{local:%H:%M}"),
                    late=self._t("reminders.ui.history_late") if campaign.label else "",
                    planned=stats.planned,
                    sent=stats.sent,
                    fallbacks=stats.fallbacks,
                    failed=sum(stats.failed.values()),
                    reasons=self._t("reminders.ui.progress_reasons", reasons=failed)
                    if failed
                    else "",
                    registered=stats.registered_48h,
                )
            )
        return "\n".join(lines)


def _stats_json(stats: CampaignStats) -> dict[str, Any]:
    campaign = stats.campaign
    return {
        "id": campaign.id,
        "step": campaign.step_days,
        "started_at": campaign.started_at.isoformat(),
        "started_by": campaign.started_by,
        "state": campaign.state.value,
        "late": bool(campaign.label),
        "planned": stats.planned,
        "sent": stats.sent,
        "fallbacks": stats.fallbacks,
        "pending": stats.pending,
        "failed": {r.value: n for r, n in sorted(stats.failed.items())},
        "registered_within_48h": stats.registered_48h,
    }
