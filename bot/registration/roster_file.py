"""Parsing and validating a roster CSV: the whole file or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.gc_pause import collector_paused
from bot.registration.csvfile import EMAIL_FIELD, Field, Row, read_table
from bot.registration.departments import departments
from bot.registration.models import OfficerProfile
from bot.registration.problems import FileRejected, Problem
from bot.registration.text import compact

MAX_ROSTER_BYTES = 10_000_000  # ROSTER_MAX_BYTES by default

ROSTER_FIELDS = [
    Field(
        "id",
        ("id", "identifiant", "identifier", "ref", "reference", "matricule"),
        "Identifiant / Id",
    ),
    Field(
        "first_name",
        ("prenom", "prenoms", "firstname", "first", "givenname"),
        "Prénom / First name",
        required=True,
    ),
    Field(
        "last_name",
        ("nom", "nomdefamille", "nomdusage", "lastname", "last", "surname", "familyname"),
        "Nom / Last name",
        required=True,
    ),
    Field("role", ("fonction", "role", "poste", "titre", "title", "mandat"), "Fonction / Role"),
    Field(
        "department",
        (
            "departement",
            "department",
            "dept",
            "dep",
            "departementcode",
            "codedepartement",
            "numerodepartement",
            "codedept",
        ),
        "Département / Department",
        required=True,
    ),
    EMAIL_FIELD,
    Field(
        "discord",
        (
            "discord",
            "discordid",
            "iddiscord",
            "pseudodiscord",
            "discordpseudo",
            "discordusername",
            "discorduser",
            "utilisateurdiscord",
        ),
        "Discord",
    ),
    Field(
        "phone",
        (
            "telephone",
            "tel",
            "phone",
            "portable",
            "mobile",
            "phonenumber",
            "numerodetelephone",
            "telephoneportable",
        ),
        "Téléphone / Phone",
    ),
]

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_SNOWFLAKE = re.compile(r"^<@!?(\d{15,21})>$|^(\d{15,21})$")
_USERNAME = re.compile(r"^@?([^\s@#:<>`]{2,32})$|^@?([^@#:<>`]{2,32}#\d{4})$")
_AT_USERNAME = re.compile(r"^\s*@[a-z0-9_.]{2,32}\s*$", re.IGNORECASE)
_PHONE = re.compile(r"^[\d\s+().\-/]{4,30}$")
_MAX_NAME = 100


@dataclass(frozen=True)
class OfficerRecord:
    """One roster row, validated: where it is, the roster's identifier if it has one, and the
    officer it describes (keyed by that identifier, else by :func:`officer_key`)."""

    row: int  # 1-based data row (the header is not counted)
    ext_id: str
    profile: OfficerProfile


def officer_key(ext_id: str, department: str, first_name: str, last_name: str) -> str:
    """The roster's identifier, else one made from the department and the name."""
    return ext_id or f"{department}-{compact(last_name)}-{compact(first_name)}"


def parse_discord(value: str) -> tuple[int | None, str] | None:
    """``(user id, "")`` or ``(None, username)`` from an id, a mention or a username."""
    text = value.strip()
    if not text:
        return None, ""
    match = _SNOWFLAKE.match(text)
    if match:
        return int(match.group(1) or match.group(2)), ""
    match = _USERNAME.match(text.lower())
    if match:
        return None, match.group(1) or match.group(2)
    return None


def parse_roster(
    data: bytes, filename: str, *, max_bytes: int = MAX_ROSTER_BYTES
) -> list[OfficerRecord]:
    """Every row of the roster, or :class:`FileRejected` listing every problem.

    The cyclic collector is paused meanwhile: the rows and records hold no cycles, and at 50k
    officers its passes over them took a tenth of the import, growing faster than the file."""
    with collector_paused():
        return _parse_roster(data, filename, max_bytes)


