"""The bot's requests and the sandbox's answers, checked against Discord's OpenAPI description.

Known differences between the description and what discord.py and Discord really send are
tolerated, not fixed: snowflakes and ``default_member_permissions`` sent as integers, booleans as
``1``/``0`` in query strings, and multipart bodies (files), which the validator does not cover.
Rules the description lacks (2000 characters of content, 6000 across embeds, ``allowed_mentions``
exclusivity) are checked here separately.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest

from bot.sandbox import Sandbox, SandboxLimits
from bot.sandbox.errors import ApiError
from bot.sandbox.validation import check_message_body
from tests.openapi_check import HOST, PREFIX, Exchange, extra_rules, openapi, validate

__all__ = ["openapi"]  # the session fixture


async def _scripted_session(sandbox: Sandbox, start_bot) -> list[Exchange]:  # type: ignore[no-untyped-def]
    exchanges: list[Exchange] = []
    sandbox.on_exchange(lambda *args: exchanges.append(Exchange(*args)))

    async def setup(bot: commands.Bot) -> None:
        tree: app_commands.CommandTree[Any] = bot.tree

        @tree.command(name="aide", description="Aide")
        async def aide(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Aide", description="Les commandes").add_field(
                name="/status", value="Statut"
            )
            await interaction.response.send_message(
                "Aide", embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

        @tree.command(name="rapport", description="Rapport")
        @app_commands.default_permissions(manage_guild=True)
        async def rapport(
            interaction: discord.Interaction, jours: app_commands.Range[int, 1, 30] = 7
        ) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"Rapport sur {jours} jours")
            await interaction.edit_original_response(content="Rapport mis à jour")
            await interaction.followup.send("Détail", ephemeral=True)

        async def officers(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name="Lefebvre", value="lefebvre")]

        @tree.command(name="status", description="Statut")
        @app_commands.autocomplete(officier=officers)
        async def status(
            interaction: discord.Interaction, officier: str, membre: discord.Member | None = None
        ) -> None:
            view = discord.ui.View(timeout=30)
            button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
                label="Oui", custom_id="oui"
            )

            async def clicked(click: discord.Interaction) -> None:
                await click.response.edit_message(content="Confirmé", view=None)

            button.callback = clicked  # type: ignore[method-assign,assignment]
            view.add_item(button)
            await interaction.response.send_message(f"Statut de {officier}", view=view)

    bot = await start_bot(setup)
    await sandbox.invoke("/aide")
    await sandbox.invoke("/rapport jours:3")
    await sandbox.autocomplete("/status officier:Le")
    asked = await sandbox.invoke("/status officier:lefebvre membre:@claire")
    await sandbox.click(asked.message, "Oui")

    channel = bot.get_channel(sandbox.channel("relances").id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send(
        "Relance",
        embed=discord.Embed(title="Relance"),
        allowed_mentions=discord.AllowedMentions(users=True),
    )
    await sent.edit(content="Relance (modifiée)")
    await channel.fetch_message(sent.id)
    await sent.delete()
    await channel.send("Note", nonce="abc-1")
    with pytest.raises(discord.HTTPException):
        await channel.send("x" * 2001)
    await (await bot.fetch_user(sandbox.member("claire").id)).send("Bonjour Claire")
    with pytest.raises(discord.Forbidden):
        await (await bot.fetch_user(sandbox.member("emma").id)).send("Bonjour Emma")
    await bot.fetch_guild(sandbox.guild_id)
    guild = bot.get_guild(sandbox.guild_id)
    assert guild is not None
    await guild.fetch_member(sandbox.member("bob").id)
    await asyncio.sleep(0)
    return exchanges


@pytest.mark.asyncio
async def test_scripted_session_matches_the_description(
    openapi: OpenAPI, sandbox: Sandbox, start_bot
) -> None:  # type: ignore[no-untyped-def]
    exchanges = await _scripted_session(sandbox, start_bot)
    routes = {f"{e.method} {e.path.split('/')[1]}" for e in exchanges}
    assert {
        "GET users",
        "PUT applications",
        "POST interactions",
        "POST webhooks",
        "PATCH webhooks",
        "POST channels",
    } <= routes

    problems = [p for e in exchanges for p in validate(openapi, e)]
    assert problems == [], "\n".join(problems)
    over = [p for e in exchanges for p in extra_rules(e)]
    assert over == [
        "POST /channels/"
        + str(sandbox.channel("relances").id)
        + "/messages: content over 2000 characters"
    ]


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ({"content": "x" * 2001}, "content over 2000 characters"),
        (
            {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
            "embeds over 6000 characters",
        ),
        (
            {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
            "allowed_mentions parse and users together",
        ),
    ],
)
def test_rules_the_description_lacks(openapi: OpenAPI, body: dict[str, Any], rule: str) -> None:
    exchange = Exchange("POST", "/channels/1/messages", {}, body, 200, None)
    request = MockRequest(
        HOST,
        "post",
        PREFIX + exchange.path,
        headers={"Authorization": "Bot t"},
        data=json.dumps(body).encode(),
    )
    openapi.validate_request(request)  # the description accepts it...
    assert extra_rules(exchange) == [f"POST /channels/1/messages: {rule}"]
    with pytest.raises(ApiError) as refused:  # ...the sandbox does not
        check_message_body(body, SandboxLimits())
    assert refused.value.code == 50035
