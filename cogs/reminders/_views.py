"""The nudge's two buttons (persistent: they work after a restart) and their sample."""

from __future__ import annotations

import re
from typing import Any

import discord

from cogs._ui import relance

REGISTERED = "registered"
SNOOZE = "snooze"


def custom_id(action: str, delivery_id: int) -> str:
    """A nudge button's ``custom_id``: the delivery id in it is the marker a restart looks for."""
    return f"relance:{action}:{delivery_id}"


class NudgeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"relance:(?P<action>registered|snooze):(?P<id>[0-9]+)",
):
    """ "Je suis inscrit·e" / "Me le rappeler demain" on a nudge; the delivery id is in the
    ``custom_id``, so the button needs no state in memory and survives restarts."""

    def __init__(self, action: str, delivery_id: int, label: str = "") -> None:
        style = (
            discord.ButtonStyle.success if action == REGISTERED else discord.ButtonStyle.secondary
        )
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=custom_id(action, delivery_id)
            )
        )
        self.action = action
        self.delivery_id = delivery_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> NudgeButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot = relance(interaction)
        service = bot.services.reminders
        try:
            if self.action == REGISTERED:
                changed = await service.declare(self.delivery_id, interaction.user.id)
                key = (
                    "reminders.ui.registered_thanks"
                    if changed
                    else "reminders.ui.registered_already"
                )
                text = bot.t(interaction, key)
            else:
                until = await service.snooze(self.delivery_id, interaction.user.id)
                text = bot.t(
                    interaction, "reminders.ui.snoozed", when=f"<t:{int(until.timestamp())}:R>"
                )
        except Exception as exc:
            await bot.report_error(interaction, exc)
            return
        await interaction.response.send_message(text, ephemeral=True)


def nudge_view(delivery_id: int, labels: tuple[str, str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NudgeButton(REGISTERED, delivery_id, labels[0]))
    view.add_item(NudgeButton(SNOOZE, delivery_id, labels[1]))
    return view


def sample_view(labels: tuple[str, str]) -> discord.ui.View:
    """The buttons as the officer will see them, disabled (in the preview)."""
    view = discord.ui.View(timeout=None)
    for label, style in zip(
        labels, (discord.ButtonStyle.success, discord.ButtonStyle.secondary), strict=True
    ):
        view.add_item(discord.ui.Button(label=label, style=style, disabled=True))
    return view
