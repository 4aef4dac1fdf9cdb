"""Press coverage end to end: /news through the sandbox, a local web server, the schedule."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from tests.e2e.conftest import WatchedClock, running_bot, wait_for
from tests.news.conftest import ARTICLE_HTML, LocalServer, page

PARIS = ZoneInfo("Europe/Paris")
CATALOG = Catalog.load()


def article_page(number: int) -> str:
    """A distinct article per number, so that none is a copy of another."""
    topics = ["forums", "agenda", "messagerie", "sondages", "tracts", "formations", "dons", "votes"]
    topic = topics[number % len(topics)]
    return (
        f"<html lang='fr'><head><meta charset='utf-8'><title>Article {number} sur les {topic}</title>"
        f"<meta property='og:site_name' content='Média {number}'></head><body><article>"
        f"<h1>Article {number} sur les {topic}</h1>"
        + "".join(
            f"<p>Le module des {topic} de la plateforme compte {number * 100 + i} utilisateurs selon "
            f"le parti, qui promet des améliorations n°{number}-{i} avant la fin du mois prochain.</p>"
            for i in range(6)
        )
        + "</article></body></html>"
    )


async def test_add_a_page_from_an_allowed_local_server(tmp_path):
    server = LocalServer()
    server.routes["/lancement.html"] = page(ARTICLE_HTML)
    await server.start()
    try:
        async with running_bot(tmp_path, news_fetch_allowlist=("127.0.0.1:*",)) as r:
            result = await r.invoke(f"/news ajouter lien:{server.url('/lancement.html')}")
            embed = result.messages[-1].embeds[0]
            assert embed["title"] == "Article n°1 ajouté\u00a0: Cap Militants ouvre ses portes"
            fields = {f["name"]: f["value"] for f in embed["fields"]}
            assert fields["Média"] == "La Gazette du Val"
            listed = await r.invoke("/news liste")
            assert (
                "**n°1** Cap Militants ouvre ses portes" in listed.message.embeds[0]["description"]
            )
    finally:
        await server.stop()


async def test_a_loopback_link_is_refused_without_the_allow_list(tmp_path):
    server = LocalServer()
    server.routes["/lancement.html"] = page(ARTICLE_HTML)
    await server.start()
    try:
        async with running_bot(tmp_path) as r:
            result = await r.invoke(f"/news ajouter lien:{server.url('/lancement.html')}")
            message = result.messages[-1]
            assert message.ephemeral
            assert "127.0.0.1" in message.content
            assert server.hits == {}
            listed = await r.invoke("/news liste")
            assert listed.message.embeds[0]["description"] == CATALOG.t("news.ui.list_empty", "fr")
    finally:
        await server.stop()


async def test_adding_news_needs_the_organiser_role(tmp_path):
    async with running_bot(tmp_path) as r:
        result = await r.invoke("/news ajouter lien:https://example.org/a", as_member="zoe")
        assert result.message.content == CATALOG.t(
            "error.not_organiser", "fr", role="Organisateurs"
        )


async def test_long_digest_is_paginated_with_the_full_markdown_attached(tmp_path):
    server = LocalServer()
    for number in range(1, 41):
        server.routes[f"/a{number}.html"] = page(article_page(number))
    await server.start()
    try:
        async with running_bot(tmp_path, news_fetch_allowlist=("127.0.0.1:*",)) as r:
            for number in range(1, 41):
                await r.sandbox.invoke_command(
                    "news ajouter", {"lien": server.url(f"/a{number}.html")}, as_member="alice"
                )
            result = await r.invoke("/news synthese")
            message = result.messages[-1]
            assert message.attachments[0].filename == "synthese.md"
            assert message.attachments[0].data.decode("utf-8").startswith("# Revue de presse")
            first = message.embeds[0]
            assert first["footer"]["text"].startswith("Page 1/")
            nxt = next(b for b in message.buttons if b["label"] == "Suivant")
            clicked = await r.sandbox.click(message, nxt["custom_id"], as_member="alice")
            assert clicked.messages[-1].embeds[0]["footer"]["text"].startswith("Page 2/")
    finally:
        await server.stop()


MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)  # NEWS_DIGEST_SCHEDULE's default slot
NEXT_MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


async def test_the_scheduled_digest_is_posted_to_the_news_channel(tmp_path):
    clock = WatchedClock(MONDAY_8)
    sandbox_channel = "revue-de-presse"
    from bot.sandbox import Sandbox

    sandbox = Sandbox()
    async with running_bot(
        tmp_path, sandbox=sandbox, demo=True, clock=clock, news_channel_id=None
    ) as r:
        assert r.sandbox.messages(sandbox_channel) == []
    # Same database, now with the channel configured: the job arms itself for Monday 09:00.
    sandbox = Sandbox()
    await sandbox.start()
    channel_id = sandbox.channel(sandbox_channel).id
    await sandbox.stop()
    async with running_bot(tmp_path, demo=False, clock=clock, news_channel_id=channel_id) as r:
        await wait_for(lambda: clock.waiting_until[MONDAY_9] == 1, attempts=500)
        assert r.sandbox.messages(sandbox_channel) == []
        clock.advance(timedelta(hours=1, seconds=1))
        for _ in range(300):
            if r.sandbox.messages(sandbox_channel):
                break
            await asyncio.sleep(0.02)
        posted = r.sandbox.messages(sandbox_channel)
        assert len(posted) == 1
        assert posted[0].content == CATALOG.t("news.ui.scheduled_intro", "fr")
        assert posted[0].embeds[0]["title"] == "Revue de presse"
        # Remembered as the last digest, for the next one to say what changed since.
        news = r.bot.services.news
        for _ in range(300):
            if await news.previous_digest() is not None:
                break
            await asyncio.sleep(0.02)
        previous = await news.previous_digest()
        assert previous is not None and previous.end == clock.now()


async def test_an_empty_scheduled_digest_is_not_posted(tmp_path):
    clock = WatchedClock(MONDAY_8)
    from bot.sandbox import Sandbox

    sandbox = Sandbox()
    async with running_bot(tmp_path, sandbox=sandbox, clock=clock) as r:
        pass
    sandbox = Sandbox()
    await sandbox.start()
    channel_id = sandbox.channel("revue-de-presse").id
    await sandbox.stop()
    async with running_bot(tmp_path, clock=clock, news_channel_id=channel_id) as r:
        await wait_for(lambda: clock.waiting_until[MONDAY_9] == 1, attempts=500)
        clock.advance(timedelta(hours=1, seconds=1))
        # It ran, and sleeps again until next Monday.
        await wait_for(lambda: clock.waiting_until[NEXT_MONDAY_9] == 1, attempts=500)
        assert clock.waiting_until[MONDAY_9] == 0
        assert r.sandbox.messages("revue-de-presse") == []


async def test_the_launch_article_uploaded_as_a_file(tmp_path):
    from pathlib import Path

    data = (
        (Path(__file__).parents[1] / "data" / "news")
        .joinpath("le-parisien-2010-02-15-ump-facebook-flop.txt")
        .read_bytes()
    )
    async with running_bot(tmp_path) as r:
        result = await r.invoke("/news ajouter", attachments={"fichier": ("flop.txt", data)})
        embed = result.messages[-1].embeds[0]
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Média"].startswith("Le Parisien")
        assert fields["Ton"].startswith("négatif — ")
        assert "ratage général »" in fields["Ton"]
        assert "**1\u202f500** — 1 500 inscrits les premiers jours" in fields["Chiffres"]
        assert "7 000 après cinq semaines" in fields["Chiffres"]
        assert "— Guy Birenbaum" in fields["Citations"]
        assert "— Benjamin Lancar" in fields["Citations"]


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid></item>"
        for title, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Le fil</title><link>http://127.0.0.1/</link>{entries}</channel></rss>"
    )


async def test_feeds_are_polled_filtered_by_keyword_and_failures_shown(tmp_path):
    from aiohttp import web

    server = LocalServer()
    server.routes["/lancement.html"] = page(ARTICLE_HTML)
    server.routes["/meteo.html"] = page(article_page(3))

    async def broken(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500)

    server.routes["/broken.xml"] = broken
    await server.start()
    feed = server.url("/feed.xml")
    server.routes["/feed.xml"] = page(
        rss(
            [
                ("Cap Militants ouvre ses portes", server.url("/lancement.html")),
                ("La météo du week-end", server.url("/meteo.html")),
            ]
        ),
        "application/rss+xml",
    )
    try:
        async with running_bot(
            tmp_path,
            news_feeds=(feed, server.url("/broken.xml")),
            news_keywords=("Cap Militants",),
            news_fetch_allowlist=("127.0.0.1:*",),
        ) as r:
            await wait_for(lambda: server.hits.get("/broken.xml", 0) >= 1, attempts=500)
            await wait_for(lambda: server.hits.get("/lancement.html", 0) >= 1, attempts=500)
            listed = await r.invoke("/news liste")
            for _ in range(100):
                if "Cap Militants ouvre ses portes" in listed.message.embeds[0]["description"]:
                    break
                await asyncio.sleep(0.02)
                listed = await r.invoke("/news liste")
            description = listed.message.embeds[0]["description"]
            assert "Cap Militants ouvre ses portes" in description
            assert "météo" not in description
            assert "/meteo.html" not in server.hits
            sources = await r.invoke("/news sources")
            feeds = {f["name"]: f["value"] for f in sources.message.embeds[0]["fields"]}[
                "Flux RSS/Atom"
            ]
            assert f"✅ {feed} — relevé" in feeds
            assert "· 1 article gardé, 1 écarté par NEWS_KEYWORDS" in feeds
            assert (
                f"⚠️ {server.url('/broken.xml')} — 1 échec\u00a0: "
                "Le site a répondu par une erreur 500\u00a0: vérifiez le lien."
            ) in feeds.split("\n")
    finally:
        await server.stop()


async def test_sources_list_outlets_and_removal_asks_privately_with_the_count(tmp_path):
    async with running_bot(tmp_path, demo=True) as r:
        sources = await r.invoke("/news sources")
        lines = sources.message.embeds[0]["description"].split("\n")
        assert [line.split("**")[1] for line in lines] == [
            "La Gazette du Val",
            "Le Courrier Civique",
            "Numérique Hebdo",
            "The Civic Ledger",
        ]
        assert lines[0].startswith("**La Gazette du Val**\u00a0: 2 articles, dernier le ")
        asked = await r.invoke('/news retirer cible:"Le Courrier Civique"')
        question = asked.message
        assert question.ephemeral
        assert question.content == (
            "Retirer le seul article du média «\u00a0Le Courrier Civique\u00a0»\u202f? "
            "Il sera supprimé de la revue de presse."
        )
        assert len(await r.bot.services.news.all_articles()) == 5  # nothing removed yet
        yes = next(b for b in question.buttons if b["label"] == "Oui, retirer")
        done = await r.sandbox.click(question, yes["custom_id"], as_member="alice")
        answer = done.messages[-1]
        assert answer.ephemeral
        assert answer.content == "1 article du média «\u00a0Le Courrier Civique\u00a0» retiré."
        assert await r.bot.services.news.outlet_names() == [
            "La Gazette du Val",
            "Numérique Hebdo",
            "The Civic Ledger",
        ]
        # Said in the channel: only /news sources' answer; the question and its answer are private.
        public = r.sandbox.messages(question.channel_id)
        assert [m.id for m in public] == [sources.message.id]


async def test_keeping_the_articles_removes_nothing(tmp_path):
    async with running_bot(tmp_path, demo=True) as r:
        asked = await r.invoke("/news retirer cible:gazette")
        assert asked.message.content.startswith(
            "Retirer les 2 articles du média «\u00a0La Gazette du Val\u00a0»\u202f?"
        )
        no = next(b for b in asked.message.buttons if b["label"] == "Non, garder")
        kept = await r.sandbox.click(asked.message, no["custom_id"], as_member="alice")
        assert kept.messages[-1].content == "Rien n'a été retiré."
        assert len(await r.bot.services.news.all_articles()) == 5


async def test_an_unknown_outlet_is_answered_privately_with_the_known_ones(tmp_path):
    known = "La Gazette du Val, Le Courrier Civique, Numérique Hebdo, The Civic Ledger"
    expected = (
        f"Aucun média ne correspond à «\u00a0demo\u00a0». Les 4 médias connus\u00a0: {known}."
    )
    async with running_bot(tmp_path, demo=True) as r:
        for line in (
            "/news retirer cible:demo",
            "/news synthese source:demo",
            "/news liste source:demo",
        ):
            result = await r.invoke(line)
            assert result.message.ephemeral, line
            assert result.message.content == expected, line
        assert len(await r.bot.services.news.all_articles()) == 5


async def test_the_outlet_choices_are_the_outlets(tmp_path):
    async with running_bot(tmp_path, demo=True) as r:
        choices = await r.sandbox.autocomplete("/news synthese source:civi", as_member="alice")
        assert [c["value"] for c in choices] == ["Le Courrier Civique", "The Civic Ledger"]


async def test_a_public_digest_for_every_outlet_is_remembered(tmp_path):
    async with running_bot(tmp_path, demo=True) as r:
        news = r.bot.services.news
        await r.invoke("/news synthese source:Numérique Hebdo")
        assert await news.previous_digest() is None  # one outlet's digest is not the last digest
        await r.invoke("/news synthese")
        previous = await news.previous_digest()
        assert previous is not None
        assert len(previous.stories) == 4


async def test_a_failing_feed_is_announced_in_the_news_channel_as_a_sentence(tmp_path):
    from aiohttp import web

    from bot.sandbox import Sandbox

    server = LocalServer()

    async def broken(request: web.Request) -> web.StreamResponse:
        return web.Response(status=503)

    server.routes["/broken.xml"] = broken
    await server.start()
    sandbox = Sandbox()
    await sandbox.start()
    channel_id = sandbox.channel("revue-de-presse").id
    await sandbox.stop()
    feed = server.url("/broken.xml")
    try:
        async with running_bot(
            tmp_path,
            news_feeds=(feed,),
            news_channel_id=channel_id,
            news_fetch_allowlist=("127.0.0.1:*",),
        ) as r:
            await wait_for(lambda: bool(r.sandbox.messages("revue-de-presse")), attempts=500)
            posted = r.sandbox.messages("revue-de-presse")
            assert [m.content for m in posted] == [
                f"Le flux {feed} est en échec\u00a0: Le site a répondu par une erreur 503\u00a0: "
                "vérifiez le lien. Nouvel essai dans 30 min."
            ]
    finally:
        await server.stop()
