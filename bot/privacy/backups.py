"""The backups ``python -m bot backup`` wrote, remembered beside the database (one path a line,
no personal data), so that an erase reaches into each of them too."""

from __future__ import annotations

from pathlib import Path


def registry(database: Path) -> Path:
    """The list of backups of ``database``: ``relance.sqlite3.backups`` beside it."""
    return database.with_name(database.name + ".backups")


def remember(database: Path, backup: Path) -> None:
    """Add ``backup`` to the list (once)."""
    path = str(backup.resolve())
    listed = registry(database)
    if path in known(database, existing_only=False):
        return
    with listed.open("a", encoding="utf-8") as out:
        out.write(path + "\n")


def known(database: Path, *, existing_only: bool = True) -> list[str]:
    """The backups listed (those still on disk, unless ``existing_only`` is false)."""
    listed = registry(database)
    if not listed.is_file():
        return []
    paths = [line.strip() for line in listed.read_text("utf-8").splitlines() if line.strip()]
    return [p for p in dict.fromkeys(paths) if not existing_only or Path(p).is_file()]
