"""``python -m bot privacy-export`` and ``privacy-erase``: the same service as the commands."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.privacy.conftest import two_officers


def _env(tmp_path: Path, db: Database) -> list[str]:
    env = tmp_path / "test.env"
    env.write_text(f"DATABASE_PATH={db.path}\nLOCALE=fr\n", "utf-8")
    return ["--env-file", str(env)]


async def test_export_prints_the_officers_json(
    registration: RegistrationService,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await two_officers(registration, db)
    code = await asyncio.to_thread(
        main, [*_env(tmp_path, db), "privacy-export", "--officer", "luc roy"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["officer"]["email"] == "luc.roy@exemple.fr"


async def test_erase_asks_first_and_a_no_keeps_everything(
    registration: RegistrationService,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await two_officers(registration, db)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda q: asked.append(q) or "non")
    code = await asyncio.to_thread(main, [*_env(tmp_path, db), "privacy-erase", "--officer", "R1"])
    assert code == 0
    assert asked == [
        "Effacer Anne Zorglubienne (R1) partout, sauvegardes connues comprises\u202f? "
        "C'est définitif. Tapez «\u00a0oui\u00a0» pour confirmer\u00a0: "
    ]
    assert capsys.readouterr().out.strip() == "Rien n'a été effacé."
    assert (await registration.find_officer("R1")).last_name == "Zorglubienne"


async def test_erase_with_yes_erases_without_asking(
    registration: RegistrationService,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await two_officers(registration, db)
    monkeypatch.setattr("builtins.input", lambda q: pytest.fail("asked"))
    args = [*_env(tmp_path, db), "privacy-erase", "--officer", "R1", "--yes"]
    assert await asyncio.to_thread(main, args) == 0
    assert capsys.readouterr().out.startswith("Données effacées partout pour Anne Zorglubienne (")
    assert b"Zorglubienne" not in Path(db.path).read_bytes()
