"""Grading rules of the reconciliation that need an export of some size to show."""

from __future__ import annotations

from bot.registration.models import OfficerProfile, Signup
from bot.registration.reconcile import reconcile

OFFICER = OfficerProfile(
    key="O1", first_name="Thomas", last_name="Fleury", department="15", email="tfleury@sfr.fr"
)


def _crowd(size: int) -> list[Signup]:
    """Ordinary members all over the country, none near Thomas Fleury, every name borne twice."""
    firsts = ["Camille", "Léa", "Hugo", "Manon", "Jules", "Inès", "Louis", "Chloé", "Nathan"]
    lasts = ["Bernard", "Petit", "Durand", "Robert", "Richard", "Moreau", "Simon", "Laurent"]
    return [
        Signup(
            key=f"M{i}",
            name=f"{firsts[i % len(firsts)]} {lasts[(i // 2) % len(lasts)]}",
            email=f"member{i}@example.org",
            department=f"{10 + i % 80:02d}",
        )
        for i in range(size)
    ]


def _match(*signups: Signup) -> tuple[str, str | None, str]:
    (match,) = reconcile([OFFICER], [*_crowd(1200), *signups])
    return match.status, match.signup, match.reason


def test_a_typo_that_is_no_name_in_a_large_export_proves_the_officer() -> None:
    typo = Signup(key="S", name="Thomas Fleuyr", email="tf@free.fr", department="15")
    assert _match(typo) == ("registered", "S", "last_name_typo")


def test_a_near_name_borne_by_someone_else_stays_probable() -> None:
    typo = Signup(key="S", name="Thomas Fleuri", email="tf@free.fr", department="15")
    elsewhere = Signup(key="E", name="Anne Fleuri", email="af@free.fr", department="63")
    assert _match(typo, elsewhere) == ("probable", "S", "last_name_typo")


def test_in_a_small_export_a_lone_typo_stays_probable() -> None:
    typo = Signup(key="S", name="Thomas Fleuyr", email="tf@free.fr", department="15")
    (match,) = reconcile([OFFICER], [*_crowd(50), typo])
    assert (match.status, match.signup) == ("probable", "S")


def test_a_shortened_compound_first_name_is_found_by_its_blocks() -> None:
    officer = OfficerProfile(
        key="O2", first_name="Marie-Claire", last_name="Barbier", department="05", email="x@y.fr"
    )
    short = Signup(key="S", name="Marie Barbier", email="marie.barbier@free.fr", department="05")
    (match,) = reconcile([officer], [*_crowd(1200), short])
    assert (match.status, match.signup, match.reason) == ("probable", "S", "first_name_compound")


def test_at_equal_confidence_the_exact_name_goes_before_a_typo_of_it() -> None:
    officer = OfficerProfile(
        key="P1", first_name="Nicolas", last_name="Martin", department="75", email="n@parti.fr"
    )
    crowd = [
        Signup(
            key=f"C{i}",
            name=f"{first} {last}",
            email=f"c{i}@example.org",
            department="75",
        )
        for i, (first, last) in enumerate(
            (f, s)
            for f in ("Nicolas", "Camille", "Léa", "Hugo", "Julie")
            for s in ("Martin", "Bernard", "Petit", "Durand", "Robert")
            if (f, s) != ("Nicolas", "Martin")
        )
        for _ in range(20)
    ]
    typo = Signup(key="T", name="Nicolas Martn", email="nm@free.fr", department="75")
    exact = Signup(key="X", name="Nicolas Martin", email="nico.martin@free.fr", department="75")
    (match,) = reconcile([officer], [typo, *crowd, exact])
    assert (match.status, match.signup, match.reason) == ("probable", "X", "name")
