"""A digest of a set of articles: counts, timeline, stories, summary, figures, quotes, who
spoke, tone, and what changed since the previous digest.

One builder serves ``/news synthese``, the scheduled digest and ``python -m bot digest``: the
service passes stored articles, the command line passes files analysed in memory
(:func:`unsaved_articles`, the same analysis and the same story rule as storing them).

- Articles are read in time order: their publication day (else the day they were added), then
  when they were added, then their number.
- Stories are the articles' story ids, biggest first, then by their first article.
- A story's lead is its first article; the leads' sentences make the summary, so that copies do
  not crowd it out, and the leads' tones make the overall tone.
- Summaries are in the digest's language only (the leads' majority language): a story is
  summarised from its articles in that language; one with none says which language it is in
  instead (``other_language``), under its headline and outlets.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.news.analysis import ARTICLE_WORDS, analyse_with_signature
from bot.news.grouping import Signature, story_of
from bot.news.language import Language
from bot.news.models import Article, ArticleOrigin, Document, Figure, Quote, Tone, ToneLabel
from bot.news.people import Speaker, speakers
from bot.news.summarise import summarise_many

Progress = Callable[[int, int], Awaitable[None] | None]
DIGEST_WORDS = 120
STORY_WORDS = ARTICLE_WORDS  # a story of one article shows its stored summary
OUTLET_EVIDENCE = 3
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
    outlets: tuple[str | None, ...]  # None: an article whose outlet is not known
    articles: tuple[ArticleRef, ...]  # in time order
    summary: tuple[str, ...]
    story_id: int = 0  # the articles' story id (0: not known, as in hand-made digests)
    # The story's language when none of its articles is in the digest's (then no summary).
    other_language: Language | None = None

    @property
    def lead(self) -> ArticleRef:
        """The article that stands for the story in the digest's summary: its first."""
        return self.articles[0]


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
    label: ToneLabel
    articles: int
    evidence: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class SnapshotStory:
    """One story as a digest showed it: its id, how many articles, which outlets."""

    story_id: int
    articles: int
    outlets: tuple[str, ...]  # known outlets only, in the order they covered the story


