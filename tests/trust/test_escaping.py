"""Outside text never becomes Markdown: the escaping helper, then each presenter that shows a
hostile title, outlet or name (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import discord
import pytest
import pytest_asyncio

from bot.config import Settings
from bot.i18n import Catalog
from bot.markdown import clip, escape, link, web_url
from bot.news.digest import (
    ArticleRef,
    Digest,
    DigestChanges,
    DigestFigure,
    DigestQuote,
    DigestStory,
    OutletTone,
    PickedUp,
    TimelineDay,
)
from bot.news.models import (
    Analysis,
    Article,
    Document,
    Entities,
    FeedState,
    Figure,
    Message,
    OutletStat,
    Quote,
    Tone,
    ToneLabel,
)
from bot.news.people import Speaker
from bot.news.render import digest_markdown, digest_pages, say_message
from bot.news.service import Sources
from bot.reminders.templates import plain
from bot.sandbox import SandboxMessage
from cogs.news import _render as news_render
from cogs.reminders._render import sample_intro
from tests.e2e.conftest import Running, demo_deadline, running_bot

CATALOG = Catalog.load()
PHISH = "[Confirmez votre inscription](https://evil.example/phish)"
OUTLET = "Le Monde](https://evil.example/outlet) [x"
# A Markdown link Discord or a Markdown reader would render: "[" and "](" not escaped.
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
EVIL = "https://evil.example"


def unescaped(text: str) -> str:
    """What a reader sees of an escaped text: each backslash pair gives its second character."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


# ----- the helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (PHISH, r"\[Confirmez votre inscription\](https://evil.example/phish)"),
        (OUTLET, r"Le Monde\](https://evil.example/outlet) \[x"),
        (
            "**gras** _penché_ ~~barré~~ ||caché|| `code`",
            r"\*\*gras\*\* \_penché\_ \~\~barré\~\~ \|\|caché\|\| \`code\`",
        ),
        ("<@123456789> <#42> <@&7> <t:1:R>", r"\<@123456789\> \<\#42\> \<@&7\> \<t:1:R\>"),
        ("@everyone et @here", "@\u200beveryone et @\u200bhere"),
        ("# Titre", r"\# Titre"),
        ("> citation", r"\> citation"),
        ("- point", r"\- point"),
        ("1. premier", r"1\. premier"),
        ("ligne 1\n# ligne 2\r\n- 3", r"ligne 1 \# ligne 2 - 3"),  # one line
        ("C:\\dossier", r"C:\\dossier"),
        ("Jean-Marie Le Pen, 12,5 % — « oui »", "Jean-Marie Le Pen, 12,5 % — « oui »"),
    ],
)
def test_markdown_characters_are_escaped(raw: str, shown: str) -> None:
    assert escape(raw) == shown


def test_everyone_is_broken_inside_a_url_too() -> None:
    assert escape("https://x.example/a)@everyone") == "https://x.example/a)@\u200beveryone"


def test_a_url_in_the_text_stays_a_working_url() -> None:
    # a backslash inside an autolinked URL would become part of the link
    assert escape("flux https://www.lemonde.fr/rss_full.xml ok_ici") == (
        r"flux https://www.lemonde.fr/rss_full.xml ok\_ici"
    )


@pytest.mark.parametrize(
    "raw", [PHISH, OUTLET, "a\\", "\\[x](y)", "*_~`|[]<>#@everyone", "- 1. > # x", "é" * 50]
)
def test_a_reader_sees_the_text_as_it_was_and_no_character_costs_more_than_two(raw: str) -> None:
    shown = escape(raw)
    assert unescaped(shown) == raw
    assert len(shown) <= 2 * len(raw)
    assert MASKED_LINK.search(shown) is None


