"""Indexing people by name and surname merges exactly as comparing with every known person did."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.news.language import Language
from bot.news.models import Analysis, Article, Document, Entities, Quote, Tone, ToneLabel
from bot.news.people import Speaker, role_of, speakers

_HONORIFIC = re.compile(r"^(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me|Maître|Sir)\s+")
_DETERMINER = re.compile(r"^(?:le|la|l'|l’|les|the)\s*", re.IGNORECASE)


@dataclass
class _Person:
    name: str
    role: str | None
    quotes: int
    article_ids: list[int]
    outlets: list[str]


def _reference(articles: Iterable[Article]) -> tuple[Speaker, ...]:
    """The merge as it was before the index: every lookup compares with every known person."""
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
                person.role = role_of(name, article.document.text)
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
    if len(candidates) == 1:
        known_words = candidates[0].name.casefold().split()
        words = key.split()
        if len(words) == 1 or len(known_words) == 1 or words[0] == known_words[0]:
            return candidates[0]
    return None


def _same_role(role: str, alias: str) -> bool:
    role_words, alias_words = role.casefold().split(), alias.casefold().split()
    return role_words[: len(alias_words)] == alias_words


def _count(person: _Person, article: Article) -> None:
    person.quotes += 1
    if article.id not in person.article_ids:
        person.article_ids.append(article.id)
    outlet = article.document.outlet or article.document.site_name
    if outlet and outlet not in person.outlets:
        person.outlets.append(outlet)


_NAMES = st.sampled_from(
    [
        "Claire Vasseur",
        "claire vasseur",
        "Mme Vasseur",
        "Vasseur",
        "VASSEUR",
        "Paul Vasseur",
        "Jean-Paul Vasseur",
        "Durand",
        "Marc Durand",
        "M. Marc Durand",
        "Afub",
        "la porte-parole",
        "le ministre",
        "la porte-parole du parti",
        "le maire",
        "la",
    ]
)
_TEXTS = st.sampled_from(
    [
        "Claire Vasseur, porte-parole du parti, a répondu.",
        "le ministre de la Santé Marc Durand a parlé.",
        "Paul Vasseur, maire de Lyon, a parlé.",
        "Vasseur, qui a parlé, est partie.",
        "Rien.",
    ]
)


def _article(article_id: int, text: str, said: Sequence[str]) -> Article:
    analysis = Analysis(
        language=Language.FR,
        sentences=(text,),
        summary=(),
        figures=(),
        quotes=tuple(Quote(f"quotation {i}", who, text) for i, who in enumerate(said)),
        entities=Entities((), ()),
        tone=Tone(ToneLabel.NEUTRAL, 0.0, ()),
    )
    outlet = f"Outlet {article_id % 3}"
    document = Document(title="t", text=text, language=Language.FR, outlet=outlet)
    return Article(article_id, "link", document, analysis, datetime(2026, 11, 30, tzinfo=UTC), 1)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_TEXTS, st.lists(_NAMES, max_size=5)), max_size=8))
@example(
    [
        (
            "Claire Vasseur, porte-parole du parti, a répondu.",
            ["Mme Vasseur", "Paul Vasseur", "Claire Vasseur", "Mme Vasseur"],
        )
    ]
)
def test_indexed_merge_equals_the_merge_by_scanning(
    drawn: list[tuple[str, list[str]]],
) -> None:
    articles = [_article(i, text, said) for i, (text, said) in enumerate(drawn)]
    assert speakers(articles) == _reference(articles)


def test_a_fuller_name_renames_and_still_answers_to_the_surname() -> None:
    articles = [
        _article(1, "Rien.", ["Vasseur"]),
        _article(2, "Rien.", ["Claire Vasseur"]),
        _article(3, "Rien.", ["Mme Vasseur", "claire vasseur"]),
    ]
    assert [(s.name, s.quotes, s.article_ids) for s in speakers(articles)] == [
        ("Claire Vasseur", 4, (1, 2, 3))
    ]
