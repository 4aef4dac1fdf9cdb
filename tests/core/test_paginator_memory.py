"""A paging view lives ten minutes after its answer: it keeps the page on screen only."""

from __future__ import annotations

import gc
import weakref

import discord

from bot.i18n import Catalog
from cogs._ui import Paginator, line_page_builder


class Page(discord.Embed):
    """An embed one can hold a weak reference to (discord.Embed has slots)."""


async def test_a_paginator_keeps_only_the_page_on_screen() -> None:
    built: list[weakref.ref[Page]] = []

    def build(index: int) -> discord.Embed:
        page = Page(title=f"page {index}")
        built.append(weakref.ref(page))
        return page

    view = Paginator(1, build, ("<", ">"), count=5)
    for index in range(5):
        assert view.page(index).title == f"page {index}"
    gc.collect()
    alive = [ref() for ref in built]
    assert [page.title for page in alive if page is not None] == ["page 4"]
    assert view.page(4) is alive[-1]  # the page on screen is not built again
    assert view.page(1).title == "page 1"  # going back builds it again
    assert len(built) == 6


async def test_a_paginator_given_a_first_page_drops_it_when_the_next_is_shown() -> None:
    first = Page(title="page 0")
    ref = weakref.ref(first)
    view = Paginator(1, lambda index: Page(title=f"page {index}"), ("<", ">"), count=2, first=first)
    assert view.page(0) is first
    del first
    assert view.page(1).title == "page 1"
    gc.collect()
    assert ref() is None


async def test_line_pages_are_built_from_their_texts_with_numbered_footers() -> None:
    catalog = Catalog.load()
    lines = [f"line {n}" for n in range(25)]
    build, count = line_page_builder(catalog, "Title", lines, 10, "en", header="Head")
    assert count == 3
    last = build(2)
    assert last.description == "Head\n\n" + "\n".join(lines[20:])
    assert last.footer.text == catalog.t("common.page", "en", page=3, pages=3)
    assert build(0).description == "Head\n\n" + "\n".join(lines[:10])
