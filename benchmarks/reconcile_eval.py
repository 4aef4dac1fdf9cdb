"""Score ``reconcile_files`` on generated roster / sign-up pairs, case by case.

The pairs imitate the platform's real exports: the roster as Excel in France writes it (cp1252,
``;``, French headers) and the sign-up export (UTF-8 with BOM, ``,``), mostly ordinary members
drawn from the same name pools as the officers, so that homonyms and near names occur naturally.
Each officer is given one case: registered under the roster's address (case, spaces, ``+tag``),
under another address with the name written differently (case, accents, order, hyphens, a typo)
or with no postcode, or not registered at all, sometimes with a homonym elsewhere, a near name in
the same department, a namesake with a double-barrelled name there or a relative using the
officer's address.

The four acceptance criteria are printed per seed and per case:

1. no unregistered officer marked registered;
2. the matched sign-up row right;
3. at least 98 % of registered officers found (registered or probable);
4. at most 5 % of registered officers left probable.

With ``--names french`` the officers' and members' names are drawn from real French frequency
tables (``benchmarks/data/french_names``: surnames of the whole population, first names of
recent births), Breton surnames more common in Brittany, and sign-ups and officers spread over
the departments with a few large ones (Paris, Bouches-du-Rhône, Nord, …); same-named members in
an officer's own department are kept, as the platform's export of every member has them. Each
pair is also scored for the plain e-mail join, in the same run. The three figures (1), (3) and (4)
of every pair, for reconcile and for the join, go through ``benchmarks/_report.py``.

With ``--frontier``, each pair is also scored at several tolerances of expected namesakes (the
bot's default, then stricter ones): the unregistered officers marked registered against the
registered left probable, the two errors that tolerance trades one for the other.

Run: ``python benchmarks/reconcile_eval.py [--officers N] [--signups N] [--seeds 1 2 3]
[--names pools|french] [--sample DIR] [--frontier]`` (``DIR`` holding ``roster.csv``, ``signups.csv`` and ``truth.json``).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import record as record_figure
from bot.registration.names import normalise_email
from bot.registration.reconcile import (
    NAMESAKES_TOLERATED,
    SignupIndex,
    reconcile,
    reconcile_files,
)
from bot.registration.roster_file import parse_roster
from bot.registration.signup_file import parse_signups

NAMES_DATA = Path(__file__).resolve().parent / "data" / "french_names"
BRITTANY = ("22", "29", "35", "56")
# Departments much larger than the others (rough weights, the others count 1).
LARGE_DEPARTMENTS = {
    "75": 8, "13": 6, "59": 6, "69": 5, "92": 5, "93": 5, "94": 4, "33": 4, "31": 4, "44": 3,
}  # fmt: skip

FIRST_NAMES = [
    "Agnès",
    "Amélie",
    "Anaïs",
    "Anne",
    "Anne-Sophie",
    "Antoine",
    "Arthur",
    "Aurélie",
    "Benoît",
    "Bérénice",
    "Camille",
    "Capucine",
    "Catherine",
    "Cécile",
    "Cédric",
    "Céline",
    "Christophe",
    "Clémence",
    "Chloé",
    "Damien",
    "Denis",
    "Élodie",
    "Émilie",
    "Emma",
    "Étienne",
    "Fabrice",
    "Florian",
    "Françoise",
    "Frédéric",
    "Gabriel",
    "Gaëlle",
    "Gérald",
    "Grégoire",
    "Guillaume",
    "Hélène",
    "Hervé",
    "Hugo",
    "Inès",
    "Jean",
    "Jean-Baptiste",
    "Jean-François",
    "Jean-Marc",
    "Jean-Noël",
    "Jérôme",
    "Josée",
    "Jules",
    "Julie",
    "Julien",
    "Laëtitia",
    "Laure",
    "Léa",
    "Léo",
    "Loïc",
    "Louis",
    "Louise",
    "Louis-Marie",
    "Lucas",
    "Lucie",
    "Ludovic",
    "Maëlle",
    "Manon",
    "Marc",
    "Marie",
    "Marie-Claire",
    "Marie-Ève",
    "Marie-Hélène",
    "Mathéo",
    "Mathis",
    "Mégane",
    "Michel",
    "Morgane",
    "Nathalie",
    "Nicolas",
    "Noé",
    "Noël",
    "Océane",
    "Pascal",
    "Paul",
    "Paul-Émile",
    "Pauline",
    "Philippe",
    "Pierre",
    "Pierre-Yves",
    "Quentin",
    "Raphaël",
    "Rémi",
    "Romain",
    "Sébastien",
    "Solène",
    "Sophie",
    "Sylvie",
    "Thérèse",
    "Théo",
    "Thomas",
    "Valérie",
    "Véronique",
    "Vincent",
    "Yannick",
    "Zoé",
]

LAST_NAMES = [
    "Adam",
    "André",
    "Aubert",
    "Aubry",
    "Baron",
    "Barbier",
    "Ben Ali",
    "Bernard",
    "Bertrand",
    "Blanchard",
    "Bonnet",
    "Boyer",
    "Boyer-Lacroix",
    "Breton",
    "Brunet",
    "Caron",
    "Carré",
    "Charpentier",
    "Chevalier",
    "Clément",
    "Colin",
    "Da Silva",
    "David",
    "Denis",
    "Deschamps",
    "Dos Santos",
    "Dubois",
    "Dumont",
    "Dupuis",
    "Dupuy",
    "Durand",
    "Duval",
    "Fabre",
    "Faure",
    "Fleury",
    "François",
    "Gaillard",
    "Garnier",
    "Gauthier",
    "Gautier",
    "Gérard",
    "Girard",
    "Giraud",
    "Guérin",
    "Guillot",
    "Guyot",
    "Henry",
    "Hoarau",
    "Kerbrat",
    "Lacroix",
    "Lambert",
    "Laurent",
    "Le",
    "Le Bihan",
    "Le Gall",
    "Lebrun",
    "Leclerc",
    "Lefèbvre",
    "Lefèvre",
    "Lefèvre-Utile",
    "Legrand",
    "Lemaire",
    "Lemoine",
    "Leroy",
    "Lopez",
    "Lucas",
    "Marchand",
    "Martin",
    "Martin-Dupont",
    "Martinez",
    "Masson",
    "Mathieu",
    "Ménard",
    "Mercier",
    "Michel",
    "Moreau",
    "Morin",
    "Moulin",
    "Muller",
    "N'Diaye",
    "Nguyen",
    "Noël",
    "Paris",
    "Payet",
    "Perrin",
    "Petit",
    "Picard",
    "Renaud",
    "Richard",
    "Robert",
    "Robin",
    "Rolland",
    "Roussel",
    "Rousseau",
    "Roux",
    "Saint-Martin",
    "Sanchez",
    "Simon",
    "Thomas",
    "Vidal",
    "Vincent",
    "Weber",
]

# First names a member of the same family or of the same department could bear instead.
NEAR_FIRST = {
    "Julien": "Jules",
    "Jules": "Julien",
    "Nicolas": "Noé",
    "Noé": "Nicolas",
    "Maëlle": "Mégane",
    "Mégane": "Maëlle",
    "Catherine": "Céline",
    "Céline": "Catherine",
    "Morgane": "Marie",
    "Marie": "Morgane",
    "Louis": "Louise",
    "Louise": "Louis",
    "Léa": "Léo",
    "Léo": "Léa",
    "Mathis": "Mathéo",
    "Mathéo": "Mathis",
    "Julie": "Julien",
    "Lucas": "Lucie",
    "Lucie": "Lucas",
    "Jean": "Jean-Marc",
    "Paul": "Pauline",
    "Pauline": "Paul",
    "Noël": "Noé",
    "Anne": "Anne-Sophie",
    "Marc": "Marie",
}

PROVIDERS = [
    "gmail.com",
    "orange.fr",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "yahoo.fr",
    "hotmail.fr",
    "outlook.fr",
]
PARTY_DOMAIN = "jeunes-parti.fr"
DEPARTMENTS = (
    [f"{d:02d}" for d in range(1, 20)]
    + ["2A", "2B"]
    + [f"{d:02d}" for d in range(21, 96)]
    + ["971", "972", "973", "974", "976"]
)

# (case, registered, weight)
CASES: tuple[tuple[str, bool, int], ...] = (
    ("same_email_case", True, 26),
    ("same_email_plus_alias", True, 5),
    ("same_email_no_postcode", True, 3),
    ("same_email_name_typo", True, 2),
    ("other_email_same_name", True, 6),
    ("other_email_swapped", True, 5),
    ("other_email_compound_variant", True, 3),
    ("other_email_compound_own_email", True, 1),
    ("other_email_accents", True, 3),
    ("other_email_typo", True, 3),
    ("other_email_combined", True, 3),
    ("other_email_no_postcode", True, 2),
    ("absent", False, 14),
    ("homonym_other_dept", False, 8),
    ("homonym_no_postcode", False, 3),
    ("near_name_same_dept", False, 9),
    ("relative_shared_email", False, 3),
    ("compound_namesake_same_dept", False, 2),
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str, hyphens: bool = True) -> str:
    out = fold(text).lower().replace(" ", "").replace("'", "")
    return out if hyphens else out.replace("-", "")


def postcode(rng: random.Random, department: str) -> str:
    if department == "2A":
        return f"20{rng.randint(0, 1)}{rng.randint(0, 99):02d}"
    if department == "2B":
        return f"20{rng.randint(2, 6)}{rng.randint(0, 99):02d}"
    if len(department) == 3:
        return f"{department}{rng.randint(0, 99):02d}"
    return f"{department}{rng.randint(0, 999):03d}"


def email_local(rng: random.Random, first: str, last: str) -> str:
    style = rng.choices(("dot", "initial", "number"), (5, 2, 3))[0]
    if style == "initial":
        return f"{slug(first, hyphens=False)[0]}{slug(last, hyphens=False)}"
    local = f"{slug(first)}.{slug(last)}"
    return f"{local}{rng.randint(1, 99)}" if style == "number" else local


def member_email(rng: random.Random, first: str, last: str) -> str:
    return f"{email_local(rng, first, last)}@{rng.choice(PROVIDERS)}"


def title(text: str) -> str:
    return "-".join(" ".join(w[:1].upper() + w[1:] for w in p.split(" ")) for p in text.split("-"))


def styled_name(rng: random.Random, first: str, last: str) -> str:
    """The name as a member types it, in one of the export's usual styles."""
    style = rng.choices(("plain", "upper_last", "lower", "upper", "unaccented"), (6, 3, 3, 2, 1))[0]
    if style == "upper_last":
        return f"{last.upper()} {first}"
    if style == "lower":
        return f"{fold(first).lower()} {fold(last).lower()}"
    if style == "upper":
        return f"{first.upper()} {last.upper()}"
    if style == "unaccented":
        return f"{fold(first)} {fold(last)}"
    return f"{first} {last}"


