"""Slash commands, deferrals, follow-ups and the interaction deadlines, with a bare discord.py bot."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.sandbox import FakeClock, Sandbox, SandboxUsageError

pytestmark = pytest.mark.asyncio


async def test_login_syncs_guild_commands(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="aide", description="Les commandes disponibles")
        async def aide(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Aide")

    bot = await start_bot(setup)

    assert bot.user is not None and bot.user.id == sandbox.bot_user_id
    assert [c["name"] for c in sandbox.commands] == ["aide"]
    command = sandbox.commands[0]
    assert command["guild_id"] == str(sandbox.guild_id)
    assert command["application_id"] == str(sandbox.application_id)
    assert command["id"].isdigit()
    assert (
        sandbox.counters.route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
        == 1
    )
    guild = bot.get_guild(sandbox.guild_id)
    assert guild is not None
    assert {c.name for c in guild.text_channels} >= {
        "general",
        "relances",
        "revue-de-presse",
        "dep-56",
    }
    assert guild.get_member(sandbox.member("claire").id) is not None


async def test_another_token_is_refused(sandbox: Sandbox) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            sandbox.api_base + "/users/@me", headers={"Authorization": "Bot not-the-token"}
        ) as response,
    ):
        body = await response.json(content_type=None)
        assert response.status == 401
        assert response.headers["Content-Type"] == "application/json"
    assert body == {"message": "401: Unauthorized", "code": 0}
    assert sandbox.counters.invalid_requests == 1


async def test_slash_command_is_answered(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="aide", description="Les commandes disponibles")
        async def aide(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Aide", description=f"Bonjour {interaction.user.name}")
            await interaction.response.send_message("Voici l'aide", embed=embed, ephemeral=True)

    await start_bot(setup)
    result = await sandbox.invoke("/aide", as_member="alice")

    assert result.error is None
    assert result.deferred is False
    assert result.ephemeral is True
    assert [m.content for m in result.messages] == ["Voici l'aide"]
    assert result.message.embeds[0]["description"] == "Bonjour alice"
    assert result.message.author_id == sandbox.bot_user_id


async def test_interaction_ids_and_tokens_are_unique(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="aide", description="Aide")
        async def aide(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok")

    await start_bot(setup)
    first = await sandbox.invoke("/aide")
    second = await sandbox.invoke("/aide")
    assert first.interaction_id != second.interaction_id
    assert first.token != second.token


async def test_deferred_answer_completed_by_followups(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="rapport", description="Rapport lent")
        async def rapport(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.2)
            await interaction.followup.send("Rapport prêt")
            await interaction.followup.send("Détail")

    await start_bot(setup)
    result = await sandbox.invoke("/rapport", as_member="bob")

    assert result.error is None
    assert result.deferred is True
    assert [m.content for m in result.messages] == ["Rapport prêt", "Détail"]
    assert result.messages[0].loading is False
    assert result.messages[0].edited is True


async def test_edit_of_the_original_is_reflected(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="compte", description="Compte")
        async def compte(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await interaction.edit_original_response(content="1")
            await interaction.edit_original_response(content="2")

    await start_bot(setup)
    result = await sandbox.invoke("/compte")

    assert [m.content for m in result.messages] == ["2"]
    assert sandbox.messages("general")[-1].content == "2"


async def test_overlong_reply_is_refused_with_50035(sandbox: Sandbox, start_bot) -> None:
    raised: list[discord.HTTPException] = []

    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="long", description="Trop long")
        async def long(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message("x" * 2001)
            except discord.HTTPException as error:
                raised.append(error)
                await interaction.response.send_message("Réponse trop longue")

    await start_bot(setup)
    result = await sandbox.invoke("/long")

    assert [m.content for m in result.messages] == ["Réponse trop longue"]
    assert len(raised) == 1
    assert (raised[0].status, raised[0].code) == (400, 50035)
    refused = sandbox.errors[-1]
    assert (refused.status, refused.code, refused.message) == (400, 50035, "Invalid Form Body")
    assert refused.errors == {
        "data": {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        }
    }


async def test_second_acknowledgement_is_refused_with_40060(sandbox: Sandbox, start_bot) -> None:
    raised: list[discord.HTTPException] = []

    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="deux", description="Deux réponses")
        async def deux(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("premier")
            # Bypass discord.py's own guard to reach the server a second time.
            interaction.response._response_type = None
            try:
                await interaction.response.send_message("second")
            except discord.HTTPException as error:
                raised.append(error)

    await start_bot(setup)
    result = await sandbox.invoke("/deux")

    assert [m.content for m in result.messages] == ["premier"]
    await _until(lambda: raised)
    assert (raised[0].status, raised[0].code) == (400, 40060)


@pytest.mark.limits(initial_response_deadline=0.2)
async def test_answer_after_the_deadline_gets_10062(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="tard", description="Trop tard")
        async def tard(interaction: discord.Interaction) -> None:
            await asyncio.sleep(1.0)
            await interaction.response.send_message("enfin")

    bot = await start_bot(setup)
    result = await sandbox.invoke("/tard")

    assert result.messages == []
    assert result.error == "no response within 0.2 s"
    error = await asyncio.wait_for(bot.errors.get(), 10)
    original = error.__cause__
    assert isinstance(original, discord.NotFound)
    assert original.code == 10062


@pytest.mark.fake_clock
async def test_followup_after_fifteen_minutes_gets_50027(
    sandbox: Sandbox, clock: FakeClock, start_bot
) -> None:
    deferred = asyncio.Event()
    resume = asyncio.Event()

    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="attente", description="Attente")
        async def attente(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            deferred.set()
            await resume.wait()
            await interaction.followup.send("trop tard")

    bot = await start_bot(setup)
    running = asyncio.create_task(sandbox.invoke("/attente", timeout=2))
    await asyncio.wait_for(deferred.wait(), 10)
    clock.advance(15 * 60 + 1)
    resume.set()

    error = await asyncio.wait_for(bot.errors.get(), 10)
    assert isinstance(error.__cause__, discord.HTTPException)
    assert (error.__cause__.status, error.__cause__.code) == (401, 50027)
    result = await running
    assert result.deferred is True
    assert result.error == "deferred but not completed within 2 s"


async def test_sub_commands_localized_names_and_typed_options(sandbox: Sandbox, start_bot) -> None:
    seen: dict[str, object] = {}

    class French(app_commands.Translator):
        async def translate(self, string, locale, context):  # type: ignore[no-untyped-def]
            names = {"roster": "equipe", "link": "lier", "officer": "officier", "member": "membre"}
            return names.get(string.message) if locale is discord.Locale.french else None

    async def setup(bot: commands.Bot) -> None:
        await bot.tree.set_translator(French())
        roster = app_commands.Group(name="roster", description="Roster")
        admin = app_commands.Group(name="admin", description="Admin", parent=roster)

        @roster.command(name="link", description="Lier")
        async def link(
            interaction: discord.Interaction,
            officer: str,
            member: discord.Member,
            count: int = 1,
            urgent: bool = False,
            where: discord.TextChannel | None = None,
        ) -> None:
            seen.update(
                officer=officer,
                member=member.name,
                count=count,
                urgent=urgent,
                where=where and where.name,
            )
            await interaction.response.send_message("lié")

        @admin.command(name="purge", description="Purge")
        async def purge(interaction: discord.Interaction, ratio: float) -> None:
            seen["ratio"] = ratio
            await interaction.response.send_message("purgé")

        bot.tree.add_command(roster)

    await start_bot(setup)
    result = await sandbox.invoke(
        '/equipe lier officier:"RDJ 0001" membre:@claire count:3 urgent:oui where:#dep-56',
        as_member="alice",
        locale="fr",
    )
    assert result.message.content == "lié"
    assert seen == {
        "officer": "RDJ 0001",
        "member": "claire",
        "count": 3,
        "urgent": True,
        "where": "dep-56",
    }

    result = await sandbox.invoke_command("roster admin purge", {"ratio": 0.5})
    assert result.message.content == "purgé"
    assert seen["ratio"] == 0.5

    with pytest.raises(SandboxUsageError, match="required"):
        await sandbox.invoke("/roster link officer:X")
    with pytest.raises(SandboxUsageError, match="integer"):
        await sandbox.invoke("/roster link officer:X member:bob count:beaucoup")
    with pytest.raises(SandboxUsageError, match="unknown command"):
        await sandbox.invoke("/inconnu")


async def test_autocomplete_returns_the_bot_choices(sandbox: Sandbox, start_bot) -> None:
    names = ["Lefebvre", "Lefort", "Martin"]

    async def setup(bot: commands.Bot) -> None:
        async def officers(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=n, value=n.lower()) for n in names if n.startswith(current)
            ]

        @bot.tree.command(name="status", description="Statut")
        @app_commands.autocomplete(officier=officers)
        async def status(interaction: discord.Interaction, officier: str) -> None:
            await interaction.response.send_message(officier)

    await start_bot(setup)
    choices = await sandbox.autocomplete("/status officier:Lef", as_member="alice")

    assert choices == [
        {"name": "Lefebvre", "value": "lefebvre"},
        {"name": "Lefort", "value": "lefort"},
    ]


async def test_button_click_round_trip(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="confirmer", description="Confirmer")
        async def confirmer(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=60)

            async def yes(click: discord.Interaction) -> None:
                await click.response.edit_message(
                    content=f"Confirmé par {click.user.name}", view=None
                )

            async def no(click: discord.Interaction) -> None:
                await click.response.send_message("Annulé", ephemeral=True)

            for label, callback in (("Oui", yes), ("Non", no)):
                button: discord.ui.Button[discord.ui.View] = discord.ui.Button(label=label)
                button.callback = callback  # type: ignore[method-assign,assignment]
                view.add_item(button)
            await interaction.response.send_message("Confirmer ?", view=view)

    await start_bot(setup)
    asked = await sandbox.invoke("/confirmer", as_member="alice")
    question = asked.message
    assert [b["label"] for b in question.buttons] == ["Oui", "Non"]

    cancelled = await sandbox.click(question, 1, as_member="bob")
    assert cancelled.ephemeral is True
    assert cancelled.message.content == "Annulé"

    confirmed = await sandbox.click(question, "Oui", as_member="bob")
    assert confirmed.message.id == question.id
    assert question.content == "Confirmé par bob"
    assert question.components == []
    assert question.edited is True


async def test_attachment_sent_and_received(sandbox: Sandbox, start_bot, tmp_path) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="importer", description="Importer")
        async def importer(interaction: discord.Interaction, fichier: discord.Attachment) -> None:
            data = await fichier.read()
            await interaction.response.send_message(
                f"{fichier.filename}: {len(data)} octets",
                file=discord.File(__import__("io").BytesIO(data.upper()), "resultat.csv"),
            )

    await start_bot(setup)
    result = await sandbox.invoke(
        "/importer", attachments={"fichier": ("roster.csv", b"id,nom\n1,claire\n")}
    )
    assert result.message.content == "roster.csv: 16 octets"
    attachment = result.message.attachments[0]
    assert (attachment.filename, attachment.data) == ("resultat.csv", b"ID,NOM\n1,CLAIRE\n")
    assert attachment.content_type == "text/csv"

    path = tmp_path / "liste.csv"
    path.write_bytes(b"a,b\n")
    typed = await sandbox.invoke(f"/importer fichier:{path}")
    assert typed.message.content == "liste.csv: 4 octets"


async def _until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_global_command_in_a_direct_message(sandbox: Sandbox, start_bot) -> None:
    async def setup(bot: commands.Bot) -> None:
        @bot.tree.command(name="ping", description="Ping")
        @app_commands.allowed_contexts(guilds=True, dms=True)
        async def ping(interaction: discord.Interaction) -> None:
            where = "dm" if interaction.guild_id is None else "guild"
            await interaction.response.send_message(f"pong {where} {interaction.user.name}")

        await bot.tree.sync()

    await start_bot(setup)
    result = await sandbox.invoke("/ping", as_member="claire", channel="@dm")

    assert result.message.content == "pong dm claire"
    assert sandbox.dm_messages("claire") == [result.message]
