"""Small pieces every cog uses: localised command texts, the organiser check, paging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import cache
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.client import RelanceBot
from bot.i18n import Catalog, Locale

T = TypeVar("T")


@cache
def _definitions() -> Catalog:
    """The catalog for command *definitions* only: discord.py needs a command's French name and
    description when its class is defined, before any bot (and its injected catalog) exists.
    Everything said at run time goes through the bot's catalog."""
    return Catalog.load()


def text(key: str) -> app_commands.locale_str:
    """A localisable command text: French by default, English for English clients."""
    return app_commands.locale_str(_definitions().raw(key, "fr"), key=key)


def command(key: str) -> dict[str, Any]:
    """Name and description of a command or group from ``<key>.name`` and ``<key>.desc``."""
    return {"name": text(f"{key}.name"), "description": text(f"{key}.desc")}


def actor(interaction: discord.Interaction[RelanceBot]) -> str:
    """Who did it, as the audit log records people: ``discord:<user id>``."""
    return f"discord:{interaction.user.id}"


def relance(interaction: discord.Interaction[Any]) -> RelanceBot:
    """The bot behind an interaction, typed: views' callbacks get the untyped client."""
    client = interaction.client
    if not isinstance(client, RelanceBot):
        raise TypeError("interaction from another client")
    return client


def organiser_only() -> Callable[[T], T]:
    """A check run by the bot itself (Discord's permission UI is only a hint)."""

    async def predicate(interaction: discord.Interaction[RelanceBot]) -> bool:
        bot = interaction.client
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        bot.require_organiser(interaction.user)
        return True

    def decorator(func: T) -> T:
        checked = app_commands.check(predicate)(func)
        checked.__relance_organiser__ = True  # type: ignore[attr-defined]
        return checked

    return decorator


def is_organiser_command(cmd: app_commands.Command[Any, ..., Any] | app_commands.Group) -> bool:
    if isinstance(cmd, app_commands.Command):
        return bool(getattr(cmd.callback, "__relance_organiser__", False)) or bool(
            cmd.extras.get("organiser")
        )
    return False


def line_page_builder(
    catalog: Catalog,
    title: str,
    lines: Sequence[str],
    per_page: int,
    locale: Locale,
    *,
    header: str = "",
) -> tuple[Callable[[int], discord.Embed], int]:
    """A list as pages of ``per_page`` lines, numbered in the footer when there are several: a
    function building page ``i`` (from 0) and the number of pages. What it keeps is one text per
    page, not the embeds: a :class:`Paginator` builds the page it shows."""
    texts = tuple("\n".join(lines[i : i + per_page]) for i in range(0, len(lines), per_page)) or (
        "",
    )
    count = len(texts)
    prefix = header + "\n\n" if header else ""

    def build(index: int) -> discord.Embed:
        embed = discord.Embed(
            title=title, description=prefix + texts[index], colour=discord.Colour.blurple()
        )
        if count > 1:
            page = catalog.t("common.page", locale, page=index + 1, pages=count)
            embed.set_footer(text=page)
        return embed

    return build, count


def line_pages(
    catalog: Catalog,
    title: str,
    lines: Sequence[str],
    per_page: int,
    locale: Locale,
    *,
    header: str = "",
) -> list[discord.Embed]:
    """A list as embeds of ``per_page`` lines each, numbered in the footer when there are several."""
    build, count = line_page_builder(catalog, title, lines, per_page, locale, header=header)
    return [build(index) for index in range(count)]


