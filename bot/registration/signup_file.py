"""Parsing the platform's sign-up export: thousands of rows, read with the roster's tolerance."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.registration.csvfile import EMAIL_FIELD, Field, read_table
from bot.registration.departments import departments
from bot.registration.models import Signup
from bot.registration.names import normalise_email
from bot.registration.problems import FileRejected, Problem
from bot.registration.roster_file import ROSTER_FIELDS

MAX_SIGNUP_BYTES = 100_000_000  # SIGNUPS_MAX_BYTES by default

SIGNUP_FIELDS = [
    Field(
        "id",
        ("id", "identifiant", "identifier", "ref", "reference", "userid", "memberid"),
        "Identifiant / Id",
    ),
    EMAIL_FIELD,
    Field(
        "full_name",
        (
            "nomcomplet",
            "fullname",
            "name",
            "nometprenom",
            "prenometnom",
            "nomprenom",
            "prenomnom",
            "displayname",
            "nomaffiche",
            "identite",
        ),
        "Nom complet / Full name",
    ),
    Field(
        "first_name",
        ("prenom", "prenoms", "firstname", "first", "givenname"),
        "Prénom / First name",
    ),
    Field(
        "last_name",
        ("nom", "nomdefamille", "lastname", "last", "surname", "familyname"),
        "Nom / Last name",
    ),
    Field(
        "postcode",
        ("codepostal", "cp", "postcode", "postalcode", "zip", "zipcode"),
        "Code postal / Postcode",
    ),
    Field(
        "department",
        ("departement", "department", "dept", "dep", "codedepartement"),
        "Département / Department",
    ),
    Field(
        "date",
        (
            "dateinscription",
            "datedinscription",
            "inscription",
            "inscritle",
            "signupdate",
            "signedup",
            "signedupat",
            "registrationdate",
            "registeredat",
            "dateofregistration",
            "createdat",
            "datecreation",
            "date",
        ),
        "Date d'inscription / Sign-up date",
    ),
]

# Columns of a roster that no sign-up export has: read only to recognise a roster given by mistake.
_ROSTER_ONLY = [f for f in ROSTER_FIELDS if f.name in ("role", "discord")]
ROSTER_SHARE = 0.5
"""A file whose rows carry the roster's own identifiers for more than this share is the roster."""

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)


@dataclass(frozen=True)
class SignupRecord:
    """One row of the export: where it is, the platform's id if it has one, and the sign-up
    (keyed by :func:`signup_key`)."""

    row: int  # 1-based data row
    ext_id: str
    signup: Signup


def signup_key(ext_id: str, name: str, email: str, signed_up_at: datetime | None) -> str:
    """The platform's id, else the normalised e-mail, else the name and the date."""
    if ext_id:
        return ext_id
    if email:
        return f"email:{normalise_email(email)}"
    day = signed_up_at.isoformat() if signed_up_at else ""
    return f"name:{name.casefold()}|{day}"


def parse_datetime(text: str, tz: ZoneInfo) -> datetime | None:
    """A sign-up date in UTC; naive values are in ``tz``. ``None`` if not a date."""
    value = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def parse_signups(
    data: bytes,
    filename: str,
    tz: ZoneInfo,
    *,
    max_bytes: int = MAX_SIGNUP_BYTES,
    require_date: bool = False,
) -> list[SignupRecord]:
    """Every sign-up of the export, or :class:`FileRejected` listing every problem.

    A file with the roster's own columns and no sign-up date is refused as the roster; with
    ``require_date`` (an import that marks officers registered), any file without that column is.
    """
    table = read_table(data, filename, [*SIGNUP_FIELDS, *_ROSTER_ONLY], max_bytes=max_bytes)
    has = table.headers.keys()
    if "date" not in has and ("role" in has or "discord" in has):
        raise FileRejected(
            filename, [Problem(None, None, "registration.problem.roster_not_signups")]
        )
    if "email" not in has and "full_name" not in has and "last_name" not in has:
        raise FileRejected(
            filename,
            [
                Problem(
                    1,
                    None,
                    "registration.problem.missing_column",
                    {"expected": "E-mail / Nom complet / Full name"},
                )
            ],
        )
    if require_date and "date" not in has:
        raise FileRejected(
            filename,
            [
                Problem(
                    1,
                    None,
                    "registration.problem.missing_column",
                    {"expected": SIGNUP_FIELDS[-1].label},
                )
            ],
        )
    problems = list(table.problems)
    records: list[SignupRecord] = []
    deps = departments()
    for number, row in enumerate(table.rows, start=1):
        values = row.values
        name = values.get("full_name") or " ".join(
            part for part in (values.get("first_name", ""), values.get("last_name", "")) if part
        )
        email = values.get("email", "")
        if not name and not email:
            problems.append(Problem(row.line, None, "registration.problem.no_name_no_email", {}))
            continue
        postcode = values.get("postcode", "")
        dep = deps.from_postcode(postcode) if postcode else None
        if dep is None and values.get("department"):
            dep = deps.lookup(values["department"]) or deps.from_postcode(values["department"])
        when = None
        if values.get("date"):
            when = parse_datetime(values["date"], tz)
            if when is None:
                problems.append(
                    Problem(
                        row.line,
                        table.headers["date"],
                        "registration.problem.bad_date",
                        {"value": values["date"]},
                    )
                )
        ext_id = values.get("id", "")
        signup = Signup(
            key=signup_key(ext_id, name, email, when),
            name=name,
            email=email,
            postcode=postcode,
            department=dep.code if dep else None,
            signed_up_at=when,
        )
        records.append(SignupRecord(number, ext_id, signup))
    if problems:
        raise FileRejected(filename, problems)
    return records


def check_not_roster(
    records: list[SignupRecord], officer_keys: Collection[str], filename: str
) -> None:
    """Refuse an export most of whose rows carry the roster's own identifiers: the roster itself."""
    if not records or not officer_keys:
        return
    keys = set(officer_keys)
    same = sum(1 for r in records if r.ext_id and r.ext_id in keys)
    if same > ROSTER_SHARE * len(records):
        raise FileRejected(
            filename, [Problem(None, None, "registration.problem.roster_not_signups")]
        )
