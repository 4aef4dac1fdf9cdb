"""The package as a user installs it: a wheel built from the source, installed in a fresh virtual
environment outside the checkout, answers through the shell (package data included), and
``python -m bot status`` never imports discord.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIP = (sys.executable, "-m", "pip")


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update({"HOME": str(home), "LOCALE": "fr", "LOG_LEVEL": "WARNING"})
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (without its dependencies, which it
    borrows read-only from the test environment: the test needs no network)."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the tracked sources: the build writes nothing into the checkout.
    source = work / "source"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = work / "dist"
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        check=True,
        cwd=work,
        capture_output=True,
    )
    (wheel,) = dist.glob("relance-*.whl")
    env_dir = work / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [*PIP, "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Plain paths in a .pth file are added to sys.path without running the .pth files found
    # there, so the checkout's editable install cannot leak into the fresh environment.
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def test_the_installed_wheel_is_not_the_checkout(installed: Path, tmp_path: Path):
    where = subprocess.run(
        [str(installed), "-c", "import bot; print(bot.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(tmp_path),
    ).stdout.strip()
    assert not where.startswith(str(ROOT))


def test_the_installed_wheel_answers_status_and_progress_in_the_shell(
    installed: Path, tmp_path: Path
):
    shell = subprocess.run(
        [str(installed), "-m", "bot", "shell", "--files", str(tmp_path / "files")],
        input="/status departement:56\n/progression\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        timeout=120,
    )
    assert shell.returncode == 0, shell.stderr
    assert "Traceback" not in shell.stdout + shell.stderr
    assert "56 – Morbihan" in shell.stdout
    assert "progression.png" in shell.stdout


def test_status_imports_no_discord_module(installed: Path, tmp_path: Path):
    env = _clean_env(tmp_path) | {"DATABASE_PATH": str(tmp_path / "relance.sqlite3")}
    run = subprocess.run(
        [str(installed), "-X", "importtime", "-m", "bot", "status"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()]
    assert [name for name in imported if name.split(".")[0] == "discord"] == []
    assert [name for name in imported if name.startswith("bot.sandbox")] == []
