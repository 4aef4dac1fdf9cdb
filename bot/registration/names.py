"""Comparing an officer's name with the name a person typed when signing up.

Names are folded (case, accents) and split into groups (space-separated) of words
(hyphen- or apostrophe-separated): ``"Fleury-Lucas, Thomas"`` → ``[["thomas"], ["fleury", "lucas"]]``
(a comma means "Nom, Prénom" and puts the first name first). :func:`compare` says how the two
names relate; :mod:`bot.registration.reconcile` turns that into a status.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.registration.text import fold

_LOCAL_PART = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
# Name particles: "Saint" alone is not a shortened "Saint-Martin".
_PARTICLES_TEXT = "saint sainte st ste le la les de du des da dos van von ben el al mac"
_PARTICLES = frozenset(_PARTICLES_TEXT.split())


class Kinship(StrEnum):
    """How a sign-up's name relates to an officer's, strongest first."""

    SAME = "same"  # same words, any order, any spacing or hyphens
    LAST_NAME_COMPOUND = "last_name_compound"  # Fleury ↔ Fleury-Lucas
    FIRST_NAME_COMPOUND = "first_name_compound"  # Marie-Hélène ↔ Marie
    LAST_NAME_TYPO = "last_name_typo"  # Fleury ↔ Fleuri, same first name
    FIRST_NAME_TYPO = "first_name_typo"  # Nicolas ↔ Nicloas, same last name
    PARTIAL = "partial"  # one of the two names in common (only counts next to an e-mail match)
    NONE = "none"


class PersonName:
    """An officer's name, folded and split once (comparisons run many times per officer)."""

    __slots__ = (
        "first",
        "first_compact",
        "first_set",
        "keys",
        "last",
        "last_compact",
        "last_set",
        "sorted_words",
        "words",
    )

    def __init__(self, first: tuple[tuple[str, ...], ...], last: tuple[tuple[str, ...], ...]):
        self.first = first
        self.last = last
        self.first_compact = "".join(w for g in first for w in g)
        self.last_compact = "".join(w for g in last for w in g)
        self.words = tuple(w for g in (*first, *last) for w in g)
        self.sorted_words = tuple(sorted(self.words))
        self.first_set = frozenset(w for g in first for w in g)
        self.last_set = frozenset(w for g in last for w in g)
        # The compact name in both orders: ("thomasfleury", "fleurythomas").
        self.keys = (self.first_compact + self.last_compact, self.last_compact + self.first_compact)

    @classmethod
    def parse(cls, first_name: str, last_name: str) -> PersonName:
        return cls(_groups(first_name), _groups(last_name))

    def all_words(self) -> list[str]:
        return list(self.words)


def split_full_name(full_name: str) -> tuple[tuple[str, ...], ...]:
    """Groups of words of a full name; ``"Nom, Prénom"`` is turned into ``"Prénom Nom"``."""
    return _groups(first_name_first(full_name))


def split_full_names(full_names: Iterable[str]) -> list[tuple[tuple[str, ...], ...]]:
    """:func:`split_full_name` of many names at once (an export: mostly distinct names, which
    would only churn the cache): each distinct name split once, all of them folded together
    (:func:`fold_each`)."""
    names = full_names if isinstance(full_names, list) else list(full_names)
    distinct = list(dict.fromkeys(names))
    texts = [first_name_first(name) if "," in name else name for name in distinct]
    table = dict(zip(distinct, map(split_folded, fold_each(texts)), strict=True))
    return list(map(table.__getitem__, names))


# Between texts lower-cased at once: a character that lower-casing keeps and that is no space.
_JOIN = "\0"


def fold_each(texts: list[str]) -> list[str]:
    """``[fold(t) for t in texts]``, by a few calls over them all. Folding goes character by
    character (``fold(a + b) == fold(a) + fold(b)``): each distinct character of the texts
    that folds into ASCII is replaced everywhere at once, then they are lower-cased together;
    a text still holding another character is folded alone."""
    joined = _JOIN.join(texts)
    if not (texts and joined.count(_JOIN) == len(texts) - 1):
        return [fold(text) for text in texts]
    if not joined.isascii():
        for char in set(joined):
            if not char.isascii() and (folded := fold(char)).isascii():
                joined = joined.replace(char, folded)
    if joined.isascii():
        return joined.lower().split(_JOIN)
    return [
        part.lower() if part.isascii() else fold(text)
        for part, text in zip(joined.split(_JOIN), texts, strict=True)
    ]


