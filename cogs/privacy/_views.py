"""The audit trail's pages, each read when its button reaches it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.client import RelanceBot
from cogs._ui import Paginator


class AuditPaginator(Paginator):
    """A :class:`Paginator` whose pages are read from the database when shown (only the page on
    screen is kept)."""

    def __init__(
        self,
        owner_id: int,
        fetch: Callable[[int], Awaitable[discord.Embed]],
        labels: tuple[str, str],
        *,
        count: int,
        first: discord.Embed,
    ) -> None:
        super().__init__(owner_id, lambda index: first, labels, count=count, first=first)
        self._fetch = fetch

    async def _show(self, interaction: discord.Interaction[RelanceBot], index: int) -> None:
        self.index = min(max(index, 0), self.count - 1)
        if not self.showing(self.index):
            self.keep(self.index, await self._fetch(self.index))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.page(self.index), view=self)