def test_clip_never_leaves_half_an_escape() -> None:
    shown = escape("ab[cd")  # ab\[cd
    assert clip(shown, 4) == "ab…"
    assert clip(shown, 5) == r"ab\[…"
    assert clip(shown, 100) == shown


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.lemonde.fr/a.html", "https://www.lemonde.fr/a.html"),
        ("http://x.example/a b(c)", "http://x.example/a%20b%28c%29"),
        (
            "https://x.example/a) [y](https://evil.example",
            "https://x.example/a%29%20%5By%5D%28https://evil.example",
        ),
        ("javascript:alert(1)", None),
        ("ftp://x.example/f", None),
        ("https:///nohost", None),
        ("Le Monde", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_with_a_host_become_link_targets(
    url: str | None, target: str | None
) -> None:
    assert web_url(url) == target


def test_a_link_label_is_escaped_and_holds_no_bracket() -> None:
    assert link(OUTLET, "https://www.lemonde.fr/a") == (
        r"[Le Monde)(https://evil.example/outlet) (x](https://www.lemonde.fr/a)"
    )
    assert link("**Le Monde**", "javascript:alert(1)") == r"\*\*Le Monde\*\*"


# ----- news presenters -------------------------------------------------------------------------


def _ref(number: int, url: str | None = None) -> ArticleRef:
    return ArticleRef(number, PHISH, OUTLET, url, date(2026, 3, 2))


def _digest() -> Digest:
    refs = (_ref(1, "https://www.lemonde.fr/article"), _ref(2))
    return Digest(
        start=datetime(2026, 3, 1, tzinfo=UTC),
        end=datetime(2026, 3, 3, tzinfo=UTC),
        source=OUTLET,
        articles=2,
        outlets=(OUTLET,),
        language="fr",
        summary=(f"{PHISH} a été lancé.", "@everyone <@1> est invité."),
        tone=Tone(ToneLabel.NEUTRAL, 0.0, (PHISH,)),
        timeline=(TimelineDay(date(2026, 3, 2), 2, (PHISH,)),),
        stories=(DigestStory(1, (OUTLET, OUTLET), refs, (f"{PHISH}.",)),),
        figures=(DigestFigure(1500.0, f"1 500 {PHISH}", refs[1]),),
        quotes=(DigestQuote(PHISH, f"{OUTLET} @everyone", refs[0]),),
        tones=(OutletTone(OUTLET, ToneLabel.NEGATIVE, 2, (PHISH,), -1.0),),
        changes=DigestChanges(
            datetime(2026, 2, 1, tzinfo=UTC), (1,), (), (PickedUp(1, (OUTLET,)),)
        ),
        speakers=(Speaker(f"{PHISH} <@1>", OUTLET, 1, (1,), (OUTLET,)),),
    )


def _targets(text: str) -> list[str]:
    """Where the links of ``text`` lead: what follows each "](" not escaped."""
    return re.findall(r"(?<!\\)\]\(([^)\s]*)", text)


def _openings(text: str) -> int:
    return len(re.findall(r"(?<!\\)\[", text))


STORED = "https://www.lemonde.fr/article"


def test_the_digest_file_links_only_to_the_stored_url_and_shows_the_text() -> None:
    markdown = digest_markdown(CATALOG, _digest(), "fr")
    targets = _targets(markdown)
    assert targets and set(targets) == {STORED}
    assert _openings(markdown) == len(targets)
    assert "@everyone" not in markdown and "<@1>" not in markdown
    assert f"« {PHISH} »" in unescaped(markdown)
    assert "Le Monde)(https://evil.example/outlet) (x" in unescaped(markdown)  # a link's label
    assert "\\\\" not in markdown  # nothing escaped twice


def test_the_digest_pages_link_only_to_the_stored_url() -> None:
    pages = digest_pages(CATALOG, _digest(), "en")
    texts = [p.title for p in pages] + [p.description for p in pages]
    texts += [t for p in pages for f in p.fields for t in (f.name, f.value)]
    assert {t for text in texts for t in _targets(text)} == {STORED}
    for text in texts:
        assert _openings(text) == len(_targets(text)), text
        assert "@everyone" not in text and "<@1>" not in text
        assert "\\\\" not in text


def _article(url: str | None = "https://www.lemonde.fr/article") -> Article:
    document = Document(
        title=PHISH,
        text="texte",
        language="fr",
        outlet=OUTLET,
        site_name="**Blog** <@1>",
        url=url,
    )
    analysis = Analysis(
        language="fr",
        sentences=(PHISH,),
        summary=(f"{PHISH} @everyone.",),
        figures=(Figure(1500.0, f"1 500 {PHISH}", PHISH),),
        quotes=(Quote(PHISH, f"{OUTLET} <@1>", PHISH),),
        entities=Entities((PHISH,), (OUTLET,)),
        tone=Tone(ToneLabel.NEGATIVE, -1.0, (PHISH,)),
    )
    return Article(1, "file", document, analysis, datetime(2026, 3, 2, tzinfo=UTC), 1)


def _embed_texts(embed: discord.Embed) -> list[str]:
    texts = [embed.title or "", embed.description or ""]
    return texts + [t for f in embed.fields for t in (f.name or "", f.value or "")]


def test_an_article_s_embed_shows_its_text_and_links_only_to_its_url() -> None:
    embed = news_render.article_embed(CATALOG, _article(), "fr", [])
    assert embed.url == "https://www.lemonde.fr/article"
    texts = _embed_texts(embed)
    for text in texts:
        assert _targets(text) == [] and _openings(text) == 0, text
        assert "@everyone" not in text and "<@1>" not in text
    assert PHISH in unescaped(embed.title or "")
    assert f"{PHISH} @everyone." == unescaped(embed.description or "")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "Le Monde", None])