def first_name_first(full_name: str) -> str:
    """``"Nom, Prénom"`` → ``"Prénom Nom"``; any other name as it is."""
    if "," in full_name and full_name.count(",") == 1:
        last, first = full_name.split(",")
        return f"{first} {last}"
    return full_name


def compact_groups(groups: tuple[tuple[str, ...], ...]) -> str:
    return "".join(w for g in groups for w in g)


def normalise_email(email: str) -> str:
    """Lower-case, trimmed, ``+alias`` dropped; Gmail ignores dots in the local part too."""
    value = email.strip().lower()
    if value[:1] == "<" or value[-1:] == ">":
        value = value.strip("<>").strip()
    if "+" not in value and not value.endswith(_GMAIL):
        return value  # a plain address: what the rest would return
    return _alias_dropped(value)


_GMAIL = ("@gmail.com", "@googlemail.com")


def _alias_dropped(value: str) -> str:
    """The end of :func:`normalise_email`, for a trimmed lower-case address."""
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return value
    if domain in ("gmail.com", "googlemail.com"):
        return f"{local.split('+', 1)[0].replace('.', '')}@gmail.com"
    if "+" not in local:
        return value
    return f"{local.split('+', 1)[0]}@{domain}"


def normalise_emails(emails: list[str]) -> list[str]:
    """``[normalise_email(e) for e in emails]``; when the addresses are ASCII with no ``<>``
    (an export's usual case), lower-cased by one call over them all."""
    joined = _JOIN.join(emails)
    if not (
        joined.isascii()
        and joined.count(_JOIN) == len(emails) - 1
        and "<" not in joined
        and ">" not in joined
    ):
        return [normalise_email(email) for email in emails]
    lowered = joined.lower()
    values = lowered.split(_JOIN)
    if joined.split(None, 1) != [joined]:  # spaces to trim
        values = [value.strip() for value in values]
    if "+" not in lowered and "mail.com" not in lowered:
        return values
    return [
        value if "+" not in value and not value.endswith(_GMAIL) else _alias_dropped(value)
        for value in values
    ]


def email_mentions(email: str, officer: PersonName, *, initial: bool = False) -> bool:
    """Whether the local part of ``email`` is exactly the officer's names (``jean.dupont42``),
    or with ``initial`` also the first initial and the last name (``jdupont``)."""
    local = _LOCAL_PART.sub("", fold(email.partition("@")[0]).split("+", 1)[0]).rstrip("0123456789")
    first, last = officer.first_compact, officer.last_compact
    if not (first and last):
        return False
    return local in (first + last, last + first) or (initial and local == first[0] + last)


def email_reverses(email: str, officer: PersonName) -> bool:
    """Whether the local part of ``email`` spells the officer's two names with their roles
    swapped (``mclement`` or ``marie.clement`` for Clément Marie) and not the right way round:
    the address of someone whose first name is the officer's last name."""
    local = _LOCAL_PART.sub("", fold(email.partition("@")[0]).split("+", 1)[0]).rstrip("0123456789")
    first, last = officer.first_compact, officer.last_compact
    if not (first and last) or local in (first + last, first[0] + last):
        return False
    return local in (last + first, last[0] + first)


def compare(officer: PersonName, signup: tuple[tuple[str, ...], ...]) -> Kinship:
    """How the sign-up's name (groups from :func:`split_full_name`) relates to the officer's."""
    theirs = [w for g in signup for w in g]
    if not theirs:
        return Kinship.NONE
    compact = "".join(theirs)
    if compact in officer.keys:
        return Kinship.SAME
    if tuple(sorted(theirs)) == officer.sorted_words:
        return Kinship.SAME
    present = set(theirs)
    has_first = officer.first_set <= present
    has_last = officer.last_set <= present
    if has_first or (officer.last and officer.last[0][0] in present):
        compound = _compound(officer, signup, list(officer.words), theirs)
        if compound is not None:
            return compound
    if officer.first_compact in compact or officer.last_compact in compact:
        typo = _typo(officer, theirs)
        if typo is not None:
            return typo
    if (officer.first_set and has_first) or (officer.last_set and has_last):
        return Kinship.PARTIAL
    return Kinship.NONE


