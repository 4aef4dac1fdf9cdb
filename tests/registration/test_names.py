from __future__ import annotations

import pytest

from bot.registration.names import (
    Kinship,
    PersonName,
    compare,
    email_mentions,
    email_reverses,
    normalise_email,
    split_full_name,
)


@pytest.mark.parametrize(
    ("first", "last", "signup", "kinship"),
    [
        ("Jean", "Roussel", "Jean Roussel", Kinship.SAME),
        ("Élodie", "Fabre", "ELODIE FABRE", Kinship.SAME),
        ("Loïc", "Moulin", "Moulin Loïc", Kinship.SAME),
        ("Louis-Marie", "Charpentier", "Charpentier, Louis-Marie", Kinship.SAME),
        ("Ludovic", "Ben Ali", "BEN ALI Ludovic", Kinship.SAME),
        ("Ludovic", "Ben Ali", "Ludovic Benali", Kinship.SAME),
        ("Marie-Hélène", "Vincent", "Marie Hélène Vincent", Kinship.SAME),
        ("Jean", "L'Hôte", "jean lhote", Kinship.SAME),
        ("Thomas", "Fleury", "Thomas Fleury-Lucas", Kinship.LAST_NAME_COMPOUND),
        ("Thomas", "Fleury-Lucas", "Thomas Fleury", Kinship.LAST_NAME_COMPOUND),
        ("Marie-Hélène", "Vincent", "Marie Vincent", Kinship.FIRST_NAME_COMPOUND),
        ("Thomas", "Fleury", "Thomas Fleuri", Kinship.LAST_NAME_TYPO),
        ("Thomas", "Fleury", "Fluery Thomas", Kinship.LAST_NAME_TYPO),
        ("Nicolas", "Gautier", "Nicloas Gautier", Kinship.FIRST_NAME_TYPO),
        ("Marie", "Martin", "Anne-Marie Martin", Kinship.PARTIAL),
        ("Julien", "Michel", "Jules Michel", Kinship.PARTIAL),
        ("Catherine", "Laurent", "Céline Laurent", Kinship.PARTIAL),
        ("Théo", "Roy", "Théo Ray", Kinship.PARTIAL),
        ("Thomas", "Fleury", "Paul Durand", Kinship.NONE),
        ("Thomas", "Fleury", "", Kinship.NONE),
    ],
)
def test_compare_names(first: str, last: str, signup: str, kinship: Kinship) -> None:
    assert compare(PersonName.parse(first, last), split_full_name(signup)) is kinship


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        (" JLefebvre+cdp@Jeunes-Parti.fr ", "jlefebvre@jeunes-parti.fr"),
        ("Vincent.Michel88@Sfr.Fr", "vincent.michel88@sfr.fr"),
        ("jean.dupont@gmail.com", "jeandupont@gmail.com"),
        ("Jean.Dupont+x@googlemail.com", "jeandupont@gmail.com"),
        ("jean.dupont@orange.fr", "jean.dupont@orange.fr"),
        ("<a@b.fr>", "a@b.fr"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_normalise_email(raw: str, normalised: str) -> None:
    assert normalise_email(raw) == normalised


@pytest.mark.parametrize(
    ("email", "mentions"),
    [
        ("thomas.fleury2@gmail.com", True),
        ("fleury_thomas@free.fr", True),
        ("tfleury@sfr.fr", False),
        ("thomasfleurylucas@free.fr", False),
        ("thomas@free.fr", False),
    ],
)
def test_email_mentions_needs_the_full_names(email: str, mentions: bool) -> None:
    assert email_mentions(email, PersonName.parse("Thomas", "Fleury")) is mentions


@pytest.mark.parametrize(
    ("email", "reverses"),
    [
        ("mclement29@free.fr", True),
        ("marie.clement@free.fr", True),
        ("cmarie@free.fr", False),
        ("clement.marie@free.fr", False),
        ("m.c@free.fr", False),
    ],
)
def test_email_reverses_spots_the_names_swapped(email: str, reverses: bool) -> None:
    assert email_reverses(email, PersonName.parse("Clément", "Marie")) is reverses
