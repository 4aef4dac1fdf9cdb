"""The layers point one way: cogs → services/domain → storage. Checked on the source."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISCORD_ALLOWED = {"client.py", "app.py", "__main__.py", "shell.py", "endpoints.py"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_does_not_import_discord():
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        rel = path.relative_to(ROOT / "bot")
        if rel.parts[0] == "sandbox" or (len(rel.parts) == 1 and rel.name in DISCORD_ALLOWED):
            continue
        if any(name == "discord" or name.startswith("discord.") for name in imports(path)):
            offenders.append(str(rel))
    assert offenders == []


def test_cogs_do_not_touch_storage():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cogs").rglob("*.py")
        if any(n.startswith("bot.storage") or n in {"sqlite3", "aiosqlite"} for n in imports(path))
    ]
    assert offenders == []


def test_sandbox_is_self_contained():
    offenders = []
    for path in (ROOT / "bot" / "sandbox").rglob("*.py"):
        for name in imports(path):
            if name.startswith("bot.") and not name.startswith("bot.sandbox"):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