def _compound(
    officer: PersonName, signup: tuple[tuple[str, ...], ...], ours: list[str], theirs: list[str]
) -> Kinship | None:
    """Names that differ only by a trailing part of a hyphenated (or several-word) name:
    ``Fleury`` ↔ ``Fleury-Lucas``, ``Marie-Hélène`` ↔ ``Marie``; never ``Martin`` ↔
    ``Saint-Martin`` nor ``Saint-Martin`` ↔ ``Saint``."""
    mine_set, other_set = set(ours), set(theirs)
    if len(mine_set) == len(ours) and len(other_set) == len(theirs):  # no word twice: sets do
        grown_by, shrunk_by = other_set > mine_set, mine_set > other_set
        extra = other_set - mine_set
    else:
        mine, other = Counter(ours), Counter(theirs)
        grown_by, shrunk_by = other > mine, mine > other
        extra = set((other - mine).keys())
    if not (grown_by or shrunk_by):
        return None
    first_words = officer.first_set
    last = [w for g in officer.last for w in g]
    if grown_by:  # the sign-up has extra words, appended to the officer's last name
        if not first_words <= other_set:
            return None
        grown = [g for g in signup if extra & set(g)]
        if len(grown) != 1 or first_words & set(grown[0]):
            return None
        group = list(grown[0])
        if group[: len(last)] != last or set(group[len(last) :]) - extra:
            return None
        return Kinship.LAST_NAME_COMPOUND
    if shrunk_by:  # the sign-up lacks trailing words of one of the officer's names
        present = other_set
        for side, kind in (
            (officer.last, Kinship.LAST_NAME_COMPOUND),
            (officer.first, Kinship.FIRST_NAME_COMPOUND),
        ):
            other_side = officer.first if side is officer.last else officer.last
            if not all(set(g) <= present for g in other_side):
                continue
            kept = [w for g in side for w in g if w in present]
            words_of_side = [w for g in side for w in g]
            if kept and kept == words_of_side[: len(kept)] and not set(kept) <= _PARTICLES:
                return kind
    return None


def _typo(officer: PersonName, theirs: list[str]) -> Kinship | None:
    """One edit (or a transposition) in one of the two names, the other name identical."""
    first, last = officer.first_compact, officer.last_compact
    if not first or not last or len(theirs) < 2:
        return None
    best: Kinship | None = None
    for cut in range(1, len(theirs)):
        head, tail = "".join(theirs[:cut]), "".join(theirs[cut:])
        for given, family in ((head, tail), (tail, head)):
            if (
                given == first
                and len(last) >= 4
                and OSA.distance(family, last, score_cutoff=1) == 1
            ):
                return Kinship.LAST_NAME_TYPO
            if (
                family == last
                and len(first) >= 4
                and OSA.distance(given, first, score_cutoff=1) == 1
            ):
                best = Kinship.FIRST_NAME_TYPO
    return best


def _split(text: str) -> tuple[tuple[str, ...], ...]:
    return split_folded(fold(text))


def split_folded(folded: str) -> tuple[tuple[str, ...], ...]:
    """:func:`_split` of a text already folded."""
    if folded.isascii():
        if folded.replace(" ", "").isalnum():  # no hyphen, no apostrophe
            return tuple([(word,) for word in folded.split()])
        # Hyphens and apostrophes only between ASCII letters and digits (what _WORD keeps):
        # each space-separated chunk split on them, empty pieces dropped.
        dashed = folded.replace("'", "-")
        if dashed.replace(" ", "").replace("-", "").isalnum():
            out: list[tuple[str, ...]] = []
            for chunk in dashed.split():
                if "-" not in chunk:
                    out.append((chunk,))
                elif found := [w for w in chunk.split("-") if w]:
                    out.append(tuple(found))
            return tuple(out)
    return _split_words(folded)


def _split_words(folded: str) -> tuple[tuple[str, ...], ...]:
    """The general path of :func:`_split`: the ``_WORD`` runs of each space-separated chunk."""
    findall = _WORD.findall
    return tuple(tuple(found) for chunk in folded.split() if (found := findall(chunk)))


_groups = lru_cache(maxsize=65536)(_split)