@dataclass(frozen=True)
class DigestSnapshot:
    """What a posted digest covered, kept to say what changed in the next one."""

    start: datetime
    end: datetime
    stories: tuple[SnapshotStory, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
                "stories": [[s.story_id, s.articles, list(s.outlets)] for s in self.stories],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> DigestSnapshot:
        data = json.loads(text)
        return cls(
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(data["end"]),
            tuple(SnapshotStory(int(i), int(n), tuple(o)) for i, n, o in data["stories"]),
        )


@dataclass(frozen=True)
class GrownStory:
    """A story of the previous digest with articles since: how many then, how many new."""

    number: int  # the story's number in this digest
    before: int
    added: int


@dataclass(frozen=True)
class PickedUp:
    """Outlets that covered a story of the previous digest for the first time."""

    number: int
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class DigestChanges:
    """What changed since the previous digest (``since``: the end of its period)."""

    since: datetime
    new: tuple[int, ...]  # numbers of the stories the previous digest did not have
    grown: tuple[GrownStory, ...]
    picked_up: tuple[PickedUp, ...]

    @property
    def empty(self) -> bool:
        return not (self.new or self.grown or self.picked_up)


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
    language: Language
    summary: tuple[str, ...]
    tone: Tone  # overall, from the stories' leads
    timeline: tuple[TimelineDay, ...]
    stories: tuple[DigestStory, ...]
    figures: tuple[DigestFigure, ...]
    quotes: tuple[DigestQuote, ...]
    tones: tuple[OutletTone, ...]  # per outlet, most articles first
    changes: DigestChanges | None = None  # None: no previous digest to compare with
    speakers: tuple[Speaker, ...] = ()  # who spoke, how often, where: most quoted first
    timezone: tzinfo = UTC  # where the period's days are read

    @property
    def empty(self) -> bool:
        return self.articles == 0

    @property
    def first_day(self) -> date:
        return self.start.astimezone(self.timezone).date()

    @property
    def last_day(self) -> date:
        return self.end.astimezone(self.timezone).date()

    def snapshot(self) -> DigestSnapshot:
        """What this digest covered, to pass as ``previous`` to the next one."""
        return DigestSnapshot(
            self.start,
            self.end,
            tuple(
                SnapshotStory(
                    s.story_id, len(s.articles), tuple(o for o in s.outlets if o is not None)
                )
                for s in self.stories
            ),
        )


def article_day(article: Article, tz: ZoneInfo) -> date:
    return article.document.published or article.added_at.astimezone(tz).date()


def ref(article: Article, tz: ZoneInfo) -> ArticleRef:
    doc = article.document
    return ArticleRef(article.id, doc.title, doc.outlet, doc.url, article_day(article, tz))


def unsaved_articles(
    documents: Sequence[Document], added_at: datetime, origin: ArticleOrigin = ArticleOrigin.FILE
) -> list[Article]:
    """Documents as the service would store them, in this order, without a database.

    Numbered from 1; each is analysed as stored articles are and joins a story by the same rule.
    """
    articles: list[Article] = []
    earlier: list[tuple[int, Signature]] = []
    for number, document in enumerate(documents, start=1):
        analysis, sig = analyse_with_signature(document)
        story = story_of(sig, earlier) or number
        earlier.append((story, sig))
        articles.append(
            Article(number, origin.value, document, analysis, added_at, story, fingerprint=sig)
        )
    return articles


async def build_digest(
    articles: Sequence[Article],
    start: datetime,
    end: datetime,
    source: str | None,
    max_words: int,
    tz: ZoneInfo,
    progress: Progress | None = None,
    previous: DigestSnapshot | None = None,
) -> Digest:
    """Build the digest; ``progress(done, total)`` is called as stories are summarised.

    With the ``previous`` digest's snapshot, the digest also says what changed since it.
    """
    ordered = sorted(articles, key=lambda a: (article_day(a, tz), a.added_at, a.id))
    refs = {a.id: ref(a, tz) for a in ordered}
    by_story: dict[int, list[Article]] = defaultdict(list)
    for article in ordered:
        by_story[article.story_id].append(article)
    groups = sorted(by_story.values(), key=lambda m: (-len(m), article_day(m[0], tz), m[0].id))
    leads = [members[0] for members in groups]
    language = majority_language([a.document for a in leads])
    stories: list[DigestStory] = []
    for number, members in enumerate(groups, start=1):
        readable = [a for a in members if a.document.language is language]
        summary = story_summary(readable, STORY_WORDS, language) if readable else []
        outlets = tuple(dict.fromkeys(a.document.outlet for a in members))
        stories.append(
            DigestStory(
                number,
                outlets,
                tuple(refs[a.id] for a in members),
                tuple(summary),
                members[0].story_id,
                None if readable else majority_language([a.document for a in members]),
            )
        )
        if number % _YIELD_EVERY == 0 or number == len(groups):
            await _report(progress, number, len(groups))
    # The two costly steps over all the articles run off the event loop.
    overall, spoke = await asyncio.to_thread(
        lambda: (
            summarise_many(
                [a.analysis.sentences for a in leads],
                language,
                max_words,
                [a.document.title for a in leads],
            )
            if leads
            else [],
            speakers(ordered),
        )
    )
    figures = unique_figures([a.analysis.figures for a in ordered])
    quotes = unique_quotes([a.analysis.quotes for a in ordered])
    return Digest(
        start=start,
        end=end,
        source=source,
        articles=len(ordered),
        outlets=tuple(sorted({a.document.outlet for a in ordered if a.document.outlet})),
        language=language,
        summary=tuple(overall),
        tone=overall_tone([a.analysis.tone for a in leads]),
        timeline=_timeline(
            ordered, tz, start.astimezone(tz).date(), max(end, start).astimezone(tz).date()
        ),
        stories=tuple(stories),
        figures=tuple(DigestFigure(f.value, f.text, refs[ordered[i].id]) for i, f in figures),
        quotes=tuple(DigestQuote(q.text, q.speaker or "", refs[ordered[i].id]) for i, q in quotes),
        tones=_tones(ordered),
        changes=None if previous is None else changes_since(previous, groups, stories),
        timezone=tz,
        speakers=spoke,
    )


def changes_since(
    previous: DigestSnapshot, groups: Sequence[Sequence[Article]], stories: Sequence[DigestStory]
) -> DigestChanges:
    """New stories, stories with articles added since ``previous`` ended, outlets new to one."""
    before = {s.story_id: s for s in previous.stories}
    new: list[int] = []
    grown: list[GrownStory] = []
    picked: list[PickedUp] = []
    for members, story in zip(groups, stories, strict=True):
        old = before.get(story.story_id)
        if old is None:
            new.append(story.number)
            continue
        added = sum(1 for a in members if a.added_at > previous.end)
        if added:
            grown.append(GrownStory(story.number, old.articles, added))
        fresh = tuple(o for o in story.outlets if o is not None and o not in old.outlets)
        if fresh:
            picked.append(PickedUp(story.number, fresh))
    return DigestChanges(previous.end, tuple(new), tuple(grown), tuple(picked))


def story_summary(
    members: Sequence[Article], max_words: int, language: Language | None = None
) -> list[str]:
    """A multi-article summary of copies of one story (their sentences, no repeats), in
    ``language`` (default: the articles' majority language).

    A story of one article in that language is that article's own summary, computed when it
    was stored (the same sentences, language, headline and word budget), so most stories cost
    nothing.
    """
    if language is None:
        language = majority_language([a.document for a in members])
    if (
        len(members) == 1
        and max_words == ARTICLE_WORDS
        and members[0].document.language is language
    ):
        return list(members[0].analysis.summary)
    return summarise_many(
        [a.analysis.sentences for a in members],
        language,
        max_words,
        [a.document.title for a in members],
    )


def majority_language(documents: Sequence[Document]) -> Language:
    counts = Counter(d.language for d in documents)
    return Language.EN if counts[Language.EN] > counts[Language.FR] else Language.FR


def overall_tone(tones: Sequence[Tone]) -> Tone:
    """The label most articles share (ties: neutral), with their strongest evidence."""
    if not tones:
        return Tone(ToneLabel.NEUTRAL, 0.0, ())
    counts = Counter(t.label for t in tones)
    top = counts.most_common()
    label = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else ToneLabel.NEUTRAL
    evidence: list[str] = []
    for t in tones:
        if t.label == label:
            evidence.extend(e for e in t.evidence[:2] if e not in evidence)
    score = round(sum(t.score for t in tones) / len(tones), 2)
    return Tone(label, score, tuple(evidence[:5]))


def unique_figures(per_article: Sequence[Sequence[Figure]]) -> list[tuple[int, Figure]]:
    """Figures with the index of the first article quoting them; the same figure once."""
    seen: set[tuple[float, str]] = set()
    found: list[tuple[int, Figure]] = []
    for index, figures in enumerate(per_article):
        for figure in figures:
            key = (figure.value, figure.text.lower())
            if key not in seen:
                seen.add(key)
                found.append((index, figure))
    return found


def unique_quotes(per_article: Sequence[Sequence[Quote]]) -> list[tuple[int, Quote]]:
    """Attributed quotations with the index of the first article quoting them."""
    seen: set[str] = set()
    found: list[tuple[int, Quote]] = []
    for index, quotes in enumerate(per_article):
        for quote in quotes:
            key = " ".join(quote.text.lower().split())[:80]
            if quote.speaker and key not in seen:
                seen.add(key)
                found.append((index, quote))
    return found


def _timeline(
    articles: Sequence[Article], tz: ZoneInfo, first: date, last: date
) -> tuple[TimelineDay, ...]:
    """The period's days with their articles; an article dated outside it (an old page read
    now) is context, not an event of the period, and stays out of the chronology."""
    days: dict[date, list[str]] = defaultdict(list)
    for article in articles:
        day = article_day(article, tz)
        if first <= day <= last:
            days[day].append(article.document.title)
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
        tones.append(
            OutletTone(
                outlet,
                combined.label,
                len(members),
                combined.evidence[:OUTLET_EVIDENCE],
                combined.score,
            )
        )
    return tuple(tones)


async def _report(progress: Progress | None, done: int, total: int) -> None:
    await asyncio.sleep(0)  # let the bot breathe between batches
    if progress is None:
        return
    result = progress(done, total)
    if inspect.isawaitable(result):
        await result
