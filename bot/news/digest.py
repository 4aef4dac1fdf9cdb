"""A digest of stored articles over a period: counts, timeline, stories, figures, quotes, tone."""

from __future__ import annotations

import asyncio
import inspect
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.news.analysis import (
    majority_language,
    overall_tone,
    story_summary,
    unique_figures,
    unique_quotes,
)
from bot.news.models import Article
from bot.news.summarise import summarise_many

Progress = Callable[[int, int], Awaitable[None] | None]
STORY_WORDS = 60
_YIELD_EVERY = 50


@dataclass(frozen=True)
class ArticleRef:
    id: int
    title: str
    outlet: str | None
    url: str | None
    day: date


@dataclass(frozen=True)
class DigestStory:
    number: int
    outlets: tuple[str, ...]
    articles: tuple[ArticleRef, ...]
    summary: tuple[str, ...]


@dataclass(frozen=True)
class DigestFigure:
    value: float
    text: str
    article: ArticleRef


@dataclass(frozen=True)
class DigestQuote:
    text: str
    speaker: str
    article: ArticleRef


@dataclass(frozen=True)
class OutletTone:
    outlet: str | None
    label: str
    articles: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class TimelineDay:
    day: date
    articles: int
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    start: datetime
    end: datetime
    source: str | None
    articles: int
    outlets: tuple[str, ...]
    summary: tuple[str, ...]
    timeline: tuple[TimelineDay, ...]
    stories: tuple[DigestStory, ...]
    figures: tuple[DigestFigure, ...]
    quotes: tuple[DigestQuote, ...]
    tones: tuple[OutletTone, ...]

    @property
    def empty(self) -> bool:
        return self.articles == 0


def article_day(article: Article, tz: ZoneInfo) -> date:
    return article.document.published or article.added_at.astimezone(tz).date()


def ref(article: Article, tz: ZoneInfo) -> ArticleRef:
    doc = article.document
    return ArticleRef(article.id, doc.title, doc.outlet, doc.url, article_day(article, tz))


async def build_digest(
    articles: Sequence[Article],
    start: datetime,
    end: datetime,
    source: str | None,
    max_words: int,
    tz: ZoneInfo,
    progress: Progress | None = None,
) -> Digest:
    """Build the digest; ``progress(done, total)`` is called as stories are summarised."""
    ordered = sorted(articles, key=lambda a: (article_day(a, tz), a.added_at, a.id))
    refs = {a.id: ref(a, tz) for a in ordered}
    by_story: dict[int, list[Article]] = defaultdict(list)
    for article in ordered:
        by_story[article.story_id].append(article)
    stories: list[DigestStory] = []
    total = len(by_story)
    for done, members in enumerate(by_story.values(), start=1):
        summary = story_summary(
            [a.document for a in members], [a.analysis for a in members], STORY_WORDS
        )
        outlets = tuple(dict.fromkeys(a.document.outlet or "?" for a in members))
        stories.append(
            DigestStory(done, outlets, tuple(refs[a.id] for a in members), tuple(summary))
        )
        if done % _YIELD_EVERY == 0 or done == total:
            await _report(progress, done, total)
    stories.sort(key=lambda s: (-len(s.articles), s.articles[0].day, s.articles[0].id))
    stories = [
        DigestStory(i, s.outlets, s.articles, s.summary) for i, s in enumerate(stories, start=1)
    ]
    leads = [by_story[_story_key(by_story, s)][0] for s in stories]
    overall = (
        await asyncio.to_thread(
            summarise_many,
            [a.analysis.sentences for a in leads],
            majority_language([a.document for a in leads]),
            max_words,
            [a.document.title for a in leads],
        )
        if leads
        else []
    )
    figures = unique_figures([a.analysis.figures for a in ordered])
    quotes = unique_quotes([a.analysis.quotes for a in ordered])
    return Digest(
        start=start,
        end=end,
        source=source,
        articles=len(ordered),
        outlets=tuple(sorted({a.document.outlet for a in ordered if a.document.outlet})),
        summary=tuple(overall),
        timeline=_timeline(ordered, tz),
        stories=tuple(stories),
        figures=tuple(DigestFigure(f.value, f.text, refs[ordered[i].id]) for i, f in figures),
        quotes=tuple(DigestQuote(q.text, q.speaker or "", refs[ordered[i].id]) for i, q in quotes),
        tones=_tones(ordered),
    )


def _story_key(by_story: dict[int, list[Article]], story: DigestStory) -> int:
    first = story.articles[0].id
    return next(key for key, members in by_story.items() if members[0].id == first)


def _timeline(articles: Sequence[Article], tz: ZoneInfo) -> tuple[TimelineDay, ...]:
    days: dict[date, list[str]] = defaultdict(list)
    for article in articles:
        days[article_day(article, tz)].append(article.document.title)
    return tuple(
        TimelineDay(day, len(titles), tuple(dict.fromkeys(titles))[:3])
        for day, titles in sorted(days.items())
    )


def _tones(articles: Sequence[Article]) -> tuple[OutletTone, ...]:
    by_outlet: dict[str | None, list[Article]] = defaultdict(list)
    for article in articles:
        by_outlet[article.document.outlet].append(article)
    tones = []
    for outlet, members in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0] or "")):
        combined = overall_tone([a.analysis.tone for a in members])
        tones.append(OutletTone(outlet, combined.label, len(members), combined.evidence[:3]))
    return tuple(tones)


async def _report(progress: Progress | None, done: int, total: int) -> None:
    await asyncio.sleep(0)  # let the bot breathe between batches
    if progress is None:
        return
    result = progress(done, total)
    if inspect.isawaitable(result):
        await result
