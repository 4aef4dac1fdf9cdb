"""Channel messages and DMs sent by the bot: closed DMs, nonces, subscriptions, the demo guild."""

from __future__ import annotations

import io

import discord
import pytest
from discord.http import Route

from bot.sandbox import ChannelSpec, GuildSpec, MemberSpec, Sandbox, SandboxUsageError

pytestmark = pytest.mark.asyncio


async def test_demo_guild(sandbox: Sandbox) -> None:
    organisers = [m.username for m in sandbox.members() if "Organisateurs" in m.role_names]
    assert organisers == ["alice", "bob"]
    assert [m.username for m in sandbox.members()] == [
        "alice",
        "bob",
        "claire",
        "david",
        "emma",
        "zoe",
    ]
    assert [m.username for m in sandbox.members() if not m.dms_open] == ["emma"]
    assert {m.locale for m in sandbox.members()} == {"fr"}
    assert sandbox.member("alice").roles == [sandbox.role("Organisateurs").id]
    assert sandbox.member("Claire Dubois") is sandbox.member("claire")
    assert sandbox.channel("#relances").name == "relances"
    assert sandbox.describe_channel(sandbox.channel("dep-29").id) == "#dep-29"
    with pytest.raises(SandboxUsageError):
        sandbox.member("personne")


async def test_demo_ids_are_stable_across_instances() -> None:
    first, second = Sandbox(), Sandbox()
    assert first.guild_id == second.guild_id
    assert first.member("zoe").id == second.member("zoe").id
    assert first.channel("general").id == second.channel("general").id


async def test_guild_can_be_replaced() -> None:
    spec = GuildSpec(
        name="Test", channels=(ChannelSpec("annonces"),), members=(MemberSpec("yann"),)
    )
    box = Sandbox(guild=spec)
    assert [m.username for m in box.members()] == ["yann"]
    assert [c.name for c in box.channels()] == ["annonces"]


async def test_channel_message_with_embed_and_subscription(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    subscription = sandbox.subscribe()
    channel = bot.get_channel(sandbox.channel("revue-de-presse").id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send(
        "Revue du jour", embed=discord.Embed(title="Titre", description="Résumé")
    )

    posted = await subscription.get(timeout=10)
    subscription.close()
    assert posted.id == sent.id
    assert posted.embeds[0]["title"] == "Titre"
    assert sandbox.messages("revue-de-presse") == [posted]
    assert posted.interaction_id is None


async def test_dm_to_an_open_member(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(sandbox.member("claire").id)
    await user.send("Relance : pensez à votre inscription")

    assert [m.content for m in sandbox.dm_messages("claire")] == [
        "Relance : pensez à votre inscription"
    ]
    assert sandbox.describe_channel(sandbox.dm_messages("claire")[0].channel_id) == "DM with claire"


async def test_dm_to_a_closed_member_is_403_50007_and_invalid(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(sandbox.member("emma").id)
    with pytest.raises(discord.Forbidden) as raised:
        await user.send("Relance")

    assert raised.value.code == 50007
    assert sandbox.dm_messages("emma") == []
    assert sandbox.counters.invalid_requests == 1
    assert (sandbox.errors[-1].status, sandbox.errors[-1].code) == (403, 50007)


async def test_enforce_nonce_returns_the_same_message(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    channel_id = sandbox.channel("relances").id
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    body = {"content": "Relance hebdo", "nonce": "relance-42", "enforce_nonce": True}
    first = await bot.http.request(route, json=body)
    second = await bot.http.request(
        Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id), json=body
    )
    without = await bot.http.request(
        Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id),
        json={"content": "Relance hebdo", "nonce": "relance-42"},
    )

    assert first["id"] == second["id"]
    assert without["id"] != first["id"]
    assert [m.content for m in sandbox.messages("relances")] == ["Relance hebdo", "Relance hebdo"]


async def test_mentions_follow_allowed_mentions(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    channel = bot.get_channel(sandbox.channel("relances").id)
    assert isinstance(channel, discord.TextChannel)
    claire, david = sandbox.member("claire"), sandbox.member("david")
    text = f"{claire.mention} {david.mention}"
    await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
    await channel.send(
        text, allowed_mentions=discord.AllowedMentions(users=[discord.Object(claire.id)])
    )

    silent, targeted = sandbox.messages("relances")
    assert silent.mentions == []
    assert [u["id"] for u in targeted.mentions] == [str(claire.id)]


async def test_attachment_url_serves_the_bytes(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    channel = bot.get_channel(sandbox.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send(file=discord.File(io.BytesIO(b"\x89PNG..."), "graphe.png"))
    assert await sent.attachments[0].read() == b"\x89PNG..."
    stored = sandbox.messages("general")[0].attachments[0]
    assert (stored.filename, stored.content_type) == ("graphe.png", "image/png")
