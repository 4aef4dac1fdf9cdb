"""``python -m bot import-roster`` applies additions and changes without asking, prints them, and
removes officers missing from the file only with ``--remove-missing``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from tests.registration.conftest import roster_bytes

ANNE = "R1;Anne;Le Goff;56;anne@example.org;"
PAUL = "R2;Paul;Kerbrat;29;paul@example.org;"


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "relance.sqlite3"))
    monkeypatch.setenv("LOCALE", "en")
    return main(["--env-file", str(tmp_path / "none"), *args])


def test_officers_missing_from_the_file_are_kept_without_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "both.csv").write_bytes(roster_bytes(ANNE, PAUL))
    (tmp_path / "anne.csv").write_bytes(roster_bytes("R1;Anne;Le Goff;35;anne@example.org;"))
    assert _run(tmp_path, monkeypatch, "import-roster", str(tmp_path / "both.csv")) == 0
    capsys.readouterr()
    assert _run(tmp_path, monkeypatch, "import-roster", str(tmp_path / "anne.csv")) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Roster: 0 added, 1 changed, 0 removed, 0 unchanged.",
        "  ~ R1  Anne Le Goff (35)",
        "1 officer missing from the file is kept; --remove-missing removes them.",
    ]
    assert _run(tmp_path, monkeypatch, "status", "--department", "29") == 0
    assert "R2  Paul Kerbrat" in capsys.readouterr().out


def test_remove_missing_removes_them_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "both.csv").write_bytes(roster_bytes(ANNE, PAUL))
    (tmp_path / "anne.csv").write_bytes(roster_bytes(ANNE))
    assert _run(tmp_path, monkeypatch, "import-roster", str(tmp_path / "both.csv")) == 0
    capsys.readouterr()
    args = ("import-roster", "--remove-missing", str(tmp_path / "anne.csv"))
    assert _run(tmp_path, monkeypatch, *args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Roster: 0 added, 0 changed, 1 removed, 1 unchanged.",
        "  - R2  Paul Kerbrat (29)",
    ]
    assert _run(tmp_path, monkeypatch, "status", "--department", "29") == 0
    assert "Paul" not in capsys.readouterr().out
