"""Plain data shared by the analysis, the service, the renderers and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.news.language import Language


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
    label: str  # "negative", "neutral" or "positive"
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
    source: str  # "feed:<url>", "link", "file", "demo"
    document: Document
    analysis: Analysis
    added_at: datetime
    story_id: int  # articles that are copies of one another share a story id
    fingerprint: tuple[int, ...] = field(default=(), repr=False)
