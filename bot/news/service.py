"""The press-coverage service: one method per command, shared by the cogs, the CLI and jobs."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.clock import Clock
from bot.config import Settings
from bot.errors import InvalidInput, NotFound, UserError
from bot.news.analysis import analyse_with_signature, check_max_words
from bot.news.digest import DIGEST_WORDS, Digest, Progress, build_digest
from bot.news.feeds import MAX_FAILURES, MIN_INLINE_WORDS, backoff, keyword_decision, parse_feed
from bot.news.fetch import Fetcher, FetchKind
from bot.news.grouping import story_of
from bot.news.models import (
    Article,
    ArticleOrigin,
    Document,
    FeedItemRecord,
    FeedState,
    Message,
    SourceStat,
    source_key,
)
from bot.news.periods import parse_since
from bot.news.sentences import word_count
from bot.news.storage import NewsRepository
from bot.news.text import load_document
from bot.storage.audit import AuditRepository
from bot.storage.database import Database

log = logging.getLogger(__name__)

PAGE_SIZE = 10
FILE_SUFFIXES = ("", ".txt", ".text", ".md", ".html", ".htm", ".xhtml")


@dataclass
class PollReport:
    feeds_polled: int = 0
    new_articles: list[int] = field(default_factory=list)
    kept: int = 0
    dropped: int = 0
    notices: list[Message] = field(default_factory=list)  # for the news channel


@dataclass(frozen=True)
class ArticlePage:
    articles: list[Article]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Sources:
    sources: list[SourceStat]
    feeds: list[FeedState]
    # feed URL -> (items kept, items dropped) by the keyword filter
    decisions: dict[str, tuple[int, int]] = field(default_factory=dict)


class NewsService:
    def __init__(self, db: Database, clock: Clock, settings: Settings, fetcher: Fetcher) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._fetcher = fetcher
        self._repo = NewsRepository(db)

    # --- adding ---------------------------------------------------------------------------

    async def add_link(self, url: str, actor: str) -> Article:
        result = await self._fetcher.fetch(url.strip(), FetchKind.PAGE)
        document = await asyncio.to_thread(load_document, result.body, "", result.url)
        return await self.add_document(document, ArticleOrigin.LINK, actor)

    async def add_file(self, data: bytes, filename: str, actor: str) -> Article:
        if Path(filename).suffix.lower() not in FILE_SUFFIXES:
            raise InvalidInput("news.file.type", name=filename)
        if len(data) > self._settings.news_max_bytes:
            raise InvalidInput(
                "news.file.too_big", name=filename, limit=self._settings.news_max_bytes
            )
        document = await asyncio.to_thread(load_document, data, filename)
        return await self.add_document(document, ArticleOrigin.FILE, actor)

    async def add_document(
        self,
        document: Document,
        origin: ArticleOrigin,
        actor: str,
        *,
        feed_url: str | None = None,
        duplicate_ok: bool = False,
    ) -> Article:
        """Analyse and store one document; the same text from the same place is refused."""
        source = source_key(origin, feed_url)
        # The same text read on another site (a repost) is kept, and grouped with the original.
        key = "\n".join(
            (document.site_name or "", document.url or "", " ".join(document.text.split()))
        )
        digest = hashlib.sha256(key.lower().encode()).hexdigest()
        existing = await self._repo.id_by_hash(digest)
        if existing is not None:
            if duplicate_ok:
                found = await self._repo.get(existing)
                if found:
                    return found
            raise UserError("news.article.duplicate", article_id=existing)
        analysis, sig = await asyncio.to_thread(analyse_with_signature, document)
        known = await self._repo.signatures()
        story = story_of(sig, [(story_id, other) for _, story_id, other in known])
        now = self._clock.now()
        async with self._db.transaction() as tx:
            article_id = await self._repo.insert_article(
                tx,
                source=source,
                document=document,
                analysis=analysis,
                signature=sig,
                content_hash=digest,
                story_id=story,
                added_by=actor,
                added_at=now,
            )
            await AuditRepository.record(tx, now, actor, "news.add", f"{source} #{article_id}")
        article = await self._repo.get(article_id)
        assert article is not None
        return article

    # --- feeds ----------------------------------------------------------------------------

    async def poll_feeds(self) -> PollReport:
        """Poll every configured feed that is due; failures back off and end up disabled."""
        report = PollReport()
        for url in self._settings.news_feeds:
            state = await self._repo.feed(url)
            now = self._clock.now()
            if state.disabled_at or (state.next_attempt and state.next_attempt > now):
                continue
            try:
                await self._poll_one(state, report)
            except UserError as exc:
                await self._feed_failed(state, Message(exc.key, dict(exc.params)), report)
            else:
                report.feeds_polled += 1
        return report

    async def _poll_one(self, state: FeedState, report: PollReport) -> None:
        result = await self._fetcher.fetch(
            state.url, FetchKind.FEED, state.etag, state.last_modified
        )
        now = self._clock.now()
        polled = replace(
            state,
            failures=0,
            last_error=None,
            last_polled=now,
            next_attempt=now + backoff(1, self._settings.news_poll_minutes),
        )
        if result.not_modified:
            async with self._db.transaction() as tx:
                await self._repo.save_feed(tx, polled)
            return
        items = parse_feed(result.body, state.url)
        seen = await self._repo.seen_guids(state.url)
        for item in items:
            if item.guid in seen:
                continue
            decision = keyword_decision(f"{item.title}\n{item.html}", self._settings.news_keywords)
            article_id = None
            if decision.kept:
                article_id = await self._feed_article(state.url, item.link, item.title, item.html)
                report.new_articles.extend([article_id] if article_id else [])
                report.kept += 1
            else:
                report.dropped += 1
            async with self._db.transaction() as tx:
                await self._repo.record_item(
                    tx,
                    FeedItemRecord(
                        state.url, item.guid, item.link, item.title, decision, article_id, now
                    ),
                )
        async with self._db.transaction() as tx:
            await self._repo.save_feed(
                tx, replace(polled, etag=result.etag, last_modified=result.last_modified)
            )

    async def _feed_article(
        self, feed_url: str, link: str | None, title: str, html: str
    ) -> int | None:
        """Store a kept feed item: its inline text if long enough, else the linked page."""
        try:
            data = f"<html><body><h1>{title}</h1>{html}</body></html>".encode()
            document: Document | None = None
            with contextlib.suppress(UserError):  # no inline text: the linked page has it
                document = await asyncio.to_thread(load_document, data, "item.html", link)
            if (document is None or word_count(document.text) < MIN_INLINE_WORDS) and link:
                page = await self._fetcher.fetch(link, FetchKind.PAGE)
                document = await asyncio.to_thread(load_document, page.body, "", page.url)
            if document is None:
                raise UserError("news.article.empty", name=title)
            article = await self.add_document(
                document, ArticleOrigin.FEED, "scheduler", feed_url=feed_url, duplicate_ok=True
            )
        except UserError as exc:
            log.info("feed item %s skipped: %s", link, exc.key)
            return None
        return article.id

    async def _feed_failed(self, state: FeedState, error: Message, report: PollReport) -> None:
        now = self._clock.now()
        failures = state.failures + 1
        wait = backoff(failures, self._settings.news_poll_minutes)
        disabled = now if failures >= MAX_FAILURES else None
        async with self._db.transaction() as tx:
            await self._repo.save_feed(
                tx,
                replace(
                    state,
                    failures=failures,
                    last_error=error,
                    last_polled=now,
                    next_attempt=now + wait,
                    disabled_at=disabled,
                ),
            )
        if disabled:
            report.notices.append(
                Message("news.feed.disabled", {"url": state.url, "failures": failures})
            )
        else:
            minutes = int(wait.total_seconds() // 60)
            report.notices.append(
                Message(
                    "news.feed.failing", {"url": state.url, "reason": error, "minutes": minutes}
                )
            )

    # --- reading --------------------------------------------------------------------------

    async def list_articles(
        self, since: datetime | str | None = None, source: str | None = None, page: int = 1
    ) -> ArticlePage:
        """One page of articles, newest first (``since`` as typed by users: 7d, 24h, a date)."""
        start = self._since(since, default_all=True)
        total = await self._repo.count(start, None, source)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        articles = await self._repo.list_articles(
            start, None, source, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        return ArticlePage(articles, page, pages, total)

    async def all_articles(
        self, since: datetime | str | None = None, source: str | None = None
    ) -> list[Article]:
        """Every matching article, newest first, for a presenter that pages on its own."""
        return await self._repo.list_articles(self._since(since, default_all=True), None, source)

    async def story_copies(self, article: Article) -> list[Article]:
        """The other articles of the same story (syndicated copies, reposts)."""
        return [a for a in await self._repo.story(article.story_id) if a.id != article.id]

    def _since(self, since: datetime | str | None, default_all: bool = False) -> datetime | None:
        if isinstance(since, datetime):
            return since
        if default_all and (since is None or not since.strip()):
            return None
        return parse_since(since, self._clock.now(), self._settings.timezone)

    async def article(self, article_id: int) -> Article:
        found = await self._repo.get(article_id)
        if found is None:
            raise NotFound("news.article.not_found", article_id=article_id)
        return found

    async def sources(self) -> Sources:
        return Sources(
            await self._repo.sources(), await self._repo.feeds(), await self._repo.item_decisions()
        )

    async def remove(self, target: int | str, actor: str) -> Message:
        """Remove one article (by id) or every article of one source."""
        now = self._clock.now()
        text = str(target).strip().lstrip("#")
        async with self._db.transaction() as tx:
            if text.isdigit():
                if not await self._repo.delete_article(tx, int(text)):
                    raise NotFound("news.article.not_found", article_id=int(text))
                await AuditRepository.record(tx, now, actor, "news.remove", f"#{text}")
                return Message("news.removed.article", {"article_id": int(text)})
            count = await self._repo.delete_source(tx, text)
            if not count:
                raise NotFound("news.source.not_found", target=text)
            await AuditRepository.record(tx, now, actor, "news.remove", f"{text} ({count})")
            return Message("news.removed.source", {"count": count, "source": text})

    # --- digests --------------------------------------------------------------------------

    async def digest(
        self,
        since: datetime | str | None = None,
        source: str | None = None,
        max_words: int = DIGEST_WORDS,
        progress: Progress | None = None,
    ) -> Digest:
        check_max_words(max_words)
        now = self._clock.now()
        start = self._since(since) or parse_since(None, now, self._settings.timezone)
        articles = await self._repo.list_articles(start, None, source or None)
        return await build_digest(
            articles, start, now, source, max_words, self._settings.timezone, progress
        )

    def next_digest_time(self, now: datetime) -> datetime:
        return self._settings.news_digest_schedule.next_after(now)

    async def load_demo(self, directory: Traversable, actor: str = "demo") -> int:
        """Load the demo articles shipped in ``bot/data/news`` (stored ones are skipped)."""
        added = 0
        for path in sorted(directory.iterdir(), key=lambda p: p.name):
            if not path.name.lower().endswith((".txt", ".html")) or not path.is_file():
                continue
            document = await asyncio.to_thread(load_document, path.read_bytes(), path.name)
            before = await self._repo.count()
            await self.add_document(document, ArticleOrigin.DEMO, actor, duplicate_ok=True)
            added += int(await self._repo.count() > before)
        return added
