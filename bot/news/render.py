"""Pure presenters: a digest as Markdown (the attached file) and as embed pages within limits.

Tones and messages as text too. Every sentence comes from the catalog they are given. Every
text that came from a page or a feed (titles, outlets, summaries, quotes, speakers, figures'
contexts) is escaped here, once, as it goes into a sentence (:mod:`bot.markdown`): Discord
and the clients that open the Markdown file show it as it is, never as a link or formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.i18n import Catalog, Locale
from bot.markdown import clip, escape, link, web_url
from bot.news.digest import ArticleRef, Digest, DigestStory
from bot.news.models import Message, ToneLabel, format_number

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
MESSAGE_LIMIT = 6000
_DESCRIPTION_BUDGET = 2000  # keep room for fields on the first page
_FOOTER_RESERVE = 40


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass
class Page:
    """One embed, as plain data: the cog turns it into a ``discord.Embed``."""

    title: str
    description: str = ""
    fields: list[Field] = field(default_factory=list)
    footer: str = ""

    def size(self) -> int:
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )


def whole_sentences(sentences: Sequence[str], limit: int) -> str:
    """As many of ``sentences`` as fit in ``limit`` characters, never one cut."""
    text = ""
    for sentence in sentences:
        longer = f"{text} {sentence}" if text else sentence
        if len(longer) > limit:
            break
        text = longer
    return text


class Say(Protocol):
    """The catalog's sentences in one language: ``say(key, **params)``."""

    def __call__(self, key: str, /, **params: object) -> str: ...


def sayer(cat: Catalog, locale: Locale) -> Say:
    def say(key: str, /, **params: object) -> str:
        return cat.t(key, locale, **params)

    return say


def say_message(cat: Catalog, message: Message, locale: Locale) -> str:
    """A message in ``locale`` as Discord shows it; parameters that are messages are said
    first, text parameters (a title, an outlet, a URL: outside text) are escaped."""
    params = {
        name: say_message(cat, value, locale)
        if isinstance(value, Message)
        else escape(value)
        if isinstance(value, str)
        else value
        for name, value in message.params.items()
    }
    return cat.t(message.key, locale, **params)


def tone_text(cat: Catalog, label: ToneLabel, evidence: Sequence[str], locale: Locale) -> str:
    """A tone as shown: its label, then the phrases that justify it (escaped)."""
    return _tone(sayer(cat, locale), label, evidence)


def _tone(say: Say, label: ToneLabel, evidence: Sequence[str]) -> str:
    text = say("news.tone." + label)
    return text + (" — " + " ; ".join(f"« {escape(e)} »" for e in evidence) if evidence else "")


def _outlet(outlet: str | None, say: Say) -> str:
    """An outlet's name as shown (escaped), or the catalog's word for an unknown one."""
    name = (outlet or "").strip()
    return escape(name) if name else say("news.unknown_outlet")


def _link(article: ArticleRef, say: Say) -> str:
    """The article's outlet linking to the article's stored URL; its number when it has none."""
    outlet = (article.outlet or "").strip()
    if web_url(article.url):
        return link(outlet or say("news.unknown_outlet"), article.url)
    return say("news.digest.article_ref", outlet=_outlet(outlet, say), article_id=article.id)


def _sections(digest: Digest, say: Say) -> list[tuple[str, list[str]]]:
    """(heading, entries) in reading order; shared by the pages and the Markdown file."""
    timeline = [
        say(
            "news.digest.timeline_day",
            day=d.day,
            count=d.articles,
            titles=" ; ".join(escape(t) for t in d.titles),
        )
        for d in digest.timeline
    ]
    stories = [_story(s, say) for s in digest.stories]
    figures = [
        f"**{format_number(f.value)}** — {escape(f.text)} ({_link(f.article, say)})"
        for f in digest.figures
    ]
    quotes = [
        f"« {escape(q.text)} » — **{escape(q.speaker)}** ({_link(q.article, say)})"
        for q in digest.quotes
    ]
    speakers = [
        say(
            "news.digest.speaker_role" if p.role else "news.digest.speaker",
            name=escape(p.name),
            role=escape(p.role or ""),
            quotes=p.quotes,
            outlets=", ".join(escape(o) for o in p.outlets) or say("news.unknown_outlet"),
        )
        for p in digest.speakers
    ]
    tones = [
        say(
            "news.digest.outlet_tone",
            outlet=_outlet(t.outlet, say),
            articles=t.articles,
            tone=_tone(say, t.label, t.evidence),
        )
        for t in digest.tones
    ]
    sections = [
        (say("news.digest.timeline"), timeline),
        (say("news.digest.stories"), stories),
        (say("news.digest.figures"), figures),
        (say("news.digest.quotes"), quotes),
        (say("news.digest.speakers"), speakers),
        (say("news.digest.tone"), tones),
    ]
    if digest.changes is not None:
        since = digest.changes.since.astimezone(digest.timezone).date()
        sections.insert(0, (say("news.digest.changes", date=since), _changes(digest, say)))
    return sections


