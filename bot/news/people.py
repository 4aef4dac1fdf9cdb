"""Who spoke across a set of articles: one person however each article names them.

``speakers(articles)`` gathers the quotations' speakers of several articles into one
:class:`Speaker` per person. "Claire Vasseur", "Mme Vasseur", "Vasseur" and "la porte-parole"
(when an article says Claire Vasseur is the porte-parole) are one person; the role is the one an
article gives ("Claire Vasseur, porte-parole du parti," / "la porte-parole du parti Claire
Vasseur"). Quotations without a speaker are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.news.models import Article

_HONORIFIC = re.compile(r"^(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me|Maître|Sir)\s+")
_DETERMINER = re.compile(r"^(?:le|la|l'|l’|les|the)\s*", re.IGNORECASE)
# Words that open a clause after "Name," rather than a role.
_NOT_ROLE = frozenset(
    """
    qui que qu' dont où et mais ou a avait est était sera a-t-il a-t-elle il elle lui
    who which and but or said says has had is was will he she it
    """.split()  # noqa: SIM905
)
_ROLE_NOUNS = (
    r"porte-parole|président|présidente|ministre|secrétaire|député|députée|sénateur|sénatrice"
    r"|maire|directeur|directrice|responsable|délégué|déléguée|conseiller|conseillère|patron"
    r"|patronne|fondateur|fondatrice|chef|cheffe|consultant|consultante|militant|militante"
    r"|adjoint|adjointe|élu|élue|dirigeant|dirigeante|trésorier|trésorière|candidat|candidate"
    r"|chargé|chargée|coordinateur|coordinatrice|animateur|animatrice|spokesman|spokeswoman"
    r"|spokesperson|minister|leader|chairman|chairwoman|chair|director|secretary|mayor"
    r"|president|chief|head|founder|adviser|advisor|MP"
)
_ROLE_AFTER = re.compile(r",\s+(?P<role>[a-zà-ÿ][^,.;:!?«»“”\"()\n]{2,80}?)\s*(?=[,.;:«“\"(]|$)")
_ROLE_BEFORE = re.compile(
    rf"(?:\b(?:le|la|l'|l’|the)\s+)(?P<role>(?:{_ROLE_NOUNS})\b[^,.;:!?«»“”\"()\n]{{0,60}}?)\s*,?\s*$"
)


@dataclass(frozen=True)
class Speaker:
    """One person who spoke in the articles: how often, and where."""

    name: str  # the fullest name an article gives
    role: str | None  # as an article states it ("porte-parole du parti")
    quotes: int  # quotations attributed to them
    article_ids: tuple[int, ...]  # in the order given
    outlets: tuple[str, ...]  # the outlets of those articles, first seen first


@dataclass
class _Person:
    name: str
    role: str | None
    quotes: int
    article_ids: list[int]
    outlets: list[str]


def speakers(articles: Iterable[Article]) -> tuple[Speaker, ...]:
    """Every named speaker of the articles' quotations, most quoted first."""
    people = _People()
    pending_roles: list[tuple[str, Article]] = []  # "la porte-parole": resolved at the end
    tried: set[tuple[int, str, int]] = set()  # (person, name, article): role searched
    for article in articles:
        for quote in article.analysis.quotes:
            if not quote.speaker:
                continue
            name = _HONORIFIC.sub("", quote.speaker.strip())
            if _DETERMINER.match(name) and name[:1].islower():
                pending_roles.append((_DETERMINER.sub("", name), article))
                continue
            person = people.find(name)
            if person is None:
                person = people.add(name, None)
            elif len(name) > len(person.name) and name.endswith(person.name.split()[-1]):
                people.rename(person, name)
            _count(person, article)
            if person.role is None and (id(person), name, article.id) not in tried:
                tried.add((id(person), name, article.id))  # one search per person, name, article
                person.role = role_of(name, article.document.text)
    with_role = [p for p in people.all if p.role]
    by_role: dict[str, list[_Person]] = {}  # the first word of a role: its people, in order
    for person in with_role:
        by_role.setdefault(_first_word(person.role or ""), []).append(person)
    for role, article in pending_roles:
        first = _first_word(role)
        same_first = by_role.get(first, []) if first else with_role
        match = next((p for p in same_first if p.role and _same_role(p.role, role)), None)
        if match is None:
            match = people.add(role, role)
            if role:
                with_role.append(match)
                by_role.setdefault(first, []).append(match)
        _count(match, article)
    ranked = sorted(people.all, key=lambda p: -p.quotes)  # stable: first seen first among equals
    return tuple(
        Speaker(p.name, p.role, p.quotes, tuple(p.article_ids), tuple(p.outlets)) for p in ranked
    )


