"""Fictional rosters and sign-up exports, for the demo data, tests and the benchmark.

Every person is made up from lists of common French given names and surnames. A generated pair
comes with its truth (which officers registered, with which sign-up) and covers the hard cases:
e-mails in another case or with a ``+alias``, another address with the name reordered, hyphenated
or mistyped, namesakes in other departments, relatives with another first name in the same
department, a relative signing up with the officer's address, sign-ups without a postcode.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.registration.departments import departments
from bot.registration.models import OfficerProfile, Signup
from bot.registration.names import normalise_email
from bot.registration.text import compact

_FIRST_NAMES_TEXT = (
    "Adrien Agathe Alexandre Alice Amélie Anaïs Antoine Arthur Aurélie Baptiste Benoît Bérénice "
    "Camille Capucine Caroline Catherine Céline Chloé Clément Clémence Corentin Damien David "
    "Delphine Denis Élodie Émilie Emma Enzo Étienne Fabien Florian Françoise Gabriel Gaëlle "
    "Guillaume Hélène Hugo Inès Isabelle Jérôme Joséphine Julie Julien Justine Karim Laura Léa "
    "Léo Lina Loïc Louis Lucas Lucie Manon Margaux Marie Mathilde Maxime Mélanie Nathalie "
    "Nicolas Noémie Océane Olivier Pascal Pauline Philippe Quentin Raphaël Rémi Romain Sarah "
    "Sébastien Simon Sophie Stéphane Sylvie Théo Thomas Valentin Véronique Victor Yasmine Yann "
    "Marie-Hélène Jean-Baptiste Louis-Marie Anne-Sophie Pierre-Yves Paul-Émile Marie-Claire "
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_LAST_NAMES_TEXT = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèbvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller "
    "Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger "
    "Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun "
    "Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert "
    "Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix "
    "Fabre Dupuis Olivier Kerbrat "
)
LAST_NAMES = tuple(_LAST_NAMES_TEXT.split())
COMPOUND_LAST = ("Le Goff", "Ben Ali", "Saint-Martin", "Dos Santos", "Le Gall", "Da Silva")
DOMAINS = ("gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "outlook.fr", "yahoo.fr")
PARTY_DOMAIN = "jeunes-parti.fr"

_SignupMaker = Callable[[str, str, "str | None"], str]

REGISTERED_CASES = (
    ("same_email", 40),
    ("same_email_case", 15),
    ("same_email_plus_alias", 5),
    ("other_email_same_name", 10),
    ("other_email_swapped", 10),
    ("other_email_comma", 4),
    ("other_email_compound", 5),
    ("other_email_hyphen_space", 3),
    ("other_email_typo", 4),
)
UNREGISTERED_CASES = (
    ("absent", 40),
    ("homonym_other_dept", 20),
    ("near_name_same_dept", 20),
    ("relative_same_email", 5),
    ("homonym_no_postcode", 5),
)


@dataclass
class Generated:
    roster: list[dict[str, str]]
    signups: list[dict[str, str]]
    truth: dict[str, dict[str, object]] = field(default_factory=dict)

    def profiles(self) -> tuple[list[OfficerProfile], list[Signup]]:
        """The officers and sign-ups as the reconciliation takes them (a sign-up's department
        from its postcode, none without one)."""
        deps = departments()

        def department(postcode: str) -> str | None:
            dep = deps.from_postcode(postcode) if postcode else None
            return dep.code if dep else None

        officers = [
            OfficerProfile(
                key=r["id"],
                first_name=r["first"],
                last_name=r["last"],
                department=r["department"],
                email=r["email"],
            )
            for r in self.roster
        ]
        signups = [
            Signup(
                key=s["id"], name=s["name"], email=s["email"], department=department(s["postcode"])
            )
            for s in self.signups
        ]
        return officers, signups

    def roster_csv(self) -> bytes:
        """cp1252, ``;``, CRLF, French headers: as Excel in France saves it."""
        header = ["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail", "Discord"]
        keys = ["id", "first", "last", "role", "department", "email", "discord"]
        lines = [";".join(header)] + [";".join(r[k] for k in keys) for r in self.roster]
        return ("\r\n".join(lines) + "\r\n").encode("cp1252")

    def signups_csv(self) -> bytes:
        """UTF-8 with BOM, ``,``: as the platform exports it."""
        header = [
            "Identifiant",
            "Nom complet",
            "Adresse e-mail",
            "Code postal",
            "Date d'inscription",
        ]
        keys = ["id", "name", "email", "postcode", "date"]
        lines = [",".join(header)] + [",".join(_quote(r[k]) for k in keys) for r in self.signups]
        return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def generate(
    officers: int,
    members: int,
    *,
    seed: int = 7,
    registered_share: float = 0.6,
    start: datetime = datetime(2026, 1, 5, 9, 0),
    days: int = 42,
    department_codes: list[str] | None = None,
) -> Generated:
    """``officers`` officers over the departments and ``members`` ordinary sign-ups around them."""
    rng = random.Random(seed)
    _USED_EMAILS.clear()
    deps = department_codes or [d.code for d in departments().all()]
    out = Generated([], [])
    taken: set[tuple[str, str]] = set()  # (department, compact name) of officers and look-alikes
    counter = iter(range(1, 10**9))

    def signup(name: str, email: str, dep: str | None) -> str:
        number = next(counter)
        key = f"S{number:07d}"
        out.signups.append(
            {
                "id": key,
                "name": name,
                "email": email,
                "postcode": _postcode(rng, dep) if dep else "",
                "date": (start + timedelta(minutes=rng.randrange(days * 24 * 60))).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            }
        )
        return key

    for number in range(1, officers + 1):
        dep = deps[(number - 1) % len(deps)]
        first, last = _person(rng, taken, dep)
        key = f"RDJ-{number:05d}"
        email = _email(rng, first, last, party=rng.random() < 0.4)
        out.roster.append(
            {
                "id": key,
                "first": first,
                "last": last,
                "role": "Responsable départemental jeunes",
                "department": dep,
                "email": email,
                "discord": f"{compact(first)}_{number}",
            }
        )
        if rng.random() < registered_share:
            case = _pick(rng, REGISTERED_CASES)
            signup_key = _registered(rng, case, first, last, email, dep, signup)
            out.truth[key] = {"registered": True, "signup": signup_key, "case": case}
        else:
            case = _pick(rng, UNREGISTERED_CASES)
            _unregistered(rng, case, first, last, email, dep, deps, taken, signup)
            out.truth[key] = {"registered": False, "signup": None, "case": case}
    for _ in range(members):
        dep = rng.choice(deps)
        first, last = _person(rng, taken, dep, reserve=False)
        signup(
            _written(rng, first, last),
            _email(rng, first, last),
            dep if rng.random() > 0.1 else None,
        )
    order = list(range(len(out.signups)))
    rng.shuffle(order)
    out.signups = [out.signups[i] for i in order]
    return out


def _registered(
    rng: random.Random, case: str, first: str, last: str, email: str, dep: str, signup: _SignupMaker
) -> str:
    other = _email(rng, first, last, party=False, suffix=True)
    if case == "same_email":
        return signup(_written(rng, first, last), email, dep)
    if case == "same_email_case":
        return signup(
            _written(rng, first, last),
            rng.choice([email.upper(), f" {email} ", email.title()]),
            dep,
        )
    if case == "same_email_plus_alias":
        local, _, domain = email.partition("@")
        return signup(f"{first} {last}", f"{local}+cdp@{domain}", dep)
    if case == "other_email_same_name":
        return signup(_written(rng, first, last), other, dep)
    if case == "other_email_swapped":
        return signup(f"{last.upper()} {first}", other, dep)
    if case == "other_email_comma":
        return signup(f"{last}, {first}", other, dep)
    if case == "other_email_compound":
        return signup(f"{first} {last}-{rng.choice(LAST_NAMES[:40])}", other, dep)
    if case == "other_email_hyphen_space":
        return signup(f"{first.replace('-', ' ')} {last.replace(' ', '-')}", other, dep)
    # other_email_typo: one letter changed in the last name; the address keeps the right spelling
    return signup(f"{first} {_typo(rng, last)}", other, dep)


def _unregistered(
    rng: random.Random,
    case: str,
    first: str,
    last: str,
    email: str,
    dep: str,
    deps: list[str],
    taken: set[tuple[str, str]],
    signup: _SignupMaker,
) -> None:
    if case == "homonym_other_dept":
        free = [d for d in deps if d != dep and (d, compact(last)) not in taken]
        other_dep = rng.choice(free or [d for d in deps if d != dep])
        taken.add((other_dep, compact(last)))
        signup(_written(rng, first, last), _email(rng, first, last, suffix=True), other_dep)
    elif case == "near_name_same_dept":
        other_first = rng.choice(
            [f for f in FIRST_NAMES if compact(f)[:2] == compact(first)[:2] and f != first]
            or [f for f in FIRST_NAMES if f != first]
        )
        signup(_written(rng, other_first, last), _email(rng, other_first, last), dep)
    elif case == "relative_same_email":
        relative = rng.choice([f for f in FIRST_NAMES if f != first])
        signup(f"{relative} {last}", email, dep)
    elif case == "homonym_no_postcode":
        signup(f"{first} {last}", _email(rng, first, last, suffix=True), None)


def _person(
    rng: random.Random, taken: set[tuple[str, str]], dep: str, reserve: bool = True
) -> tuple[str, str]:
    """A name not yet used by an officer (or a member too close to one) in ``dep``."""
    for attempt in range(10**6):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(COMPOUND_LAST) if rng.random() < 0.05 else rng.choice(LAST_NAMES)
        if attempt > 20:  # a crowded department: a double-barrelled name
            last = f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}"
        mark = (dep, compact(last))
        if mark in taken:
            continue
        if reserve:
            taken.add(mark)
        return first, last
    raise RuntimeError("no free name left")


def _written(rng: random.Random, first: str, last: str) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{first} {last}"
    if style < 0.75:
        return f"{first} {last}".lower()
    if style < 0.9:
        return f"{last.upper()} {first}"
    return f"{first} {last}".upper()


_USED_EMAILS: set[str] = set()


def _email(
    rng: random.Random, first: str, last: str, *, party: bool = False, suffix: bool = False
) -> str:
    """An address made from the name, never given to two people of one generated pair."""
    given, family = compact(first), compact(last)
    local = rng.choice([f"{given}.{family}", f"{given[0]}{family}", f"{given}{family}"])
    domain = PARTY_DOMAIN if party else rng.choice(DOMAINS)
    if suffix or rng.random() < 0.3:
        local += str(rng.randrange(1, 100))
    while normalise_email(f"{local}@{domain}") in _USED_EMAILS:
        local += str(rng.randrange(0, 10))
    _USED_EMAILS.add(normalise_email(f"{local}@{domain}"))
    return f"{local}@{domain}"


def _typo(rng: random.Random, word: str) -> str:
    letters = list(word)
    positions = [i for i, ch in enumerate(letters[1:-1], start=1) if ch.isalpha()]
    i = rng.choice(positions)
    if rng.random() < 0.5:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters[i] = rng.choice([c for c in "aeiourstln" if c != letters[i].lower()])
    return "".join(letters)


def _postcode(rng: random.Random, dep: str) -> str:
    if dep == "2A":
        return f"20{rng.randrange(0, 200):03d}"
    if dep == "2B":
        return f"20{rng.randrange(200, 700):03d}"
    if len(dep) == 3:
        return f"{dep}{rng.randrange(0, 100):02d}"
    return f"{dep}{rng.randrange(0, 1000):03d}"


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def _quote(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value
