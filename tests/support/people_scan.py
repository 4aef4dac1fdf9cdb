"""The merge of speakers as it was before :mod:`bot.news.people` indexed people: every lookup
compares with every person met so far. The property test checks the index merges exactly as this
did; ``benchmarks/bench_people.py`` times both."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.news.models import Article
from bot.news.people import (
    _DETERMINER,
    _HONORIFIC,
    Speaker,
    _count,
    _Person,
    _same_role,
    role_of,
    same_person,
)


def scanning_speakers(
    articles: Iterable[Article], find_role: Callable[[str, str], str | None] = role_of
) -> tuple[Speaker, ...]:
    """Every named speaker, most quoted first, merged by scanning (``find_role(name, text)``
    gives a person's role in an article)."""
    people: list[_Person] = []
    pending: list[tuple[str, Article]] = []
    for article in articles:
        for quote in article.analysis.quotes:
            if not quote.speaker:
                continue
            name = _HONORIFIC.sub("", quote.speaker.strip())
            if _DETERMINER.match(name) and name[:1].islower():
                pending.append((_DETERMINER.sub("", name), article))
                continue
            person = _find(people, name)
            if person is None:
                person = _Person(name, None, 0, [], [])
                people.append(person)
            elif len(name) > len(person.name) and name.endswith(person.name.split()[-1]):
                person.name = name
            _count(person, article)
            if person.role is None:
                person.role = find_role(name, article.document.text)
    for role, article in pending:
        match = next((p for p in people if p.role and _same_role(p.role, role)), None)
        if match is None:
            match = _Person(role, role, 0, [], [])
            people.append(match)
        _count(match, article)
    people.sort(key=lambda p: -p.quotes)
    return tuple(
        Speaker(p.name, p.role, p.quotes, tuple(p.article_ids), tuple(p.outlets)) for p in people
    )


def _find(people: Sequence[_Person], name: str) -> _Person | None:
    key = name.casefold()
    for person in people:
        if person.name.casefold() == key:
            return person
    surname = key.split()[-1]
    candidates = [p for p in people if p.name.casefold().split()[-1] == surname]
    if len(candidates) == 1 and same_person(key, candidates[0].name.casefold()):
        return candidates[0]
    return None
