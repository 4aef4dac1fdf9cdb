"""The layers of ARCHITECTURE.md, checked on the source: each forbidden arrow fails a test.

``forbidden_arrows(root)`` reads every module's imports (and, for the cogs, their attribute
reach into the database) and returns one line per arrow that breaks a rule. It runs on the
checkout, where it must find nothing, and on temporary copies where one arrow was planted.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FEATURES = ("registration", "news", "reminders", "privacy")
# Core modules every layer may use; none of them imports a feature, storage or discord.
CORE = {
    "bot",
    "bot.charts",
    "bot.config",
    "bot.clock",
    "bot.i18n",
    "bot.errors",
    "bot.gc_pause",
    "bot.logs",
    "bot.markdown",
    "bot.resources",
    "bot.schedule",
    "bot.single_flight",
}
# Modules of bot/ allowed to import discord: the Bot class, the entry points, the endpoints.
DISCORD_ALLOWED = {"bot.client", "bot.app", "bot.__main__", "bot.shell", "bot.endpoints"}
DATABASE_LIBRARIES = ("sqlite3", "aiosqlite")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, name: str) -> set[str]:
    """Absolute names of what ``path`` imports (relative imports resolved against ``name``)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def reaches_database(path: Path) -> bool:
    """Whether the code reads an attribute named ``db`` or ``_db`` (a cog reaching SQL)."""
    tree = ast.parse(path.read_text("utf-8"))
    return any(
        isinstance(node, ast.Attribute) and node.attr in {"db", "_db"} for node in ast.walk(tree)
    )


def _is(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layer(name: str) -> tuple[str, str | None]:
    """(layer, feature) of a module of bot/ or cogs/."""
    parts = name.split(".")
    if parts[0] == "cogs":
        return "cog", None
    if len(parts) >= 2 and parts[1] == "sandbox":
        return "sandbox", None
    if len(parts) >= 2 and parts[1] == "storage":
        return "infrastructure", None
    if len(parts) >= 2 and parts[1] in FEATURES:
        feature = parts[1]
        leaf = parts[2] if len(parts) > 2 else ""
        if leaf in {"storage", "service", "cli", "worker"}:
            return leaf, feature
        return "domain", feature
    if name in CORE:
        return "core", None
    return "root", None  # composition root, client, shell, scheduler…


def is_storage(imported: str) -> bool:
    return _is(imported, "bot.storage", *DATABASE_LIBRARIES) or any(
        _is(imported, f"bot.{f}.storage") for f in FEATURES
    )


def is_discord(imported: str) -> bool:
    return _is(imported, "discord")


def broken_rule(name: str, imported: str) -> str | None:
    """Why ``name`` may not import ``imported``, or None when it may."""
    kind, feature = layer(name)
    if kind == "sandbox":
        if _is(imported, "bot") and not _is(imported, "bot.sandbox"):
            return "the sandbox imports nothing else of the bot"
        return None
    if is_discord(imported) and kind != "cog" and name not in DISCORD_ALLOWED:
        return "only the Discord layer imports discord"
    if kind == "core" and _is(
        imported, *(f"bot.{f}" for f in FEATURES), "bot.storage", *DATABASE_LIBRARIES
    ):
        return "the core imports no feature and no storage"
    if kind == "domain":
        if is_storage(imported):
            return "a feature's domain does not import storage"
        if any(_is(imported, f"bot.{f}.service", f"bot.{f}.cli") for f in FEATURES):
            return "a feature's domain does not import a service or a presenter"
        if _is(imported, "bot.services", "bot.client", "bot.shell", "bot.app"):
            return "a feature's domain does not import the composition root"
    if kind == "storage":
        if any(_is(imported, f"bot.{f}.service", f"bot.{f}.cli") for f in FEATURES):
            return "storage does not import a service or a presenter"
        if any(_is(imported, f"bot.{f}") for f in FEATURES if f != feature):
            return "a feature's storage imports only its own feature"
    if kind == "worker" and any(
        _is(imported, f"bot.{f}.service", f"bot.{f}.cli") for f in FEATURES
    ):
        return "a worker imports no service and no presenter: its process starts light"
    if kind == "cli" and is_storage(imported):
        return "the command line goes through the service, not storage"
    if kind == "infrastructure" and any(_is(imported, f"bot.{f}") for f in FEATURES):
        return "shared storage imports no feature"
    if kind == "cog" and is_storage(imported):
        return "cogs never touch storage"
    return None


def forbidden_arrows(root: Path) -> list[str]:
    found = []
    for top in ("bot", "cogs"):
        for path in sorted((root / top).rglob("*.py")):
            name = module_name(root, path)
            for imported in sorted(imports(path, name)):
                reason = broken_rule(name, imported)
                if reason:
                    found.append(f"{name} -> {imported}: {reason}")
            if top == "cogs" and reaches_database(path):
                found.append(f"{name} -> .db: cogs never touch the database")
    return found


def test_the_checkout_has_no_forbidden_arrow():
    assert forbidden_arrows(ROOT) == []


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("tree")
    for top in ("bot", "cogs"):
        shutil.copytree(ROOT / top, target / top, ignore=shutil.ignore_patterns("__pycache__"))
    return target


PLANTED = [
    ("bot/registration/planted.py", "from bot.storage.database import Database\n"),
    (
        "bot/registration/planted.py",
        "from bot.registration.storage import RegistrationRepository\n",
    ),
    ("bot/news/planted.py", "import aiosqlite\n"),
    ("bot/news/planted.py", "from bot.news.service import NewsService\n"),
    ("bot/registration/cli_helper.py", "import discord\n"),
    ("bot/registration/cli.py", "from bot.registration.storage import RegistrationRepository\n"),
    ("bot/news/storage.py", "from bot.news.service import NewsService\n"),
    (
        "bot/registration/worker.py",
        "from bot.registration.service import RegistrationService\n",
    ),
    ("bot/news/storage.py", "from bot.registration.models import OfficerStatus\n"),
    ("bot/config.py", "from bot.registration.service import RegistrationService\n"),
    ("bot/storage/audit.py", "from bot.news.models import Article\n"),
    ("bot/sandbox/planted.py", "from bot.config import Settings\n"),
    ("cogs/planted.py", "from bot.storage.database import Database\n"),
    ("cogs/planted.py", "from bot.news.storage import NewsRepository\n"),
    ("cogs/planted.py", "async def f(bot):\n    await bot.services.db.check()\n"),
]


@pytest.mark.parametrize(("where", "code"), PLANTED)
def test_each_forbidden_arrow_is_caught_when_planted(copy: Path, where: str, code: str):
    path = copy / where
    original = path.read_text("utf-8") if path.exists() else None
    before = set(forbidden_arrows(copy))
    try:
        path.write_text((original or "") + "\n" + code, "utf-8")
        planted = set(forbidden_arrows(copy)) - before
        assert planted, "the planted arrow was not caught"
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, "utf-8")
