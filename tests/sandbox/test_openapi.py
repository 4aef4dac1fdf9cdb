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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from bot.sandbox import Sandbox, SandboxLimits
from bot.sandbox.errors import ApiError
from bot.sandbox.validation import check_message_body

SPEC = Path(__file__).resolve().parents[1] / "data" / "discord-openapi" / "openapi.json"
HOST = "https://discord.com"
PREFIX = "/api/v10"
SNOWFLAKE_LISTS = {"users", "roles", "sticker_ids", "applied_tags"}


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    """Discord's description, loaded once per test session (it takes several seconds)."""
    return OpenAPI.from_file_path(str(SPEC))


@dataclass
class Exchange:
    method: str
    path: str
    query: dict[str, str]
    request: Any
    status: int
    response: Any


def _as_spec_sends(value: Any, key: str = "") -> Any:
    """Turn what discord.py sends into what the description expects (ints → snowflake strings)."""
    if isinstance(value, dict):
        return {k: _as_spec_sends(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_spec_sends(v, key if key in SNOWFLAKE_LISTS else "") for v in value]
    if key == "default_member_permissions" and isinstance(value, str):
        return int(value)  # the description wants an integer here, discord.py sends a string
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if is_int and (key == "id" or key.endswith("_id") or key in SNOWFLAKE_LISTS):
        return str(value)
    return value


def _query(query: dict[str, str]) -> dict[str, str]:
    return {k: {"1": "true", "0": "false"}.get(v, v) for k, v in query.items()}


def _numeric_error_codes(value: Any) -> Any:
    """Discord answers ``_errors`` codes as strings ("BASE_TYPE_MAX_LENGTH"); the description says integers."""
    if isinstance(value, dict):
        return {
            k: [{**e, "code": 0} for e in v] if k == "_errors" else _numeric_error_codes(v)
            for k, v in value.items()
        }
    return value


def _validate(openapi: OpenAPI, exchange: Exchange) -> list[str]:
    problems: list[str] = []
    body = (
        None if exchange.request is None else json.dumps(_as_spec_sends(exchange.request)).encode()
    )
    request = MockRequest(
        HOST,
        exchange.method.lower(),
        PREFIX + exchange.path,
        args=_query(exchange.query),
        headers={"Authorization": "Bot token"},
        data=body,
    )
    where = f"{exchange.method} {exchange.path} -> {exchange.status}"
    try:
        openapi.validate_request(request)
    except Exception as error:
        problems.append(f"request {where}: {error}")
    if exchange.status == 204:
        response = MockResponse(b"", 204, content_type="")
    else:
        answer = exchange.response
        if isinstance(answer, dict) and "errors" in answer:
            answer = {**answer, "errors": _numeric_error_codes(answer["errors"])}
        response = MockResponse(json.dumps(answer).encode(), exchange.status)
    try:
        openapi.validate_response(request, response)
    except Exception as error:
        problems.append(f"response {where}: {error}")
    return problems


def _extra_rules(exchange: Exchange) -> list[str]:
    """Message rules the description does not carry, checked independently of the sandbox."""
    body = exchange.request
    if not isinstance(body, dict) or exchange.method not in ("POST", "PATCH"):
        return []
    if exchange.path.endswith("/callback"):
        body = body.get("data") or {}
    problems = []
    if len(body.get("content") or "") > 2000:
        problems.append("content over 2000 characters")
    total = 0
    for embed in body.get("embeds") or []:
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(
            len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields") or []
        )
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        problems.append("embeds over 6000 characters")
    mentions = body.get("allowed_mentions") or {}
    for kind in ("users", "roles"):
        if kind in (mentions.get("parse") or []) and mentions.get(kind):
            problems.append(f"allowed_mentions parse and {kind} together")
    return [f"{exchange.method} {exchange.path}: {p}" for p in problems]


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

    problems = [p for e in exchanges for p in _validate(openapi, e)]
    assert problems == [], "\n".join(problems)
    over = [p for e in exchanges for p in _extra_rules(e)]
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
    assert _extra_rules(exchange) == [f"POST /channels/1/messages: {rule}"]
    with pytest.raises(ApiError) as refused:  # ...the sandbox does not
        check_message_body(body, SandboxLimits())
    assert refused.value.code == 50035
