"""Outside text in the bot's refusals and confirmations, through the sandbox (issue 12): an
uploaded file's name, a roster officer's name, what an organiser typed. Each reply is the
catalog sentence with that text escaped, and pings nobody."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.i18n import Catalog
from bot.markdown import escape
from bot.reminders.when import parse_day
from bot.sandbox import SandboxMessage
from tests.e2e.conftest import Running, demo_deadline, running_bot
from tests.trust.test_error_text import BOLD_MENTION, HOSTILE, PHISH, markup

pytestmark = pytest.mark.asyncio(loop_scope="module")

CATALOG = Catalog.load()
ZONE = Settings.from_env({}, CATALOG).timezone
FIRST = BOLD_MENTION  # "**Gras** <@123456789012345678>"
LAST = "Martin @everyone"
NAME = f"{FIRST} {LAST}"
ROSTER_LIMIT = 10_000  # the smallest the settings allow
# A file's name holds no "/" (a URL's slashes cannot reach Discord in one): the rest can.
FILE = "[x](evil.example) **gras** <@123456789012345678> @everyone ||x||"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    deadline = demo_deadline(datetime.now(UTC), ZONE)
    async with running_bot(
        tmp_path_factory.mktemp("errors"),
        demo=True,
        registration_deadline=deadline,
        roster_max_bytes=ROSTER_LIMIT,
    ) as r:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail"])
        writer.writerow(["HOST-1", FIRST, LAST, "RDJ", "56", "host1@example.org"])
        await r.bot.services.registration.import_roster(
            out.getvalue().encode(), "hostile.csv", "test", apply=True, remove_missing=False
        )
        yield r


def only_text(message: SandboxMessage) -> None:
    """Nothing in ``message`` that Discord would render as a link, a mention, a ping or bold."""
    assert markup(message.content) == []
    assert message.mentions == [] and message.mention_roles == []
    assert not message.mention_everyone


async def test_an_uploaded_article_s_name_is_text_in_its_refusal(running: Running) -> None:
    name = f"{FILE}.txt"
    answer = await running.invoke("/news ajouter", attachments={"fichier": (name, b"  ")})
    assert answer.message.content == CATALOG.t("news.article.empty", "fr", name=escape(name))
    only_text(answer.message)


async def test_a_roster_file_s_name_is_text_in_its_refusal(running: Running) -> None:
    name = f"{FILE}.csv"
    answer = await running.invoke("/roster importer", attachments={"fichier": (name, b"")})
    assert answer.message.content == CATALOG.t(
        "registration.file.empty", "fr", filename=escape(name)
    )
    only_text(answer.message)


async def test_a_too_large_file_s_name_is_escaped_once(running: Running) -> None:
    name = f"{FILE}_big.csv"
    data = b"x" * (ROSTER_LIMIT + 1)
    answer = await running.invoke("/roster importer", attachments={"fichier": (name, data)})
    assert answer.message.content == CATALOG.t(
        "reg.ui.file_too_large", "fr", filename=escape(name), limit_mb=1
    )
    only_text(answer.message)


async def test_an_officer_s_name_is_text_in_a_refusal(running: Running) -> None:
    answer = await running.invoke("/verification officier:HOST-1")
    assert answer.message.content == CATALOG.t(
        "registration.review.not_pending", "fr", name=escape(NAME)
    )
    only_text(answer.message)


async def test_what_was_typed_is_text_in_a_refusal(running: Running) -> None:
    answer = await running.sandbox.invoke_command(
        "status", {"officier": HOSTILE}, as_member="alice"
    )
    assert answer.message.content == CATALOG.t(
        "registration.officer.not_found", "fr", query=escape(HOSTILE)
    )
    only_text(answer.message)


async def test_an_officer_s_name_is_text_in_the_question_before_erasing(running: Running) -> None:
    asked = await running.invoke("/confidentialite effacer officier:HOST-1")
    assert asked.message.content == CATALOG.t(
        "privacy.erase.question", "fr", name=escape(NAME), key="HOST-1"
    )
    only_text(asked.message)


async def test_an_officer_s_name_is_text_in_an_export_s_answer(running: Running) -> None:
    answer = await running.invoke("/confidentialite export officier:HOST-1")
    assert answer.messages[-1].content == CATALOG.t("privacy.export.done", "fr", name=escape(NAME))
    only_text(answer.messages[-1])


async def test_an_exemption_s_name_and_reason_are_text_in_its_confirmation(
    running: Running,
) -> None:
    reason = f"{PHISH} @here"
    answer = await running.sandbox.invoke_command(
        "relance exempter",
        {"officier": "HOST-1", "motif": reason, "jusqu_au": "31/12"},
        as_member="alice",
    )
    until = parse_day("31/12", running.bot.services.reminders.today())
    assert answer.message.content == CATALOG.t(
        "reminders.ui.exempted", "fr", name=escape(NAME), until=until, reason=escape(reason)
    )
    only_text(answer.message)
