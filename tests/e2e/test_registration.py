"""Registration end to end through the sandbox, on the demo roster and sign-ups."""

from __future__ import annotations

import io
import struct
from datetime import datetime

from tests.support.review import add_strong_probable


def fields(message):
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


async def test_status_of_an_officer_is_private_with_evidence(demo):
    result = await demo.invoke("/status officier:RDJ-00021")
    message = result.message
    assert message.ephemeral
    assert message.embeds[0]["title"] == "Maxime Nguyen — 56 – Morbihan"
    assert fields(message)["Statut"] == "✅ inscrit"
    assert fields(message)["Preuve"].startswith("Inscription ")


async def test_status_of_a_department_lists_its_officers(demo):
    result = await demo.invoke("/status departement:56")
    embed = result.message.embeds[0]
    assert result.message.ephemeral
    assert embed["title"].startswith("56 – Morbihan — ")
    assert "**Maxime Nguyen** (RDJ-00021)" in embed["description"]


async def test_department_autocomplete_offers_code_and_name(demo):
    choices = await demo.sandbox.autocomplete("/status departement:morb", as_member="alice")
    assert {"name": "56 – Morbihan", "value": "56"} in [
        dict(name=c["name"], value=c["value"]) for c in choices
    ]


async def test_own_status_offers_to_declare_and_records_it(demo):
    await demo.bot.services.registration.link("RDJ-00058", demo.sandbox.member("claire").id, "test")
    result = await demo.invoke("/status", as_member="claire")
    assert result.message.ephemeral
    assert fields(result.message)["Statut"] == "❌ non inscrit"
    button = result.message.buttons[0]
    assert button["label"] == "J'ai terminé mon inscription"
    clicked = await demo.sandbox.click(result.message, button["custom_id"], as_member="claire")
    after = clicked.messages[-1]
    assert after.content == demo.bot.catalog.t("reg.ui.declared", "fr")
    assert fields(after)["Statut"] == "✋ déclaré inscrit (non vérifié)"


async def test_someone_not_on_the_roster_is_told_so(demo):
    result = await demo.invoke("/status", as_member="zoe")
    assert result.message.content == demo.bot.catalog.t("registration.member.not_on_roster", "fr")


async def test_progress_has_figures_and_a_png_chart(demo):
    result = await demo.invoke("/progression")  # deferred or not: the chart may be drawn ahead
    message = result.messages[-1]
    embed = message.embeds[0]
    assert embed["title"] == "Progression des inscriptions — national"
    settings = demo.bot.settings  # the deadline is three weeks ahead, counted in the bot's zone
    days = (settings.registration_deadline - datetime.now(settings.timezone).date()).days
    assert f"{days} jours restants" in fields(message)["Échéance"]
    png = message.attachments[0]
    assert png.filename == "progression.png"
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.data[16:24])
    assert width >= 800 and height >= 600


async def test_progress_in_english_for_english_clients(demo):
    result = await demo.invoke("/progress", locale="en-US")
    assert result.messages[-1].embeds[0]["title"] == "Registration progress — national"


async def test_roster_import_with_bad_rows_is_refused_with_line_numbers(demo):
    bad = (
        "Identifiant;Prénom;Nom;Département;E-mail\r\n"
        "X-1;Anne;Durand;56;anne@example.org\r\n"
        "X-2;Paul;Martin;123;paul@example.org\r\n"
        "X-3;Lou;Petit;29;pas-une-adresse\r\n"
    ).encode("cp1252")
    result = await demo.invoke("/roster importer", attachments={"fichier": ("liste.csv", bad)})
    text = result.messages[-1].content
    assert result.messages[-1].ephemeral
    assert "rien n'a été enregistré" in text
    assert (
        "ligne 3, colonne «\u00a0Département\u00a0»\u00a0: «\u00a0123\u00a0» n'est pas un département connu"
        in text
    )
    assert "ligne 4, colonne «\u00a0E-mail\u00a0»" in text
    status = await demo.invoke("/status departement:56")
    assert "Durand" not in status.message.embeds[0]["description"]


