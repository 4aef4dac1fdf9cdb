"""Text from outside shown as it is: never a link, a mention or formatting.

Titles, outlets, summaries, quotes and speakers of fetched pages, roster and sign-up names and
e-mails, Discord names: Discord renders Markdown in messages and embeds, and so do the clients
that open an attached ``.md`` file. Such text goes through :func:`escape` once, where a
presenter puts it into a message, an embed or a Markdown file; never in storage, and never a
text already escaped (a backslash shown to people is a defect too). Button and select labels,
footers and authors show no Markdown: they take the raw text, clipped to their limit.

A link is built only from a URL the bot stored (:func:`link`, :func:`web_url`): http or https,
with a host; its label is outside text escaped, and holds no bracket.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Characters Discord (and CommonMark) read as Markdown or as a mention's start, wherever they are.
_MARKUP = re.compile(r"([\\*_~`|\[\]<>#])")
# A list item or a numbered item at the start of a line: "- x", "+ x", "1. x".
_LIST_MARKER = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))(?=\s|$)")
_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)
# A URL as Discord's autolink reads it, up to a character that could be Markdown: inside it a
# backslash would become part of the link, so its characters are left as they are.
_URL = re.compile(r"https?://[^\s<>\[\]\\`|*~\"{}^]+", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_BRACKETS = str.maketrans("[]", "()")
_URL_UNSAFE = re.compile(r"[\s<>\[\]()\\`|*~\"'{}^]")


# Text none of the rules below changes (most names, keys and e-mails): no Markdown character, no
# "@", no line break, and a first character that cannot start a list marker.
_PLAIN = re.compile(r"(?![\s\d+-])[^\\*_~`|\[\]<>#@\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*")


def escape(text: str) -> str:
    """``text`` as Discord and Markdown files show it literally, on one line.

    Markdown characters are escaped with a backslash, a leading list marker too;
    ``@everyone``/``@here`` are broken by a zero-width space (no mention, even in a message
    that allows some, and even inside a URL). A URL in the text keeps its characters otherwise,
    so that it still leads where it says.
    Each character becomes at most two."""
    if _PLAIN.fullmatch(text):
        return text
    return _escape(text)


def _escape(text: str) -> str:
    one_line = _LINE_BREAKS.sub(" ", text)
    parts: list[str] = []
    start = 0
    for url in _URL.finditer(one_line):
        parts += [_words(one_line[start : url.start()]), _no_everyone(url.group())]
        start = url.end()
    parts.append(_words(one_line[start:]))
    return _LIST_MARKER.sub(_marker, "".join(parts))


def _words(text: str) -> str:
    return _no_everyone(_MARKUP.sub(r"\\\1", text))


def _no_everyone(text: str) -> str:
    return _EVERYONE.sub("@\u200b\\1", text)


def _marker(found: re.Match[str]) -> str:
    space, sign, number, dot = found.groups()
    return f"{space}\\{sign}" if sign else f"{space}{number}\\{dot}"


def clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut with "…" when longer; a cut never leaves the
    half of an escape (a lone backslash that would escape what follows)."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1].rstrip()
    trailing = len(kept) - len(kept.rstrip("\\"))
    if trailing % 2:
        kept = kept[:-1]
    return kept + "…"


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http or https address with a host that Markdown cannot misread, with
    the characters that could end or break a link percent-encoded; else ``None``."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return _URL_UNSAFE.sub(lambda c: "".join(f"%{b:02X}" for b in c.group().encode()), url)


def link(label: str, url: str | None) -> str:
    """A Markdown link to ``url`` (see :func:`web_url`) shown as ``label`` (outside text,
    escaped, its brackets made parentheses); the label alone when ``url`` cannot be a link."""
    shown = escape(label.translate(_BRACKETS))
    target = web_url(url)
    return f"[{shown}]({target})" if target else shown
