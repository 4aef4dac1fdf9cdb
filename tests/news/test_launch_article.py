"""The launch article (Le Parisien, 2010) analysed as the brief expects."""

from __future__ import annotations

import json

import pytest

from bot.news.analysis import analyse
from bot.news.models import Analysis, Document
from bot.news.sentences import word_count
from bot.news.text import load_document
from tests.news.conftest import DATA, LAUNCH

EXPECTED = json.loads((DATA / "le-parisien-2010-02-15-ump-facebook-flop.expected.json").read_text())


def _plain(text: str) -> str:
    return text.replace("’", "'")


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(LAUNCH.read_bytes(), LAUNCH.name)


@pytest.fixture(scope="module")
def analysis(document: Document) -> Analysis:
    return analyse(document, max_words=60)


def test_outlet_is_le_parisien_not_the_blog(document: Document) -> None:
    assert (document.outlet, document.site_name) == (
        "Le Parisien",
        "COLLECTIF ANTILIBÉRAL du PAYS de PORT-LOUIS",
    )


def test_author_from_the_byline(document: Document) -> None:
    assert document.author == "Frédéric Gerschel"


def test_headline_is_the_first_line(document: Document) -> None:
    assert document.title == "Le Facebook de l’UMP fait un flop"


def test_blog_noise_is_removed(document: Document) -> None:
    assert "jpg" not in document.text
    assert "Commenter cet article" not in document.text
    assert "Publié" not in document.text


def test_language_is_french(analysis: Analysis) -> None:
    assert analysis.language == EXPECTED["language"]


def test_the_two_sign_up_figures(analysis: Analysis) -> None:
    found = [(f.value, _plain(f.text)) for f in analysis.figures]
    assert found == [(e["value"], e["text"]) for e in EXPECTED["figures"]]


@pytest.mark.parametrize("expected", EXPECTED["quotes"], ids=lambda e: e["contains"][:20])
def test_quote_has_the_right_speaker(analysis: Analysis, expected: dict[str, str]) -> None:
    speakers = [q.speaker for q in analysis.quotes if expected["contains"] in _plain(q.text)]
    assert speakers == [expected["speaker"]]


def test_no_quote_without_speaker(analysis: Analysis) -> None:
    assert all(q.speaker for q in analysis.quotes)


def test_people_named(analysis: Analysis) -> None:
    assert set(EXPECTED["people"]) <= set(analysis.entities.people)


def test_organisations_named(analysis: Analysis) -> None:
    assert {"UMP", "Europe 1"} <= set(analysis.entities.organisations)


def test_tone_is_negative(analysis: Analysis) -> None:
    assert analysis.tone.label == EXPECTED["tone"]


def test_tone_evidence_phrases(analysis: Analysis) -> None:
    evidence = " | ".join(_plain(e) for e in analysis.tone.evidence)
    for phrase in EXPECTED["tone_evidence"]:
        assert phrase in evidence


def test_summary_is_bounded_and_extractive(analysis: Analysis, document: Document) -> None:
    *before, last = analysis.summary
    used = sum(word_count(s) for s in before)
    assert used <= 60  # the budget; the last sentence may run past it when half of it fits
    assert word_count(last) <= 2 * (60 - used)
    for sentence in analysis.summary:
        assert sentence in document.text and not sentence.endswith("…")