async def test_roster_import_previews_then_applies(demo):
    roster = (
        "Identifiant;Prénom;Nom;Département;E-mail\r\n"
        "RDJ-90001;Anne;Durand;56;anne.durand@example.org\r\n"
    ).encode("cp1252")
    preview = await demo.invoke("/roster importer", attachments={"fichier": ("liste.csv", roster)})
    message = preview.messages[-1]
    assert "aperçu" in message.embeds[0]["title"]
    apply = next(b for b in message.buttons if b["label"] == "Appliquer")
    done = await demo.sandbox.click(message, apply["custom_id"], as_member="alice")
    assert "appliqué" in done.messages[-1].embeds[0]["title"]
    status = await demo.invoke("/status officier:RDJ-90001")
    assert status.message.embeds[0]["title"] == "Anne Durand — 56 – Morbihan"


async def test_a_non_organiser_is_refused_a_change(demo):
    roster = b"Identifiant;Pr\xe9nom;Nom;D\xe9partement\r\nX;A;B;56\r\n"
    result = await demo.invoke(
        "/roster importer", as_member="zoe", attachments={"fichier": ("l.csv", roster)}
    )
    assert result.message.ephemeral
    assert result.message.content == demo.bot.catalog.t(
        "error.not_organiser", "fr", role="Organisateurs"
    )


async def test_a_non_organiser_cannot_look_up_an_officer(demo):
    result = await demo.invoke("/status officier:RDJ-00021", as_member="claire")
    assert result.message.content == demo.bot.catalog.t(
        "error.not_organiser", "fr", role="Organisateurs"
    )


async def test_export_is_a_private_csv(demo):
    result = await demo.invoke("/roster exporter")
    message = result.messages[-1]
    assert message.ephemeral
    data = message.attachments[0].data
    assert message.attachments[0].filename == "roster.csv"
    assert len(io.BytesIO(data).read().splitlines()) == 61


async def test_refused_file_is_explained_in_english_to_english_clients(demo):
    bad = b"Identifiant;Pr\xe9nom;Nom;D\xe9partement\r\nX-1;Anne;Durand;123\r\n"
    result = await demo.invoke(
        "/roster import", locale="en-US", attachments={"file": ("list.csv", bad)}
    )
    text = result.messages[-1].content
    assert "nothing was saved" in text
    assert "line 2, column “Département”: “123” is not a known department" in text


async def test_a_long_department_list_is_written_page_by_page(demo):
    from cogs.registration import _render as render

    service = demo.bot.services.registration
    for i in range(20):
        await service.add_officer("cli", f"Prénom{i}", f"Nom{i:02}", "56", key=f"X-{i:02}")
    expected = render.department_pages(
        demo.bot.catalog, await service.status_department("56"), "fr"
    )
    result = await demo.invoke("/status departement:56")
    first = result.message
    assert first.embeds[0]["description"] == expected[0].description
    assert first.embeds[0]["footer"]["text"] == "Page 1/2"
    following = next(b for b in first.buttons if b["custom_id"] == "page:next")
    clicked = await demo.sandbox.click(first, following["custom_id"], as_member="alice")
    second = clicked.messages[-1].embeds[0]
    assert (second["description"], second["footer"]["text"]) == (
        expected[1].description,
        "Page 2/2",
    )


async def test_progress_asked_again_is_answered_at_once_with_the_same_chart(demo):
    first = await demo.invoke("/progression")  # deferred or not: the chart may be drawn ahead
    again = await demo.invoke("/progression")
    assert again.deferred is False
    before, after = first.messages[-1], again.messages[-1]
    assert after.embeds == before.embeds
    assert after.attachments[0].filename == "progression.png"
    assert after.attachments[0].data == before.attachments[0].data


async def test_the_shell_on_a_database_with_data_uses_it_and_loads_no_demo(tmp_path):
    from bot.config import Settings
    from bot.i18n import Catalog
    from bot.services import open_services
    from bot.shell import run_shell

    path = tmp_path / "real.sqlite3"
    settings = Settings(database_path=path)
    roster = "Identifiant;Prénom;Nom;Département\r\nR1;Anne;Le Goff;56\r\nR2;Luc;Roy;29\r\n"
    async with open_services(settings) as services:
        await services.registration.import_roster(
            roster.encode("cp1252"), "r.csv", "cli", apply=True
        )
    printed: list[str] = []
    code = await run_shell(
        settings,
        database=str(path),
        lines=["/status departement:56"],
        files_dir=str(tmp_path),
        out=printed.append,
    )
    assert code == 0
    assert Catalog.load().t("shell.own_data", "fr") in printed
    async with open_services(settings) as services:
        assert sorted(o.key for o in await services.registration.roster()) == ["R1", "R2"]
        assert await services.news.all_articles() == []


