from __future__ import annotations

import gc

import pytest

from bot.i18n import Catalog
from bot.registration.problems import FileRejected
from bot.registration.roster_file import parse_discord, parse_roster
from tests.registration.conftest import DATA, roster_bytes


def test_the_sample_roster_is_read_whole() -> None:
    records = parse_roster((DATA / "roster.csv").read_bytes(), "roster.csv")
    assert len(records) == 40
    first = records[0]
    assert (
        first.ext_id,
        first.profile.first_name,
        first.profile.last_name,
        first.profile.department,
        first.profile.email,
    ) == (
        "RDJ-0001",
        "Jérôme",
        "Lefèbvre",
        "01",
        "jlefebvre@jeunes-parti.fr",
    )


def test_english_headers_in_any_case_are_understood() -> None:
    data = b"ID,First Name,LAST NAME,Department,Email,Phone\nA1,Anne,Le Goff,Morbihan,a@b.fr,+33 6 12\n"
    (record,) = parse_roster(data, "r.csv")
    assert (record.ext_id, record.profile.department, record.profile.phone) == (
        "A1",
        "56",
        "+33 6 12",
    )


def test_a_file_with_bad_rows_is_refused_with_one_line_per_problem(catalog: Catalog) -> None:
    data = roster_bytes(
        "R1;Anne;Le Goff;56;anne@x.fr;",
        "R2;Luc;Martin;123;luc@x.fr;",
        "R1;;Durand;29;pas-une-adresse;",
        'R4;=HYPERLINK("http://x");Roy;75;;',
    )
    with pytest.raises(FileRejected) as caught:
        parse_roster(data, "roster.csv")
    assert caught.value.key == "registration.file.rejected"
    assert caught.value.params == {"filename": "roster.csv", "count": 5}
    assert caught.value.lines(catalog, "fr") == [
        "ligne 3, colonne «\u00a0Département\u00a0»\u00a0: «\u00a0123\u00a0» n'est pas un département connu",
        "ligne 4, colonne «\u00a0Prénom\u00a0»\u00a0: valeur manquante",
        "ligne 4, colonne «\u00a0E-mail\u00a0»\u00a0: «\u00a0pas-une-adresse\u00a0» n'est pas une adresse e-mail valide",
        "ligne 4, colonne «\u00a0Identifiant\u00a0»\u00a0: l'identifiant «\u00a0R1\u00a0» figure déjà ligne 2",
        'ligne 5, colonne «\u00a0Prénom\u00a0»\u00a0: «\u00a0=HYPERLINK("http://x")\u00a0» est une formule de tableur\u202f; '
        "saisissez la valeur elle-même",
    ]
    assert caught.value.lines(catalog, "en")[0] == (
        "line 3, column “Département”: “123” is not a known department"
    )


def test_duplicate_discord_accounts_are_refused() -> None:
    data = roster_bytes("R1;Anne;Le Goff;56;;claire", "R2;Luc;Roy;29;;Claire")
    with pytest.raises(FileRejected) as caught:
        parse_roster(data, "roster.csv")
    assert [d.key for d in caught.value.details] == ["registration.problem.duplicate_discord"]


def test_a_header_only_file_is_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        parse_roster(roster_bytes(), "roster.csv")
    assert [d.key for d in caught.value.details] == ["registration.problem.no_rows"]


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("", (None, "")),
        ("123456789012345678", (123456789012345678, "")),
        ("<@123456789012345678>", (123456789012345678, "")),
        ("<@!123456789012345678>", (123456789012345678, "")),
        ("claire", (None, "claire")),
        ("@Claire", (None, "claire")),
        ("marie-helene_vincen650", (None, "marie-helene_vincen650")),
        ("Old Name#1234", (None, "old name#1234")),
    ],
)
def test_discord_column_takes_ids_mentions_and_usernames(
    value: str, parsed: tuple[int | None, str]
) -> None:
    assert parse_discord(value) == parsed


@pytest.mark.parametrize("value", ["<@12>", "a b c", "x"])
def test_discord_column_refuses_other_text(value: str) -> None:
    assert parse_discord(value) is None


def test_a_discord_cell_at_username_is_a_username_not_a_formula() -> None:
    (record,) = parse_roster(roster_bytes("R1;Zoé;Roy;56;;@zoe"), "r.csv")
    assert (record.profile.discord_user_id, record.profile.discord_username) == (None, "zoe")


def test_a_formula_in_the_discord_column_is_still_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        parse_roster(roster_bytes('R1;Zoé;Roy;56;;@SUM(1+1)*cmd|" /C calc"!A0'), "r.csv")
    assert "registration.problem.formula" in [d.key for d in caught.value.details]


def test_the_collector_is_paused_while_reading_and_back_on_after_a_refused_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.registration import roster_file

    seen: list[bool] = []
    real = roster_file.read_table

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(roster_file, "read_table", spy)
    assert gc.isenabled()
    with pytest.raises(FileRejected):
        parse_roster(roster_bytes(), "roster.csv")
    assert seen == [False]
    assert gc.isenabled()
    assert len(parse_roster(roster_bytes("R1;Anne;Le Goff;56;;"), "roster.csv")) == 1
    assert gc.isenabled()
