"""Speakers the press names by a description: a nationality, a trade, a role given elsewhere."""

from __future__ import annotations

import pytest

from bot.news.quotes import find_quotes


def _said(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(text, use_model=False)]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Julien Marchal sera au départ du Giro.\n"
            "Hier, le Français a dévoilé ses intentions : « Je suis extrêmement motivé pour ce "
            "retour. »",
            "Julien Marchal",
        ),
        (
            "Johan Bruyneel, directeur d'Astana, a parlé mercredi.\n"
            "« Nous verrons bien au printemps prochain », a ajouté le Belge.",
            "Johan Bruyneel",
        ),
        (
            "Johan Bruyneel dirige Astana.\n"
            "« Pour l'instant, je dirais que c'est du cinquante-cinquante », a dit le manager "
            "d'Astana.",
            "Johan Bruyneel",
        ),
    ],
)
def test_a_description_is_the_person_it_describes(text: str, speaker: str) -> None:
    assert [who for who, _ in _said(text)] == [speaker]


def test_a_lower_case_nationality_is_an_adjective_not_a_person() -> None:
    text = (
        "Julien Marchal sera au départ du Giro.\n"
        "Le rapport français le dit clairement : « Les contrôles seront renforcés dès juillet. »"
    )
    assert _said(text) == [(None, "Les contrôles seront renforcés dès juillet.")]
