"""From bytes (an uploaded file, a fetched page) to a :class:`Document`.

Plain text: UTF-8 (a BOM and CRLF tolerated), its headline on the first line when that line looks
like one; a blog's header and footer lines are recognised and mined for the byline and the original
outlet. HTML: trafilatura extracts the main text and the metadata.
"""

from __future__ import annotations

import re
from datetime import date

import trafilatura
from trafilatura.settings import Document as TrafilaturaDocument

from bot.errors import InvalidInput
from bot.news.entities import FIRST_NAMES
from bot.news.language import Language, detect_language
from bot.news.models import Document
from bot.news.outlet import known_outlet, outlet_named_in, site_from_host
from bot.news.sentences import word_count

MIN_WORDS = 8  # fewer words than this in the body is an empty article

_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ",
    b"OggS",
    b"ID3",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
)
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<\?xml)", re.IGNORECASE)
_IMAGE_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|svg)$", re.IGNORECASE)
_REPUBLISHED = re.compile(
    r"^(?:publié|posté|posted|published)\b.*?\b(?:par|by)\s+(?P<who>.+)$", re.IGNORECASE
)
# A blog's furniture: labels that open a line ("Lire aussi : ..."), and lines that are only a
# button or a counter ("Partager", "12 commentaires"). A line that merely starts with one of
# those words ("Comment le parti ...", "Partager les tâches ...") is text.
_NOISE_LINE = re.compile(
    r"^(?:(?:publié dans|posté dans|commenter cet article|lire aussi|à lire aussi|read more|"
    r"tags?\s*:|catégories?\s*:|filed under|retour à l'accueil)\b"
    r"|(?:\d+\s+)?(?:commentaires?|comments?|partager|share(?: this)?|imprimer|print|"
    r"s'abonner|subscribe)(?:\s*\(?\d*\)?)?\s*[:.!]?\s*$)",
    re.IGNORECASE,
)
_BYLINE_CAPS = re.compile(r"^(?:par |by )?([A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’-]+){1,3})\.?$")
_NAME_LINE = re.compile(r"^([A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][a-zà-ÿ'’-]+){1,2})$")
_BYLINE = re.compile(r"^(?:par|by)\s+([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,3})\.?$")


def decode_text(data: bytes, filename: str = "") -> str:
    """UTF-8 text from ``data``; refuse binary, non-UTF-8 and empty input with a clear error."""
    head = data[:4096]
    if any(head.startswith(magic) for magic in _MAGIC) or b"\x00" in head:
        raise InvalidInput("news.file.binary", name=filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("news.file.encoding", name=filename) from None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8:
        raise InvalidInput("news.file.binary", name=filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInput("news.article.empty", name=filename)
    return text


def looks_like_html(data: bytes, filename: str = "") -> bool:
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_START.match(data[:1024].lstrip(b"\xef\xbb\xbf")))


def load_document(data: bytes, filename: str = "", url: str | None = None) -> Document:
    """The document in a file or a page (HTML or plain text); raise on unusable input.

    ``url`` is where the bot fetched it (the final URL, after redirects, checked), and the only
    link the document gets: an uploaded file has none, whatever URL its own metadata claims."""
    text = decode_text(data, filename)
    if looks_like_html(data, filename):
        document = document_from_html(text, url)
    else:
        document = document_from_text(text, url)
    if word_count(document.text) < MIN_WORDS:
        raise InvalidInput("news.article.empty", name=filename or url or "")
    return document


def document_from_html(html: str, url: str | None = None) -> Document:
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if not isinstance(extracted, TrafilaturaDocument) or not (extracted.text or "").strip():
        raise InvalidInput("news.article.empty", name=url or "")
    title = (extracted.title or "").strip()
    lines = [line.strip() for line in (extracted.text or "").split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = _Body(lines)
    site = (extracted.sitename or "").strip() or site_from_host(extracted.hostname)
    outlet = body.outlet or outlet_named_in("\n".join(lines)) or known_outlet(site or "") or site
    return Document(
        title=title or (lines[0][:200] if lines else ""),
        text="\n".join(body.lines),
        language=_language(extracted.language, "\n".join(body.lines)),
        outlet=outlet,
        site_name=site if site and site != outlet else None,
        author=(extracted.author or "").strip() or body.author,
        published=_date(extracted.date),
        url=url,  # the page's own og:url or canonical link is no link: a file could name any
    )


def document_from_text(text: str, url: str | None = None) -> Document:
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    title = ""
    if len(lines) > 1 and _is_headline(lines[0]):
        title, lines = lines[0], lines[1:]
    body = _Body(lines)
    outlet = body.outlet or outlet_named_in("\n".join(lines))
    body_text = "\n".join(body.lines)
    return Document(
        title=title or _first_words(body_text),
        text=body_text,
        language=detect_language(body_text),
        outlet=outlet or body.republisher,
        site_name=body.republisher if outlet else None,
        author=body.author,
        url=url,
    )


class _Body:
    """A body's lines with the header and footer noise of a blog repost taken out and mined."""

    def __init__(self, lines: list[str]) -> None:
        self.author: str | None = None
        self.outlet: str | None = None
        self.republisher: str | None = None
        kept: list[str] = []
        for index, line in enumerate(lines):
            edge = index < 4 or index >= len(lines) - 6
            if _IMAGE_LINE.match(line) or _NOISE_LINE.match(line):
                continue
            if edge and (match := _REPUBLISHED.match(line)):
                self.republisher = match.group("who").strip()
                continue
            if edge and word_count(line) <= 6:
                if outlet := known_outlet(line):
                    self.outlet = self.outlet or outlet
                    continue
                byline = (
                    _BYLINE_CAPS.match(line)
                    or _BYLINE.match(line)
                    or _signature(line, index, lines)
                )
                if byline and index > 0 and not line.endswith(("!", "?")):
                    self.author = self.author or byline.group(1).title()
                    continue
            kept.append(line)
        self.lines = kept


def _signature(line: str, index: int, lines: list[str]) -> re.Match[str] | None:
    """A closing line that is only a person's name ("Jeanne Ferrand"), after the body."""
    if index < len(lines) - 3 or index == 0:
        return None
    match = _NAME_LINE.match(line)
    if match and match.group(1).split()[0].lower() in FIRST_NAMES:
        return match
    return None


def _is_headline(line: str) -> bool:
    return word_count(line) <= 25 and not line.rstrip('»”" ').endswith((".", ",", ";", ":"))


def _first_words(text: str, limit: int = 12) -> str:
    words = text.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def _language(declared: str | None, text: str) -> Language:
    return detect_language(text)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
