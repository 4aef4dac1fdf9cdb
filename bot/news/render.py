"""Pure presenters for digests: Markdown (the attached file) and embed pages within Discord limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.i18n import Locale, catalog
from bot.news.digest import ArticleRef, Digest
from bot.news.models import ToneLabel, format_number

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


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _t(key: str, locale: Locale, **params: object) -> str:
    return catalog().t(key, locale, **params)


def _link(article: ArticleRef, locale: Locale) -> str:
    outlet = article.outlet or _t("news.unknown_outlet", locale)
    return f"[{outlet}]({article.url})" if article.url else f"{outlet} (#{article.id})"


def _sections(digest: Digest, locale: Locale) -> list[tuple[str, list[str]]]:
    """(heading, entries) in reading order; shared by the pages and the Markdown file."""
    timeline = [
        f"{d.day.isoformat()} — {d.articles} · " + " ; ".join(d.titles) for d in digest.timeline
    ]
    stories = [
        f"**{_t('news.digest.story', locale, number=s.number, outlets=', '.join(s.outlets))}**\n"
        + " ".join(s.summary)
        + "\n"
        + " · ".join(_link(a, locale) for a in s.articles[:5])
        for s in digest.stories
    ]
    figures = [
        f"**{format_number(f.value)}** — {f.text} ({_link(f.article, locale)})"
        for f in digest.figures
    ]
    quotes = [f"« {q.text} » — **{q.speaker}** ({_link(q.article, locale)})" for q in digest.quotes]
    tones = [
        _t(
            "news.digest.outlet_tone",
            locale,
            outlet=t.outlet or _t("news.unknown_outlet", locale),
            articles=t.articles,
            tone=tone_text(_t, t.label, t.evidence, locale),
        )
        for t in digest.tones
    ]
    return [
        (_t("news.digest.timeline", locale), timeline),
        (_t("news.digest.stories", locale), stories),
        (_t("news.digest.figures", locale), figures),
        (_t("news.digest.quotes", locale), quotes),
        (_t("news.digest.tone", locale), tones),
    ]


def tone_text(
    t: Callable[..., str], label: ToneLabel, evidence: Sequence[str], locale: Locale
) -> str:
    """A tone as shown: its label, then the phrases that justify it."""
    text = t("news.tone." + label, locale)
    return text + (" — " + " ; ".join(f"« {e} »" for e in evidence) if evidence else "")


def _overall_tone(digest: Digest, locale: Locale) -> str:
    tone = tone_text(_t, digest.tone.label, digest.tone.evidence[:3], locale)
    return _t("news.digest.overall_tone", locale, tone=tone)


def _header(digest: Digest, locale: Locale) -> tuple[str, str]:
    title = _t("news.digest.title", locale)
    if digest.source:
        title += f" — {digest.source}"
    period = _t(
        "news.digest.period",
        locale,
        start=digest.start.date().isoformat(),
        end=digest.end.date().isoformat(),
    )
    counts = _t(
        "news.digest.counts",
        locale,
        articles=digest.articles,
        outlets=len(digest.outlets),
        stories=len(digest.stories),
    )
    return title, f"{period}\n{counts}"


def digest_markdown(digest: Digest, locale: Locale) -> str:
    title, header = _header(digest, locale)
    lines = [f"# {title}", "", *header.split("\n"), ""]
    if digest.empty:
        return "\n".join([*lines, _t("news.digest.empty", locale), ""])
    lines += [_overall_tone(digest, locale), ""]
    lines += [f"## {_t('news.digest.summary', locale)}", "", " ".join(digest.summary), ""]
    for heading, entries in _sections(digest, locale):
        if entries:
            lines += [f"## {heading}", ""] + [f"- {e}" for e in entries] + [""]
    return "\n".join(lines)


def digest_pages(digest: Digest, locale: Locale) -> list[Page]:
    """Embed pages, each within Discord's limits; long sections continue on the next page."""
    title, header = _header(digest, locale)
    title = clip(title, TITLE_LIMIT)
    if digest.empty:
        return [Page(title, f"{header}\n\n{_t('news.digest.empty', locale)}")]
    summary = " ".join(digest.summary)
    tone = _overall_tone(digest, locale)
    heading = _t("news.digest.summary", locale)
    description = clip(f"{header}\n\n{tone}\n\n**{heading}**\n{summary}", _DESCRIPTION_BUDGET)
    pages = [Page(title, description)]
    for heading, entries in _sections(digest, locale):
        for name, value in _fields(heading, entries):
            _place(pages, title, Field(name, value))
    for number, page in enumerate(pages, start=1):
        page.footer = clip(
            _t("news.digest.page", locale, page=number, pages=len(pages)), FOOTER_LIMIT
        )
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
