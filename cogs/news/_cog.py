"""The press-coverage commands, the scheduled digest and feed polling."""

from __future__ import annotations

import asyncio
import io
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import RelanceBot
from bot.clock import Clock
from bot.errors import InvalidInput
from bot.news import analysis
from bot.news.models import Message
from bot.news.render import digest_markdown, digest_pages, say_message
from bot.news.service import DigestKind, NewsService
from bot.scheduler import ScheduledJob, Scheduler, TaskGroup
from cogs._ui import ConfirmView, Paginator, actor, command, organiser_only, send_pages, text
from cogs.news import _render as render

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20_000_000
PROGRESS_EVERY_SECONDS = 1.5
DIGEST_JOB = "news.digest"
# Seconds before each new try of a digest or notice Discord refused with a 5xx: all within the
# two minutes Discord keeps a nonce, so that a refusal after the post returns that message.
POST_RETRIES = (5, 20, 60)

Interaction = discord.Interaction[RelanceBot]


class News(commands.Cog):
    news = app_commands.Group(**command("cmd.news"))

    def __init__(
        self, bot: RelanceBot, service: NewsService, scheduler: Scheduler, clock: Clock
    ) -> None:
        self.bot = bot
        self.service = service
        self.scheduler = scheduler
        self.clock = clock
        self.catalog = bot.catalog
        self.settings = bot.settings
        self.tasks = TaskGroup()

    async def cog_load(self) -> None:
        self.bot.startup_work(self.tasks.start(self.load_model(), "news.model"))
        if self.settings.news_channel_id is not None:
            job = ScheduledJob(DIGEST_JOB, self.service.next_digest_time, self.post_digest)
            self.tasks.start(self.scheduler.run(job), DIGEST_JOB)
        if self.settings.news_feeds:
            self.tasks.start(self.poll_forever(), "news.feeds")

    async def cog_unload(self) -> None:
        await self.tasks.cancel_all()

    # ----- background work -------------------------------------------------------------------

    async def load_model(self) -> None:
        """The named-entity model and the analysis's word tables loaded once the bot is
        connected, in a thread: otherwise the first article after a start waits seconds for
        them, and the bot's memory grows then."""
        await self.bot.wait_until_ready()
        began = time.monotonic()
        if await asyncio.to_thread(analysis.prepare):
            log.info("named-entity model loaded in %.1f s", time.monotonic() - began)
        else:
            log.info("no named-entity model installed: names are found by the rules alone")

    async def post_digest(self, since: datetime) -> None:
        """The scheduled digest, in the configured language, to NEWS_CHANNEL_ID."""
        channel_id = self.settings.news_channel_id
        if channel_id is None:
            return
        await self.bot.wait_until_ready()
        locale = self.settings.locale
        digest = await self.service.digest(since)
        if digest.empty:
            log.info("scheduled digest skipped: no article since the last one")
            return
        pages = [render.page_embed(p) for p in digest_pages(self.catalog, digest, locale)]
        intro = self.catalog.t("news.ui.scheduled_intro", locale)
        markdown = digest_markdown(self.catalog, digest, locale) if len(pages) > 1 else None

        def message() -> dict[str, Any]:
            # the whole digest as a file only when it does not fit one embed (a file is read
            # once: a new one for each try)
            files = [_markdown_file(markdown)] if markdown is not None else []
            return {"content": intro, "embeds": pages[:1], "files": files}

        await self._post(channel_id, "scheduled digest", message)
        await self.service.digest_posted(digest, DigestKind.SCHEDULED)

    async def poll_forever(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                report = await self.service.poll_feeds()
                log.info("feeds polled: %d new article(s)", len(report.new_articles))
                await self._post_notices(report.notices)
            except Exception:
                log.exception("feed polling failed")
            await self.clock.sleep(self.settings.news_poll_minutes * 60)

    async def _post_notices(self, notices: list[Message]) -> None:
        channel_id = self.settings.news_channel_id
        if not notices or channel_id is None:
            return
        locale = self.settings.locale
        lines = [say_message(self.catalog, n, locale) for n in notices]
        text = "\n".join(lines)[:2000]
        await self._post(channel_id, "feed notices", lambda: {"content": text})

    async def _post(
        self, channel_id: int, what: str, message: Callable[[], dict[str, Any]]
    ) -> None:
        """Post ``message()`` in ``channel_id``; after a 5xx, try again after each of
        POST_RETRIES seconds on the bot's clock, with one nonce (a refusal Discord gave after
        posting returns that message: posted once), then give up (raised)."""
        channel = self.bot.get_partial_messageable(channel_id)
        nonce = secrets.token_hex(8)
        for wait in (*POST_RETRIES, None):
            try:
                await channel.send(**message(), nonce=nonce)
                return
            except discord.DiscordServerError as exc:
                if wait is None:
                    raise
                log.warning("%s refused (%s): new try in %d s", what, exc.status, wait)
                await self.clock.sleep(wait)

    # ----- commands --------------------------------------------------------------------------

    @news.command(**command("cmd.news.add"))
    @app_commands.rename(link=text("opt.link.name"), file=text("opt.file.name"))
    @app_commands.describe(link=text("opt.link.desc"), file=text("opt.article_file.desc"))
    @organiser_only()
    async def add(
        self,
        interaction: Interaction,
        link: str | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        if (link is None) == (file is None):
            raise InvalidInput("news.ui.need_one")
        await interaction.response.defer(thinking=True)
        who = actor(interaction)
        if link is not None:
            article = await self.service.add_link(link, who)
        else:
            assert file is not None
            if file.size > MAX_UPLOAD_BYTES:
                raise InvalidInput("news.file.too_big", name=file.filename, limit=MAX_UPLOAD_BYTES)
            article = await self.service.add_file(await file.read(), file.filename, who)
        copies = [a.id for a in await self.service.story_copies(article)]
        locale = self.bot.locale_for(interaction)
        embed = render.article_embed(self.catalog, article, locale, copies, added=True)
        await interaction.followup.send(embed=embed)

    @news.command(**command("cmd.news.digest"))
    @app_commands.rename(since=text("opt.since.name"), source=text("opt.source.name"))
    @app_commands.describe(since=text("opt.since.desc"), source=text("opt.source.desc"))
    async def digest(
        self, interaction: Interaction, since: str | None = None, source: str | None = None
    ) -> None:
        outlet = await self.service.outlet_named(source)  # an unknown one is answered privately
        await interaction.response.defer(thinking=True)
        locale = self.bot.locale_for(interaction)
        shown = 0.0

        async def progress(done: int, total: int) -> None:
            nonlocal shown
            if done >= total or time.monotonic() - shown < PROGRESS_EVERY_SECONDS:
                return
            shown = time.monotonic()
            await interaction.edit_original_response(
                content=self.catalog.t("news.digest.progress", locale, done=done, total=total)
            )

        digest = await self.service.digest(since, outlet, progress=progress)
        pages = [render.page_embed(p) for p in digest_pages(self.catalog, digest, locale)]
        if len(pages) == 1:
            await interaction.edit_original_response(content=None, embed=pages[0])
        else:
            labels = (
                self.catalog.t("common.previous", locale),
                self.catalog.t("common.next", locale),
            )
            await interaction.edit_original_response(
                content=self.catalog.t("news.ui.digest_file", locale),
                embed=pages[0],
                attachments=[_markdown_file(digest_markdown(self.catalog, digest, locale))],
                view=Paginator(interaction.user.id, pages, labels),
            )
        if not digest.empty:
            await self.service.digest_posted(digest, DigestKind.COMMAND)

    @news.command(**command("cmd.news.list"))
    @app_commands.rename(since=text("opt.since.name"), source=text("opt.source.name"))
    @app_commands.describe(since=text("opt.since.desc"), source=text("opt.source.desc"))
    async def list_(
        self, interaction: Interaction, since: str | None = None, source: str | None = None
    ) -> None:
        locale = self.bot.locale_for(interaction)
        articles = await self.service.all_articles(since, source)
        # the view keeps one line per article, and builds the page it shows
        build, count = render.list_page_builder(self.catalog, articles, len(articles), locale)
        await send_pages(interaction, build, count=count, ephemeral=False)

    @news.command(**command("cmd.news.article"))
    @app_commands.rename(article_id=text("opt.article_id.name"))
    @app_commands.describe(article_id=text("opt.article_id.desc"))
    async def article(
        self, interaction: Interaction, article_id: app_commands.Range[int, 1]
    ) -> None:
        found = await self.service.article(article_id)
        copies = [a.id for a in await self.service.story_copies(found)]
        locale = self.bot.locale_for(interaction)
        embed = render.article_embed(self.catalog, found, locale, copies)
        await interaction.response.send_message(embed=embed)

    @news.command(**command("cmd.news.sources"))
    async def sources(self, interaction: Interaction) -> None:
        result = await self.service.sources()
        embed = render.sources_embed(self.catalog, result, self.bot.locale_for(interaction))
        await interaction.response.send_message(embed=embed)

    @news.command(**command("cmd.news.remove"))
    @app_commands.rename(target=text("opt.target.name"))
    @app_commands.describe(target=text("opt.target.desc"))
    @organiser_only()
    async def remove(self, interaction: Interaction, target: str) -> None:
        # What would go (an article, or how many of which outlet) is asked first, privately.
        removal = await self.service.removal(target)
        locale = self.bot.locale_for(interaction)
        cat = self.catalog

        async def confirmed(click: Interaction) -> None:
            self.bot.require_organiser(click.user)
            done = await self.service.remove(removal, actor(click))
            reply = say_message(cat, done, self.bot.locale_for(click))
            await click.response.edit_message(content=reply, view=None)

        view = ConfirmView(
            interaction.user.id,
            (cat.t("news.remove.confirm", locale), cat.t("news.remove.keep", locale)),
            confirmed,
            cat.t("news.remove.kept", locale),
        )
        question = say_message(cat, removal.question, locale)
        await interaction.response.send_message(question, view=view, ephemeral=True)

    @digest.autocomplete("source")
    @list_.autocomplete("source")
    @remove.autocomplete("target")
    async def _outlet_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = await self.service.outlet_names(current)
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]


def _markdown_file(markdown: str) -> discord.File:
    return discord.File(io.BytesIO(markdown.encode("utf-8")), "synthese.md")
