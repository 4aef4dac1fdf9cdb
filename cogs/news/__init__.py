"""Press coverage: /news add, digest, list, article, sources, remove; scheduled digests and feeds."""

from __future__ import annotations

from bot.client import RelanceBot
from cogs.news._cog import News


async def setup(bot: RelanceBot) -> None:
    services = bot.services
    await bot.add_cog(News(bot, services.news, services.scheduler, services.clock))
