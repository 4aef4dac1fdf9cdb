"""Problems found in an imported file, kept as catalog keys so each caller picks the language.

A refused file raises :class:`FileRejected`, an :class:`~bot.errors.InvalidInput` whose
``details`` keep each problem as ``(line, column, key, params)``; :meth:`FileRejected.lines`
renders them in the caller's language with the catalog it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.errors import InvalidInput
from bot.i18n import Catalog, Locale

MAX_SHOWN = 100


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (1-based line, column header as written) and what."""

    line: int | None
    column: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def render_problem(catalog: Catalog, problem: Problem, locale: Locale) -> str:
    """``ligne 4, colonne « Département » : « 123 » n'est pas un département connu``."""
    what = catalog.t(problem.key, locale, **problem.params)
    if problem.line is not None and problem.column is not None:
        where_key = "registration.problem.at_line_column"
    elif problem.line is not None:
        where_key = "registration.problem.at_line"
    elif problem.column is not None:
        where_key = "registration.problem.at_column"
    else:
        return what
    return catalog.t(where_key, locale, line=problem.line, column=problem.column, what=what)


def render_problems(catalog: Catalog, problems: list[Problem], locale: Locale) -> list[str]:
    """One line per problem, at most :data:`MAX_SHOWN`, then a line saying how many were left out."""
    lines = [render_problem(catalog, p, locale) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(
            catalog.t("registration.problem.more", locale, count=len(problems) - MAX_SHOWN)
        )
    return lines


class FileRejected(InvalidInput):
    """A file refused as a whole; nothing was written."""

    def __init__(self, filename: str, details: list[Problem]) -> None:
        super().__init__("registration.file.rejected", filename=filename, count=len(details))
        self.details = details

    def lines(self, catalog: Catalog, locale: Locale) -> list[str]:
        """The problem lines in ``locale``."""
        return render_problems(catalog, self.details, locale)
