"""Errors whose text is safe to show users.

Domain code raises :class:`UserError` with a message-catalog key and its parameters; the Discord
layer, the CLI and the shell translate it into the caller's language. Anything else that escapes is
an unexpected error: logged, and answered with a plain apology.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import Catalog, Locale


class UserError(Exception):
    """An error the user caused or can fix; ``key`` names its sentence in the catalog."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r})"


class NotFound(UserError):
    """The thing asked for does not exist."""


class PermissionDenied(UserError):
    """The caller may not do this."""


class DatabaseBusy(UserError):
    """Another program holds the database's write lock longer than a user can wait."""

    def __init__(self) -> None:
        super().__init__("error.database_busy")


class DiskFull(UserError):
    """The database could not grow (SQLite's "database or disk is full"); nothing was written."""

    def __init__(self) -> None:
        super().__init__("error.disk_full")


class InvalidInput(UserError):
    """A value or a file is malformed; ``problems`` lists one line per problem, if several."""

    def __init__(self, key: str, problems: list[str] | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.problems = problems or []

    def lines(self, catalog: Catalog, locale: Locale) -> list[str]:
        """The problem lines in ``locale`` (subclasses that keep catalog keys translate them)."""
        return self.problems


def render_user_error(
    catalog: Catalog, error: UserError, locale: Locale, max_lines: int = 15
) -> str:
    """A domain error as text: its sentence, then its problem lines (capped)."""
    text = catalog.t(error.key, locale, **error.params)
    problems = error.lines(catalog, locale) if isinstance(error, InvalidInput) else []
    if problems:
        lines = [f"• {p}" for p in problems[:max_lines]]
        if len(problems) > max_lines:
            lines.append(catalog.t("error.problems_more", locale, count=len(problems) - max_lines))
        text = text + "\n" + "\n".join(lines)
    return text[:1900]
