"""Multipart form bodies (messages with files) as HTTP clients send them, read in one pass.

aiohttp's multipart reader parses every part's ``Content-Disposition`` several times over (about
0.1 ms each) and reads a part in chunks of 8 kB, searching each for the boundary: about 1.1 ms
of fixed cost per upload, more than the bytes of a picture. :func:`form_parts` reads the simple
bodies that discord.py (aiohttp's ``FormData``) and the usual clients send, with ``bytes.find``;
anything else — a preamble, bare line feeds, a quoted boundary, an encoded part, a parameter
with ``*``, an escape, a nested multipart, an unusual header — is left to aiohttp's reader
(``None``), so that every body gives what that reader gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# multipart/form-data; boundary=<bchars>, as clients write it (RFC 2046 5.1.1, unquoted).
_CONTENT_TYPE = re.compile(r"multipart/form-data; boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})")
# form-data; name="…"[; filename="…"]: no quote, backslash or semicolon in the values, none
# starting with a slash (aiohttp's parser reads those differently), nothing else.
_VALUE = r'"([^"\\;/][^"\\;]*|)"'
_DISPOSITION = re.compile(rf"form-data; name={_VALUE}(?:; filename={_VALUE})?")
_HEADER = re.compile(rb"([A-Za-z][A-Za-z0-9-]*): (\S(?:[^\r\n]*\S)?)")
_KNOWN_HEADERS = frozenset({"content-disposition", "content-type", "content-length"})
_PLAIN_CHARSETS = ("", "utf-8")
MAX_HEADER_LINE = 1024  # well below aiohttp's limits for part headers (8,190 bytes a field)


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content_type: str | None  # the header as sent
    data: bytes


def form_parts(content_type: str, body: bytes) -> list[FormPart] | None:
    """The parts of a ``multipart/form-data`` body, or ``None`` if it is not one of the simple
    bodies read here (then aiohttp's reader reads it)."""
    matched = _CONTENT_TYPE.fullmatch(content_type)
    if matched is None:
        return None
    delimiter = b"--" + matched.group(1).encode("ascii")
    if not body.startswith(delimiter):
        return None
    parts: list[FormPart] = []
    position = len(delimiter)
    closing = b"\r\n" + delimiter
    while True:
        if body.startswith(b"--", position):  # the closing delimiter
            rest = body[position + 2 :]
            return parts if rest in (b"", b"\r\n") else None
        if not body.startswith(b"\r\n", position) or body.startswith(b"\r\n\r\n", position):
            return None
        start = position + 2
        headers_end = body.find(b"\r\n\r\n", start)
        if headers_end < 0:
            return None
        end = body.find(closing, headers_end + 4)
        if end < 0:
            return None
        part = _part(body[start:headers_end], body[headers_end + 4 : end])
        if part is None:
            return None
        parts.append(part)
        position = end + len(closing)


def _part(head: bytes, data: bytes) -> FormPart | None:
    headers: dict[str, str] = {}
    for line in head.split(b"\r\n"):
        if len(line) > MAX_HEADER_LINE:
            return None
        matched = _HEADER.fullmatch(line)
        if matched is None:
            return None
        name = matched.group(1).decode("ascii").lower()
        if name not in _KNOWN_HEADERS or name in headers:
            return None
        headers[name] = matched.group(2).decode("utf-8", "surrogateescape")
    disposition = _DISPOSITION.fullmatch(headers.get("content-disposition", ""))
    if disposition is None:
        return None
    content_type = headers.get("content-type")
    if content_type is not None and not _plain(content_type):
        return None
    return FormPart(disposition.group(1), disposition.group(2), content_type, data)


def _plain(content_type: str) -> bool:
    """A part's type that aiohttp's reader reads as it is: not multipart, no charset but
    UTF-8 (the payload's text is read as UTF-8)."""
    kind, _, parameters = content_type.partition(";")
    if kind.strip().lower().startswith("multipart/"):
        return False
    charset = ""
    for parameter in parameters.split(";") if parameters else ():
        key, equals, value = parameter.strip().partition("=")
        if not equals:
            return False
        if key.lower() == "charset":
            charset = value.strip('"').lower()
    return charset in _PLAIN_CHARSETS
