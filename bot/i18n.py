"""The message catalog: every user-facing sentence, in French (default) and English.

Sentences live in ``bot/locales/*.toml``, one table per key with an ``fr`` and an ``en`` string::

    ["help.title"]
    fr = "Commandes de Relance"
    en = "Relance commands"

Placeholders use ``str.format`` syntax. Keys are unique across files.

Plurals. A part of a sentence that depends on a count is written
``{count, plural, one {…} other {…}}``: the variant is chosen by the language's CLDR plural
rules (through Babel: in French 0 and 1 are singular, in English only 1) for the parameter
named before ``plural``; ``=0 {…}`` (any exact number) comes first when given, and a category
the sentence leaves out falls back to ``other``, which is required. Variants hold ordinary
placeholders, the count included::

    ["reg.summary"]
    fr = "{count, plural, one {{count} inscrit} other {{count} inscrits}}"
    en = "{count, plural, =0 {nobody registered} one {{count} registered} other {{count} registered}}"

Numbers. An ``int`` or ``float`` parameter is written as the language writes figures
(:func:`format_number`): ``10 000`` with a narrow no-break space and ``12,5`` in French,
``10,000`` and ``12.5`` in English; at most one decimal. Identifiers are not figures: a
parameter whose name is ``id``, ends in ``_id`` or is ``year``, ``version`` or ``port`` is
written as it is, and any other value to show verbatim is passed as a ``str``. Dates shown to
people go through :func:`format_date` (a ``datetime.date`` parameter is written that way by
itself: ``30 novembre 2026``), shares through :func:`format_percent`.

French spacing. In French sentences the ordinary space written before ``: ; ! ? %`` and ``»``
and after ``«`` becomes a no-break space when the catalog loads (U+00A0 before ``:`` and
inside guillemets and before ``%``, the narrow U+202F before ``; ! ?``), so the files stay readable and a line
never breaks before a colon. The space itself must be written: ``Date :`` not ``Date:``.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale as BabelLocale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")
DEFAULT_LOCALE: Locale = "fr"

LOCALES_DIR = Path(__file__).parent / "locales"

NBSP = "\u00a0"
NNBSP = "\u202f"


class CatalogError(Exception):
    pass


def as_locale(value: str | None, default: Locale = DEFAULT_LOCALE) -> Locale:
    """Map a Discord or user locale (``fr``, ``en-US``, ``en-GB``...) to one we speak."""
    if not value:
        return default
    head = str(value).split("-")[0].lower()
    if head == "fr":
        return "fr"
    if head == "en":
        return "en"
    return default


# --- numbers, shares and dates -------------------------------------------------------------


# Babel parses its pattern and looks the locale up at every call (a tenth of a millisecond): a
# sentence with four counts paid that four times. The figures shown are few and repeat (counts,
# pages, percentages), so each is written once; bounded, so that no stream of numbers fills it.
_FIGURES_CACHED = 8192


def format_number(value: float, locale: Locale, decimals: int = 1) -> str:
    """A figure as ``locale`` writes it, with at most ``decimals`` decimals and no trailing
    zero: ``10 000`` (narrow no-break space) and ``12,5`` in French, ``10,000`` and ``12.5``
    in English."""
    return _format_number(value, locale, decimals)


@lru_cache(maxsize=_FIGURES_CACHED, typed=True)
def _format_number(value: float, locale: Locale, decimals: int) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(_babel_format_decimal(value, format=pattern, locale=locale))


def format_percent(share: float, locale: Locale, decimals: int = 1) -> str:
    """A share (``0.567``) as a percentage: ``56,7 %`` (no-break space) in French, ``56.7%``
    in English."""
    digits = "." + "#" * decimals if decimals > 0 else ""
    pattern = f"#,##0{digits}{NBSP}%" if locale == "fr" else f"#,##0{digits}%"
    return str(_babel_format_percent(share, format=pattern, locale=locale))


def format_date(value: date | datetime, locale: Locale, style: str = "long") -> str:
    """A date as people read it: ``30 novembre 2026`` / ``November 30, 2026`` (``long``),
    ``30 nov. 2026`` / ``Nov 30, 2026`` (``medium``), never ``2026-11-30``."""
    day = value.date() if isinstance(value, datetime) else value
    text = str(_babel_format_date(day, format=style, locale=locale))
    if locale == "fr" and day.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]  # the first of the month: 1er décembre 2026
    return text


def plural_category(count: float, locale: Locale) -> str:
    """The CLDR plural category of ``count`` in ``locale`` (``one``, ``many``, ``other``...)."""
    return _plural_category(abs(count), locale)


@lru_cache(maxsize=_FIGURES_CACHED, typed=True)
def _plural_category(count: float, locale: Locale) -> str:
    return str(BabelLocale.parse(locale).plural_form(count))


_VERBATIM = re.compile(r"^(id|.*_id|year|version|port)$")


@lru_cache(maxsize=1024)
def _verbatim(name: str) -> bool:
    return _VERBATIM.match(name) is not None


def _is_figure(name: str, value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not _verbatim(name)


# --- plural blocks --------------------------------------------------------------------------

_PLURAL_HEAD = re.compile(r"\{\s*(\w+)\s*,\s*plural\s*,")
_SELECTOR = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")


@dataclass(frozen=True)
class _Plural:
    name: str
    variants: dict[str, str]


_Part = str | _Plural


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise CatalogError(f"unbalanced braces in {text!r}")


def _parse(text: str) -> list[_Part]:
    parts: list[_Part] = []
    pos = 0
    while (match := _PLURAL_HEAD.search(text, pos)) is not None:
        if match.start() > 0 and text[match.start() - 1] == "{":
            # an escaped brace ``{{`` is not a plural block
            parts.append(text[pos : match.end()])
            pos = match.end()
            continue
        end = _closing(text, match.start())
        parts.append(text[pos : match.start()])
        variants: dict[str, str] = {}
        cursor = match.end()
        while cursor < end:
            if not text[cursor:end].strip():
                break
            sel = _SELECTOR.match(text, cursor, end)
            if sel is None:
                raise CatalogError(f"bad plural variant in {text!r}")
            body_end = _closing(text, sel.end() - 1)
            variants[sel.group(1)] = text[sel.end() : body_end]
            cursor = body_end + 1
        if "other" not in variants:
            raise CatalogError(f"plural block without 'other' in {text!r}")
        parts.append(_Plural(match.group(1), variants))
        pos = end + 1
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


@lru_cache(maxsize=4096)
def _parsed_body(body: str) -> tuple[_Part, ...]:
    """A plural variant's parts: parsed once (the catalog's variants are a fixed set)."""
    return tuple(_parse(body))


# One field of a template as :meth:`string.Formatter.parse` gives it: the text before it, and
# the field's name and format spec (``None``: the text after the last field).
_Field = tuple[str, str | None, str]


@lru_cache(maxsize=8192)
def _fields(template: str) -> tuple[_Field, ...] | None:
    """A template's texts and fields, parsed once; ``None`` when a field is more than a name
    (an attribute, an index, a conversion, a nested spec, a positional field): those templates
    are written by :class:`_Formatter` itself, as is a template it cannot parse (it says why
    when the sentence is asked for with parameters, as it always did)."""
    fields: list[_Field] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, name, spec, conversion in parsed:
        if name is not None and (
            not name.isidentifier() or conversion is not None or (spec and "{" in spec)
        ):
            return None
        fields.append((literal, name, spec or ""))
    return tuple(fields)


def _french_spacing(text: str) -> str:
    text = re.sub(r" (?=[:%])", NBSP, text)
    text = re.sub(r" (?=[;!?])", NNBSP, text)
    text = re.sub(r"« ", "«" + NBSP, text)
    return re.sub(r" »", NBSP + "»", text)


class _Formatter(string.Formatter):
    """The general way a template is filled in; :func:`_fill` is the same for plain names."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        value = super().get_value(key, args, kwargs)
        if isinstance(key, str) and _is_figure(key, value):
            return _Figure(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            return format_date(value, self.locale)
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, _Figure):
            if format_spec:
                return format(value.value, format_spec)
            return format_number(value.value, self.locale)
        return super().format_field(value, format_spec)


