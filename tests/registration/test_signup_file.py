from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.registration.problems import FileRejected
from bot.registration.signup_file import parse_datetime, parse_signups
from tests.registration.conftest import DATA

PARIS = ZoneInfo("Europe/Paris")


def test_the_sample_export_is_read_whole() -> None:
    rows = parse_signups((DATA / "signups.csv").read_bytes(), "signups.csv", PARIS)
    assert len(rows) == 334
    first = rows[0]
    assert (first.ext_id, first.signup.name, first.signup.postcode, first.signup.department) == (
        "S000226",
        "Émilie Bernard",
        "26050",
        "26",
    )
    assert first.signup.signed_up_at == datetime(2010, 2, 19, 15, 11, tzinfo=UTC)
    assert sum(r.signup.department is None for r in rows) == 38


def test_first_and_last_name_columns_are_joined() -> None:
    data = "Prénom;Nom;Courriel;Département;Inscrit le\nAnne;Le Goff;a@x.fr;Morbihan;2010-02-01\n"
    data = data.encode("cp1252")
    (row,) = parse_signups(data, "s.csv", PARIS)
    assert (row.signup.name, row.signup.email, row.signup.department) == (
        "Anne Le Goff",
        "a@x.fr",
        "56",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010-02-19 16:11", datetime(2010, 2, 19, 15, 11, tzinfo=UTC)),
        ("2010-07-19T16:11:00Z", datetime(2010, 7, 19, 16, 11, tzinfo=UTC)),
        ("19/02/2010 16:11", datetime(2010, 2, 19, 15, 11, tzinfo=UTC)),
        ("19/02/2010", datetime(2010, 2, 18, 23, 0, tzinfo=UTC)),
        ("hier", None),
    ],
)
def test_parse_datetime(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text, PARIS) == expected


def test_a_row_without_name_or_email_or_with_a_bad_date_is_refused(catalog: Catalog) -> None:
    data = b"Nom complet,E-mail,Date\n,,2010-01-01\nAnne Roy,a@x.fr,demain\n"
    with pytest.raises(FileRejected) as caught:
        parse_signups(data, "s.csv", PARIS)
    assert caught.value.lines(catalog, "en") == [
        "line 2: neither a name nor an e-mail address",
        "line 3, column “Date”: “demain” is not a date (expected: 2026-03-14 18:30 or 14/03/2026 18:30)",
    ]


def test_an_export_without_name_or_email_column_is_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        parse_signups(b"Code postal,Date\n56000,2010-01-01\n", "s.csv", PARIS)
    assert [d.key for d in caught.value.details] == ["registration.problem.missing_column"]


def test_the_roster_read_as_a_signup_export_is_refused_saying_so(catalog: Catalog) -> None:
    with pytest.raises(FileRejected) as caught:
        parse_signups((DATA / "roster.csv").read_bytes(), "roster.csv", PARIS)
    assert [d.key for d in caught.value.details] == ["registration.problem.roster_not_signups"]
    (line,) = caught.value.lines(catalog, "en")
    assert "roster" in line


def test_an_export_without_a_signup_date_column_is_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        parse_signups(b"Nom complet,E-mail\nAnne Roy,a@x.fr\n", "s.csv", PARIS, require_date=True)
    assert [(d.key, d.params) for d in caught.value.details] == [
        ("registration.problem.missing_column", {"expected": "Date d'inscription / Sign-up date"})
    ]
