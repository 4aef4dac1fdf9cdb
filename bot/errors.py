"""Errors whose text is safe to show users.

Domain code raises :class:`UserError` with a message-catalog key and its parameters; the Discord
layer, the CLI and the shell translate it into the caller's language. Anything else that escapes is
an unexpected error: logged, and answered with a plain apology.

An error's text parameters and problem lines often came from outside (a file's name, a cell, an
officer's name from a roster, a page's title, what was typed): :func:`render_user_error` is the
one place that shows them, escaped for Discord (:mod:`bot.markdown`) unless the text is for a
terminal. Raise errors with the raw text, never escaped already.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import DEFAULT_LOCALE, Catalog, Locale
from bot.markdown import clip, escape

MAX_ERROR = 1900  # characters of an error reply: Discord's 2,000 less room for what wraps it


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
    catalog: Catalog,
    error: UserError,
    locale: Locale,
    max_lines: int = 15,
    *,
    markdown: bool = True,
) -> str:
    """A domain error as text: its sentence, then its problem lines (capped).

    ``markdown``: for Discord, where every text parameter, and every problem line that is not a
    catalog sentence, is escaped (no link, mention or formatting); ``False`` for a terminal,
    where the text is shown as it is."""
    said = _Escaping(catalog) if markdown else catalog
    text = said.t(error.key, locale, **error.params)
    problems = error.lines(said, locale) if isinstance(error, InvalidInput) else []
    if problems:
        shown = [p if not markdown or isinstance(p, _Said) else escape(p) for p in problems]
        lines = [f"• {p}" for p in shown[:max_lines]]
        if len(problems) > max_lines:
            lines.append(catalog.t("error.problems_more", locale, count=len(problems) - max_lines))
        text = text + "\n" + "\n".join(lines)
    return clip(text, MAX_ERROR) if markdown else text[:MAX_ERROR]


class _Said(str):
    """A sentence :class:`_Escaping` made: its parameters are escaped, itself is not again."""

    __slots__ = ()


class _Escaping(Catalog):
    """The catalog as an error's sentences see it: text parameters are escaped for Discord,
    except sentences it made itself (a problem's "what" put into its "where")."""

    def __init__(self, catalog: Catalog) -> None:  # every method below delegates to it
        self._catalog = catalog

    def t(self, key: str, locale: Locale = DEFAULT_LOCALE, /, **params: Any) -> str:
        escaped = {
            name: escape(value)
            if isinstance(value, str) and not isinstance(value, _Said)
            else value
            for name, value in params.items()
        }
        return _Said(self._catalog.t(key, locale, **escaped))

    def keys(self) -> list[str]:
        return self._catalog.keys()

    def has(self, key: str) -> bool:
        return self._catalog.has(key)

    def raw(self, key: str, locale: Locale) -> str:
        return self._catalog.raw(key, locale)

    def placeholders(self, key: str, locale: Locale) -> set[str]:
        return self._catalog.placeholders(key, locale)
