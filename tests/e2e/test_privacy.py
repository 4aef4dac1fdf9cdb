"""Privacy rights through the sandbox: export, erase with confirmation, the audit trail."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.sandbox import Sandbox
from tests.e2e.conftest import WatchedClock, running_bot, wait_for


async def test_an_officer_gets_their_own_data_privately_as_json(demo):
    await demo.bot.services.registration.link("RDJ-00058", demo.sandbox.member("claire").id, "test")
    result = await demo.invoke("/confidentialite export", as_member="claire")
    message = result.messages[-1]
    assert result.deferred and message.ephemeral
    (attachment,) = message.attachments
    assert attachment.filename == "relance-RDJ-00058.json"
    data = json.loads(attachment.data)
    assert (data["officer"]["key"], data["officer"]["email"]) == (
        "RDJ-00058",
        "claire.legoff@jeunes-parti.fr",
    )
    assert b"david.kerbrat" not in attachment.data
    assert message.content.startswith(
        "Voici toutes les données que le bot garde sur Claire Le Goff"
    )


async def test_a_member_not_linked_gets_nothing_and_only_organisers_name_an_officer(demo):
    result = await demo.invoke("/confidentialite export", as_member="zoe")
    assert result.messages[-1].content == demo.bot.catalog.t("privacy.export.not_linked", "fr")
    assert not result.messages[-1].attachments
    refused = await demo.invoke("/confidentialite export officier:RDJ-00058", as_member="zoe")
    assert refused.message.content == demo.bot.catalog.t("privacy.export.only_organisers", "fr")
    assert not refused.message.attachments


async def test_an_organiser_exports_an_officer_on_request(demo):
    result = await demo.invoke("/confidentialite export officier:RDJ-00059", as_member="alice")
    (attachment,) = result.messages[-1].attachments
    assert json.loads(attachment.data)["officer"]["email"] == "david.kerbrat@orange.fr"


async def test_erase_asks_naming_the_officer_then_leaves_no_trace(demo, tmp_path: Path):
    refused = await demo.invoke("/confidentialite effacer officier:RDJ-00058", as_member="claire")
    assert not refused.message.buttons
    asked = await demo.invoke("/confidentialite effacer officier:RDJ-00058", as_member="alice")
    question = asked.message
    assert question.ephemeral and question.content.startswith(
        "Effacer **Claire Le Goff** (RDJ-00058) partout\u202f?"
    )
    erase = next(b for b in question.buttons if b["label"] == "Effacer définitivement")
    done = await demo.sandbox.click(question, erase["custom_id"], as_member="alice")
    assert done.messages[-1].content.startswith(
        "C'est fait\u00a0: données effacées partout pour Claire Le Goff"
    )
    database = Path(demo.settings.database_path)
    for path in (database, Path(str(database) + "-wal")):
        if path.exists():
            content = path.read_bytes()
            assert b"claire.legoff" not in content and b"RDJ-00058" not in content
    audit = await demo.invoke("/audit", as_member="alice")
    assert "1 personne effacée" in audit.message.embeds[0]["description"]
    assert "Claire" not in audit.message.embeds[0]["description"]


async def test_the_audit_trail_is_for_organisers_paged_and_filtered(demo):
    refused = await demo.invoke("/audit", as_member="claire")
    assert refused.message.content == demo.bot.catalog.t(
        "error.not_organiser", "fr", role=demo.settings.organiser_role
    )
    await demo.invoke("/confidentialite export officier:RDJ-00059", as_member="bob")
    mine = await demo.invoke("/audit organisateur:bob", as_member="alice")
    description = mine.message.embeds[0]["description"]
    assert mine.message.ephemeral
    assert description.startswith("1 entrée, de la plus récente à la plus ancienne.")
    assert "données exportées — RDJ-00059" in description
    about = await demo.invoke("/audit officier:RDJ-00059", as_member="alice")
    assert "données exportées" in about.message.embeds[0]["description"]


async def test_the_audit_trail_pages_with_its_buttons(demo):
    for _ in range(11):
        await demo.invoke("/confidentialite export officier:RDJ-00059", as_member="bob")
    first = await demo.invoke("/audit organisateur:bob", as_member="alice")
    assert first.message.embeds[0]["footer"]["text"] == "Page 1/2"
    following = next(b for b in first.message.buttons if b["label"] == "Suivant")
    clicked = await demo.sandbox.click(first.message, following["custom_id"], as_member="alice")
    page = clicked.messages[-1].embeds[0]
    assert page["footer"]["text"] == "Page 2/2"
    assert page["description"].count("données exportées") == 1


async def test_retention_warns_the_organisers_once_then_purges(tmp_path):
    paris = ZoneInfo("Europe/Paris")
    clock = WatchedClock(datetime(2027, 1, 22, 23, 30, tzinfo=paris))
    sandbox = Sandbox()
    organisers = sandbox.channel("relances").id
    async with running_bot(
        tmp_path,
        sandbox=sandbox,
        demo=True,
        clock=clock,
        registration_deadline=date(2026, 12, 31),
        data_retention_days=30,
        organiser_channel_id=organisers,
    ) as r:
        first = datetime(2027, 1, 23, 0, 30, tzinfo=paris)  # the notice is due from midnight
        await wait_for(lambda: clock.waits_for(first))
        assert r.sandbox.messages(organisers) == []
        for due, then in (
            (first, first + timedelta(hours=1)),
            (first + timedelta(hours=1), first + timedelta(hours=2)),
        ):
            await wait_for(lambda due=due: clock.waits_for(due))
            clock.set(due)
            await wait_for(lambda then=then: clock.waits_for(then))
        (notice,) = r.sandbox.messages(organisers)
        assert notice.content.startswith(
            "Fin de conservation des données\u00a0: le 30 janvier 2027, 30 jours après"
        )
        assert await r.bot.services.registration.holds_data()
        clock.set(datetime(2027, 1, 30, 0, 30, tzinfo=paris))
        await wait_for(lambda: clock.waits_for(datetime(2027, 1, 30, 1, 30, tzinfo=paris)))
        done = r.sandbox.messages(organisers)[-1]
        assert done.content.startswith("Conservation terminée")
        assert not await r.bot.services.registration.holds_data()
        content = Path(r.settings.database_path).read_bytes()
        assert b"claire.legoff" not in content