async def test_a_signup_import_changing_most_statuses_is_confirmed_first(demo):
    roster = "Identifiant;Prénom;Nom;Département;E-mail\r\n" + "".join(
        f"N{i};Anne{i};Nom{i};56;a{i}@example.org\r\n" for i in range(20)
    )
    preview = await demo.invoke(
        "/roster importer", attachments={"fichier": ("liste.csv", roster.encode("cp1252"))}
    )
    apply = next(b for b in preview.messages[-1].buttons if b["label"] == "Appliquer")
    await demo.sandbox.click(preview.messages[-1], apply["custom_id"], as_member="alice")
    signups = "Identifiant,Nom complet,E-mail,Code postal,Date d'inscription\n" + "".join(
        f"P{i},Anne{i} Nom{i},a{i}@example.org,56000,2026-11-02 10:00\n" for i in range(15)
    )
    asked = await demo.invoke(
        "/inscriptions importer", attachments={"fichier": ("export.csv", signups.encode())}
    )
    message = asked.messages[-1]
    assert "changerait le statut de 15 des 20 responsables (75\u00a0%)" in message.content
    assert (await demo.bot.services.registration.progress()).counts.registered == 0
    anyway = next(b for b in message.buttons if b["label"] == "Importer quand même")
    done = await demo.sandbox.click(message, anyway["custom_id"], as_member="alice")
    assert done.messages[-1].embeds
    assert (await demo.bot.services.registration.progress()).counts.registered == 15


async def test_signup_history_lists_the_import_and_undoes_it_after_confirmation(demo):
    before = await demo.bot.services.registration.progress()
    history = await demo.invoke("/inscriptions historique")
    message = history.message
    assert message.ephemeral
    assert message.embeds[0]["title"] == "Imports des inscriptions"
    assert "«\u00a0signups.csv\u00a0»" in message.embeds[0]["description"]
    undo = next(b for b in message.buttons if b["label"] == "Annuler le dernier import…")
    asked = await demo.sandbox.click(message, undo["custom_id"], as_member="alice")
    question = asked.messages[-1]
    assert question.content.startswith(
        "Annuler l'import des inscriptions «\u00a0signups.csv\u00a0»"
    )
    yes = next(b for b in question.buttons if b["label"] == "Oui, annuler l'import")
    done = await demo.sandbox.click(question, yes["custom_id"], as_member="alice")
    assert done.messages[-1].content.startswith("Import «\u00a0signups.csv\u00a0» annulé")
    after = await demo.bot.services.registration.progress()
    assert before.counts.registered > 0 and after.counts.registered == 0
    again = await demo.invoke("/inscriptions historique")
    assert "annulé le" in again.message.embeds[0]["description"]
    assert not again.message.buttons
    roster = await demo.invoke("/roster historique")
    assert "«\u00a0roster.csv\u00a0»" in roster.message.embeds[0]["description"]


async def test_who_is_still_missing_in_a_department_with_their_contacts_as_csv(demo):
    result = await demo.invoke("/status departement:56 filtre:non-inscrits")
    message = result.messages[-1]
    assert message.ephemeral
    embed = message.embeds[0]
    assert embed["title"].startswith("Encore non inscrits — 56 – Morbihan\u00a0: ")
    assert "Maxime Nguyen" not in embed["description"]  # registered
    (attachment,) = message.attachments
    assert attachment.filename == "non-inscrits-56.csv"
    rows = attachment.data.decode("utf-8-sig").splitlines()
    assert len(rows) - 1 == int(embed["title"].split("\u00a0: ")[1].split(" ")[0])
    national = await demo.invoke("/status filtre:non-inscrits")
    assert " — 56 – Morbihan" in national.messages[-1].embeds[0]["description"]


async def test_a_member_cannot_list_who_is_missing(demo):
    result = await demo.invoke("/status departement:56 filtre:non-inscrits", as_member="claire")
    assert not result.message.attachments


async def test_removing_an_officer_asks_first_and_cancel_keeps_them(demo):
    asked = await demo.invoke("/roster retirer officier:RDJ-00021")
    question = asked.message
    assert question.ephemeral
    assert question.content == demo.bot.catalog.t(
        "reg.lists.remove_question",
        "fr",
        name="Maxime Nguyen",
        key="RDJ-00021",
        department="56 – Morbihan",
    )
    no = next(b for b in question.buttons if b["label"] == "Non, garder")
    kept = await demo.sandbox.click(question, no["custom_id"], as_member="alice")
    assert kept.messages[-1].content == demo.bot.catalog.t("reg.lists.remove_kept", "fr")
    assert (await demo.bot.services.registration.status_officer("RDJ-00021")).officer


