"""Press conventions of attribution: inverted subjects, groups, documents, bodies, introductions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.news.quotes import find_quotes


def _speakers(
    text: str, people: Sequence[str] | None = None, organisations: Sequence[str] | None = None
) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, people, organisations, use_model=False)]


def test_a_name_after_a_verb_opening_its_clause_is_its_subject() -> None:
    text = (
        "Étienne Tête, adjoint au maire, avait obtenu l'invalidation de Charles Millon.\n"
        "Or, relève Étienne Tête, le décret est plus général.\n"
        "L'élu note par ailleurs que certaines informations sont inutiles.\n"
        "« Difficile, illustre-t-il, de comprendre l'intérêt de préciser cela ».\n"
    )
    assert _speakers(text, ["Étienne Tête", "Charles Millon"]) == ["Étienne Tête"]


def test_a_body_qualifying_a_group_is_not_the_speaker() -> None:
    text = (
        "Des parlementaires UMP et PS souhaitent une « aide active à mourir »\n"
        "Plusieurs parlementaires UMP et PS ont souhaité une loi sur « l'aide active à mourir ».\n"
    )
    assert _speakers(text, [], ["UMP", "PS"]) == [None, None]


def test_a_person_named_after_a_preposition_and_a_role_is_not_the_subject() -> None:
    text = (
        "Déçus par le rapport du député Jean Leonetti, des élus ont souhaité une loi sur "
        "« l'aide active à mourir pour tous »."
    )
    assert _speakers(text, ["Jean Leonetti"], []) == [None]