def _story(story: DigestStory, say: Say) -> str:
    """A story's entry: its heading, its summary in whole sentences, links to its articles;
    within one field's limit (the summary loses its last sentences first, never half of one)."""
    heading = say(
        "news.digest.story",
        number=story.number,
        title=escape(story.lead.title),
        outlets=_outlets(story.outlets, say),
    )
    heading = clip(f"**{heading}**", FIELD_VALUE_LIMIT // 4)
    links = ""
    for article in story.articles[:5]:
        longer = f"{links} · {_link(article, say)}" if links else _link(article, say)
        if len(longer) > FIELD_VALUE_LIMIT // 2:
            break
        links = longer
    sentences = [escape(s) for s in story.summary]
    if story.other_language is not None:
        sentences = [say(f"news.digest.story_language.{story.other_language}")]
    summary = whole_sentences(sentences, FIELD_VALUE_LIMIT - len(heading) - len(links) - 2)
    return "\n".join(part for part in (heading, summary, links) if part)


def _outlets(outlets: Sequence[str | None], say: Say) -> str:
    """The outlets that covered a story; articles of unknown outlets said once, at the end."""
    known = list(dict.fromkeys(escape(o.strip()) for o in outlets if o and o.strip()))
    if len(known) < len(outlets):
        known.append(say("news.unknown_outlet"))
    return ", ".join(known)


def _changes(digest: Digest, say: Say) -> list[str]:
    changes = digest.changes
    if changes is None:
        return []
    if changes.empty:
        return [say("news.digest.changes_none")]
    lines = []
    if changes.new:
        lines.append(
            say(
                "news.digest.changes_new",
                count=len(changes.new),
                stories=", ".join(str(n) for n in changes.new),
            )
        )
    lines += [
        say("news.digest.changes_grown", number=g.number, added=g.added, before=g.before)
        for g in changes.grown
    ]
    lines += [
        say(
            "news.digest.changes_picked_up",
            number=p.number,
            outlets=", ".join(escape(o) for o in p.outlets),
        )
        for p in changes.picked_up
    ]
    return lines


def _overall_tone(digest: Digest, say: Say) -> str:
    tone = _tone(say, digest.tone.label, digest.tone.evidence[:3])
    return say("news.digest.overall_tone", tone=tone)


def _header(digest: Digest, say: Say) -> tuple[str, str]:
    title = say("news.digest.title")
    if digest.source:
        title += f" — {escape(digest.source)}"
    period = say("news.digest.period", start=digest.first_day, end=digest.last_day)
    counts = say(
        "news.digest.counts",
        articles=digest.articles,
        outlets=len(digest.outlets),
        stories=len(digest.stories),
    )
    return title, f"{period}\n{counts}"


def digest_markdown(cat: Catalog, digest: Digest, locale: Locale) -> str:
    say = sayer(cat, locale)
    title, header = _header(digest, say)
    lines = [f"# {title}", "", *header.split("\n"), ""]
    if digest.empty:
        return "\n".join([*lines, say("news.digest.empty"), ""])
    lines += [_overall_tone(digest, say), ""]
    lines += [
        f"## {say('news.digest.summary')}",
        "",
        " ".join(escape(s) for s in digest.summary),
        "",
    ]
    for heading, entries in _sections(digest, say):
        if entries:
            lines += [f"## {heading}", ""] + [f"- {e}" for e in entries] + [""]
    return "\n".join(lines)


def digest_pages(cat: Catalog, digest: Digest, locale: Locale) -> list[Page]:
    """Embed pages, each within Discord's limits; long sections continue on the next page."""
    say = sayer(cat, locale)
    title, header = _header(digest, say)
    title = clip(title, TITLE_LIMIT)
    if digest.empty:
        return [Page(title, f"{header}\n\n{say('news.digest.empty')}")]
    tone = _overall_tone(digest, say)
    heading = say("news.digest.summary")
    opening = clip(f"{header}\n\n{tone}\n\n**{heading}**\n", _DESCRIPTION_BUDGET)
    sentences = [escape(s) for s in digest.summary]
    summary = whole_sentences(sentences, _DESCRIPTION_BUDGET - len(opening))
    description = opening + summary
    pages = [Page(title, description)]
    for heading, entries in _sections(digest, say):
        for name, value in _fields(heading, entries):
            _place(pages, title, Field(name, value))
    for number, page in enumerate(pages, start=1):
        page.footer = clip(say("news.digest.page", page=number, pages=len(pages)), FOOTER_LIMIT)
    return pages


def _fields(heading: str, entries: list[str]) -> list[tuple[str, str]]:
    """Entries packed into field values of at most 1024 characters."""
    fields: list[tuple[str, str]] = []
    current = ""
    for entry in entries:
        entry = clip(entry, FIELD_VALUE_LIMIT)
        if current and len(current) + 1 + len(entry) > FIELD_VALUE_LIMIT:
            fields.append((heading, current))
            current = entry
        else:
            current = f"{current}\n{entry}" if current else entry
    if current:
        fields.append((heading, current))
    return [
        (clip(name if i == 0 else f"{name} (…)", FIELD_NAME_LIMIT), value)
        for i, (name, value) in enumerate(fields)
    ]


def _place(pages: list[Page], title: str, item: Field) -> None:
    page = pages[-1]
    fits = (
        len(page.fields) < FIELDS_LIMIT
        and page.size() + len(item.name) + len(item.value) + _FOOTER_RESERVE <= MESSAGE_LIMIT
    )
    if not fits:
        page = Page(title)
        pages.append(page)
    page.fields.append(item)
