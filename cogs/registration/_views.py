"""Buttons for the registration commands: self-declaration, import confirmations, undo, review."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

import discord

from bot.errors import InvalidInput, NotFound
from bot.i18n import Locale
from bot.markdown import escape
from bot.registration.models import (
    ImportRecord,
    OfficerMatch,
    ReviewDecision,
    ReviewItem,
    ReviewOverview,
)
from bot.registration.service import RegistrationService
from cogs._ui import ConfirmView, OwnedView, actor
from cogs.registration import _render as render

if TYPE_CHECKING:
    from bot.client import RelanceBot

    Interaction = discord.Interaction[RelanceBot]
    Button = discord.ui.Button[OwnedView]


def confirm_view(
    bot: RelanceBot,
    owner_id: int,
    action: Literal["remove", "relink"],
    on_confirm: Callable[[Interaction], Awaitable[None]],
    locale: Locale,
) -> ConfirmView:
    """Yes or no before ``/roster retirer`` (``remove``) or a link that replaces another."""
    cat = bot.catalog
    keep = "reg.lists.keep_button" if action == "remove" else "reg.lists.cancel_button"
    return ConfirmView(
        owner_id,
        (cat.t(f"reg.lists.{action}_button", locale), cat.t(keep, locale)),
        on_confirm,
        cat.t(f"reg.lists.{action}_kept", locale),
    )


async def member_name(bot: RelanceBot, interaction: Interaction, user_id: int | None) -> str:
    """A member as organisers know them, display name and username (never a bare id)."""
    if user_id is None:
        return ""
    guild = interaction.guild
    user: discord.abc.User | None = guild.get_member(user_id) if guild else None
    if user is None and guild is not None:
        try:
            user = await guild.fetch_member(user_id)
        except discord.HTTPException:
            user = None
    return user_name(bot, bot.locale_for(interaction), user)


def user_name(bot: RelanceBot, locale: Locale, user: discord.abc.User | None) -> str:
    if user is None:
        return bot.catalog.t("reg.lists.unknown_member", locale)
    return bot.catalog.t(
        "reg.lists.member_name", locale, display=user.display_name, username=user.name
    )


class PickOfficerView(OwnedView):
    """The candidates of an ambiguous officer query, to pick one; ``then`` goes on with its key."""

    def __init__(
        self,
        bot: RelanceBot,
        owner_id: int,
        match: OfficerMatch,
        then: Callable[[Interaction, str], Awaitable[None]],
        locale: Locale,
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.then = then
        self.pick: discord.ui.Select[PickOfficerView] = discord.ui.Select(
            custom_id="officer:pick",
            placeholder=bot.catalog.t("reg.lists.pick_placeholder", locale),
            options=[
                discord.SelectOption(label=render.candidate_label(o)[:100], value=o.key[:100])
                for o in match.candidates
            ],
        )
        self.pick.callback = self._picked  # type: ignore[method-assign,assignment]
        self.add_item(self.pick)

    async def _picked(self, interaction: Interaction) -> None:
        self.bot.require_organiser(interaction.user)
        self.stop()
        await self.then(interaction, self.pick.values[0])


class DeclareView(OwnedView):
    """On one's own status: "I have registered"."""

    def __init__(
        self, bot: RelanceBot, service: RegistrationService, owner_id: int, label: str
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.service = service
        self.declare.label = label

    @discord.ui.button(style=discord.ButtonStyle.success, custom_id="status:declare")
    async def declare(self, interaction: Interaction, button: Button) -> None:
        bot = self.bot
        locale = bot.locale_for(interaction)
        result = await self.service.declare_registered(interaction.user.id, interaction.user.name)
        button.disabled = True
        embed = render.officer_embed(bot.catalog, result.officer, locale, bot.settings.platform_url)
        text = (
            bot.catalog.t("reg.ui.declared", locale)
            if result.changed
            else bot.catalog.t(
                "reg.ui.already_declared",
                locale,
                status=render.status_word(bot.catalog, result.officer.officer.status, locale),
            )
        )
        self.stop()  # answered: the disabled button stays on the message, the view goes
        await interaction.response.edit_message(content=text, embed=embed, view=self)


def import_confirm_view(
    bot: RelanceBot,
    service: RegistrationService,
    owner_id: int,
    data: bytes,
    filename: str,
    locale: Locale,
) -> ConfirmView:
    """A roster preview: apply it, or cancel."""

    async def apply(interaction: Interaction) -> None:
        bot.require_organiser(interaction.user)
        await interaction.response.defer()
        diff = await service.import_roster(data, filename, actor(interaction), apply=True)
        embed = render.diff_embed(bot.catalog, diff, bot.locale_for(interaction))
        await interaction.edit_original_response(embed=embed, view=None)

    return ConfirmView(
        owner_id,
        (
            bot.catalog.t("reg.ui.apply_button", locale),
            bot.catalog.t("reg.ui.cancel_button", locale),
        ),
        apply,
        bot.catalog.t("reg.ui.cancelled", locale),
        style=discord.ButtonStyle.success,
    )


def signups_confirm_view(
    bot: RelanceBot,
    service: RegistrationService,
    owner_id: int,
    data: bytes,
    filename: str,
    locale: Locale,
) -> ConfirmView:
    """A sign-up import that changes many statuses at once: import it anyway, or cancel."""

    async def apply(interaction: Interaction) -> None:
        bot.require_organiser(interaction.user)
        await interaction.response.defer()
        report = await service.import_signups(data, filename, actor(interaction))
        pending = await service.pending_reviews()
        embed = render.signups_embed(bot.catalog, report, len(pending), bot.locale_for(interaction))
        await interaction.edit_original_response(content=None, embed=embed, view=None)

    return ConfirmView(
        owner_id,
        (
            bot.catalog.t("reg.ui.import_anyway_button", locale),
            bot.catalog.t("reg.ui.cancel_button", locale),
        ),
        apply,
        bot.catalog.t("reg.ui.cancelled", locale),
    )


class HistoryView(OwnedView):
    """Under the import history: undo the last import (asks first)."""

    def __init__(
        self,
        bot: RelanceBot,
        service: RegistrationService,
        owner_id: int,
        record: ImportRecord,
        locale: Locale,
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.service = service
        self.record = record
        self.undo.label = bot.catalog.t("reg.ui.undo_button", locale)

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="imports:undo")
    async def undo(self, interaction: Interaction, button: Button) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        locale = bot.locale_for(interaction)
        self.stop()
        view = undo_confirm_view(bot, self.service, interaction.user.id, self.record, locale)
        text = render.undo_question(bot.catalog, self.record, locale)
        await interaction.response.send_message(text, view=view, ephemeral=True)


def undo_confirm_view(
    bot: RelanceBot,
    service: RegistrationService,
    owner_id: int,
    record: ImportRecord,
    locale: Locale,
) -> ConfirmView:
    """ "Undo this import?": yes puts everything back as before it; no keeps it."""

    async def undo(interaction: Interaction) -> None:
        bot.require_organiser(interaction.user)
        await interaction.response.defer()
        undone = await service.undo_import(record.id, actor(interaction))
        text = bot.catalog.t(
            "reg.ui.undone", bot.locale_for(interaction), filename=escape(undone.filename)
        )
        await interaction.edit_original_response(content=text, view=None)

    return ConfirmView(
        owner_id,
        (
            bot.catalog.t("reg.ui.undo_confirm_button", locale),
            bot.catalog.t("reg.ui.undo_keep_button", locale),
        ),
        undo,
        bot.catalog.t("reg.ui.undo_kept", locale),
    )


class ReviewView(OwnedView):
    """Probable matches one at a time: Yes, No, Skip. It keeps the officers' keys and the match
    on screen; the next one is read again when it comes (one answered by someone else since is
    passed over)."""

    def __init__(
        self,
        bot: RelanceBot,
        service: RegistrationService,
        owner_id: int,
        items: list[ReviewItem],
        locale: Locale,
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.service = service
        self.keys = tuple(i.officer.officer.key for i in items)
        self.index = 0
        self.current = items[0]
        self.tally = {"accepted": 0, "rejected": 0, "skipped": 0}
        cat = bot.catalog
        self.yes.label = cat.t("common.yes", locale)
        self.no.label = cat.t("common.no", locale)
        self.skip.label = cat.t("reg.ui.review_skip", locale)

    def current_embed(self, locale: Locale) -> discord.Embed:
        return render.review_embed(
            self.bot.catalog, self.current, self.index + 1, len(self.keys), locale
        )

    async def _next(self) -> bool:
        """Move to the next match still waiting; False when there is none."""
        while self.index + 1 < len(self.keys):
            self.index += 1
            try:
                self.current = await self.service.review_item(self.keys[self.index])
            except (InvalidInput, NotFound):  # answered (or removed) since the list was read
                continue
            return True
        self.index = len(self.keys)
        return False

    async def _answer(self, interaction: Interaction, decision: ReviewDecision | None) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        if decision is None:
            self.tally["skipped"] += 1
        else:
            await self.service.review(
                self.current.officer.officer.key, decision, actor(interaction)
            )
            accepted = decision is ReviewDecision.ACCEPT
            self.tally["accepted" if accepted else "rejected"] += 1
        locale = bot.locale_for(interaction)
        if not await self._next():
            self.stop()
            left = len(await self.service.pending_reviews())
            text = "\n".join(
                [
                    bot.catalog.t("reg.ui.review_done", locale, **self.tally),
                    bot.catalog.t("reg.lists.review_left", locale, left=left),
                ]
            )
            await interaction.response.edit_message(content=text, embed=None, view=None)
        else:
            await interaction.response.edit_message(embed=self.current_embed(locale), view=self)

    @discord.ui.button(style=discord.ButtonStyle.success, custom_id="review:yes")
    async def yes(self, interaction: Interaction, button: Button) -> None:
        await self._answer(interaction, ReviewDecision.ACCEPT)

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="review:no")
    async def no(self, interaction: Interaction, button: Button) -> None:
        await self._answer(interaction, ReviewDecision.REJECT)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="review:skip")
    async def skip(self, interaction: Interaction, button: Button) -> None:
        await self._answer(interaction, None)


