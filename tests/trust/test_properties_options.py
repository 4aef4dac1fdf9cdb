"""Every text option of every slash command, generated from the bot's command tree (a new
command or option cannot be left out), given hostile text through the sandbox (issue 12): an
answer in time, never the unexpected-error apology, no ping, and what was typed shown as text
(no masked link, no mention, no @everyone). The values are drawn by hypothesis, reproducibly.

Left out: ``/news ajouter lien`` (a URL is fetched: the fetcher's own properties cover it, in
tests/trust/test_properties_commands.py, without a network) and options with fixed choices
(Discord sends only those)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from discord import AppCommandOptionType, app_commands
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings
from bot.i18n import Catalog
from tests.e2e.conftest import Running, demo_deadline, running_bot
from tests.trust._properties import quick
from tests.trust.test_permissions_matrix import EXPECTED

pytestmark = pytest.mark.asyncio(loop_scope="module")

CATALOG = Catalog.load()
ZONE = Settings.from_env({}, CATALOG).timezone
UNEXPECTED = CATALOG.t("error.unexpected", "fr")
FETCHED = {("news ajouter", "lien")}
EXAMPLES = 3  # values per option
MENTION = "<@123456789012345678>"
FRAGMENTS = [
    "[x](https://evil.example/p)",
    MENTION,
    "<@&42>",
    "@everyone",
    "@here",
    "**gras**",
    "||caché||",
    "# titre",
    "`code`",
    "=1+1",
    "\\",
    "RDJ-00001",
    "56",
    "lundi 9h",
    "31/12",
    "7j",
    " ",
    "é",
]
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=5
).map("".join)
# What was typed, if shown raw: a masked link, the mention, a ping.
RAW = re.compile(
    r"(?<!\\)\]\(https://evil|(?<!\\)<@123456789012345678|(?<!\\)<@&42|@everyone|@here"
)


def _samples(count: int) -> list[str]:
    found: list[str] = []

    @quick(count)
    @given(hostile)
    def collect(value: str) -> None:
        found.append(value)

    collect()
    return found


VALUES = _samples(EXAMPLES * 4)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    deadline = demo_deadline(datetime.now(UTC), ZONE)
    async with running_bot(
        tmp_path_factory.mktemp("options"), demo=True, registration_deadline=deadline
    ) as r:
        yield r


def _text_options(running: Running) -> list[tuple[app_commands.Command[Any, ..., Any], Any]]:
    return [
        (command, parameter)
        for command in running.bot.tree.walk_commands()
        if isinstance(command, app_commands.Command)
        for parameter in command.parameters
        if parameter.type is AppCommandOptionType.string
        and not parameter.choices
        and (command.qualified_name, parameter.display_name) not in FETCHED
    ]


def _valid_options(running: Running, name: str) -> dict[str, Any]:
    """The options that make a call of ``name`` valid, from the permissions matrix's rows."""
    row = EXPECTED[name]
    options: dict[str, Any] = {}
    last = ""
    for token in row.options.split():
        option, colon, value = token.partition(":")
        if not colon:  # a word of the previous option's value ("quand:lundi 9h")
            options[last] += " " + token
            continue
        options[option], last = value, option
    if "membre" in options:
        options["membre"] = running.sandbox.member(options["membre"])
    return options


def _fits(value: str, parameter: Any) -> str:
    """``value`` within the option's length bounds (for a text option, its min and max value)."""
    value = value[: int(parameter.max_value or 100)]
    return value.ljust(int(parameter.min_value or 1), "x")


async def test_there_are_text_options_to_try(running: Running) -> None:
    assert len(_text_options(running)) >= 10


async def test_every_text_option_shows_what_was_typed_as_text(running: Running) -> None:
    sandbox = running.sandbox
    tried = 0
    for number, (command, parameter) in enumerate(_text_options(running)):
        name = command.qualified_name
        for value in VALUES[number % 4 :: 4][:EXAMPLES]:
            options = _valid_options(running, name)
            options[parameter.display_name] = _fits(value, parameter)
            result = await sandbox.invoke_command(name, options, as_member="alice", timeout=20)
            where = f"/{name} {parameter.display_name}:{options[parameter.display_name]!r}"
            assert result.error is None, where
            assert result.messages, where
            for message in result.messages:
                assert message.content != UNEXPECTED, where
                assert message.mentions == [] and message.mention_roles == [], where
                assert not message.mention_everyone, where
                assert RAW.search(message.text) is None, (where, message.text)
            tried += 1
    assert tried >= 10 * EXAMPLES


async def test_every_autocompleted_option_answers_hostile_text(running: Running) -> None:
    for command, parameter in _text_options(running):
        if not parameter.autocomplete:
            continue
        for value in VALUES[:EXAMPLES]:
            typed = _fits(value, parameter).replace('"', "'")  # the sandbox's line quotes
            choices = await running.sandbox.autocomplete(
                f'/{command.qualified_name} {parameter.display_name}:"{typed}"',
                focus=parameter.display_name,
                as_member="alice",
            )
            assert isinstance(choices, list)
            assert all(len(c["name"]) <= 100 for c in choices)
