"""Privacy rights and accountability: /confidentialite export and effacer, /audit, the
retention notice and purge."""

from __future__ import annotations

from bot.client import RelanceBot
from cogs.privacy._cog import Privacy


async def setup(bot: RelanceBot) -> None:
    services = bot.services
    await bot.add_cog(Privacy(bot, services.privacy, services.registration, services.scheduler))
