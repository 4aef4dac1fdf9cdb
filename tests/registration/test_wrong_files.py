"""A file that is not a sign-up export never marks anyone registered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import EXIT_USER_ERROR, main
from bot.registration.problems import FileRejected
from bot.registration.service import RegistrationService
from tests.registration.conftest import DATA, roster_bytes, signups_bytes

ROSTER = (DATA / "roster.csv").read_bytes()


async def test_the_roster_imported_as_signups_is_refused(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    with pytest.raises(FileRejected) as caught:
        await service.import_signups(ROSTER, "roster.csv", "cli")
    assert [d.key for d in caught.value.details] == ["registration.problem.roster_not_signups"]
    assert (await service.progress()).counts.registered == 0


async def test_an_import_needs_the_signup_date_column(service: RegistrationService) -> None:
    data = signups_bytes("S1,Anne Le Goff,a@x.fr,56000", header="Identifiant,Nom complet,E-mail,CP")
    with pytest.raises(FileRejected) as caught:
        await service.import_signups(data, "s.csv", "cli")
    assert [d.key for d in caught.value.details] == ["registration.problem.missing_column"]


async def test_rows_carrying_the_rosters_own_ids_are_refused(service: RegistrationService) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;a@x.fr;", "R2;Luc;Roy;29;l@x.fr;"),
        "r.csv",
        "cli",
        apply=True,
    )
    data = signups_bytes("R1,Anne Le Goff,a@x.fr,56000,2010-02-01", "R2,Luc Roy,l@x.fr,29000,")
    with pytest.raises(FileRejected) as caught:
        await service.import_signups(data, "copy.csv", "cli")
    assert [d.key for d in caught.value.details] == ["registration.problem.roster_not_signups"]
    assert (await service.progress()).counts.registered == 0


@pytest.mark.parametrize("command", ["reconcile", "import-signups"])
def test_the_command_line_refuses_the_roster_as_signups(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "relance.sqlite3"))
    monkeypatch.setenv("LOCALE", "en")
    roster = str(DATA / "roster.csv")
    args = ["--roster", roster, "--signups", roster] if command == "reconcile" else [roster]
    assert main(["--env-file", str(tmp_path / "none"), command, *args]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert "is the roster of officers, not the platform's sign-up export" in captured.err
    assert "Traceback" not in captured.err


def test_status_with_a_directory_as_database_says_so_without_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import EXIT_CONFIG
    from bot.i18n import Catalog
    from bot.storage.database import Database

    async def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was opened")

    monkeypatch.setattr(Database, "open", never)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path))
    monkeypatch.setenv("LOCALE", "fr")
    assert main(["--env-file", str(tmp_path / "none"), "status"]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert Catalog.load().t("cli.database_is_directory", "fr", path=tmp_path) in err
    assert "Traceback" not in err


async def test_a_single_add_with_a_bad_department_gets_a_single_add_sentence(
    service: RegistrationService,
) -> None:
    from bot.errors import render_user_error
    from bot.i18n import Catalog

    catalog = Catalog.load()
    with pytest.raises(FileRejected) as caught:
        await service.add_officer("discord:1", "Anne", "Le Goff", "99")
    for locale in ("fr", "en"):
        text = render_user_error(catalog, caught.value, locale)
        assert text.startswith(catalog.t("registration.entry.rejected", locale, count=1))
        assert "fichier" not in text and "file" not in text
    assert "réimportez" not in render_user_error(catalog, caught.value, "fr")
    assert "field “Department”" in render_user_error(catalog, caught.value, "en")


def _roster_of(count: int) -> bytes:
    return roster_bytes(*(f"R{i};Anne{i};Nom{i};56;a{i}@x.fr;" for i in range(count)))


def _signups_of(count: int) -> bytes:
    return signups_bytes(*(f"S{i},Anne{i} Nom{i},a{i}@x.fr,56000,2010-02-01" for i in range(count)))


async def test_an_import_changing_most_statuses_asks_first_and_writes_nothing(
    service: RegistrationService,
) -> None:
    from bot.registration.service import LargeChange

    await service.import_roster(_roster_of(20), "r.csv", "cli", apply=True)
    with pytest.raises(LargeChange) as caught:
        await service.import_signups(_signups_of(15), "s.csv", "cli", ask_if_large=True)
    assert (caught.value.params["changes"], caught.value.params["total"]) == (15, 20)
    assert caught.value.params["registered"] == 15
    assert (await service.progress()).counts.registered == 0
    report = await service.import_signups(_signups_of(15), "s.csv", "cli")
    assert len(report.changes) == 15


async def test_an_import_changing_few_statuses_goes_through(service: RegistrationService) -> None:
    await service.import_roster(_roster_of(20), "r.csv", "cli", apply=True)
    report = await service.import_signups(_signups_of(5), "s.csv", "cli", ask_if_large=True)
    assert len(report.changes) == 5


def test_the_command_line_asks_for_yes_before_a_large_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "relance.sqlite3"))
    monkeypatch.setenv("LOCALE", "en")
    (tmp_path / "r.csv").write_bytes(_roster_of(20))
    (tmp_path / "s.csv").write_bytes(_signups_of(15))
    env = ["--env-file", str(tmp_path / "none")]
    assert main([*env, "import-roster", str(tmp_path / "r.csv")]) == 0
    assert main([*env, "import-signups", str(tmp_path / "s.csv")]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "15 of the 20 officers" in err and "--yes" in err
    assert main([*env, "import-signups", "--yes", str(tmp_path / "s.csv")]) == 0
