"""Storage: the only layer that speaks SQL. Repositories return plain dataclasses."""

from bot.storage.database import Database, MigrationError

__all__ = ["Database", "MigrationError"]
