"""Text folding shared by header matching, department lookup and name comparison."""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _decompose(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


# Latin letters with accents, folded once: most texts then need no Unicode decomposition.
_LATIN = {c: folded for c in range(0xC0, 0x250) if (folded := _decompose(chr(c))).isascii()}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``"Élodie Lefèbvre"`` → ``"elodie lefebvre"``."""
    if not text.isascii():
        text = text.translate(_LATIN)
        if not text.isascii():
            return _decompose(text)
    return text.lower()


def words(text: str) -> list[str]:
    """The folded alphanumeric words of ``text`` (hyphens, apostrophes, spaces all separate)."""
    return [w for w in _NON_ALNUM.split(fold(text)) if w]


def compact(text: str) -> str:
    """Folded letters and digits only: ``"Côtes-d'Armor"`` → ``"cotesdarmor"``."""
    return "".join(words(text))
