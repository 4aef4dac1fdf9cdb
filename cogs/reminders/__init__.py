"""Nudges to the officers who have not registered: /relance, scheduled runs, the buttons."""

from __future__ import annotations

from bot.client import RelanceBot
from cogs.reminders._cog import Reminders


async def setup(bot: RelanceBot) -> None:
    services = bot.services
    await bot.add_cog(
        Reminders(
            bot, services.reminders, services.registration, services.scheduler, services.clock
        )
    )
