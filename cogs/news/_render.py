"""Pure presenters: articles, lists, sources and digest pages → embeds.

What came from a page or a feed is escaped as it goes into a sentence (:mod:`bot.markdown`);
the article's link is its stored URL, never text.
"""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.i18n import Catalog, Locale, format_date
from bot.markdown import clip, escape, web_url
from bot.news.models import Article, FeedStatus, ToneLabel
from bot.news.render import Page, say_message, tone_text
from bot.news.service import Sources
from cogs._ui import line_page_builder

TONE_COLOURS = {
    ToneLabel.NEGATIVE: discord.Colour.red(),
    ToneLabel.NEUTRAL: discord.Colour.light_grey(),
    ToneLabel.POSITIVE: discord.Colour.green(),
}


def page_embed(page: Page) -> discord.Embed:
    embed = discord.Embed(
        title=page.title, description=page.description or None, colour=discord.Colour.blurple()
    )
    for field in page.fields:
        embed.add_field(name=field.name, value=field.value, inline=False)
    if page.footer:
        embed.set_footer(text=page.footer)
    return embed


def outlet(cat: Catalog, article: Article, locale: Locale) -> str:
    """The article's outlet as shown (escaped), and the site that republished it if another."""
    doc = article.document
    if doc.outlet and doc.site_name and doc.site_name != doc.outlet:
        return cat.t(
            "news.ui.republished", locale, outlet=escape(doc.outlet), site=escape(doc.site_name)
        )
    name = doc.outlet or doc.site_name
    return escape(name) if name else cat.t("news.unknown_outlet", locale)


def article_embed(
    cat: Catalog, article: Article, locale: Locale, copies: list[int], *, added: bool = False
) -> discord.Embed:
    t = cat.t
    doc, analysis = article.document, article.analysis
    key = "news.ui.added_title" if added else "news.ui.article_title"
    title = t(key, locale, article_id=article.id, title=escape(doc.title))
    embed = discord.Embed(
        title=clip(title, 256),
        url=web_url(doc.url),
        description=clip(escape(analysis.summary_text), 4096) or None,
        colour=TONE_COLOURS.get(analysis.tone.label),
    )
    embed.add_field(
        name=t("news.ui.field_outlet", locale), value=clip(outlet(cat, article, locale), 1024)
    )
    if doc.published:
        embed.add_field(
            name=t("news.ui.field_date", locale), value=format_date(doc.published, locale)
        )
    embed.add_field(name=t("news.ui.field_language", locale), value=analysis.language)
    tone = tone_text(cat, analysis.tone.label, analysis.tone.evidence[:4], locale)
    embed.add_field(name=t("news.ui.field_tone", locale), value=clip(tone, 1024), inline=False)
    if analysis.figures:
        lines = [f"**{f.display_value}** — {escape(f.text)}" for f in analysis.figures[:8]]
        embed.add_field(
            name=t("news.ui.field_figures", locale),
            value=clip("\n".join(lines), 1024),
            inline=False,
        )
    if analysis.quotes:
        unknown = t("news.unknown_speaker", locale)
        lines = [
            f"« {clip(escape(q.text), 200)} » — {escape(q.speaker) if q.speaker else unknown}"
            for q in analysis.quotes[:5]
        ]
        embed.add_field(
            name=t("news.ui.field_quotes", locale), value=clip("\n".join(lines), 1024), inline=False
        )
    names = [*analysis.entities.people, *analysis.entities.organisations][:12]
    if names:
        embed.add_field(
            name=t("news.ui.field_people", locale),
            value=clip(", ".join(escape(n) for n in names), 1024),
            inline=False,
        )
    story = (
        t("news.ui.story_copies", locale, count=len(copies), ids=", ".join(str(i) for i in copies))
        if copies
        else t("news.ui.story_alone", locale)
    )
    embed.add_field(name=t("news.ui.field_story", locale), value=clip(story, 1024), inline=False)
    return embed


def list_pages(
    cat: Catalog, articles: list[Article], total: int, locale: Locale, per_page: int = 10
) -> list[discord.Embed]:
    build, count = list_page_builder(cat, articles, total, locale, per_page)
    return [build(index) for index in range(count)]


def list_page_builder(
    cat: Catalog, articles: list[Article], total: int, locale: Locale, per_page: int = 10
) -> tuple[Callable[[int], discord.Embed], int]:
    """``/news liste`` as a function building page ``i`` and the number of pages; it keeps one
    line per article, not the articles."""
    t = cat.t
    title = t("news.ui.list_title", locale, total=total)
    if not articles:
        empty = t("news.ui.list_empty", locale)
        return (lambda index: discord.Embed(title=title, description=empty)), 1
    lines = [
        t(
            "news.ui.list_line",
            locale,
            article_id=a.id,
            title=clip(escape(a.document.title), 90),
            outlet=clip(outlet(cat, a, locale), 60),
            tone=t("news.tone." + a.analysis.tone.label, locale),
        )
        for a in articles
    ]
    return line_page_builder(cat, title, lines, per_page, locale)


def sources_embed(cat: Catalog, sources: Sources, locale: Locale) -> discord.Embed:
    t = cat.t
    lines = [
        t(
            "news.ui.outlet_line" if s.outlet is not None else "news.ui.unknown_outlet_line",
            locale,
            **({"outlet": escape(s.outlet)} if s.outlet is not None else {}),
            articles=s.articles,
            date=discord.utils.format_dt(s.last_added, "d"),
        )
        for s in sources.outlets
    ]
    embed = discord.Embed(
        title=t("news.ui.sources_title", locale),
        description=clip("\n".join(lines), 4096) if lines else t("news.ui.no_sources", locale),
        colour=discord.Colour.blurple(),
    )
    feed_lines = []
    for feed in sources.feeds:
        status = feed.status
        error = say_message(cat, feed.last_error, locale) if feed.last_error else "?"
        if status is FeedStatus.DISABLED:
            feed_lines.append(t("news.ui.feed_disabled", locale, url=escape(feed.url), error=error))
        elif status is FeedStatus.FAILING:
            feed_lines.append(
                t(
                    "news.ui.feed_failing",
                    locale,
                    url=escape(feed.url),
                    failures=feed.failures,
                    error=error,
                )
            )
        elif status is FeedStatus.OK and feed.last_polled:
            feed_lines.append(
                t(
                    "news.ui.feed_ok",
                    locale,
                    url=escape(feed.url),
                    date=discord.utils.format_dt(feed.last_polled, "f"),
                )
            )
        else:
            feed_lines.append(t("news.ui.feed_never", locale, url=escape(feed.url)))
        kept, dropped = sources.decisions.get(feed.url, (0, 0))
        if kept or dropped:
            feed_lines[-1] += t("news.ui.feed_filtered", locale, kept=kept, dropped=dropped)
    if feed_lines:
        embed.add_field(
            name=t("news.ui.feeds_title", locale),
            value=clip("\n".join(feed_lines), 1024),
            inline=False,
        )
    return embed
