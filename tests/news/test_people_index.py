"""Indexing people by name and surname merges exactly as comparing with every known person did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.news.language import Language
from bot.news.models import Analysis, Article, Document, Entities, Quote, Tone, ToneLabel
from bot.news.people import speakers
from tests.support.people_scan import scanning_speakers

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
    assert speakers(articles) == scanning_speakers(articles)


def test_a_fuller_name_renames_and_still_answers_to_the_surname() -> None:
    articles = [
        _article(1, "Rien.", ["Vasseur"]),
        _article(2, "Rien.", ["Claire Vasseur"]),
        _article(3, "Rien.", ["Mme Vasseur", "claire vasseur"]),
    ]
    assert [(s.name, s.quotes, s.article_ids) for s in speakers(articles)] == [
        ("Claire Vasseur", 4, (1, 2, 3))
    ]
