"""Reminders end to end: /relance through the sandbox, on the demo roster, with the real discord.py."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.client import RelanceBot
from bot.endpoints import logged_in
from bot.i18n import Catalog
from bot.reminders.models import DeliveryState
from tests.e2e.conftest import demo_deadline, running_bot

CATALOG = Catalog.load()
OFFICERS = ("claire", "david", "emma")

PARIS = ZoneInfo("Europe/Paris")  # the bot's default zone, where it counts days


async def link_demo_members(demo) -> None:
    """Link the guild's members to the roster by username; Emma's probable sign-up is rejected
    by an organiser, so that Claire (56) and Emma (75, DMs closed) are the two to nudge."""
    members = {m.user.username: m.user.id for m in demo.sandbox.members()}
    registration = demo.bot.services.registration
    await registration.link_usernames(members, "test")
    await registration.review("RDJ-00060", False, "test")


async def nudged(demo, count: int) -> None:
    """Wait until the campaign's nudges have all been posted (DMs and channels)."""
    await demo.sandbox.wait_for_messages(count, timeout=20)


async def test_preview_counts_and_shows_a_sample_as_the_officer_sees_it(demo):
    await link_demo_members(demo)
    result = await demo.invoke("/relance apercu")
    assert result.deferred
    plan, sample = result.messages[-2], result.messages[-1]
    assert plan.ephemeral and sample.ephemeral
    assert plan.embeds[0]["title"] == "Aperçu de la relance\u00a0: J-14"
    assert "2 responsables recevront ce message." in plan.embeds[0]["description"]
    departments = "\n".join(f["value"] for f in plan.embeds[0]["fields"][:2])
    assert "**Morbihan (56)**\u00a0: 1 en MP, 0 dans le salon" in departments
    assert "**Paris (75)**\u00a0: 1 en MP, 0 dans le salon" in departments
    assert sample.content.startswith("Exemple, tel que Claire le recevra\u00a0:\n\nSalut Claire")
    assert [b["label"] for b in sample.buttons] == ["Je suis inscrit·e", "Me le rappeler demain"]
    assert demo.sandbox.counters.dm_total == 0  # a preview sends nothing


async def test_send_nudges_the_demo_officers_once_with_a_channel_fallback(demo):
    await link_demo_members(demo)
    result = await demo.invoke("/relance envoyer")
    assert result.deferred
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    assert [b["label"] for b in dm.buttons] == ["Je suis inscrit·e", "Me le rappeler demain"]
    assert demo.sandbox.dm_messages("emma") == []
    emma = demo.sandbox.member("emma")
    [fallback] = [m for m in demo.sandbox.messages("dep-75") if m.author_id != emma.id]
    assert fallback.content.startswith(f"<@{emma.id}> ")
    assert [u["id"] for u in fallback.mentions] == [str(emma.id)]
    assert demo.sandbox.counters.dm_refused[emma.id] == 1
    # Nobody is left for this step, and the preview knows Emma's DMs are closed.
    again = await demo.invoke("/relance apercu")
    assert again.messages[-1].content == CATALOG.t("reminders.ui.nobody", "fr")


async def test_the_registered_button_in_a_dm_declares_the_officer(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    clicked = await demo.sandbox.click(dm, "Je suis inscrit·e")
    assert clicked.messages[-1].content == CATALOG.t("reminders.ui.registered_thanks", "fr")
    status = await demo.bot.services.registration.status_officer("RDJ-00058")
    assert str(status.officer.status) == "self_declared"
    assert status.last_nudge is not None


async def test_the_snooze_button_answers_privately_and_the_history_counts(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    clicked = await demo.sandbox.click(dm, "Me le rappeler demain")
    assert clicked.messages[-1].content.startswith("D'accord, je te le rappelle <t:")
    history = await demo.invoke("/relance historique")
    [field] = history.messages[-1].embeds[0]["fields"]
    assert "envoyées 2 · via salon 1" in field["value"]
    campaigns = await demo.bot.services.reminders.history()
    delivered = await demo.bot.services.reminders._repo.deliveries(campaigns[0].campaign.id)
    assert sum(d.state is DeliveryState.SENT for d in delivered) == 2


async def test_above_the_threshold_send_asks_first_and_cancel_sends_nothing(tmp_path):
    deadline = demo_deadline(datetime.now(UTC), PARIS)
    async with running_bot(
        tmp_path, demo=True, registration_deadline=deadline, nudge_confirm_above=1
    ) as demo:
        await link_demo_members(demo)
        asked = await demo.invoke("/relance envoyer")
        question = asked.messages[-1]
        assert (
            question.content == "Cette relance part vers 2 responsables. Confirmer l'envoi\u202f?"
        )
        assert [b["label"] for b in question.buttons] == ["Envoyer", "Annuler"]
        cancelled = await demo.sandbox.click(question, "Annuler", as_member="alice")
        assert cancelled.messages[-1].content == CATALOG.t("reminders.ui.cancelled", "fr")
        assert await demo.bot.services.reminders.history() == []
        asked = await demo.invoke("/relance envoyer")
        await demo.sandbox.click(asked.messages[-1], "Envoyer", as_member="alice")
        await nudged(demo, 2)
        assert len(demo.sandbox.dm_messages("claire")) == 1


async def test_nudge_buttons_still_work_after_a_restart(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    services = demo.bot.services
    await demo.bot.close()
    identifies = demo.sandbox.counters.identifies
    restarted = RelanceBot(services, guild_ready_timeout=0.05)
    async with logged_in(demo.sandbox, restarted, timeout=20):
        await demo.sandbox.wait_until_ready(identifies=identifies + 1)
        await restarted.wait_until_ready()
        clicked = await demo.sandbox.click(dm, "Je suis inscrit·e")
        assert clicked.messages[-1].content == CATALOG.t("reminders.ui.registered_thanks", "fr")
        nudges = [m for m in demo.sandbox.dm_messages("claire") if not m.ephemeral]
        assert nudges == [dm]  # the restart resumed nothing twice


async def test_pause_then_resume_a_campaign(demo):
    await link_demo_members(demo)
    reminders = demo.bot.services.reminders
    started = await reminders.start("test")  # written, not sent yet
    paused = await demo.invoke("/relance pause")
    assert paused.message.content == f"Relance n° {started.campaign.id} mise en pause."
    assert (await reminders.run(started.campaign.id)).sent == 0
    resumed = await demo.invoke("/relance reprendre")
    assert resumed.message.content.startswith(f"Relance n° {started.campaign.id}")
    await nudged(demo, 2)
    assert len(demo.sandbox.dm_messages("claire")) == 1


async def test_schedule_reads_a_time_in_words_and_shows_discord_timestamps(demo):
    result = await demo.invoke('/relance calendrier quand:"demain 10h"')
    lines = result.message.content.splitlines()
    assert lines[0] == CATALOG.t("reminders.ui.schedule_set", "fr")
    assert len(lines) == 2 and lines[1].startswith("• <t:") and lines[1].endswith(":F>")
