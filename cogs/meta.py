"""/aide and /sante: what the bot can do for the caller, and how it is doing."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import RelanceBot
from bot.health import HealthService
from cogs._ui import command, is_organiser_command


class Meta(commands.Cog):
    def __init__(self, bot: RelanceBot, health: HealthService) -> None:
        self.bot = bot
        self.health_service = health
        self._lines: dict[str, list[tuple[str, str, bool]]] = {}

    @app_commands.command(**command("cmd.help"))
    async def help(self, interaction: discord.Interaction[RelanceBot]) -> None:
        bot = self.bot
        locale = bot.locale_for(interaction)
        organiser = bot.is_organiser(interaction.user)
        lines = []
        for name, description, needs_role in self.command_lines(locale):
            if needs_role and not organiser:
                continue
            suffix = f" {bot.catalog.t('help.organiser_only', locale)}" if needs_role else ""
            lines.append(f"`/{name}` — {description}{suffix}")
        embed = discord.Embed(
            title=bot.catalog.t("help.title", locale),
            description="\n".join(lines) or bot.catalog.t("help.none", locale),
            colour=discord.Colour.blurple(),
        )
        embed.set_footer(text=bot.catalog.t("help.footer", locale))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    def command_lines(self, locale: str) -> list[tuple[str, str, bool]]:
        """(localised qualified name, description, organiser only) for every slash command.

        The tree does not change once the bot runs, so each language is computed once.
        """
        if locale not in self._lines:
            self._lines[locale] = self._command_lines(locale)
        return self._lines[locale]

    def _command_lines(self, locale: str) -> list[tuple[str, str, bool]]:
        catalog = self.bot.catalog

        def local(value: app_commands.locale_str | str) -> str:
            key = value.extras.get("key") if isinstance(value, app_commands.locale_str) else None
            if key and catalog.has(key):
                return catalog.t(key, "en" if locale == "en" else "fr")
            return str(value)

        lines: list[tuple[str, str, bool]] = []
        for cmd in self.bot.tree.walk_commands():
            if isinstance(cmd, app_commands.Group):
                continue
            parts = []
            node: Any = cmd
            while node is not None:
                parts.append(local(node._locale_name or node.name))
                node = node.parent
            name = " ".join(reversed(parts))
            description = local(cmd._locale_description or cmd.description)
            lines.append((name, description, is_organiser_command(cmd)))
        return sorted(lines)

    @app_commands.command(**command("cmd.health"))
    async def health(self, interaction: discord.Interaction[RelanceBot]) -> None:
        bot = self.bot
        t = bot.t
        health = await self.health_service.report()
        days, rest = divmod(health.uptime_seconds, 86400)
        hours, rest = divmod(rest, 3600)
        latency = bot.latency
        colour = discord.Colour.orange() if health.locked else discord.Colour.green()
        embed = discord.Embed(title=t(interaction, "health.title"), colour=colour)
        embed.add_field(name=t(interaction, "health.version"), value=bot.version)
        embed.add_field(
            name=t(interaction, "health.uptime"),
            value=t(interaction, "health.uptime_value", days=days, hours=hours, minutes=rest // 60),
        )
        embed.add_field(
            name=t(interaction, "health.latency"),
            value=t(interaction, "health.latency_value", ms=round(latency * 1000))
            if latency == latency and latency != float("inf")
            else t(interaction, "health.latency_unknown"),
        )
        embed.add_field(
            name=t(interaction, "health.database"),
            value=t(
                interaction,
                "health.database_locked" if health.locked else "health.database_value",
                state=health.database,
                version=health.schema_version,
            ),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: RelanceBot) -> None:
    await bot.add_cog(Meta(bot, bot.services.health))
