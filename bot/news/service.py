"""The press-coverage service: one method per command, shared by the cogs, the CLI and jobs."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.clock import Clock
from bot.config import Settings
from bot.errors import InvalidInput, NotFound, UserError
from bot.news.analysis import analyse_with_signature, check_max_words
from bot.news.digest import DIGEST_WORDS, Digest, DigestSnapshot, Progress, build_digest
from bot.news.feeds import (
    MAX_FAILURES,
    MIN_INLINE_WORDS,
    FeedItem,
    backoff,
    keyword_decision,
    parse_feed,
)
from bot.news.fetch import Fetcher, FetchKind
from bot.news.grouping import story_of
from bot.news.models import (
    Article,
    ArticleOrigin,
    Document,
    FeedItemRecord,
    FeedState,
    Message,
    OutletStat,
    source_key,
)
from bot.news.outlet import feed_item_outlet, outlet_key, readable_outlet, resolve_outlet
from bot.news.periods import parse_since
from bot.news.sentences import word_count
from bot.news.storage import NewsRepository
from bot.news.text import load_document
from bot.storage.audit import AuditRepository
from bot.storage.database import Database

log = logging.getLogger(__name__)

PAGE_SIZE = 10
FILE_SUFFIXES = ("", ".txt", ".text", ".md", ".html", ".htm", ".xhtml")
FEED_CONCURRENCY = 4  # feeds fetched at once; each fetch has the fetcher's own deadline
KNOWN_OUTLETS_SHOWN = 20  # outlets named when a name matches none


class DigestKind(StrEnum):
    """Where a digest was posted."""

    SCHEDULED = "scheduled"  # by the schedule, to NEWS_CHANNEL_ID
    COMMAND = "command"  # /news synthese, answered in the channel


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
    outlets: list[OutletStat]  # most articles first; None: articles whose outlet is unknown
    feeds: list[FeedState]
    # feed URL -> (items kept, items dropped) by the keyword filter
    decisions: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Removal:
    """What ``/news retirer`` would remove, to show before it is confirmed: one article, or
    every article of one outlet."""

    count: int
    outlet: str | None  # the outlet's name (for one article: its outlet, if known)
    article: Article | None = None  # the one article, when removing by number

    @property
    def question(self) -> Message:
        if self.article is not None:
            return Message(
                "news.remove.question_article",
                {
                    "article_id": self.article.id,
                    "title": self.article.document.title,
                    "outlet": self.outlet or Message("news.unknown_outlet"),
                },
            )
        return Message("news.remove.question_outlet", {"count": self.count, "outlet": self.outlet})


class NewsService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        fetcher: Fetcher,
        *,
        feed_concurrency: int = FEED_CONCURRENCY,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._fetcher = fetcher
        self._repo = NewsRepository(db)
        self._feed_concurrency = max(1, feed_concurrency)
        # Feeds are fetched concurrently; storing (duplicate check, story, insert) is one at a time.
        self._storing = asyncio.Lock()

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
        outlet = readable_outlet(document.outlet, document.url)
        if outlet != document.outlet:
            document = replace(document, outlet=outlet)
        source = source_key(origin, feed_url)
        # The same text read on another site (a repost) is kept, and grouped with the original.
        key = "\n".join(
            (document.site_name or "", document.url or "", " ".join(document.text.split()))
        )
        digest = hashlib.sha256(key.lower().encode()).hexdigest()
        if (existing := await self._repo.id_by_hash(digest)) is not None:
            return await self._stored_copy(existing, duplicate_ok)
        analysis, sig = await asyncio.to_thread(analyse_with_signature, document)
        async with self._storing:  # another feed may have stored the same text meanwhile
            if (existing := await self._repo.id_by_hash(digest)) is not None:
                return await self._stored_copy(existing, duplicate_ok)
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

    async def _stored_copy(self, existing: int, duplicate_ok: bool) -> Article:
        if duplicate_ok and (found := await self._repo.get(existing)):
            return found
        raise UserError("news.article.duplicate", article_id=existing)

    # --- feeds ----------------------------------------------------------------------------

    async def poll_feeds(self) -> PollReport:
        """Poll every configured feed that is due, ``feed_concurrency`` at a time (a feed that
        hangs holds one slot until the fetcher's deadline, never the others); failures back off
        and end up disabled. The report lists feeds in NEWS_FEEDS order."""
        now = self._clock.now()
        due = []
        for url in self._settings.news_feeds:
            state = await self._repo.feed(url)
            if state.disabled_at or (state.next_attempt and state.next_attempt > now):
                continue
            due.append(state)
        slots = asyncio.Semaphore(self._feed_concurrency)

        async def poll(state: FeedState) -> PollReport:
            async with slots:
                return await self._poll_guarded(state)

        report = PollReport()
        for one in await asyncio.gather(*(poll(state) for state in due)):
            report.feeds_polled += one.feeds_polled
            report.new_articles.extend(one.new_articles)
            report.kept += one.kept
            report.dropped += one.dropped
            report.notices.extend(one.notices)
        return report

    async def _poll_guarded(self, state: FeedState) -> PollReport:
        """One feed's poll; its failure is recorded, and a bug in it stops no other feed."""
        report = PollReport()
        try:
            await self._poll_one(state, report)
        except UserError as exc:
            await self._feed_failed(state, Message(exc.key, dict(exc.params)), report)
        except Exception:
            log.exception("polling one feed failed unexpectedly")
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
        feed = parse_feed(result.body, state.url)
        seen = await self._repo.seen_guids(state.url)
        for item in feed.items:
            if item.guid in seen:
                continue
            decision = keyword_decision(f"{item.title}\n{item.html}", self._settings.news_keywords)
            article_id = None
            if decision.kept:
                article_id = await self._feed_article(state.url, feed.title, item)
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
        self, feed_url: str, feed_title: str | None, item: FeedItem
    ) -> int | None:
        """Store a kept feed item: its inline text if long enough, else the linked page; its
        outlet is the page's, else the feed's title, else the domain."""
        link, title = item.link, item.title
        try:
            data = f"<html><body><h1>{title}</h1>{item.html}</body></html>".encode()
            document: Document | None = None
            with contextlib.suppress(UserError):  # no inline text: the linked page has it
                document = await asyncio.to_thread(load_document, data, "item.html", link)
            if (document is None or word_count(document.text) < MIN_INLINE_WORDS) and link:
                page = await self._fetcher.fetch(link, FetchKind.PAGE)
                document = await asyncio.to_thread(load_document, page.body, "", page.url)
            if document is None:
                raise UserError("news.article.empty", name=title)
            outlet = feed_item_outlet(document.outlet, document.url or link, feed_title)
            if outlet != document.outlet:
                document = replace(document, outlet=outlet)
            article = await self.add_document(
                document, ArticleOrigin.FEED, "scheduler", feed_url=feed_url, duplicate_ok=True
            )
        except UserError as exc:
            log.info("feed item skipped: %s", exc.key)
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
        """One page of articles, newest first (``since`` as typed by users: 7d, 24h, a date;
        ``source``: an outlet's name, see :meth:`outlet_named`)."""
        start = self._since(since, default_all=True)
        outlet = await self.outlet_named(source)
        total = await self._repo.count(start, None, outlet)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        articles = await self._repo.list_articles(
            start, None, outlet, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        return ArticlePage(articles, page, pages, total)

    async def all_articles(
        self, since: datetime | str | None = None, source: str | None = None
    ) -> list[Article]:
        """Every matching article, newest first, for a presenter that pages on its own."""
        outlet = await self.outlet_named(source)
        return await self._repo.list_articles(self._since(since, default_all=True), None, outlet)

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
            await self._repo.outlets(), await self._repo.feeds(), await self._repo.item_decisions()
        )

    async def outlet_names(self, containing: str = "") -> list[str]:
        """The known outlets' names, most articles first; only those containing ``containing``
        (accents and case ignored) if given."""
        wanted = outlet_key(containing)
        names = [s.outlet for s in await self._repo.outlets() if s.outlet is not None]
        return [n for n in names if wanted in outlet_key(n)]

    async def outlet_named(self, name: str | None) -> str | None:
        """The outlet ``name`` stands for (accents and case ignored, or a unique part of one
        name); None for no name. A name that matches none is refused with the known ones."""
        if name is None or not name.strip():
            return None
        return await self._outlet(name)

    async def _outlet(self, name: str) -> str:
        known = await self.outlet_names()
        found = resolve_outlet(name, known)
        if found is not None:
            return found
        wanted = name.strip()[:100]
        if not known:
            raise NotFound("news.outlet.none", target=wanted)
        many = len(known) > KNOWN_OUTLETS_SHOWN
        key = "news.outlet.unknown_many" if many else "news.outlet.unknown"
        shown = ", ".join(known[:KNOWN_OUTLETS_SHOWN])
        raise NotFound(key, target=wanted, count=len(known), known=shown)

    async def removal(self, target: int | str) -> Removal:
        """What removing ``target`` (an article's number, or an outlet) would remove, to
        confirm before :meth:`remove`."""
        text = str(target).strip().lstrip("#").removeprefix("n°").strip()
        if text.isdigit():
            article = await self.article(int(text))
            return Removal(1, article.document.outlet, article)
        outlet = await self._outlet(text)
        return Removal(await self._repo.count(outlet=outlet), outlet)

    async def remove(self, removal: Removal, actor: str) -> Message:
        """Remove what :meth:`removal` showed (what is left of it), audited."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if removal.article is not None:
                article_id = removal.article.id
                if not await self._repo.delete_article(tx, article_id):
                    raise NotFound("news.article.not_found", article_id=article_id)
                await AuditRepository.record(tx, now, actor, "news.remove", f"#{article_id}")
                return Message("news.removed.article", {"article_id": article_id})
            assert removal.outlet is not None
            count = await self._repo.delete_outlet(tx, removal.outlet)
            if not count:
                raise NotFound("news.outlet.empty", outlet=removal.outlet)
            await AuditRepository.record(
                tx, now, actor, "news.remove", f"{removal.outlet} ({count})"
            )
            return Message("news.removed.outlet", {"count": count, "outlet": removal.outlet})

    # --- digests --------------------------------------------------------------------------

    async def digest(
        self,
        since: datetime | str | None = None,
        source: str | None = None,
        max_words: int = DIGEST_WORDS,
        progress: Progress | None = None,
    ) -> Digest:
        """The digest of a period (of one outlet, if ``source`` names one), saying what changed
        since the last digest (see :meth:`previous_digest`)."""
        check_max_words(max_words)
        outlet = await self.outlet_named(source)
        now = self._clock.now()
        start = self._since(since) or parse_since(None, now, self._settings.timezone)
        articles = await self._repo.list_articles(start, None, outlet)
        return await build_digest(
            articles,
            start,
            now,
            outlet,
            max_words,
            self._settings.timezone,
            progress,
            previous=await self.previous_digest(),
        )

    async def previous_digest(self) -> DigestSnapshot | None:
        """ "The last digest": the last one the schedule posted to NEWS_CHANNEL_ID, which every
        reader of that channel saw. Without a news channel (no scheduled digest), the last
        /news synthese answered publicly for every outlet. A digest limited to one outlet is
        never the last digest."""
        if self._settings.news_channel_id is not None:
            return await self._repo.last_digest((DigestKind.SCHEDULED,))
        return await self._repo.last_digest((DigestKind.SCHEDULED, DigestKind.COMMAND))

    async def digest_posted(self, digest: Digest, kind: DigestKind) -> None:
        """Remember a digest that was posted, for the next one to say what changed since."""
        async with self._db.transaction() as tx:
            await self._repo.record_digest(
                tx, kind, digest.source, self._clock.now(), digest.snapshot()
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
