"""A nudge campaign as a discord.py bot sees it: DMs with buttons, clicks on messages the bot
posted (not only on interaction answers), persistent views across a bot restart, the history,
and readiness of a restarted bot."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.sandbox import Sandbox, SandboxUsageError

pytestmark = pytest.mark.asyncio
Click = tuple[int, int | None, str, int | None]


class NudgeView(discord.ui.View):
    """A persistent view: no timeout, a fixed custom_id; registered with ``bot.add_view``."""

    def __init__(self, clicks: list[Click]) -> None:
        super().__init__(timeout=None)
        self.clicks = clicks

    @discord.ui.button(
        label="Je suis inscrit·e", style=discord.ButtonStyle.success, custom_id="nudge:done"
    )
    async def done(
        self, interaction: discord.Interaction, button: discord.ui.Button[NudgeView]
    ) -> None:
        message_id = interaction.message.id if interaction.message else None
        self.clicks.append(
            (interaction.user.id, interaction.guild_id, str(interaction.locale), message_id)
        )
        await interaction.response.send_message("Merci", ephemeral=True)


class Snooze(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"nudge:snooze:(?P<delivery>\d+)"
):
    """A button whose custom_id carries the delivery it belongs to."""

    def __init__(self, delivery: int) -> None:
        super().__init__(
            discord.ui.Button(label="Me le rappeler demain", custom_id=f"nudge:snooze:{delivery}")
        )
        self.delivery = delivery

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[Any],
        match: re.Match[str],
    ) -> Snooze:
        return cls(int(match["delivery"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"Reporté ({self.delivery})", view=None)


def persistent(clicks: list[Click]):  # type: ignore[no-untyped-def]
    def setup(bot: commands.Bot) -> None:
        bot.add_view(NudgeView(clicks))
        bot.add_dynamic_items(Snooze)

    return setup


def nudge_view(clicks: list[Click], delivery: int) -> NudgeView:
    view = NudgeView(clicks)
    view.add_item(Snooze(delivery))
    return view


async def test_buttons_of_a_dm_keep_working_after_the_bot_restarts(
    sandbox: Sandbox, start_bot
) -> None:
    before: list[Click] = []
    first = await start_bot(persistent(before))
    user = await first.fetch_user(sandbox.member("claire").id)
    sent = await user.send("Pensez à vous inscrire", view=nudge_view(before, 42))
    await first.close()
    await sandbox.wait_until_gone(timeout=10)

    after: list[Click] = []
    await start_bot(persistent(after))
    thanked = await sandbox.click(sent.id, "Je suis inscrit·e")
    snoozed = await sandbox.click(sent.id, "nudge:snooze:42")

    claire = sandbox.member("claire")
    assert before == []
    assert after == [(claire.id, None, "fr", sent.id)]
    assert (thanked.ephemeral, thanked.message.content) == (True, "Merci")
    assert snoozed.message.id == sent.id
    stored = sandbox.dm_messages("claire")[0]
    assert (stored.content, stored.components) == ("Reporté (42)", [])
    assert sandbox.counters.identifies == 2


async def test_button_of_a_channel_message_carries_the_member_and_locale(
    sandbox: Sandbox, start_bot
) -> None:
    clicks: list[Click] = []
    bot = await start_bot(persistent(clicks))
    channel = bot.get_channel(sandbox.channel("dep-56").id)
    assert isinstance(channel, discord.TextChannel)
    david = sandbox.update_member("david", locale="en-US")
    sent = await channel.send(
        f"{david.mention} pensez à vous inscrire",
        view=nudge_view(clicks, 7),
        allowed_mentions=discord.AllowedMentions(users=[discord.Object(david.id)]),
    )
    await sandbox.click(sent.id, "nudge:done", as_member="david")

    assert clicks == [(david.id, sandbox.guild_id, "en-US", sent.id)]
    assert [u["id"] for u in sandbox.message(sent.id).mentions] == [str(david.id)]


async def test_only_the_recipient_can_click_in_a_dm(sandbox: Sandbox, start_bot) -> None:
    clicks: list[Click] = []
    bot = await start_bot(persistent(clicks))
    user = await bot.fetch_user(sandbox.member("claire").id)
    sent = await user.send("Relance", view=nudge_view(clicks, 1))
    with pytest.raises(SandboxUsageError, match="david cannot see DM with claire"):
        await sandbox.click(sent.id, "nudge:done", as_member="david")
    assert clicks == []


async def test_history_of_a_dm_through_discord_py(sandbox: Sandbox, start_bot) -> None:
    clicks: list[Click] = []
    bot = await start_bot(persistent(clicks))
    user = await bot.fetch_user(sandbox.member("claire").id)
    for delivery in (1, 2, 3):
        await user.send(f"Relance {delivery}", view=nudge_view(clicks, delivery))
    dm = await user.create_dm()
    history = [m async for m in dm.history(limit=2)]

    assert [m.content for m in history] == ["Relance 3", "Relance 2"]
    row = history[0].components[0]
    assert isinstance(row, discord.ActionRow)
    assert [c.custom_id for c in row.children] == ["nudge:done", "nudge:snooze:3"]  # type: ignore[union-attr]


async def test_send_with_a_nonce_twice_posts_once(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(sandbox.member("claire").id)
    first = await user.send("Relance", nonce="delivery-9")
    second = await user.send("Relance", nonce="delivery-9")

    assert first.id == second.id
    assert len(sandbox.dm_messages("claire")) == 1
    assert sandbox.counters.nonce_replays == 1


async def test_closed_dms_raise_forbidden_50007_in_discord_py(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(sandbox.member("emma").id)
    with pytest.raises(discord.Forbidden) as refused:
        await user.send("Relance")
    assert refused.value.code == 50007
    assert sandbox.counters.dm_refused == {sandbox.member("emma").id: 1}


async def test_messages_can_be_awaited_by_count(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    waiting = asyncio.create_task(sandbox.wait_for_messages(2, dms_only=True, timeout=10))
    channel = bot.get_channel(sandbox.channel("dep-56").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("pas un DM")
    for name in ("claire", "david"):
        await (await bot.fetch_user(sandbox.member(name).id)).send("Relance")

    assert await waiting == 2
    assert sandbox.counters.bot_messages == 3


# ----------------------------------------------------------------------------- readiness


async def _identify(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(sandbox.gateway_url)
    assert (await ws.receive_json())["op"] == 10
    await ws.send_json({"op": 2, "d": {"token": sandbox.token, "intents": 0, "properties": {}}})
    assert (await ws.receive_json())["t"] == "READY"
    assert (await ws.receive_json())["t"] == "GUILD_CREATE"
    return ws


async def test_ready_follows_the_bot_connection_and_counts_identifies(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        first = await _identify(sandbox, session)
        await sandbox.wait_until_ready(timeout=10, commands=False)
        assert sandbox.ready
        await first.close()
        await sandbox.wait_until_gone(timeout=10)
        assert not sandbox.ready

        second_ready = asyncio.create_task(
            sandbox.wait_until_ready(timeout=10, commands=False, identifies=2)
        )
        await asyncio.sleep(0)
        assert not second_ready.done()
        second = await _identify(sandbox, session)
        await second_ready
        await second.close()

    assert (sandbox.counters.identifies, sandbox.counters.gateway_disconnects) == (2, 2)


async def test_an_interaction_waits_for_a_bot_that_comes_back(sandbox: Sandbox, start_bot) -> None:
    def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="aide", description="Aide")
        async def aide(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("aide")

    first = await start_bot(setup)
    await first.close()
    await sandbox.wait_until_gone(timeout=10)
    pending = asyncio.create_task(sandbox.invoke("/aide"))
    await asyncio.sleep(0)
    assert not pending.done()
    await start_bot(setup)

    assert (await pending).message.content == "aide"
