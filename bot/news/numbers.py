"""Numbers written out in words, in French and English: "deux mille" → 2000, "a dozen" → 12."""

from __future__ import annotations

import re

_UNITS = {
    # French
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "nonante": 90,
    # English
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_HUNDRED = {"cent", "cents", "hundred"}
_SCALES = {
    "mille": 1_000,
    "thousand": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
}
# Approximate quantities: "une dizaine", "un millier", "a dozen".
APPROXIMATE = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "centaines": 100,
    "millier": 1_000,
    "milliers": 1_000,
    "dozen": 12,
    "dozens": 12,
    "score": 20,
}
_CONNECTORS = {"et", "and"}
NUMBER_WORDS = frozenset(_UNITS) | _HUNDRED | frozenset(_SCALES)

_TOKEN = re.compile(r"[a-zà-ÿ]+", re.IGNORECASE)


def words_value(phrase: str) -> int | None:
    """The value of a run of number words ("deux mille cinq cents", "quatre-vingt-dix")."""
    tokens = [t.lower() for t in _TOKEN.findall(phrase.replace("-", " "))]
    if not tokens or tokens[0] in _CONNECTORS or tokens[-1] in _CONNECTORS:
        return None
    total = current = 0
    seen = False
    for index, token in enumerate(tokens):
        if token in _CONNECTORS:
            continue
        if token in _UNITS:
            value = _UNITS[token]
            # "quatre vingt" is 80: a unit followed by vingt multiplies.
            if token in ("vingt", "vingts") and current and current < 20:
                current *= 20
            else:
                current += value
        elif token in _HUNDRED:
            current = (current or 1) * 100
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0
        else:
            return None
        seen = True
        if index == 0 and token in ("un", "une", "one") and len(tokens) == 1:
            return 1
    return total + current if seen else None
