"""RSS and Atom feeds: parsing, the keyword filter, and the failure back-off rules."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser

from bot.errors import InvalidInput
from bot.news.models import KeywordDecision

MAX_FAILURES = 5  # a feed failing this many times in a row is disabled
MAX_BACKOFF = timedelta(hours=24)
MIN_INLINE_WORDS = 120  # a feed item with less text than this is fetched from its link


@dataclass(frozen=True)
class FeedItem:
    guid: str
    link: str | None
    title: str
    html: str  # the item's content or summary, HTML
    published: datetime | None


@dataclass(frozen=True)
class Feed:
    title: str | None  # the feed's own title: its items' outlet when their pages name none
    items: list[FeedItem]


def parse_feed(body: bytes, url: str) -> Feed:
    """The title and items of an RSS or Atom document; refuse anything that is not a feed."""
    parsed = feedparser.parse(body)
    version = getattr(parsed, "version", "")
    if not version or (parsed.bozo and not parsed.entries):
        raise InvalidInput("news.feed.invalid", url=url)
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        guid = entry.get("id") or link or entry.get("title", "")
        if not guid:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        items.append(FeedItem(str(guid), link, entry.get("title", "").strip(), html, published))
    title = str(parsed.feed.get("title") or "").strip()
    return Feed(title or None, items)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def keyword_decision(text: str, keywords: Sequence[str]) -> KeywordDecision:
    """Whether ``text`` names one of ``keywords`` (accents and case ignored), and why."""
    if not keywords:
        return KeywordDecision(True, "news.keyword.none", {})
    folded = _fold(text)
    for keyword in keywords:
        if re.search(r"(?<!\w)" + re.escape(_fold(keyword)) + r"(?!\w)", folded):
            return KeywordDecision(True, "news.keyword.kept", {"keyword": keyword})
    return KeywordDecision(False, "news.keyword.dropped", {"keywords": ", ".join(keywords)})


def backoff(failures: int, poll_minutes: int) -> timedelta:
    """Wait before the next attempt after ``failures`` failures in a row: doubling, capped.

    Doubles only until the cap (a dead feed fails every poll for months: 2 ** failures would
    overflow a ``timedelta``)."""
    wait = timedelta(minutes=poll_minutes)
    for _ in range(max(failures - 1, 0)):
        if wait >= MAX_BACKOFF:
            break
        wait *= 2
    return min(wait, MAX_BACKOFF)