def swapped_name(rng: random.Random, first: str, last: str) -> str:
    style = rng.choice(("space", "comma", "comma_lower"))
    if style == "comma":
        return f"{last}, {first}"
    if style == "comma_lower":
        return f"{fold(last).lower()}, {fold(first).lower()}"
    return f"{last} {first}"


def email_variant(rng: random.Random, email: str) -> str:
    style = rng.choice(("same", "upper", "title", "spaces"))
    if style == "upper":
        return email.upper()
    if style == "title":
        return ".".join(
            "@".join(p[:1].upper() + p[1:] for p in part.split("@")) for part in email.split(".")
        )
    if style == "spaces":
        return f" {email} "
    return email


def typo(rng: random.Random, word: str) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 4:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap" and word[i + 1].isalpha():
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    nearby = {"a": "z", "e": "r", "i": "o", "o": "i", "u": "y", "n": "m", "m": "n", "r": "t"}
    replacement = nearby.get(word[i].lower(), "e")
    return word[:i] + replacement + word[i + 1 :]


ACCENT_SWAPS = (("é", "è"), ("è", "é"), ("ë", "e"), ("ï", "i"), ("ô", "o"), ("ç", "c"))


def accent_variant(rng: random.Random, word: str) -> str:
    """Accents dropped, or one accent changed, or an accent added on an ``e``."""
    if rng.random() < 0.5 and fold(word) != word:
        return fold(word)
    for a, b in rng.sample(ACCENT_SWAPS, len(ACCENT_SWAPS)):
        if a in word:
            return word.replace(a, b, 1)
    i = word.find("e", 1)
    return word[:i] + "é" + word[i + 1 :] if i > 0 else fold(word)


