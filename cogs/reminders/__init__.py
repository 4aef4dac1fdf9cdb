"""Nudges to the officers who have not registered: /relance, scheduled runs, the buttons."""

from __future__ import annotations

from bot.client import RelanceBot
from cogs.reminders._cog import Reminders


async def setup(bot: RelanceBot) -> None:
    await bot.add_cog(Reminders(bot, bot.services.reminders))