class _People:
    """The people met so far, indexed by folded name and by folded surname."""

    def __init__(self) -> None:
        self.all: list[_Person] = []
        self._by_name: dict[str, _Person] = {}
        self._by_surname: dict[str, list[_Person]] = {}

    def add(self, name: str, role: str | None) -> _Person:
        person = _Person(name, role, 0, [], [])
        self.all.append(person)
        key = name.casefold()
        self._by_name.setdefault(key, person)
        self._by_surname.setdefault(_surname(key), []).append(person)
        return person

    def rename(self, person: _Person, name: str) -> None:
        """A fuller name for a person (same surname): "Vasseur" becomes "Claire Vasseur"."""
        old, new = person.name.casefold(), name.casefold()
        if self._by_name.get(old) is person:
            del self._by_name[old]
            # Another person may have had the same folded name: the first of them takes it.
            other = next(
                (p for p in self.all if p.name.casefold() == old and p is not person), None
            )
            if other is not None:
                self._by_name[old] = other
        person.name = name
        self._by_name.setdefault(new, person)
        if _surname(old) != _surname(new):
            self._by_surname[_surname(old)].remove(person)
            bucket = self._by_surname.setdefault(_surname(new), [])
            bucket.append(person)
            bucket.sort(key=self.all.index)

    def find(self, name: str) -> _Person | None:
        """The person already met under this name, its surname, or a fuller form of it."""
        key = name.casefold()
        person = self._by_name.get(key)
        if person is not None:
            return person
        candidates = self._by_surname.get(_surname(key), [])
        if len(candidates) == 1 and same_person(key, candidates[0].name.casefold()):
            return candidates[0]
        return None


def same_person(name: str, known: str) -> bool:
    """Whether two folded names of one surname are one person: "Vasseur" and "Claire Vasseur"
    are, "Paul Vasseur" and "Claire Vasseur" not."""
    words, known_words = name.split(), known.split()
    return len(words) == 1 or len(known_words) == 1 or words[0] == known_words[0]


def _surname(folded: str) -> str:
    words = folded.split()
    return words[-1] if words else ""


def _first_word(role: str) -> str:
    words = role.casefold().split()
    return words[0] if words else ""


def role_of(name: str, text: str) -> str | None:
    """The role a text gives a person: an apposition after the name, or a title before it."""
    surname = name.split()[-1]
    for form in dict.fromkeys((name, surname)):
        for start, end in _occurrences(form, text):
            after = _ROLE_AFTER.match(text, end)
            if after and _is_role(after.group("role")):
                return after.group("role").strip()
            line_start = text.rfind("\n", 0, start) + 1
            before = _ROLE_BEFORE.search(text[max(line_start, start - 80) : start])
            if before:
                return before.group("role").strip()
    return None


def _occurrences(form: str, text: str) -> Iterator[tuple[int, int]]:
    """Where a name stands as whole words in a text (no pattern compiled per name)."""
    start = text.find(form)
    while start >= 0 and form:
        end = start + len(form)
        if not (start and _is_word_char(text[start - 1])) and not (
            end < len(text) and _is_word_char(text[end])
        ):
            yield start, end
            start = text.find(form, end)
        else:
            start = text.find(form, start + 1)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_role(phrase: str) -> bool:
    first = phrase.split()[0].lower()
    return first not in _NOT_ROLE and re.match(_ROLE_NOUNS, phrase, re.IGNORECASE) is not None


def _same_role(role: str, alias: str) -> bool:
    """'porte-parole du parti' answers to 'porte-parole'; 'la ministre' to 'ministre de …'."""
    role_words, alias_words = role.casefold().split(), alias.casefold().split()
    return role_words[: len(alias_words)] == alias_words


def _count(person: _Person, article: Article) -> None:
    person.quotes += 1
    if article.id not in person.article_ids:
        person.article_ids.append(article.id)
    outlet = article.document.outlet or article.document.site_name
    if outlet and outlet not in person.outlets:
        person.outlets.append(outlet)
