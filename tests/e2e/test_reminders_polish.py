"""Reminders, the organisers' extras: retrying closed DMs and the history chart."""

from __future__ import annotations

from bot.i18n import Catalog
from tests.e2e.test_reminders import link_demo_members, nudged

CATALOG = Catalog.load()


async def test_retry_dms_asks_then_forgets_the_closed_dms(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)  # Emma's DMs are closed: her nudge went to #dep-75
    reminders = demo.bot.services.reminders
    assert await reminders.closed_dm_count() == 1
    asked = await demo.invoke("/relance reessayer-mp")
    question = asked.message
    assert question.ephemeral
    assert question.content.startswith("1 responsable a ses MP notés comme fermés")
    assert [b["label"] for b in question.buttons] == ["Réessayer en MP", "Annuler"]
    done = await demo.sandbox.click(question, "Réessayer en MP", as_member="alice")
    assert done.messages[-1].content == CATALOG.t("reminders.ui.retry_dms_done", "fr", count=1)
    assert await reminders.closed_dm_count() == 0
    again = await demo.invoke("/relance reessayer-mp")
    assert again.message.content == CATALOG.t("reminders.ui.retry_dms_none", "fr")


async def test_retry_dms_cancelled_keeps_them_and_is_for_organisers_only(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    refused = await demo.invoke("/relance reessayer-mp", as_member="claire")
    assert refused.message.content == CATALOG.t("error.not_organiser", "fr", role="Organisateurs")
    asked = await demo.invoke("/relance reessayer-mp")
    cancelled = await demo.sandbox.click(asked.message, "Annuler", as_member="alice")
    assert cancelled.messages[-1].content == CATALOG.t("reminders.ui.retry_dms_cancelled", "fr")
    assert await demo.bot.services.reminders.closed_dm_count() == 1


async def test_retry_dms_in_english(demo):
    result = await demo.invoke("/nudge retry-dms", locale="en-US")
    assert result.message.content == CATALOG.t("reminders.ui.retry_dms_none", "en")


async def test_history_comes_with_a_chart(demo):
    await link_demo_members(demo)
    await demo.invoke("/relance envoyer")
    await nudged(demo, 2)
    [dm] = demo.sandbox.dm_messages("claire")
    await demo.sandbox.click(dm, "Je suis inscrit·e")
    history = await demo.invoke("/relance historique")
    answer = history.messages[-1]
    [chart] = answer.attachments
    assert chart.filename == "relances.png"
    assert chart.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.description == CATALOG.t("reminders.ui.history_chart_alt", "fr")
    assert answer.embeds[0]["image"]["url"] == "attachment://relances.png"
    [field] = answer.embeds[0]["fields"]
    assert "envoyées 2 · via salon 1" in field["value"]


async def test_history_without_campaigns_has_no_chart(demo):
    history = await demo.invoke("/relance historique")
    assert history.messages[-1].attachments == []