def compound_variant(rng: random.Random, first: str, last: str) -> str:
    if " " in last:
        return rng.choice((last.replace(" ", "-"), last.replace(" ", "")))
    if "-" in last and rng.random() < 0.5:
        return last.replace("-", " ")
    return (
        f"{last}-{rng.choice([n for n in LAST_NAMES if ' ' not in n and n not in (first, last)])}"
    )


class FrenchNames:
    """First names and surnames drawn by their frequency in France."""

    def __init__(self) -> None:
        def table(name: str) -> tuple[list[str], list[float]]:
            """Names and cumulative weights (``random.choices`` then draws in log time)."""
            names, weights = [], []
            for line in (NAMES_DATA / name).read_text(encoding="utf-8").splitlines():
                text, share, _, _ = line.split(";")
                names.append(title(text.strip().lower()))
                weights.append(float(share))
            return names, list(itertools.accumulate(weights))

        self.female, self.male, self.last = (
            table("dist.female.first"),
            table("dist.male.first"),
            table("dist.all.last"),
        )
        breton = [
            (n, w)
            for n, w in zip(self.last[0], _shares(self.last[1]), strict=True)
            if n.startswith(("Le ", "Ker", "Guen", "Gw", "Tanguy", "Morvan", "Riou"))
        ]
        self.breton = ([n for n, _ in breton], list(itertools.accumulate(w for _, w in breton)))

    def first(self, rng: random.Random) -> str:
        names, cumulative = self.female if rng.random() < 0.5 else self.male
        return rng.choices(names, cum_weights=cumulative)[0]

    def surname(self, rng: random.Random, department: str) -> str:
        breton = department in BRITTANY and rng.random() < 0.3
        names, cumulative = self.breton if breton else self.last
        return rng.choices(names, cum_weights=cumulative)[0]


