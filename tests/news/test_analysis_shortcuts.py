"""The per-article analysis's shortcuts find what the full searches find.

Figures: a sentence without a digit has no figure in digits, one without a number word (other
than "un"/"une"/"one") or an approximate quantity has no written figure, and what makes a number
no figure before it ("janvier 12", "n° 450") is looked for just before it. Tone: the set phrases
start a word. Quotations: "M.", "Dr." and the like end no sentence or clause.
"""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news import figures
from bot.news.figures import find_figures
from bot.news.quotes import quotes_and_names
from bot.news.sentences import unglue
from bot.news.tone import tone

_PIECES = [
    "deux",
    "DEUX",
    "mille",
    "Mille",
    "cent",
    "un",
    "une",
    "one",
    "et",
    "and",
    "dizaine",
    "une centaine",
    "a dozen",
    "thousand",
    "quatre-vingt",
    "1 500",
    "3,5",
    "76%",
    "2026",
    "deuxième",
    "mİlle",
    "adhérents",
    "d'",
    "l'",
    "-",
    ",",
    ".",
    "€",
    "millions",
    "inscrits",
    "janvier",
    "Sept.",
    "décembre",
    "n°",
    "no.",
    "#",
    "\u00a0",
    "\n",
    "12",
    "450",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join), max_size=3))
def test_figures_with_and_without_the_shortcuts_are_the_same(sentences: list[str]) -> None:
    with_shortcuts = find_figures(sentences)
    with (
        patch.object(figures, "_ANY_DIGIT", re.compile("")),
        patch.object(figures, "_may_write_figure", lambda sentence: True),
        patch.object(figures, "_BEFORE_SKIP_REACH", 10**9),
    ):
        assert find_figures(sentences) == with_shortcuts


def test_written_figures_are_still_found() -> None:
    found = find_figures(
        [
            "Deux mille adhérents sont venus.",
            "Une centaine d'invités.",
            "Ils étaient plus de DEUX CENTS.",
            "Aucun chiffre ici, rien que des mots.",
        ]
    )
    assert [f.value for f in found] == [2000.0, 100.0, 200.0]


def test_a_set_phrase_starts_a_word() -> None:
    assert tone(["Le patron voit rouge devant ces chiffres."]).evidence == (
        "Le patron voit rouge devant ces chiffres",
    )
    assert tone(["Le patron prévoit rouge et vert."]).evidence == ()


def test_a_title_ends_no_sentence_before_a_quotation() -> None:
    text = "Selon M. Dupont. « Nous serons prêts demain », a-t-il ajouté.\n"
    quote = quotes_and_names(text, ["Paul Dupont"], [], use_model=False).quotes[0]
    assert quote.sentence == text.strip()


# The patterns as they were written before, looking behind every character.
_GLUED_BEFORE = re.compile(
    r"(?:(?<=[a-zà-ÿ]{2}[.!?])|(?<=[0-9)%\"”»][.!?]))"
    r"(?=[A-ZÀ-Ý][a-zà-ÿ'’]|[A-ZÀ-Ý]{2}|- |[\"“«] ?[A-ZÀ-Ý])"
)
_GLUED_QUOTE_BEFORE = re.compile(r"(?<=[a-zà-ÿ.!?…][\"”»])(?=[\"“«]?[A-ZÀ-Ý][a-zà-ÿ'’])")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab.!?…1)%\"”»“« -LAÉZ'’x", max_size=40))
def test_glued_sentences_are_found_as_before(text: str) -> None:
    before = _GLUED_QUOTE_BEFORE.sub("\n", _GLUED_BEFORE.sub("\n", text))
    assert unglue(text) == before


def test_glued_sentences_are_separated() -> None:
    assert unglue('domestique.Consternant, "mères""La France" M.Dupont') == (
        'domestique.\nConsternant, "mères"\n"La France" M.Dupont'
    )
