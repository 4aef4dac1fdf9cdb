"""Property-based tests of the CSV readers (rosters, sign-up exports) and of the imports that use
them: any bytes, any cell text give rows or a clear refusal (a catalog sentence with its problem
lines), never another exception; and an import that is refused leaves the database as it was."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import shutil
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.errors import UserError
from bot.registration.csvfile import read_table
from bot.registration.roster_file import ROSTER_FIELDS, parse_roster
from bot.registration.signup_file import parse_signups
from bot.resources import reference
from bot.services import open_services
from tests.trust._properties import CATALOG, clear, quick

PARIS = ZoneInfo("Europe/Paris")
ROSTER = (reference() / "demo" / "roster.csv").read_bytes()
SIGNUPS = (reference() / "demo" / "signups.csv").read_bytes()

QUICK = quick(50)


def read_all(data: bytes, name: str = "fichier.csv") -> None:
    """Each reader on ``data``: rows, or a clear refusal."""
    for read in (
        lambda: read_table(data, name, ROSTER_FIELDS, max_bytes=1_000_000),
        lambda: parse_roster(data, name),
        lambda: parse_signups(data, name, PARIS),
        lambda: parse_signups(data, name, PARIS, require_date=True),
    ):
        try:
            read()
        except UserError as error:
            clear(error)


# Bytes as they come: random, or a real file with a few bytes changed, cut or inserted.
def _mutated(base: bytes) -> st.SearchStrategy[bytes]:
    edit = st.tuples(
        st.integers(0, len(base)), st.integers(0, 8), st.binary(min_size=0, max_size=8)
    )

    def apply(edits: list[tuple[int, int, bytes]]) -> bytes:
        data = base
        for at, cut, insert in edits:
            data = data[:at] + insert + data[at + cut :]
        return data

    return st.lists(edit, min_size=1, max_size=4).map(apply)


any_bytes = st.one_of(
    st.binary(max_size=400),
    _mutated(ROSTER[:600]),
    _mutated(SIGNUPS[:600]),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00", b";;;\n;;;\n", b"\r\n"]),
)


@QUICK
@given(any_bytes)
def test_any_bytes_give_rows_or_a_clear_refusal(data: bytes) -> None:
    read_all(data)


ROSTER_HEADER = ["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail", "Discord"]
SIGNUP_HEADER = [
    "Identifiant",
    "Nom complet",
    "Adresse e-mail",
    "Code postal",
    "Date d'inscription",
]
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=SUM(A1)", "@cmd", "+33 6 12 34 56 78", "56", "2A", "x@y.fr", '"', ";"]),
    st.sampled_from(["2026-11-18 13:56", "18/11/2026", "2026-02-30 10:00", "<@123>", "claire"]),
)


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@QUICK
@given(
    st.sampled_from([ROSTER_HEADER, SIGNUP_HEADER]),
    st.lists(st.lists(cell, min_size=0, max_size=8), min_size=0, max_size=5),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_cell_text_gives_rows_or_a_clear_refusal(
    header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    text = _csv(header, rows, delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # a character the code page lacks, or a lone surrogate
        data = text.encode("utf-8", "replace")
    read_all(data)


# ----- no partial write ------------------------------------------------------------------------


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


async def _import(path: Path, kind: str, data: bytes) -> None:
    settings = dataclasses.replace(Settings.from_env({}, CATALOG), database_path=path)
    async with open_services(settings) as services:
        registration = services.registration
        if kind == "roster":
            await registration.import_roster(data, "roster.csv", "test", apply=True)
        else:
            await registration.import_signups(data, "inscriptions.csv", "test")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo roster and sign-ups, closed (every change checkpointed)."""
    path = tmp_path_factory.mktemp("loaded") / "relance.sqlite3"
    asyncio.run(_import(path, "roster", ROSTER))
    asyncio.run(_import(path, "signups", SIGNUPS))
    return path


def _broken(base: bytes) -> st.SearchStrategy[bytes]:
    """A real file with a bad row somewhere: a cell changed into something refused."""
    lines = base.split(b"\r\n") if b"\r\n" in base else base.split(b"\n")
    bad = st.sampled_from(
        [b";;;;;;", b"x;y;z;56;bad-mail;;", b"=HYPERLINK(1)", b"\x00\x01\x02", b"\xff\xfe\xfa"]
    )
    return st.tuples(st.integers(1, len(lines)), bad).map(
        lambda at_bad: b"\n".join([*lines[: at_bad[0]], at_bad[1], *lines[at_bad[0] :]])
    )


@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.tuples(st.just("roster"), _broken(ROSTER)),
        st.tuples(st.just("signups"), _broken(SIGNUPS)),
        st.tuples(st.sampled_from(["roster", "signups"]), any_bytes),
    )
)
def test_a_refused_import_leaves_the_database_as_it_was(
    loaded: Path, tmp_path_factory: pytest.TempPathFactory, attempt: tuple[str, bytes]
) -> None:
    kind, data = attempt
    path = tmp_path_factory.mktemp("attempt") / "relance.sqlite3"
    shutil.copy(loaded, path)
    before = _dump(path)
    try:
        asyncio.run(_import(path, kind, data))
    except UserError as error:
        clear(error)
        event("refused")
        assert _dump(path) == before
    else:
        event("imported")