def _shares(cumulative: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise([0.0, *cumulative])]


def department_weights() -> list[float]:
    """Cumulative weights of :data:`DEPARTMENTS`."""
    return list(itertools.accumulate(float(LARGE_DEPARTMENTS.get(d, 1)) for d in DEPARTMENTS))


@dataclass
class Row:
    name: str
    email: str
    postcode: str
    officer: str | None = None  # the officer this row is (the truth's sign-up)


@dataclass
class Pair:
    roster: bytes
    signups: bytes
    truth: dict[str, dict[str, object]]


def generate_pair(
    officers_n: int, signups_n: int, seed: int, french: FrenchNames | None = None
) -> Pair:
    rng = random.Random(seed)
    weights_by_department = department_weights()

    def first_name() -> str:
        return french.first(rng) if french else rng.choice(FIRST_NAMES)

    def last_name(department: str) -> str:
        return french.surname(rng, department) if french else rng.choice(LAST_NAMES)

    def department_of(i: int) -> str:
        if french:
            return rng.choices(DEPARTMENTS, cum_weights=weights_by_department)[0]
        return DEPARTMENTS[i % len(DEPARTMENTS)]

    names, weights = zip(*[(c, w) for c, _, w in CASES], strict=True)
    roster_rows: list[list[str]] = []
    rows: list[Row] = []
    truth: dict[str, dict[str, object]] = {}
    officer_keys: set[tuple[str, str, str]] = set()
    officer_emails: set[str] = set()
    discords: set[str] = set()
    used_emails: set[str] = set()  # one address, one person, except where a case says otherwise
    drawn: list[tuple[str, str, str, str, str, str]] = []
    for i in range(officers_n):
        key = f"RDJ-{i + 1:04d}"
        department = department_of(i)
        first, last = first_name(), last_name(department)
        case = rng.choices(names, weights)[0]
        if case == "near_name_same_dept" and rng.random() < 0.6:
            first = rng.choice(sorted(NEAR_FIRST))
        domain = PARTY_DOMAIN if rng.random() < 0.3 else rng.choice(PROVIDERS)
        email = f"{email_local(rng, first, last)}@{domain}"
        while email in used_emails:
            email = f"{email_local(rng, first, last)}@{domain}"
        officer_emails.add(email)
        used_emails.add(email)
        officer_keys.add((slug(first), slug(last), department))
        discord = f"{slug(first)}_{slug(last)}"[:18] + str(rng.randint(1, 999))
        while discord in discords:
            discord = f"{slug(first)}_{slug(last)}"[:18] + str(rng.randint(1, 999))
        discords.add(discord)
        roster_rows.append(
            [key, first, last, "Responsable départemental jeunes", department, email, discord]
        )
        drawn.append((key, first, last, department, email, case))

    def free(first: str, last: str, department: str) -> bool:
        """No officer of that department bears this name (else the row would be undecidable)."""
        return (slug(first), slug(last), department) not in officer_keys

    for key, first, last, department, email, case in drawn:
        other_email = member_email(rng, first, last)
        while other_email in used_emails or (
            other_email.split("@")[0] == email.split("@")[0] and rng.random() < 0.7
        ):
            other_email = member_email(rng, first, last)
        used_emails.add(other_email)
        here = postcode(rng, department)
        row: Row | None = None
        if case == "same_email_case":
            row = Row(styled_name(rng, first, last), email_variant(rng, email), here, key)
        elif case == "same_email_plus_alias":
            local, at = email.split("@")
            tag = rng.choice(("cdp", "parti", "jeunes"))
            row = Row(styled_name(rng, first, last), f"{local}+{tag}@{at}", here, key)
        elif case == "same_email_no_postcode":
            row = Row(styled_name(rng, first, last), email_variant(rng, email), "", key)
        elif case == "same_email_name_typo":
            if rng.random() < 0.6:
                row = Row(f"{first} {typo(rng, last)}", email, here, key)
            else:
                row = Row(f"{typo(rng, first)} {last}", email, here, key)
        elif case == "other_email_same_name":
            row = Row(styled_name(rng, first, last), other_email, here, key)
        elif case == "other_email_swapped":
            row = Row(swapped_name(rng, first, last), other_email, here, key)
        elif case == "other_email_compound_variant":
            variant = compound_variant(rng, first, last)
            row = Row(styled_name(rng, first, variant), other_email, here, key)
        elif case == "other_email_compound_own_email":
            # As the namesake below: the longer name, spelt by the address too.
            variant = compound_variant(rng, first, last)
            address = member_email(rng, first, variant)
            while address in used_emails:
                address = member_email(rng, first, variant)
            used_emails.add(address)
            row = Row(styled_name(rng, first, variant), address, here, key)
        elif case == "other_email_accents":
            if (rng.random() < 0.5 and fold(last) != last) or fold(first) == first:
                row = Row(f"{first} {accent_variant(rng, last)}", other_email, here, key)
            else:
                row = Row(f"{accent_variant(rng, first)} {last}", other_email, here, key)
        elif case == "other_email_typo":
            if rng.random() < 0.6:
                row = Row(styled_name(rng, first, typo(rng, last)), other_email, here, key)
            else:
                row = Row(styled_name(rng, typo(rng, first), last), other_email, here, key)
        elif case == "other_email_combined":
            written_first, written_last = accent_variant(rng, first), last
            if rng.random() < 0.4:
                written_last = compound_variant(rng, first, last)
            name = swapped_name(rng, written_first, written_last)
            row = Row(name.upper() if rng.random() < 0.5 else name, other_email, here, key)
        elif case == "other_email_no_postcode":
            row = Row(styled_name(rng, first, last), other_email, "", key)
        elif case == "homonym_other_dept":
            elsewhere = rng.choice([d for d in DEPARTMENTS if free(first, last, d)])
            rows.append(Row(styled_name(rng, first, last), other_email, postcode(rng, elsewhere)))
        elif case == "homonym_no_postcode":
            rows.append(Row(styled_name(rng, first, last), other_email, ""))
        elif case == "near_name_same_dept":
            options = [f for f in FIRST_NAMES if f[0] == first[0] and f != first]
            near = NEAR_FIRST.get(first) or rng.choice(options or FIRST_NAMES)
            while not free(near, last, department):
                near = rng.choice(FIRST_NAMES)
            address = member_email(rng, near, last)
            while address in used_emails:
                address = member_email(rng, near, last)
            used_emails.add(address)
            rows.append(Row(styled_name(rng, near, last), address, here))
        elif case == "compound_namesake_same_dept":
            longer = f"{last}-{rng.choice([n for n in LAST_NAMES if ' ' not in n and n != last])}"
            address = member_email(rng, first, longer)
            while address in used_emails:
                address = member_email(rng, first, longer)
            used_emails.add(address)
            rows.append(Row(styled_name(rng, first, longer), address, here))
        elif case == "relative_shared_email":
            relative = rng.choice([f for f in FIRST_NAMES if fold(f)[:3] != fold(first)[:3]])
            while not free(relative, last, department):
                relative = rng.choice([f for f in FIRST_NAMES if fold(f)[:3] != fold(first)[:3]])
            rows.append(Row(styled_name(rng, relative, last), email_variant(rng, email), here))
        if row is not None:
            rows.append(row)
        truth[key] = {"registered": row is not None, "signup": None, "case": case}

    while len(rows) < signups_n:
        department = (
            rng.choices(DEPARTMENTS, cum_weights=weights_by_department)[0]
            if french
            else rng.choice(DEPARTMENTS)
        )
        first, last = first_name(), last_name(department)
        if rng.random() < 0.06:  # a double-barrelled name
            other = last_name(department) if french else rng.choice(LAST_NAMES)
            if " " not in other and other != last:
                last = f"{last}-{other}"
        code = "" if rng.random() < 0.11 else postcode(rng, department)
        if not french and (slug(first), slug(last), department) in officer_keys:
            continue  # a same-named member in the officer's own department is undecidable
        email = member_email(rng, first, last)
        if email in used_emails:
            continue
        used_emails.add(email)
        rows.append(Row(styled_name(rng, first, last), email, code))

    rng.shuffle(rows)
    ids = rng.sample(range(1, 10 * len(rows)), len(rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Identifiant", "Nom complet", "Adresse e-mail", "Code postal",
                     "Date d'inscription"])  # fmt: skip
    for row, number in zip(rows, ids, strict=True):
        ident = f"S{number:06d}"
        day = rng.randint(0, 58)
        month, day_of_month = (1, day + 1) if day < 31 else (2, day - 30)
        stamp = (
            f"2010-{month:02d}-{day_of_month:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        )
        writer.writerow([ident, row.name, row.email, row.postcode, stamp])
        if row.officer is not None:
            truth[row.officer]["signup"] = ident
    roster = io.StringIO()
    roster_writer = csv.writer(roster, delimiter=";", lineterminator="\r\n")
    roster_writer.writerow(
        ["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail", "Discord"]
    )
    roster_writer.writerows(roster_rows)
    return Pair(roster.getvalue().encode("cp1252"), out.getvalue().encode("utf-8-sig"), truth)


@dataclass
class Tally:
    officers: int = 0
    registered: int = 0
    found: int = 0
    probable: int = 0
    wrong_row: int = 0
    false_registered: int = 0
    negatives_probable: int = 0
    seconds: float = 0.0

    def add(self, expected: dict[str, object], status: str, signup: object) -> None:
        self.officers += 1
        if expected["registered"]:
            self.registered += 1
            if status != "unregistered":
                self.found += 1
                self.probable += status == "probable"
                self.wrong_row += signup != expected["signup"]
        else:
            self.false_registered += status == "registered"
            self.negatives_probable += status == "probable"

    def verdict(self) -> bool:
        if not self.registered:
            return self.false_registered == 0
        return (
            self.false_registered == 0
            and self.wrong_row == 0
            and self.found >= 0.98 * self.registered
            and self.probable <= 0.05 * self.registered
        )

    def line(self, label: str) -> str:
        found = f"{100 * self.found / self.registered:5.1f}%" if self.registered else "    -"
        probable = f"{100 * self.probable / self.registered:5.1f}%" if self.registered else "    -"
        return (
            f"{label:<30} {self.officers:>5} {self.registered:>5} {self.false_registered:>5} "
            f"{self.wrong_row:>5} {found:>7} {probable:>7} {self.negatives_probable:>5}  "
            f"{'ok' if self.verdict() else 'FAIL'}"
        )


HEADER = (
    f"{'case':<30} {'n':>5} {'reg':>5} {'(1)FR':>5} {'(2)WR':>5} {'(3)found':>7} "
    f"{'(4)prob':>7} {'negP':>5}"
)


def score(roster: Path, signups: Path, truth: dict[str, dict[str, object]]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    started = time.perf_counter()
    results = reconcile_files(roster, signups)
    elapsed = time.perf_counter() - started
    for result in results:
        expected = truth[result.officer]
        for label in ("ALL", str(expected.get("case", "?"))):
            tallies[label].add(expected, str(result.status), result.signup)
    tallies["ALL"].seconds = elapsed
    return tallies


def email_join(roster: Path, signups: Path, truth: dict[str, dict[str, object]]) -> Tally:
    """The simple join: an officer is registered when a sign-up has their address (lower-cased,
    trimmed, ``+alias`` and Gmail dots ignored), and nothing else."""
    started = time.perf_counter()
    records = parse_roster(roster.read_bytes(), roster.name)
    rows = parse_signups(signups.read_bytes(), signups.name, ZoneInfo("Europe/Paris"))
    by_email = {
        normalise_email(r.signup.email): r.ext_id or str(r.row) for r in rows if r.signup.email
    }
    tally = Tally()
    for record in records:
        key = record.ext_id or str(record.row)
        signup = (
            by_email.get(normalise_email(record.profile.email)) if record.profile.email else None
        )
        tally.add(truth[key], "registered" if signup else "unregistered", signup)
    tally.seconds = time.perf_counter() - started
    return tally


def record_pair(pair: str, tally: Tally, joined: Tally) -> None:
    """The three acceptance figures of one pair, for reconcile and for the e-mail join."""
    for method, figures in (("reconcile", tally), ("e-mail join", joined)):
        registered = max(figures.registered, 1)
        record_figure(
            "reconcile_eval",
            f"{pair}, {method}: unregistered marked registered",
            figures.false_registered,
            0,
            unit="",
        )
        record_figure(
            "reconcile_eval",
            f"{pair}, {method}: registered found",
            100 * figures.found / registered,
            98,
            better="higher",
            unit=" %",
        )
        record_figure(
            "reconcile_eval",
            f"{pair}, {method}: registered left probable",
            100 * figures.probable / registered,
            5,
            unit=" %",
        )


# Tolerances of expected namesakes tried by --frontier (the bot's default first).
FRONTIER = (NAMESAKES_TOLERATED, 0.02, 0.01, 0.005, 0.002, 0.001)


def frontier(roster: Path, signups: Path, truth: dict[str, dict[str, object]], pair: str) -> None:
    """The matching's two kinds of error against each other: for each tolerance of expected
    namesakes (:data:`~bot.registration.reconcile.NAMESAKES_TOLERATED`, below which a same-name
    sign-up in the officer's department proves the officer), the unregistered officers marked
    registered and the registered ones left probable, on one pair, the sign-up index built once."""
    records = parse_roster(roster.read_bytes(), roster.name)
    rows = parse_signups(signups.read_bytes(), signups.name, ZoneInfo("Europe/Paris"))
    officers = [replace(r.profile, key=r.ext_id or str(r.row)) for r in records]
    index = SignupIndex([replace(s.signup, key=s.ext_id or str(s.row)) for s in rows])
    print(f"\nfrontier ({pair}): tolerance of expected namesakes, then (1) (3) (4) and negP")
    for tolerance in FRONTIER:
        tally = Tally()
        for result in reconcile(officers, index, namesakes_tolerated=tolerance):
            tally.add(truth[result.officer], str(result.status), result.signup)
        registered = max(tally.registered, 1)
        mark = "  (default)" if tolerance == NAMESAKES_TOLERATED else ""
        print(
            f"  {tolerance:<6} FR {tally.false_registered:>4}   found "
            f"{100 * tally.found / registered:5.1f} %   probable "
            f"{100 * tally.probable / registered:5.2f} %   negP {tally.negatives_probable:>5}"
            f"{'  both targets met' if tally.verdict() else ''}{mark}"
        )
        for measure, value, unit in (
            ("unregistered marked registered", tally.false_registered, ""),
            ("registered left probable", 100 * tally.probable / registered, " %"),
        ):
            record_figure(
                "reconcile_eval", f"{pair}, tolerance {tolerance}: {measure}", value, unit=unit
            )


def report(title_line: str, tallies: dict[str, Tally], details: bool) -> None:
    print(f"\n{title_line}\n{HEADER}")
    order = [c for c, _, _ in CASES] + sorted(set(tallies) - {c for c, _, _ in CASES} - {"ALL"})
    if details:
        for case in order:
            if case in tallies:
                print(tallies[case].line(case))
    print(tallies["ALL"].line("ALL"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, nargs="+", default=[400])
    parser.add_argument("--signups", type=int, nargs="+", default=[6000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument(
        "--sample", type=Path, help="a folder with roster.csv, signups.csv, truth.json"
    )
    parser.add_argument("--write", type=Path, help="also write the first pair to this folder")
    parser.add_argument("--brief", action="store_true", help="totals only, no per-case lines")
    parser.add_argument(
        "--frontier",
        action="store_true",
        help="also score each pair at several tolerances of expected namesakes",
    )
    parser.add_argument(
        "--names",
        choices=("pools", "french"),
        default="pools",
        help="names from small pools (hard cases) or from French frequency tables",
    )
    args = parser.parse_args(argv)
    french = FrenchNames() if args.names == "french" else None
    print(
        "(1)FR unregistered officers marked registered (must be 0); (2)WR wrong sign-up row "
        "(must be 0);\n(3) registered officers found (>= 98%); (4) left probable (<= 5%); "
        "negP: unregistered officers shown probable"
    )
    if args.sample:
        truth = json.loads((args.sample / "truth.json").read_text(encoding="utf-8"))
        tallies = score(args.sample / "roster.csv", args.sample / "signups.csv", truth)
        report(f"sample ({args.sample.name})", tallies, not args.brief)
    overall: dict[str, Tally] = defaultdict(Tally)
    for officers_n, signups_n in zip(args.officers, args.signups, strict=True):
        for seed in args.seeds:
            pair = generate_pair(officers_n, signups_n, seed, french)
            with tempfile.TemporaryDirectory() as folder:
                roster, signups = Path(folder, "roster.csv"), Path(folder, "signups.csv")
                roster.write_bytes(pair.roster)
                signups.write_bytes(pair.signups)
                if args.write:
                    args.write.mkdir(parents=True, exist_ok=True)
                    for name, data in (("roster.csv", pair.roster), ("signups.csv", pair.signups)):
                        (args.write / name).write_bytes(data)
                    truth_text = json.dumps(pair.truth, indent=1, ensure_ascii=False)
                    (args.write / "truth.json").write_text(truth_text, encoding="utf-8")
                    args.write = None
                tallies = score(roster, signups, pair.truth)
                joined = email_join(roster, signups, pair.truth)
                if args.frontier:
                    frontier(
                        roster,
                        signups,
                        pair.truth,
                        f"{args.names} {officers_n}×{signups_n} seed {seed}",
                    )
            report(
                f"seed {seed}: {officers_n} officers, {signups_n} sign-ups ({args.names} names)",
                tallies,
                not args.brief,
            )
            print(joined.line("e-mail join (same pair)"))
            print(
                f"time: reconcile_files {tallies['ALL'].seconds:.2f} s (parsing both files "
                f"included), e-mail join {joined.seconds:.2f} s"
            )
            record_pair(
                f"{args.names} {officers_n}×{signups_n} seed {seed}", tallies["ALL"], joined
            )
            for label, tally in tallies.items():
                for field in tally.__dataclass_fields__:
                    setattr(
                        overall[label],
                        field,
                        getattr(overall[label], field) + getattr(tally, field),
                    )
    if len(args.seeds) * len(args.officers) > 1:
        report("all generated pairs together", overall, True)


if __name__ == "__main__":
    main()