def test_an_article_whose_url_is_no_web_address_has_no_link(url: str | None) -> None:
    assert news_render.article_embed(CATALOG, _article(url), "fr", []).url is None


def test_the_public_list_shows_titles_and_outlets_as_text() -> None:
    [page] = news_render.list_pages(CATALOG, [_article()], 1, "en")
    description = page.description or ""
    assert _targets(description) == [] and _openings(description) == 0
    assert PHISH in unescaped(description) and OUTLET in unescaped(description)


def test_sources_and_a_feed_s_error_show_outside_text_as_text() -> None:
    error = Message("news.feed.invalid", {"url": f"https://x.example/rss_full.xml {PHISH}"})
    sources = Sources(
        [OutletStat(OUTLET, 2, datetime(2026, 3, 2, tzinfo=UTC))],
        [FeedState("https://x.example/rss_full.xml", failures=1, last_error=error)],
    )
    embed = news_render.sources_embed(CATALOG, sources, "fr")
    for text in _embed_texts(embed):
        assert _targets(text) == [] and _openings(text) == 0, text
    # a feed's URL is shown as it is: a backslash in it would break its link
    assert "https://x.example/rss_full.xml" in embed.fields[0].value


def test_a_removal_question_shows_the_title_as_text() -> None:
    question = Message("news.remove.question_article", {"article_id": 3, "title": PHISH})
    said = say_message(CATALOG, Message(question.key, {**question.params, "outlet": OUTLET}), "fr")
    assert _targets(said) == [] and _openings(said) == 0
    assert PHISH in unescaped(said)


# ----- through the sandbox: one news command, one registration command -----------------------

PAGE = f"""<!doctype html><html lang="fr"><head><title>{PHISH}</title>
<meta property="og:site_name" content="{OUTLET}"></head><body><article>
<h1>{PHISH}</h1>
<p>Le parti a lancé mardi sa plateforme en ligne, qui compte déjà 1 500 inscrits selon ses
responsables. « {PHISH} @everyone », a déclaré la porte-parole du mouvement lors d'une
conférence de presse à Paris.</p>
<p>Les responsables départementaux ont jusqu'à la fin du mois pour s'inscrire sur le site,
qui doit devenir le lieu des débats internes du parti et de ses jeunes militants.</p>
</article></body></html>""".encode()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    zone = Settings.from_env({}, CATALOG).timezone
    deadline = demo_deadline(datetime.now(UTC), zone)
    async with running_bot(
        tmp_path_factory.mktemp("escaping"), demo=True, registration_deadline=deadline
    ) as r:
        yield r


def _posted(message: SandboxMessage) -> str:
    """What the bot posted, as JSON: content, embeds and buttons."""
    return json.dumps(
        {"content": message.content, "embeds": message.embeds, "components": message.components},
        ensure_ascii=False,
    )


def _nothing_rendered_from_data(message: SandboxMessage, claire: int) -> None:
    for text in [message.content, *map(_embed_json_texts, message.embeds)]:
        assert _targets(text) == [] and _openings(text) == 0, text
        assert "@everyone" not in text and f"<@{claire}>" not in text, text
    assert "https://evil.example" in _posted(message)  # the text is shown, as text
    assert message.mentions == [] and message.mention_roles == []
    assert not message.mention_everyone