class ReviewOverviewView(OwnedView):
    """Under the /verification overview: review one by one, or confirm the strong ones. It keeps
    no match: each button reads what is waiting when it is clicked."""

    def __init__(
        self,
        bot: RelanceBot,
        service: RegistrationService,
        owner_id: int,
        overview: ReviewOverview,
        locale: Locale,
    ) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.service = service
        cat = bot.catalog
        self.start.label = cat.t("reg.lists.start_button", locale)
        strong = len(overview.strong)
        self.confirm_strong.label = cat.t("reg.lists.strong_button", locale, count=strong)
        if not strong:
            self.remove_item(self.confirm_strong)

    async def _nothing_left(self, interaction: Interaction, locale: Locale) -> None:
        self.stop()
        text = self.bot.catalog.t("reg.ui.review_empty", locale)
        await interaction.response.edit_message(content=text, embed=None, view=None)

    @discord.ui.button(style=discord.ButtonStyle.primary, custom_id="review:start")
    async def start(self, interaction: Interaction, button: Button) -> None:
        self.bot.require_organiser(interaction.user)
        locale = self.bot.locale_for(interaction)
        overview = await self.service.review_overview()
        items = [i for g in overview.groups for i in g.items]  # department by department
        if not items:
            await self._nothing_left(interaction, locale)
            return
        view = ReviewView(self.bot, self.service, interaction.user.id, items, locale)
        self.stop()  # the overview becomes the first match to answer
        await interaction.response.edit_message(embed=view.current_embed(locale), view=view)

    @discord.ui.button(style=discord.ButtonStyle.success, custom_id="review:strong")
    async def confirm_strong(self, interaction: Interaction, button: Button) -> None:
        bot = self.bot
        bot.require_organiser(interaction.user)
        locale = bot.locale_for(interaction)
        overview = await self.service.review_overview()
        items = overview.strong
        if not overview.total:
            await self._nothing_left(interaction, locale)
            return
        if not items:  # confirmed or answered since: the button goes, the overview stays
            self.remove_item(self.confirm_strong)
            await interaction.response.edit_message(view=self)
            return
        keys = [i.officer.officer.key for i in items]
        lines = render.strong_lines(bot.catalog, items, locale)

        async def apply(click: Interaction) -> None:
            bot.require_organiser(click.user)
            done = await self.service.confirm_strong(keys, actor(click))
            text = bot.catalog.t(
                "reg.lists.strong_done",
                bot.locale_for(click),
                confirmed=len(done.confirmed),
                left=done.left,
            )
            await click.response.edit_message(content=text, embed=None, view=None)

        view = ConfirmView(
            interaction.user.id,
            (
                bot.catalog.t("reg.lists.strong_confirm_button", locale),
                bot.catalog.t("reg.lists.cancel_button", locale),
            ),
            apply,
            bot.catalog.t("reg.lists.strong_kept", locale),
            style=discord.ButtonStyle.success,
        )
        embed = render.strong_embed(bot.catalog, lines, locale)
        files = []
        if len(lines) > render.STRONG_LINES:
            raw = render.strong_lines(bot.catalog, items, locale, markdown=False)
            data = ("\n".join(raw) + "\n").encode("utf-8")
            name = bot.catalog.t("reg.lists.strong_filename", locale)
            files.append(discord.File(io.BytesIO(data), name))
        await interaction.response.send_message(embed=embed, view=view, files=files, ephemeral=True)
