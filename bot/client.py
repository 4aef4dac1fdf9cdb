"""The Discord client: a ``commands.Bot`` built by the entry point with its services injected."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.errors import UserError, render_user_error
from bot.i18n import Catalog, Locale, as_locale
from bot.markdown import escape
from bot.scheduler import TaskGroup
from bot.services import Services

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "cogs.meta",
    "cogs.registration",
    "cogs.news",
    "cogs.reminders",
    "cogs.privacy",
)

# The bot never joins voice: silence discord.py's start-up warnings about voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

# Discord locales that get the English catalog; every other client sees the French default.
ENGLISH_LOCALES = {discord.Locale.american_english, discord.Locale.british_english}
UNKNOWN_INTERACTION = 10062  # Discord: the interaction was not answered within 3 s
# The log line (INFO) once the background work of a start is done (benchmarks wait for it).
STARTUP_DONE = "start-up work done"


class CatalogTranslator(app_commands.Translator):
    """Localises command names, descriptions and choices from the message catalog.

    A localisable string carries its catalog key: ``locale_str("aide", key="cmd.help.name")``.
    French is the default text sent to Discord; English clients get the ``en`` sentence.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if not key or locale not in ENGLISH_LOCALES or not self.catalog.has(key):
            return None
        return self.catalog.t(key, "en")


class NotOrganiser(app_commands.CheckFailure):
    """The caller lacks the organiser role."""


class RelanceTree(app_commands.CommandTree["RelanceBot"]):
    """The command tree; its single error handler is :meth:`RelanceBot.report_error`."""

    async def on_error(
        self, interaction: discord.Interaction[RelanceBot], error: app_commands.AppCommandError
    ) -> None:
        await self.client.report_error(interaction, error)


class RelanceBot(commands.Bot):
    def __init__(
        self,
        services: Services,
        *,
        extensions: tuple[str, ...] = EXTENSIONS,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        options.setdefault("guild_ready_timeout", 2.0)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=RelanceTree,
            **options,
        )
        self.services = services
        self.settings = services.settings
        self.catalog = services.catalog
        self.version = __version__
        self._extensions = extensions
        self._background = TaskGroup()
        self._startup: list[asyncio.Future[Any]] = []

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogTranslator(self.catalog))
        for extension in self._extensions:
            await self.load_extension(extension)
        await self.sync_commands()
        self._background.start(self._log_startup_done(time.monotonic()), "start-up work")

    def startup_work(self, task: asyncio.Future[Any]) -> None:
        """Work a start does in the background (a cog's ``cog_load``: a model loaded, say):
        the log says when all of it is done (:data:`STARTUP_DONE`). Until then the commands
        answered share the interpreter with it: a start's cost, not the bot's usual one."""
        self._startup.append(task)

    async def _log_startup_done(self, began: float) -> None:
        await asyncio.gather(*self._startup, return_exceptions=True)  # failures: logged by theirs
        await self.services.registration.drawn_ahead()  # the chart warmed up and drawn ahead
        log.info("%s %.1f s after the cogs were loaded", STARTUP_DONE, time.monotonic() - began)

    async def close(self) -> None:
        await self._background.cancel_all()
        await super().close()

    async def sync_commands(self) -> None:
        """SYNC_COMMANDS: ``off``; ``guild``, to GUILD_ID only (never globally: without GUILD_ID
        nothing is synced and a warning says why); ``global``, on request."""
        mode = self.settings.sync_commands
        if mode == "off":
            return
        if mode == "guild":
            if self.settings.guild_id is None:
                log.warning("SYNC_COMMANDS=guild needs GUILD_ID: commands were not synced")
                return
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d commands (%s)", len(synced), mode)

    # ----- locale and permissions -------------------------------------------------------------

    def locale_for(self, interaction: discord.Interaction[RelanceBot]) -> Locale:
        """The caller's language: their client's if we speak it, else the configured default."""
        default = self.settings.locale
        return as_locale(str(interaction.locale), default) if interaction.locale else default

    def t(self, interaction: discord.Interaction[RelanceBot], key: str, /, **params: Any) -> str:
        return self.catalog.t(key, self.locale_for(interaction), **params)

    def require_organiser(self, member: discord.abc.User | None) -> None:
        """Raise :class:`NotOrganiser` unless ``member`` holds the organiser role."""
        if not self.is_organiser(member):
            raise NotOrganiser()

    def is_organiser(self, member: discord.abc.User | None) -> bool:
        if not isinstance(member, discord.Member):
            return False
        wanted = self.settings.organiser_role
        for role in member.roles:
            if str(role.id) == wanted or role.name.casefold() == wanted.casefold():
                return True
        return bool(member.guild_permissions.administrator)

    # ----- errors ------------------------------------------------------------------------------

    async def report_error(
        self, interaction: discord.Interaction[RelanceBot], error: Exception
    ) -> None:
        """Turn any error into a short private reply; log what the user cannot fix.

        Order: domain errors (their own sentence), permission and argument errors, Discord
        refusing our answer (logged, friendly reply), then anything else (logged with the
        command, user and guild; a plain apology).
        """
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
            # Answered after Discord's 3 s (the bot or Discord was slow): Discord has told the
            # user that the application did not respond, and no reply can reach them now.
            command = interaction.command.qualified_name if interaction.command else "?"
            log.warning("the answer to /%s came too late for Discord (10062)", command)
            return
        text = self.describe_error(interaction, original)
        if text is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "unexpected error in /%s (user %s, guild %s)",
                command,
                interaction.user.id if interaction.user else "?",
                interaction.guild_id,
                exc_info=original,
            )
            text = self.t(interaction, "error.unexpected")
        await self.send_private(interaction, text)

    def describe_error(
        self, interaction: discord.Interaction[RelanceBot], error: BaseException
    ) -> str | None:
        locale = self.locale_for(interaction)
        if isinstance(error, UserError):
            return render_user_error(self.catalog, error, locale)
        if isinstance(error, NotOrganiser):
            return self.catalog.t("error.not_organiser", locale, role=self.settings.organiser_role)
        if isinstance(error, app_commands.NoPrivateMessage):
            return self.catalog.t("error.guild_only", locale)
        if isinstance(error, app_commands.CommandOnCooldown):
            return self.catalog.t("error.cooldown", locale, seconds=round(error.retry_after))
        if isinstance(error, app_commands.TransformerError):
            return self.catalog.t(  # the value is what was typed: shown as text
                "error.bad_argument",
                locale,
                name=escape(str(error.value)),
                detail=escape(str(error)),
            )
        if isinstance(error, discord.HTTPException) and error.status == 400:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.warning("Discord refused the answer to /%s: %s %s", command, error.code, error.text)
            if error.code == 50035:
                return self.catalog.t("error.reply_too_long", locale)
            return self.catalog.t("error.discord_refused", locale)
        return None

    async def send_private(self, interaction: discord.Interaction[RelanceBot], text: str) -> None:
        try:
            if (
                interaction.response.type
                is discord.InteractionResponseType.deferred_channel_message
            ):
                # A failed command that had deferred: its "thinking…" placeholder may be public,
                # and the first follow-up would replace it publicly. Remove it, answer privately.
                with contextlib.suppress(discord.HTTPException):
                    await interaction.delete_original_response()
                await interaction.followup.send(text, ephemeral=True)
            elif interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("could not send an error reply: %s %s", exc.status, exc.code)