def _embed_json_texts(embed: dict[str, object]) -> str:
    fields = embed.get("fields") or []
    assert isinstance(fields, list)
    parts = [str(embed.get("title", "")), str(embed.get("description", ""))]
    return "\n".join(parts + [f"{f['name']}\n{f['value']}" for f in fields])


@pytest.mark.asyncio(loop_scope="module")
async def test_an_article_s_page_through_the_sandbox_shows_no_link_nor_mention(
    running: Running,
) -> None:
    sandbox = running.sandbox
    claire = sandbox.member("claire").id
    page = PAGE.replace(b"@everyone", f"@everyone <@{claire}>".encode())
    added = await sandbox.invoke(
        "/news ajouter", as_member="alice", attachments={"fichier": ("page.html", page)}
    )
    assert added.error is None and added.messages
    _nothing_rendered_from_data(added.messages[-1], claire)
    number = re.search(r"n°(\d+)", added.messages[-1].embeds[0]["title"])
    assert number is not None
    [shown] = (await sandbox.invoke(f"/news article numero:{number[1]}", as_member="zoe")).messages
    assert shown.embeds and shown.embeds[0].get("url") is None  # a file: no URL was fetched
    _nothing_rendered_from_data(shown, claire)


@pytest.mark.asyncio(loop_scope="module")
async def test_an_officer_and_a_sign_up_through_the_sandbox_show_no_link_nor_mention(
    running: Running,
) -> None:
    sandbox = running.sandbox
    claire = sandbox.member("claire").id
    roster = io.StringIO()
    writer = csv.writer(roster, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail"])
    name = (PHISH, f"<@{claire}> @everyone")
    writer.writerow(["PHISH-9", *name, "**RDJ**", "29", "phish_9@x.fr"])
    service = running.bot.services.registration
    await service.import_roster(
        roster.getvalue().encode(), "r.csv", "test", apply=True, remove_missing=False
    )
    signups = io.StringIO()
    writer = csv.writer(signups, lineterminator="\n")
    writer.writerow(["Identifiant", "Nom complet", "Adresse e-mail", "Code postal", "Date"])
    writer.writerow(["S-PHISH", " ".join(name), "phish_9@x.fr", "29000", "2026-01-02"])
    await service.import_signups(signups.getvalue().encode(), "s.csv", "test")
    answer = await sandbox.invoke("/status officier:PHISH-9", as_member="alice")
    assert answer.error is None, answer.text
    [shown] = answer.messages
    assert "phish_9@x.fr" in unescaped(shown.text)
    _nothing_rendered_from_data(shown, claire)
    listed = await sandbox.invoke("/status departement:29", as_member="alice")
    assert listed.messages
    for message in listed.messages:
        _nothing_rendered_from_data(message, claire)


# ----- reminders ------------------------------------------------------------------------------


def test_a_nudge_s_name_is_escaped_once() -> None:
    assert plain(f"  {PHISH}\n@everyone  ") == escape(f"{PHISH} @everyone")
    expected = CATALOG.t("reminders.ui.sample_intro", "fr", name=r"\*\*Anne\*\*")
    assert sample_intro(CATALOG, "fr", "**Anne**") == expected


@pytest.mark.asyncio(loop_scope="module")
async def test_the_question_before_removing_an_officer_shows_the_name_as_text(
    running: Running,
) -> None:
    sandbox = running.sandbox
    claire = sandbox.member("claire").id
    roster = io.StringIO()
    writer = csv.writer(roster, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Identifiant", "Prénom", "Nom", "Département", "E-mail"])
    writer.writerow(["PHISH-8", PHISH, f"<@{claire}> @everyone", "35", ""])
    await running.bot.services.registration.import_roster(
        roster.getvalue().encode(), "r8.csv", "test", apply=True, remove_missing=False
    )
    asked = await sandbox.invoke("/roster retirer officier:PHISH-8", as_member="alice")
    assert asked.error is None, asked.text
    [question] = asked.messages
    assert question.buttons and PHISH in unescaped(question.content)
    _nothing_rendered_from_data(question, claire)