def _parse_roster(data: bytes, filename: str, max_bytes: int) -> list[OfficerRecord]:
    table = read_table(data, filename, ROSTER_FIELDS, max_bytes=max_bytes)
    discord_column = table.headers.get("discord")
    problems = [p for p in table.problems if not _username_cell(p, discord_column)]
    records: list[OfficerRecord] = []
    seen_ids: dict[str, int] = {}
    seen_discord: dict[str, int] = {}
    for number, row in enumerate(table.rows, start=1):
        record = _record(row, number, table.headers, problems)
        ext_id = row.values.get("id", "")
        if ext_id:
            first = seen_ids.setdefault(ext_id.casefold(), row.line)
            if first != row.line:
                problems.append(
                    Problem(
                        row.line,
                        table.headers["id"],
                        "registration.problem.duplicate_id",
                        {"value": ext_id, "first": first},
                    )
                )
        if record is None:
            continue
        discord = str(record.profile.discord_user_id or "") or record.profile.discord_username
        if discord:
            first = seen_discord.setdefault(discord, row.line)
            if first != row.line:
                problems.append(
                    Problem(
                        row.line,
                        table.headers["discord"],
                        "registration.problem.duplicate_discord",
                        {"value": discord, "first": first},
                    )
                )
        records.append(record)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise FileRejected(filename, problems)
    if not records:
        raise FileRejected(filename, [Problem(None, None, "registration.problem.no_rows", {})])
    return records


def _username_cell(problem: Problem, discord_column: str | None) -> bool:
    """A "formula" in the Discord column that is a plain ``@username``: no spreadsheet
    evaluates ``@zoe``, and the bot's own export writes it inert."""
    if problem.key != "registration.problem.formula" or problem.column != discord_column:
        return False
    return bool(_AT_USERNAME.match(str(problem.params.get("value", ""))))


def validate_officer(
    values: dict[str, str], line: int, headers: dict[str, str]
) -> tuple[OfficerRecord | None, list[Problem]]:
    """Check one officer's fields (as from a row, or typed in ``/roster add``)."""
    problems: list[Problem] = []
    record = _record(Row(line, values), line, headers, problems)
    return record, problems


def _record(
    row: Row, number: int, headers: dict[str, str], problems: list[Problem]
) -> OfficerRecord | None:
    before = len(problems)
    values = row.values

    def problem(field: str, key: str, **params: object) -> None:
        problems.append(Problem(row.line, headers.get(field, field), key, dict(params)))

    for field in ("first_name", "last_name"):
        value = values.get(field, "")
        if not value:
            problem(field, "registration.problem.required")
        elif len(value) > _MAX_NAME:
            problem(field, "registration.problem.too_long", limit=_MAX_NAME)
    department_text = values.get("department", "")
    dep = departments().lookup(department_text) or departments().from_postcode(department_text)
    if not department_text:
        problem("department", "registration.problem.required")
    elif dep is None:
        problem("department", "registration.problem.unknown_department", value=department_text)
    email = values.get("email", "")
    if email and not EMAIL.match(email):
        problem("email", "registration.problem.bad_email", value=email)
    discord = parse_discord(values.get("discord", ""))
    if discord is None:
        problem("discord", "registration.problem.bad_discord", value=values.get("discord", ""))
    phone = values.get("phone", "")
    if phone and not _PHONE.match(phone):
        problem("phone", "registration.problem.bad_phone", value=phone)
    if len(problems) > before or dep is None or discord is None:
        return None
    ext_id = values.get("id", "")
    first_name, last_name = values["first_name"], values["last_name"]
    profile = OfficerProfile(
        key=officer_key(ext_id, dep.code, first_name, last_name),
        first_name=first_name,
        last_name=last_name,
        department=dep.code,
        role=values.get("role", ""),
        email=email,
        discord_user_id=discord[0],
        discord_username=discord[1],
        phone=phone,
    )
    return OfficerRecord(number, ext_id, profile)