def _fill(fields: tuple[_Field, ...], locale: Locale, params: dict[str, Any]) -> str:
    """``fields`` filled in from ``params`` as :class:`_Formatter` fills them (figures as the
    language writes them, dates as people read them), without parsing the template again."""
    out: list[str] = []
    for literal, name, spec in fields:
        out.append(literal)
        if name is None:
            continue
        value = params[name]
        if _is_figure(name, value):
            out.append(format(value, spec) if spec else format_number(value, locale))
        elif isinstance(value, date) and not isinstance(value, datetime):
            out.append(format(format_date(value, locale), spec))
        else:
            out.append(format(value, spec))
    return "".join(out)


@dataclass(frozen=True)
class _Figure:
    value: float


class Catalog:
    def __init__(self, entries: dict[str, dict[str, str]]) -> None:
        self._entries = {
            key: {**texts, "fr": _french_spacing(texts["fr"])} if "fr" in texts else dict(texts)
            for key, texts in entries.items()
        }
        self._parsed: dict[tuple[str, Locale], list[_Part]] = {}
        # The template of a sentence without plural blocks, parsed into its fields once.
        self._plain: dict[tuple[str, Locale], tuple[str, tuple[_Field, ...] | None]] = {}
        for key, texts in self._entries.items():
            for loc in LOCALES:
                try:
                    parts = _parse(texts[loc])
                except CatalogError as exc:
                    raise CatalogError(f"key {key!r} ({loc}): {exc}") from None
                self._parsed[key, loc] = parts
                if all(isinstance(part, str) for part in parts):
                    template = "".join(str(part) for part in parts)
                    self._plain[key, loc] = (template, _fields(template))

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        entries: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.toml")):
            with path.open("rb") as handle:
                data = tomllib.load(handle)
            for key, value in data.items():
                if key in entries:
                    raise CatalogError(f"{path.name}: key {key!r} is defined twice")
                if not isinstance(value, dict) or set(value) != set(LOCALES):
                    raise CatalogError(f"{path.name}: key {key!r} needs exactly 'fr' and 'en'")
                entries[key] = {loc: str(value[loc]) for loc in LOCALES}
        return cls(entries)

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def has(self, key: str) -> bool:
        return key in self._entries

    def raw(self, key: str, locale: Locale) -> str:
        return self._entries[key][locale]

    def t(self, key: str, locale: Locale = DEFAULT_LOCALE, /, **params: Any) -> str:
        """The sentence ``key`` in ``locale`` with ``params`` filled in, its plural variants
        chosen by their counts and its figures written as ``locale`` writes them."""
        plain = self._plain.get((key, locale))
        if plain is not None:
            template, fields = plain
        else:
            try:
                parts = self._parsed[key, locale]
            except KeyError as exc:
                raise CatalogError(f"unknown message key {key!r}") from exc
            template = "".join(self._choose(part, locale, params) for part in parts)
            fields = _fields(template) if params else None
        if not params:
            return template
        if fields is None:
            return _Formatter(locale).vformat(template, (), params)
        return _fill(fields, locale, params)

    def _choose(self, part: _Part, locale: Locale, params: dict[str, Any]) -> str:
        if isinstance(part, str):
            return part
        try:
            count = params[part.name]
        except KeyError:
            raise CatalogError(f"plural count {part.name!r} not given") from None
        if not isinstance(count, int | float) or isinstance(count, bool):
            raise CatalogError(f"plural count {part.name!r} must be a number, not {count!r}")
        exact = f"={count:g}"
        if exact in part.variants:
            body = part.variants[exact]
        else:
            body = part.variants.get(plural_category(count, locale), part.variants["other"])
        return "".join(self._choose(p, locale, params) for p in _parsed_body(body))

    def placeholders(self, key: str, locale: Locale) -> set[str]:
        names: set[str] = set()
        self._collect(self._parsed[key, locale], names)
        return names

    def _collect(self, parts: list[_Part], names: set[str]) -> None:
        for part in parts:
            if isinstance(part, _Plural):
                names.add(part.name)
                for body in part.variants.values():
                    self._collect(_parse(body), names)
                continue
            for _, field, _, _ in string.Formatter().parse(part):
                if field:
                    names.add(field.split(".")[0].split("[")[0])