async def test_removing_an_officer_after_confirmation(demo):
    asked = await demo.invoke("/roster retirer officier:RDJ-00021")
    yes = next(b for b in asked.message.buttons if b["label"] == "Oui, retirer")
    done = await demo.sandbox.click(asked.message, yes["custom_id"], as_member="alice")
    assert done.messages[-1].content == "Maxime Nguyen (RDJ-00021) a été retiré de la liste."
    officers = await demo.bot.services.registration.roster()
    assert "RDJ-00021" not in {o.key for o in officers}


async def test_relinking_a_linked_officer_asks_first_naming_the_members(demo):
    await demo.bot.services.registration.link("RDJ-00058", demo.sandbox.member("claire").id, "test")
    claire = demo.sandbox.member("claire").id
    asked = await demo.invoke("/roster lier officier:RDJ-00058 membre:@bob")
    question = asked.message
    cat = demo.bot.catalog
    assert question.content == "\n".join(
        [
            cat.t(
                "reg.lists.relink_officer",
                "fr",
                name="Claire Le Goff",
                previous="Claire Dubois (@claire)",
            ),
            cat.t(
                "reg.lists.relink_question",
                "fr",
                name="Claire Le Goff",
                member="Bob Le Gall (@bob)",
            ),
        ]
    )
    assert str(claire) not in question.content
    service = demo.bot.services.registration
    assert (await service.status_officer("RDJ-00058")).officer.discord_user_id == claire
    yes = next(b for b in question.buttons if b["label"] == "Oui, relier")
    await demo.sandbox.click(question, yes["custom_id"], as_member="alice")
    bob = demo.sandbox.member("bob").id
    assert (await service.status_officer("RDJ-00058")).officer.discord_user_id == bob


async def test_linking_an_account_linked_to_another_officer_asks_and_moves_it(demo):
    await demo.bot.services.registration.link("RDJ-00058", demo.sandbox.member("claire").id, "test")
    asked = await demo.invoke("/roster lier officier:RDJ-00021 membre:@claire")
    question = asked.message
    assert question.content.startswith(
        demo.bot.catalog.t(
            "reg.lists.relink_member",
            "fr",
            member="Claire Dubois (@claire)",
            other="Claire Le Goff",
        )
        + "\n"
    )
    yes = next(b for b in question.buttons if b["label"] == "Oui, relier")
    await demo.sandbox.click(question, yes["custom_id"], as_member="alice")
    service = demo.bot.services.registration
    claire = demo.sandbox.member("claire").id
    assert (await service.status_officer("RDJ-00021")).officer.discord_user_id == claire
    assert (await service.status_officer("RDJ-00058")).officer.discord_user_id is None


async def test_an_ambiguous_officer_lists_the_candidates_to_pick_from(demo):
    result = await demo.invoke("/status officier:david")
    message = result.message
    assert message.ephemeral and not message.embeds
    assert "• David Kerbrat — 29 – Finistère (RDJ-00059)" in message.content
    assert "• Caroline David — 69 – Rhône (RDJ-00028)" in message.content
    picked = await demo.sandbox.click(message, "officer:pick", values=["RDJ-00059"])
    assert picked.messages[-1].embeds[0]["title"] == "David Kerbrat — 29 – Finistère"


async def test_remove_finds_the_officer_by_email_and_name_in_any_order(demo):
    by_email = await demo.invoke("/roster retirer officier:catherine.meunier@orange.fr")
    assert "Catherine Meunier (RDJ-00001" in by_email.message.content
    by_name = await demo.invoke("/roster retirer officier:Goff Le Claire")
    assert "Claire Le Goff (RDJ-00058" in by_name.message.content
    assert len(await demo.bot.services.registration.roster()) == 60


async def test_review_of_one_officer_found_by_name(demo):
    pending = await demo.bot.services.registration.pending_reviews()
    officer = pending[0].officer.officer
    result = await demo.invoke(f"/verification officier:{officer.last_name} {officer.first_name}")
    assert result.message.embeds
    assert officer.full_name in str(result.message.embeds[0])


