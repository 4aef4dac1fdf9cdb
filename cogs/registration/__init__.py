"""Officer registration: /status, /progression, /roster, /inscriptions, /verification."""

from __future__ import annotations

from bot.client import RelanceBot
from cogs.registration._cog import Registration


async def setup(bot: RelanceBot) -> None:
    await bot.add_cog(Registration(bot, bot.services.registration, bot.services.scheduler))