class OwnedView(discord.ui.View):
    """A view only the person who ran the command may use; errors go to the bot's handler."""

    def __init__(self, owner_id: int, *, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        bot = relance(interaction)
        await bot.send_private(interaction, bot.t(interaction, "common.not_yours"))
        return False

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        bot = relance(interaction)
        await bot.report_error(interaction, error)


class ConfirmView(OwnedView):
    """A question's two buttons, for the one who asked: go ahead (``on_confirm`` answers the
    click), or cancel (the message then says ``cancelled``, without its embed and buttons)."""

    def __init__(
        self,
        owner_id: int,
        labels: tuple[str, str],
        on_confirm: Callable[[discord.Interaction[RelanceBot]], Awaitable[None]],
        cancelled: str,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.danger,
    ) -> None:
        super().__init__(owner_id)
        self.on_confirm = on_confirm
        self.cancelled = cancelled
        self.confirm.label, self.cancel.label = labels
        self.confirm.style = style

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="confirm:yes")
    async def confirm(
        self, interaction: discord.Interaction[RelanceBot], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await self.on_confirm(interaction)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="confirm:no")
    async def cancel(
        self, interaction: discord.Interaction[RelanceBot], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=self.cancelled, embed=None, view=None)


class Paginator(OwnedView):
    """Pages of embeds with Previous/Next buttons.

    ``pages`` is the list of pages, or a function building page ``i`` (from 0) when it is shown,
    with ``count`` pages in all. Only the page on screen is kept (a view lives ten minutes after
    its answer): going back to a page builds it again, so a builder should work from small inputs
    (texts, keys), never from the embeds of every page.
    """

    def __init__(
        self,
        owner_id: int,
        pages: Sequence[discord.Embed] | Callable[[int], discord.Embed],
        labels: tuple[str, str],
        *,
        count: int | None = None,
        first: discord.Embed | None = None,
    ) -> None:
        super().__init__(owner_id)
        if callable(pages):
            if count is None:
                raise ValueError("a page builder needs the number of pages")
            self._build, self.count = pages, count
        else:
            listed = list(pages)
            self._build, self.count = listed.__getitem__, len(listed)
        # the page on screen, as (index, embed)
        self._shown: tuple[int, discord.Embed] | None = None if first is None else (0, first)
        self.index = 0
        self.previous.label = labels[0]
        self.next.label = labels[1]
        self._update_buttons()

    def page(self, index: int) -> discord.Embed:
        """Page ``index`` (from 0), built unless it is the one on screen; it becomes that one."""
        if self._shown is None or self._shown[0] != index:
            self._shown = (index, self._build(index))
        return self._shown[1]

    def showing(self, index: int) -> bool:
        """Whether page ``index`` is the one kept (on screen)."""
        return self._shown is not None and self._shown[0] == index

    def keep(self, index: int, embed: discord.Embed) -> None:
        """Page ``index`` built elsewhere (read from the database, say): the one on screen now."""
        self._shown = (index, embed)

    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= self.count - 1

    async def _show(self, interaction: discord.Interaction[RelanceBot], index: int) -> None:
        self.index = min(max(index, 0), self.count - 1)
        self._update_buttons()
        await interaction.response.edit_message(embed=self.page(self.index), view=self)

    @discord.ui.button(label="<", style=discord.ButtonStyle.secondary, custom_id="page:previous")
    async def previous(
        self, interaction: discord.Interaction[RelanceBot], button: discord.ui.Button[Any]
    ) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label=">", style=discord.ButtonStyle.secondary, custom_id="page:next")
    async def next(
        self, interaction: discord.Interaction[RelanceBot], button: discord.ui.Button[Any]
    ) -> None:
        await self._show(interaction, self.index + 1)


async def send_pages(
    interaction: discord.Interaction[RelanceBot],
    pages: Sequence[discord.Embed] | Callable[[int], discord.Embed],
    *,
    ephemeral: bool,
    files: Sequence[discord.File] = (),
    count: int | None = None,
) -> None:
    """Answer with the first page, and buttons when there are more; works deferred or not.
    ``pages``: the embeds, or a function building page ``i`` (from 0) of ``count``."""
    bot = interaction.client
    if callable(pages):
        if count is None:
            raise ValueError("a page builder needs the number of pages")
        first = pages(0)
    else:
        first, count = pages[0], len(pages)
    kwargs: dict[str, Any] = {"embed": first, "files": list(files)}
    if count > 1:
        kwargs["view"] = Paginator(
            interaction.user.id,
            pages,
            (bot.t(interaction, "common.previous"), bot.t(interaction, "common.next")),
            count=count,
            first=first,
        )
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
