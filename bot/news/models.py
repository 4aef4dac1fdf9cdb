"""Plain data shared by the analysis, the service, the storage, the renderers and the CLI.

Each table of the feature maps to one type here: ``news_articles`` to :class:`Article`,
``news_feeds`` to :class:`FeedState`, ``news_feed_items`` to :class:`FeedItemRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.news.language import Language

FEED_PREFIX = "feed:"


class ArticleOrigin(StrEnum):
    """How an article came in."""

    FEED = "feed"  # a kept item of an RSS/Atom feed
    LINK = "link"  # /news ajouter lien:
    FILE = "file"  # an uploaded file
    DEMO = "demo"  # the demo articles of the shell


def source_key(origin: ArticleOrigin, feed_url: str | None = None) -> str:
    """The stored source of an article: ``feed:<url>`` for a feed, else the origin itself."""
    if origin is ArticleOrigin.FEED:
        if not feed_url:
            raise ValueError("a feed article needs its feed's URL")
        return FEED_PREFIX + feed_url
    return origin.value


@dataclass(frozen=True)
class Message:
    """A sentence to show, as a catalog key and its parameters; a parameter may be a Message."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


class ToneLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class FeedStatus(StrEnum):
    """Where a feed stands, as ``/news sources`` shows it."""

    NEVER_POLLED = "never"
    OK = "ok"
    FAILING = "failing"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Document:
    """An article's main text and metadata, as extracted from a page, a feed item or a file."""

    title: str
    text: str  # the body: one paragraph per line
    language: Language
    outlet: str | None = None  # the press outlet that wrote it (kept across reposts)
    site_name: str | None = None  # the site we read it on, when it differs (a blog repost)
    author: str | None = None
    published: date | None = None
    url: str | None = None


def format_number(value: float) -> str:
    """A number as a reader writes it: thousands apart (narrow space), ``1 500``."""
    if value != int(value):
        return f"{value:g}"
    return f"{int(value):,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Figure:
    value: float
    text: str  # the number with its context: "1 500 inscrits les premiers jours"
    sentence: str

    @property
    def display_value(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    sentence: str


@dataclass(frozen=True)
class Tone:
    label: ToneLabel
    score: float  # positive minus negative weight, per 100 words
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Entities:
    people: tuple[str, ...]
    organisations: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    language: Language
    sentences: tuple[str, ...]
    summary: tuple[str, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    entities: Entities
    tone: Tone

    @property
    def summary_text(self) -> str:
        return " ".join(self.summary)


@dataclass(frozen=True)
class Article:
    """A stored article with its analysis."""

    id: int
    source: str  # see source_key: "feed:<url>", "link", "file", "demo"
    document: Document
    analysis: Analysis
    added_at: datetime
    story_id: int  # articles that are copies of one another share a story id
    fingerprint: tuple[int, ...] = field(default=(), repr=False)

    @property
    def origin(self) -> ArticleOrigin:
        if self.source.startswith(FEED_PREFIX):
            return ArticleOrigin.FEED
        return ArticleOrigin(self.source)


@dataclass(frozen=True)
class OutletStat:
    """One outlet's articles: how many, and when the last one came (None: outlet not known)."""

    outlet: str | None
    articles: int
    last_added: datetime


@dataclass(frozen=True)
class FeedState:
    """A configured feed: its HTTP validators and its failure back-off."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_attempt: datetime | None = None
    last_error: Message | None = None  # why the last attempt failed
    last_polled: datetime | None = None
    disabled_at: datetime | None = None

    @property
    def status(self) -> FeedStatus:
        if self.disabled_at:
            return FeedStatus.DISABLED
        if self.failures:
            return FeedStatus.FAILING
        if self.last_polled:
            return FeedStatus.OK
        return FeedStatus.NEVER_POLLED


@dataclass(frozen=True)
class KeywordDecision:
    """Whether the keyword filter kept a feed item, and why (a catalog key and its parameters)."""

    kept: bool
    key: str
    params: dict[str, str]


@dataclass(frozen=True)
class FeedItemRecord:
    """A feed item once seen: the filter's decision and the article it became, if any."""

    feed_url: str
    guid: str
    link: str | None
    title: str
    decision: KeywordDecision
    article_id: int | None
    seen_at: datetime
