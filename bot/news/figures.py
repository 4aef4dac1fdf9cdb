"""Figures quoted in an article, each with the words that say what it counts.

"1 500 inscrits les premiers jours", "7 000 après cinq semaines d'activité", "1,5 million
d'euros", "76% to $1.13bn", "deux mille adhérents", "un millier d'invités". Years, dates, times,
ordinals and small bare numbers ("Europe 1", "trois jours") are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.models import Figure
from bot.news.numbers import APPROXIMATE, NUMBER_WORDS, words_value

_SPACE = "[ \u00a0\u202f\u2009]"
_SCALE = r"(?:milliards?|millions?|mille|billions?|thousand|trillions?|bn|mn|m|k|md|Md|M)\b"
_DIGITS = re.compile(
    r"(?<![\w.,/-])(?P<currency>[$£€]\s?)?"
    rf"(?P<number>\d{{1,3}}(?:{_SPACE}\d{{3}})+(?!\d)|\d{{1,3}}(?:,\d{{3}})+(?![\d,])"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d+(?:[.,]\d+)?)"
    rf"(?:{_SPACE}?(?P<scale>{_SCALE}))?"
    rf"(?P<unit>{_SPACE}?(?:%|€|\$|£|pour ?cent|per ?cent|euros?|dollars?))?"
)
_WORDS = "|".join(sorted(NUMBER_WORDS - {"un", "une", "one"}, key=len, reverse=True))
_WRITTEN = re.compile(
    rf"\b(?:une?|a|des|several|quelques)\s+(?P<approx>{'|'.join(APPROXIMATE)})\b"
    rf"|\b(?P<number>(?:{_WORDS}|un|une|one)(?:[\s-]+(?:{_WORDS}|un|une|one|et|and))*)\b",
    re.IGNORECASE,
)
# A written figure needs one of these words: a number word other than "un"/"une"/"one" (a run
# of those alone counts one for each, and figures start at 100) or an approximate quantity.
_WRITTEN_WORDS = (NUMBER_WORDS - {"un", "une", "one"}) | frozenset(APPROXIMATE)
_UNITS_ALONE = re.compile(r"\b(?:un|une|one)\b", re.IGNORECASE)
_WORD_TOKEN = re.compile(r"\w+")
# Letters that IGNORECASE matches with an "i" and that casefold() does not turn into one.
_DOTTED_I = ("İ", "ı")
_ANY_DIGIT = re.compile(r"\d")
_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
    r"|décembre|decembre|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|janv|févr|avr|juil|sept|oct|nov|déc|jan|feb|mar|apr|jun|jul|aug|sep|dec"
)
_AFTER_SKIP = re.compile(
    rf"^\s*(?:{_MONTHS})\b|^(?:er|e|ème|eme|è|th|st|nd|rd)\b|^\s?[hH]\d|^\s?[hH]\b|^:\d",
    re.IGNORECASE,
)
_BEFORE_SKIP = re.compile(rf"(?:\b(?:{_MONTHS})\.?\s*|n°\s*|no\.\s*|#)$", re.IGNORECASE)
# What _BEFORE_SKIP finds before the trailing spaces is at most this long ("septembre."): it is
# looked for there only, not from every character of the sentence before the number.
_BEFORE_SKIP_REACH = max(len(m) for m in _MONTHS.split("|")) + 1
_BOUNDARY = re.compile(
    r"\.(?!\d)|[;:!?,()«»“”\"\[\]]|\s[-–—]\s|\b(?:d['’]après|selon|according|said|says|a-t-il|a-t-elle"
    r"|et|and|mais|but|qui|which|who|que|that)\b",
    re.IGNORECASE,
)
_CONTEXT_WORDS = 6
# Words a phrase does not end on: a context cut after one of them is cut mid-phrase
# ("chaque semaine dans ses"), so it is taken back to the word before.
_OPEN_ENDS = frozenset(
    """
    le la les l un une des du de d au aux à a en dans sur sous par pour avec sans chez vers entre
    contre depuis pendant après avant selon son sa ses leur leurs mon ma mes ton ta tes notre nos
    votre vos ce cet cette ces chaque tout toute tous toutes ou ni se ne pas plus très dont où y
    the an of to in on at for with by from into about or as its their his her our your this that
    these those is are was were be been has have had will would than per
    """.split()  # noqa: SIM905
)
_MULTIPLIERS = {
    "milliard": 1e9,
    "milliards": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "md": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mille": 1e3,
    "thousand": 1e3,
    "k": 1e3,
}


def parse_number(text: str, language: str = "fr") -> float:
    """``1 500`` → 1500, ``1,5`` → 1.5 (French), ``1,500`` → 1500, ``1.13`` → 1.13."""
    compact = re.sub(_SPACE, "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", compact):
        return float(compact.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", compact) and (
        language == "en" or compact.count(",") > 1
    ):
        return float(compact.replace(",", ""))
    return float(compact.replace(",", "."))


def find_figures(sentences: Sequence[str], language: str = "fr") -> list[Figure]:
    figures: list[Figure] = []
    seen: set[tuple[float, str]] = set()
    for sentence in sentences:
        digits = _digit_figures(sentence, language)
        taken = [(f.start, f.end) for f in digits]
        written = [f for f in _written_figures(sentence) if not _overlaps(f, taken)]
        for spanned in digits + written:
            figure = spanned.figure
            key = (figure.value, figure.text.lower())
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures


@dataclass(frozen=True)
class _Spanned:
    figure: Figure
    start: int
    end: int


def _overlaps(item: _Spanned, spans: list[tuple[int, int]]) -> bool:
    return any(item.start < end and start < item.end for start, end in spans)


def _digit_figures(sentence: str, language: str) -> list[_Spanned]:
    if not _ANY_DIGIT.search(sentence):
        return []  # every figure in digits has a digit: most sentences have none
    return _digit_figures_searched(sentence, language)


def _digit_figures_searched(sentence: str, language: str) -> list[_Spanned]:
    found = []
    for match in _DIGITS.finditer(sentence):
        number = match.group("number")
        scale = (match.group("scale") or "").lower()
        unit = (match.group("unit") or "").strip()
        currency = match.group("currency")
        after = sentence[match.end() :]
        before = sentence[: match.start()]
        reach = len(before) - len(before.rstrip()) + _BEFORE_SKIP_REACH
        if _AFTER_SKIP.match(after) or _BEFORE_SKIP.search(before, max(0, len(before) - reach)):
            continue
        if scale in ("m", "k", "mn", "md") and not (currency or unit) and language != "en":
            scale = ""  # "15 m" is metres in French text
        value = parse_number(number, language) * _MULTIPLIERS.get(scale, 1.0)
        plain = not (scale or unit or currency)
        if plain and re.fullmatch(r"(1[89]|20)\d\d", number):
            continue  # a year
        if plain and value < 10:
            continue  # "Europe 1", "trois jours" are not figures worth reporting
        end = match.end() if (scale or unit) else match.end("number")
        text = _context(sentence, match.start(), end)
        found.append(_Spanned(Figure(value, text, sentence), match.start(), end))
    return found


def _may_write_figure(sentence: str) -> bool:
    """False when ``sentence`` surely holds no written figure (most sentences): a quick look at
    its words before the costly search of number words at each position."""
    if any(c in sentence for c in _DOTTED_I):
        return True
    if not _WRITTEN_WORDS.isdisjoint(_WORD_TOKEN.findall(sentence.casefold())):
        return True
    return len(_UNITS_ALONE.findall(sentence)) >= 100


def _written_figures(sentence: str) -> list[_Spanned]:
    return _written_figures_searched(sentence) if _may_write_figure(sentence) else []


def _written_figures_searched(sentence: str) -> list[_Spanned]:
    found = []
    for match in _WRITTEN.finditer(sentence):
        limit = _CONTEXT_WORDS
        if match.group("approx"):
            value = float(APPROXIMATE[match.group("approx").lower()])
            limit = 1  # "une quinzaine d'émeutes"
        else:
            number = re.sub(r"(?:[\s-]+(?:et|and))+$", "", match.group("number"), flags=re.I)
            parsed = words_value(number)
            if parsed is None or parsed < 100:
                continue  # "cinq semaines" is context, not a figure
            value = float(parsed)
        text = _context(sentence, match.start(), match.end(), limit)
        found.append(_Spanned(Figure(value, text, sentence), match.start(), match.end()))
    return found


def _context(sentence: str, start: int, end: int, limit: int = _CONTEXT_WORDS) -> str:
    """The number and the words after it up to a clause boundary, as a whole phrase.

    At most ``limit`` words; a phrase cut before its boundary ends on the last word that can
    end one, not on a preposition, an article or a possessive.
    """
    tail = sentence[end:]
    stop = _BOUNDARY.search(tail)
    # A boundary right after the number ("76%, ...") keeps the number alone.
    tail = tail[: stop.start()] if stop else tail
    words = tail.split()
    if len(words) > limit:
        words = words[:limit]
        while words and _open_end(words[-1]):
            words.pop()
    text = sentence[start:end].strip() + (" " + " ".join(words) if words else "")
    return text.strip(" ,;:-–—")


def _open_end(word: str) -> bool:
    bare = word.strip(".,;:!?'’\"»«()").lower()
    return bare in _OPEN_ENDS or bare.endswith(("'", "’")) or word.endswith(("'", "’"))
