"""Link requests in ``/verification``: a member who holds the Discord username the roster gives an
officer not linked yet is linked only when an organiser confirms it here (a username can pass to
someone else). One request at a time: Confirm, Refuse, Skip. The member is shown as a mention,
which pings nobody (no mention is allowed in these messages)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import Catalog, Locale
from bot.markdown import clip, escape
from bot.registration.departments import departments
from bot.registration.links import LinkRequest
from bot.registration.service import RegistrationService
from cogs._ui import OwnedView, actor
from cogs.registration._render import when

if TYPE_CHECKING:
    from bot.client import RelanceBot

    Interaction = discord.Interaction[RelanceBot]

log = logging.getLogger(__name__)
NO_PING = discord.AllowedMentions.none()


def request_embed(
    cat: Catalog, request: LinkRequest, index: int, total: int, locale: Locale
) -> discord.Embed:
    """One request as an organiser judges it: who asks, for which officer, since when."""
    officer = request.officer
    department = departments().by_code(officer.department)
    embed = discord.Embed(
        title=cat.t("registration.link.title", locale, index=index, total=total)[:256],
        description=clip(
            cat.t(
                "registration.link.description",
                locale,
                member=f"<@{request.discord_user_id}>",
                name=escape(officer.full_name),
                key=escape(officer.key),
                department=escape(department.label if department else officer.department),
            ),
            4096,
        ),
        colour=discord.Colour.gold(),
    )
    embed.add_field(
        name=cat.t("registration.link.requested_at", locale), value=when(request.requested_at)
    )
    return embed


def overview_field(cat: Catalog, embed: discord.Embed, count: int, locale: Locale) -> None:
    """The line under the ``/verification`` overview saying how many members wait."""
    embed.add_field(
        name=cat.t("registration.link.field", locale),
        value=cat.t("registration.link.field_value", locale, count=count)[:1024],
        inline=False,
    )


class OpenLinkRequests(discord.ui.Button[Any]):
    """Under the ``/verification`` overview: the link requests, one at a time."""

    def __init__(
        self, bot: RelanceBot, service: RegistrationService, count: int, locale: Locale
    ) -> None:
        super().__init__(
            style=discord.ButtonStyle.primary,
            label=bot.catalog.t("registration.link.open_button", locale, count=count)[:80],
            custom_id="links:open",
        )
        self.bot = bot
        self.service = service

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        locale = bot.locale_for(interaction)
        requests = await self.service.link_requests()
        if not requests:
            await interaction.response.send_message(
                bot.catalog.t("registration.link.none", locale), ephemeral=True
            )
            return
        view = LinkRequestsView(bot, self.service, interaction.user.id, requests, locale)
        await interaction.response.send_message(
            embed=view.current_embed(locale),
            view=view,
            ephemeral=True,
            allowed_mentions=NO_PING,
        )


class LinkRequestsView(OwnedView):
    """The waiting link requests one at a time, for the organiser who opened them. It keeps the
    requests' numbers and the one on screen; the next is read again when it comes (one answered
    by someone else since, or made moot by a link, is passed over)."""

    def __init__(
        self,
        bot: RelanceBot,
        service: RegistrationService,
        owner_id: int,
        requests: list[LinkRequest],
        locale: Locale,
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.service = service
        self.ids = tuple(r.id for r in requests)
        self.index = 0
        self.current = requests[0]
        self.tally = {"confirmed": 0, "refused": 0, "skipped": 0}
        cat = bot.catalog
        self.confirm.label = cat.t("registration.link.confirm_button", locale)
        self.refuse.label = cat.t("registration.link.refuse_button", locale)
        self.skip.label = cat.t("registration.link.skip_button", locale)

    def current_embed(self, locale: Locale) -> discord.Embed:
        return request_embed(self.bot.catalog, self.current, self.index + 1, len(self.ids), locale)

    async def _next(self) -> bool:
        """Move to the next request still waiting; False when there is none."""
        later = set(self.ids[self.index + 1 :])
        waiting = {r.id: r for r in await self.service.link_requests() if r.id in later}
        while self.index + 1 < len(self.ids):
            self.index += 1
            request = waiting.get(self.ids[self.index])
            if request is not None:
                self.current = request
                return True
        self.index = len(self.ids)
        return False

    async def _answer(self, interaction: Interaction, said: str | None) -> None:
        """``said``: what was done to the current request (None: skipped), shown above the next."""
        locale = self.bot.locale_for(interaction)
        if not await self._next():
            self.stop()
            done = self.bot.catalog.t("registration.link.done", locale, **self.tally)
            text = "\n".join(line for line in (said, done) if line)
            await interaction.response.edit_message(
                content=text, embed=None, view=None, allowed_mentions=NO_PING
            )
        else:
            await interaction.response.edit_message(
                content=said or None,
                embed=self.current_embed(locale),
                view=self,
                allowed_mentions=NO_PING,
            )

    @discord.ui.button(style=discord.ButtonStyle.success, custom_id="links:confirm")
    async def confirm(self, interaction: Interaction, button: discord.ui.Button[Any]) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        request = self.current
        linked = await self.service.confirm_link_request(request.id, actor(interaction))
        self.tally["confirmed"] += 1
        said = bot.t(
            interaction,
            "registration.link.confirmed",
            member=f"<@{request.discord_user_id}>",
            name=escape(linked.officer.full_name),
        )
        await self._answer(interaction, said)

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="links:refuse")
    async def refuse(self, interaction: Interaction, button: discord.ui.Button[Any]) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        request = self.current
        await self.service.refuse_link_request(request.id, actor(interaction))
        self.tally["refused"] += 1
        said = bot.t(
            interaction, "registration.link.refused", member=f"<@{request.discord_user_id}>"
        )
        await self._answer(interaction, said)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="links:skip")
    async def skip(self, interaction: Interaction, button: discord.ui.Button[Any]) -> None:
        self.bot.require_organiser(interaction.user)
        self.tally["skipped"] += 1
        await self._answer(interaction, None)


async def notify_organisers(bot: RelanceBot, waiting: int) -> None:
    """A new request: the organisers' channel (``ORGANISER_CHANNEL_ID``) is told how many
    wait, without a name. A channel that cannot be reached only logs a warning: the member has
    had their answer."""
    channel_id = bot.settings.organiser_channel_id
    if channel_id is None:
        return
    text = bot.catalog.t("registration.link.notice", bot.settings.locale, count=waiting)
    try:
        await bot.get_partial_messageable(channel_id).send(text, allowed_mentions=NO_PING)
    except discord.HTTPException as exc:
        log.warning("could not post the link request notice: %s %s", exc.status, exc.code)
