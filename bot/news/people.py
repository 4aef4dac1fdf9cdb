"""Who spoke across a set of articles: one person however each article names them.

``speakers(articles)`` gathers the quotations' speakers of several articles into one
:class:`Speaker` per person. "Claire Vasseur", "Mme Vasseur", "Vasseur" and "la porte-parole"
(when an article says Claire Vasseur is the porte-parole) are one person; the role is the one an
article gives ("Claire Vasseur, porte-parole du parti," / "la porte-parole du parti Claire
Vasseur"). Quotations without a speaker are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
    people: list[_Person] = []
    pending_roles: list[tuple[str, Article]] = []  # "la porte-parole": resolved at the end
    for article in articles:
        for quote in article.analysis.quotes:
            if not quote.speaker:
                continue
            name = _HONORIFIC.sub("", quote.speaker.strip())
            if _DETERMINER.match(name) and name[:1].islower():
                pending_roles.append((_DETERMINER.sub("", name), article))
                continue
            person = _find(people, name)
            if person is None:
                person = _Person(name, None, 0, [], [])
                people.append(person)
            elif len(name) > len(person.name) and name.endswith(person.name.split()[-1]):
                person.name = name
            _count(person, article)
            if person.role is None:
                person.role = role_of(name, article.document.text)
    for role, article in pending_roles:
        match = next((p for p in people if p.role and _same_role(p.role, role)), None)
        if match is None:
            match = _Person(role, role, 0, [], [])
            people.append(match)
        _count(match, article)
    people.sort(key=lambda p: -p.quotes)  # stable: first seen first among equals
    return tuple(
        Speaker(p.name, p.role, p.quotes, tuple(p.article_ids), tuple(p.outlets)) for p in people
    )


def role_of(name: str, text: str) -> str | None:
    """The role a text gives a person: an apposition after the name, or a title before it."""
    surname = name.split()[-1]
    for form in dict.fromkeys((name, surname)):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            after = _ROLE_AFTER.match(text, match.end())
            if after and _is_role(after.group("role")):
                return after.group("role").strip()
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = _ROLE_BEFORE.search(text[max(line_start, match.start() - 80) : match.start()])
            if before:
                return before.group("role").strip()
    return None


def _is_role(phrase: str) -> bool:
    first = phrase.split()[0].lower()
    return first not in _NOT_ROLE and re.match(_ROLE_NOUNS, phrase, re.IGNORECASE) is not None


def _find(people: Sequence[_Person], name: str) -> _Person | None:
    """The person already met under this name, its surname, or a fuller form of it."""
    key = name.casefold()
    for person in people:
        known = person.name.casefold()
        if known == key:
            return person
    surname = key.split()[-1]
    candidates = [p for p in people if p.name.casefold().split()[-1] == surname]
    if len(candidates) == 1:
        known_words = candidates[0].name.casefold().split()
        words = key.split()
        # "Vasseur" and "Claire Vasseur" are one person; "Paul Vasseur" and "Claire Vasseur" not.
        if len(words) == 1 or len(known_words) == 1 or words[0] == known_words[0]:
            return candidates[0]
    return None


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
