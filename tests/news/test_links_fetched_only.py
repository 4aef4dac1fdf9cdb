"""Links are built only from URLs the bot fetched (issue 12): an uploaded file's own metadata
(``og:url``, ``<link rel=canonical>``, ``twitter:url``) names no link; a fetched page keeps the
URL it was fetched at, after redirects, whatever it claims."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.i18n import Catalog
from bot.news.service import NewsService
from bot.news.text import load_document
from cogs.news._render import article_embed
from tests.news.conftest import ARTICLE_HTML, LocalServer, page

EVIL = "https://evil.example/phish"
CLAIMS = (
    f'<meta property="og:url" content="{EVIL}">'
    f'<link rel="canonical" href="{EVIL}/canonical">'
    f'<meta name="twitter:url" content="{EVIL}/twitter">'
)
CLAIMING = ARTICLE_HTML.replace("</head>", CLAIMS + "</head>", 1)


@pytest.mark.parametrize("claims", [CLAIMS, CLAIMS[CLAIMS.index("<link") :]])
def test_an_uploaded_page_gets_no_link_from_its_own_metadata(claims: str) -> None:
    html = ARTICLE_HTML.replace("</head>", claims + "</head>", 1)
    assert load_document(html.encode(), "page.html").url is None


async def test_an_uploaded_page_is_stored_and_shown_without_a_link(service: NewsService) -> None:
    article = await service.add_file(CLAIMING.encode(), "page.html", "discord:1")
    assert article.document.url is None
    embed = article_embed(Catalog.load(), article, "fr", [], added=True)
    assert embed.url is None
    assert "evil.example" not in str(embed.to_dict())


async def test_a_fetched_page_keeps_the_url_it_was_fetched_at(
    service: NewsService, server: LocalServer
) -> None:
    async def moved(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(server.url("/article"))

    server.routes.update({"/old": moved, "/article": page(CLAIMING)})
    article = await service.add_link(server.url("/old"), "discord:1")
    assert article.document.url == server.url("/article")