async def test_review_overview_by_department_then_strong_ones_confirmed_after_a_list(demo):
    service = demo.bot.services.registration
    await add_strong_probable(service)
    before = await service.review_overview()
    assert (await service.status_officer("RDJ-90001")).officer.status == "probable"
    assert [i.officer.officer.key for i in before.strong] == ["RDJ-90001"]
    result = await demo.invoke("/verification")
    message = result.message
    embed = message.embeds[0]
    cat = demo.bot.catalog
    assert embed["title"] == cat.t("reg.lists.overview_title", "fr", count=before.total)
    assert "**75 – Paris**" in embed["description"]
    strong = next(b for b in message.buttons if b["custom_id"] == "review:strong")
    listed = await demo.sandbox.click(message, strong["custom_id"], as_member="alice")
    question = listed.messages[-1]
    assert (
        "Nicolas Martin (75 – Paris) ← Nicolas Martin <nmartin@jeunes-parti.fr>"
        in (question.embeds[0]["description"])
    )
    assert (await service.status_officer("RDJ-90001")).officer.status == "probable"
    yes = next(b for b in question.buttons if b["custom_id"] == "confirm:yes")
    done = await demo.sandbox.click(question, yes["custom_id"], as_member="alice")
    assert done.messages[-1].content == demo.bot.catalog.t(
        "reg.lists.strong_done", "fr", confirmed=1, left=before.total - 1
    )
    assert (await service.status_officer("RDJ-90001")).officer.status == "registered"


async def test_review_of_one_department(demo):
    result = await demo.invoke("/verification departement:75")
    assert result.message.embeds[0]["title"].endswith("(75 – Paris)")
    empty = await demo.invoke("/verification departement:56")
    assert empty.message.content == demo.bot.catalog.t("reg.ui.review_empty", "fr")


async def test_the_scheduled_report_is_posted_to_the_organisers_channel(tmp_path):
    import asyncio
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from bot.sandbox import Sandbox
    from bot.schedule import Schedule
    from tests.e2e.conftest import WatchedClock, running_bot, wait_for

    paris = ZoneInfo("Europe/Paris")
    clock = WatchedClock(datetime(2026, 11, 30, 8, 0, tzinfo=paris))  # a Monday
    due = datetime(2026, 11, 30, 9, 0, tzinfo=paris)
    sandbox = Sandbox()
    await sandbox.start()
    channel_id = sandbox.channel("general").id
    await sandbox.stop()
    async with running_bot(
        tmp_path,
        demo=True,
        clock=clock,
        organiser_channel_id=channel_id,
        report_schedule=Schedule.parse("mon 09:00", paris),
        registration_deadline=datetime(2026, 12, 21).date(),
    ) as r:
        await wait_for(lambda: clock.waiting_until[due] >= 1, attempts=500)
        assert r.sandbox.messages("general") == []
        clock.advance(timedelta(hours=1, seconds=1))
        for _ in range(300):
            if r.sandbox.messages("general"):
                break
            await asyncio.sleep(0.02)
        (posted,) = r.sandbox.messages("general")
        cat = r.bot.catalog
        when = r.settings.report_schedule.describe(cat, "fr")
        assert posted.content == cat.t("reg.lists.report_intro", "fr", schedule=when)
        embed = posted.embeds[0]
        assert embed["title"] == cat.t(
            "reg.ui.progress_title", "fr", scope=cat.t("reg.ui.scope_national", "fr")
        )
        names = [f["name"] for f in embed["fields"]]
        for key in ("reg.ui.field_pace", "reg.ui.field_forecast", "reg.ui.field_behind"):
            assert cat.t(key, "fr") in names
        report = await r.bot.services.registration.report()
        assert len(report.behind) == 5
        behind = next(f for f in embed["fields"] if f["name"] == cat.t("reg.ui.field_behind", "fr"))
        assert report.behind[0].department.label in behind["value"]


async def test_no_report_schedule_posts_nothing(demo):
    assert demo.settings.report_schedule is None
    cog = demo.bot.get_cog("Registration")
    assert not any(t.get_name() == "registration.report" for t in cog.tasks._tasks)


async def test_review_overview_starts_the_review_in_place_department_by_department(demo):
    overview = await demo.bot.services.registration.review_overview()
    first = overview.groups[0].items[0].officer
    result = await demo.invoke("/verification")
    started = await demo.sandbox.click(result.message, "review:start", as_member="alice")
    embed = started.messages[-1].embeds[0]
    assert embed["title"] == demo.bot.catalog.t(
        "reg.ui.review_title",
        "fr",
        index=1,
        count=overview.total,
        name=first.officer.full_name,
        department=first.department.label,
    )
