"""Outside text inside refusals, errors and confirmations (issue 12): a file's name, a roster's
officer name or cell, a page's or a feed's title, what was typed. The one renderer of errors
escapes their parameters and problem lines for Discord, and leaves them as they are for a
terminal. Through the sandbox: tests/trust/test_error_text_sandbox.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from discord import AppCommandOptionType, app_commands

from bot.client import RelanceBot
from bot.config import Settings
from bot.errors import InvalidInput, UserError, render_user_error
from bot.i18n import Catalog
from bot.markdown import escape
from bot.registration.models import Officer, OfficerMatch
from bot.registration.problems import FileRejected, Problem
from bot.registration.service import AmbiguousOfficer

CATALOG = Catalog.load()
PHISH = "[Confirmez votre inscription](https://evil.example/phish)"
FILE_NAME = "[x](https://evil.example).csv"
BOLD_MENTION = "**Gras** <@123456789012345678>"
HOSTILE = f"{PHISH} @everyone {BOLD_MENTION} <#42> ||caché||"
# What Discord would render: a masked link, a user/role/channel mention, @everyone, bold.
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
MENTION = re.compile(r"(?<!\\)<[@#]")
BOLD = re.compile(r"(?<!\\)\*\*Gras")


def markup(text: str) -> list[str]:
    """Every piece of ``text`` Discord would read as a link, a mention, a ping or bold."""
    found = MASKED_LINK.findall(text) + MENTION.findall(text) + BOLD.findall(text)
    return found + re.findall(r"@(?:everyone|here)", text)


# ----- the renderer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "raw"),
    [
        # a feed item's title, when neither its inline text nor its page has an article
        (UserError("news.article.empty", name=HOSTILE), HOSTILE),
        # an uploaded file's name
        (InvalidInput("registration.file.empty", filename=FILE_NAME), FILE_NAME),
        # an officer's name from a roster
        (InvalidInput("registration.review.not_pending", name=BOLD_MENTION), BOLD_MENTION),
        # what was typed
        (InvalidInput("registration.officer.not_found", query=HOSTILE), HOSTILE),
    ],
)
def test_an_error_s_text_parameters_are_shown_as_text(error: UserError, raw: str) -> None:
    for locale in ("fr", "en"):
        shown = render_user_error(CATALOG, error, locale)
        assert shown == CATALOG.t(error.key, locale, **{**error.params, **_escaped(error)})
        assert markup(shown) == []
        # a terminal shows it as it is, without a backslash
        plain = render_user_error(CATALOG, error, locale, markdown=False)
        assert raw in plain and "\\" not in plain


def _escaped(error: UserError) -> dict[str, str]:
    return {k: escape(v) for k, v in error.params.items() if isinstance(v, str)}


def test_a_file_s_problem_lines_show_its_cells_and_headers_as_text() -> None:
    rejected = FileRejected(
        FILE_NAME,
        [
            Problem(3, "Prénom **gras**", "registration.problem.formula", {"value": HOSTILE}),
            Problem(4, None, "registration.problem.duplicate_id", {"value": "a_b", "first": 2}),
        ],
    )
    shown = render_user_error(CATALOG, rejected, "fr")
    assert markup(shown) == []
    # each text escaped once: a cell's "a_b" is "a\_b", never "a\\\_b"
    assert r"a\_b" in shown and r"a\\\_b" not in shown
    assert r"Prénom \*\*gras\*\*" in shown
    plain = render_user_error(CATALOG, rejected, "fr", markdown=False)
    assert HOSTILE in plain and "Prénom **gras**" in plain and "a_b" in plain


def test_a_problem_line_that_is_not_a_catalog_sentence_is_escaped_whole() -> None:
    error = InvalidInput("registration.file.empty", [HOSTILE, "ligne 2 : ok"], filename="a.csv")
    lines = render_user_error(CATALOG, error, "fr").split("\n")[1:]
    assert lines == [f"• {escape(HOSTILE)}", "• ligne 2 : ok"]


def test_the_candidates_of_an_ambiguous_name_are_shown_as_text() -> None:
    officers = [_officer(1, "DUP-1", BOLD_MENTION, "Martin"), _officer(2, "DUP-2", PHISH, "Martin")]
    error = AmbiguousOfficer(OfficerMatch("Martin", None, officers))
    shown = render_user_error(CATALOG, error, "fr")
    assert markup(shown) == []
    assert escape(BOLD_MENTION) in shown and escape(PHISH) in shown


def test_a_long_error_is_cut_without_half_an_escape() -> None:
    error = InvalidInput("registration.officer.not_found", query="[" * 3000)
    shown = render_user_error(CATALOG, error, "fr")
    assert len(shown) <= 1900 and shown.endswith("…")
    assert not re.search(r"(?<!\\)(\\\\)*\\…$", shown)


def _officer(number: int, key: str, first: str, last: str) -> Officer:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return Officer(
        id=number, key=key, first_name=first, last_name=last, department="56", created_at=created
    )


def test_a_value_discord_py_could_not_convert_is_shown_as_text() -> None:
    """The one error the client words itself with what was typed: a transformer's refusal."""

    class Officer(app_commands.Transformer):
        async def transform(self, interaction: Any, value: Any) -> Any:
            return value

    bot = RelanceBot(
        cast(Any, SimpleNamespace(settings=Settings.from_env({}, CATALOG), catalog=CATALOG))
    )
    error = app_commands.TransformerError(HOSTILE, AppCommandOptionType.string, Officer())
    shown = bot.describe_error(cast(Any, SimpleNamespace(locale=None)), error)
    assert shown is not None
    assert markup(shown) == []
    assert escape(HOSTILE) in shown
