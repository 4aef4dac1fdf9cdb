"""Permissions matrix: every slash command and every persistent button × {organiser, officer,
other member, direct message}, through the sandbox with the real discord.py.

The rows are checked against the bot's own command tree and its registered persistent items, so a
new command or button without a row here fails :func:`test_every_command_has_a_row`.
Commands are synced globally here, so that they can also be tried in a direct message (with the
default guild sync they do not exist there at all): the strictest case.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from discord import app_commands

from bot.config import Settings
from bot.i18n import Catalog
from bot.registration.roster_file import parse_roster
from bot.resources import reference
from bot.sandbox import SandboxMessage
from cogs._ui import is_organiser_command
from tests.e2e.conftest import Running, demo_deadline, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

CATALOG = Catalog.load()
ZONE = Settings.from_env({}, CATALOG).timezone
NOT_ORGANISER = CATALOG.t("error.not_organiser", "fr", role="Organisateurs")
GUILD_ONLY = CATALOG.t("error.guild_only", "fr")
UNEXPECTED = CATALOG.t("error.unexpected", "fr")
NOT_YOUR_NUDGE = CATALOG.t("reminders.ui.not_your_nudge", "fr")
EXPORT_REFUSED = CATALOG.t("privacy.export.only_organisers", "fr")
REFUSALS = {NOT_ORGANISER, GUILD_ONLY, UNEXPECTED, NOT_YOUR_NUDGE, EXPORT_REFUSED}

ORGANISER, OFFICER, MEMBER = "alice", "claire", "zoe"


class Who(enum.StrEnum):
    """Who may use a command."""

    ORGANISERS = "organisers"  # the organiser role only, on the server
    EVERYONE = "everyone"  # any member, on the server or in a direct message
    SELF = "self"  # anyone, about themselves only (the answer is private)


class Context(enum.StrEnum):
    ORGANISER = "organiser"
    OFFICER = "officer"
    MEMBER = "member"
    DM = "dm"  # the organiser, in a direct message with the bot


@dataclasses.dataclass(frozen=True)
class Row:
    who: Who
    options: str = ""  # the typed options that make the call valid
    attachment: str | None = None  # name of the attachment option, if the call uploads a file
    refusal: str = NOT_ORGANISER  # what a member without the role is answered
    dm_refusal: str = GUILD_ONLY  # what a direct message answers when the command is refused


ROSTER_BYTES = (reference() / "demo" / "roster.csv").read_bytes()
SIGNUP_BYTES = (reference() / "demo" / "signups.csv").read_bytes()
ARTICLE_BYTES = (
    "Le parti lance sa plateforme\n\nLe parti a lancé mardi sa nouvelle plateforme en ligne. "
    "« Nous attendons des milliers d'inscrits », a déclaré la porte-parole.\n"
).encode()
UPLOADS = {
    "roster importer": ("roster.csv", ROSTER_BYTES),
    "inscriptions importer": ("inscriptions.csv", SIGNUP_BYTES),
    "news ajouter": ("article.txt", ARTICLE_BYTES),
}
IN_A_WEEK = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()

# Keyed by the command's French qualified name, as typed; a name with options after "|" is a
# variant of the same command whose rule differs with those options.
EXPECTED: dict[str, Row] = {
    "aide": Row(Who.EVERYONE),
    "sante": Row(Who.EVERYONE),
    "status": Row(Who.SELF),
    "status|officier": Row(Who.ORGANISERS, "officier:RDJ-00001", dm_refusal=NOT_ORGANISER),
    "status|departement": Row(Who.ORGANISERS, "departement:56", dm_refusal=NOT_ORGANISER),
    "status|filtre": Row(Who.ORGANISERS, "filtre:missing", dm_refusal=NOT_ORGANISER),
    "progression": Row(Who.EVERYONE),
    "roster importer": Row(Who.ORGANISERS, attachment="fichier"),
    "roster historique": Row(Who.ORGANISERS),
    "roster exporter": Row(Who.ORGANISERS),
    "roster lier": Row(Who.ORGANISERS, "officier:RDJ-00002 membre:bob"),
    "roster ajouter": Row(Who.ORGANISERS, "prenom:Yvon nom:Matrice departement:56"),
    "roster retirer": Row(Who.ORGANISERS, "officier:RDJ-00003"),
    "inscriptions importer": Row(Who.ORGANISERS, attachment="fichier"),
    "inscriptions historique": Row(Who.ORGANISERS),
    "verification": Row(Who.ORGANISERS),
    "news ajouter": Row(Who.ORGANISERS, attachment="fichier"),
    "news synthese": Row(Who.EVERYONE),
    "news liste": Row(Who.EVERYONE),
    "news article": Row(Who.EVERYONE, "numero:1"),
    "news sources": Row(Who.EVERYONE),
    "news retirer": Row(Who.ORGANISERS, "cible:1"),
    "relance apercu": Row(Who.ORGANISERS),
    "relance envoyer": Row(Who.ORGANISERS),
    "relance pause": Row(Who.ORGANISERS),
    "relance reprendre": Row(Who.ORGANISERS),
    "relance historique": Row(Who.ORGANISERS),
    "relance exempter": Row(Who.ORGANISERS, f"officier:RDJ-00004 motif:congé jusqu_au:{IN_A_WEEK}"),
    "relance reessayer-mp": Row(Who.ORGANISERS),
    "relance calendrier": Row(Who.ORGANISERS, "quand:lundi 9h"),
    "confidentialite export": Row(Who.SELF),
    "confidentialite export|officier": Row(
        Who.ORGANISERS, "officier:RDJ-00005", refusal=EXPORT_REFUSED, dm_refusal=EXPORT_REFUSED
    ),
    "confidentialite effacer": Row(Who.ORGANISERS, "officier:RDJ-00005"),
    "audit": Row(Who.ORGANISERS),
}

# Persistent items (they answer clicks on messages of any age), by class name: who may click.
EXPECTED_PERSISTENT: dict[str, str] = {
    "NudgeButton": "the officer the nudge was sent to, and no one else",
}


@dataclasses.dataclass
class Matrix:
    running: Running
    officers_text: tuple[str, ...]  # names and e-mails of the roster: personal data
    claire_dm: SandboxMessage
    emma_fallback: SandboxMessage


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Matrix]:
    tmp_path = tmp_path_factory.mktemp("matrix")
    deadline = demo_deadline(datetime.now(UTC), ZONE)
    async with running_bot(
        tmp_path, demo=True, registration_deadline=deadline, sync_commands="global"
    ) as running:
        sandbox = running.sandbox
        registration = running.bot.services.registration
        members = {m.user.username: m.user.id for m in sandbox.members()}
        await registration.link_usernames(members, "test")
        await registration.review("RDJ-00060", False, "test")
        # A campaign first, so that the nudges (and their buttons) exist before the matrix runs.
        sent = await sandbox.invoke("/relance envoyer", as_member=ORGANISER)
        assert sent.error is None
        await sandbox.wait_for_messages(2, timeout=20)
        [claire_dm] = sandbox.dm_messages("claire")
        emma = sandbox.member("emma")
        [fallback] = [m for m in sandbox.messages("dep-75") if m.author_id != emma.id]
        personal = tuple(
            text
            for record in parse_roster(ROSTER_BYTES, "roster.csv")
            for text in (
                f"{record.profile.first_name} {record.profile.last_name}",
                record.profile.email,
            )
            if text
        )
        yield Matrix(running, personal, claire_dm, fallback)


def _leaf_commands(running: Running) -> list[app_commands.Command[Any, ..., Any]]:
    return [c for c in running.bot.tree.walk_commands() if isinstance(c, app_commands.Command)]


def _is_guild_only(command: app_commands.Command[Any, ..., Any]) -> bool:
    root = command.root_parent or command
    return bool(command.guild_only or root.guild_only)


async def test_every_command_has_a_row(matrix: Matrix) -> None:
    names = {c.qualified_name for c in _leaf_commands(matrix.running)}
    rows = {name.split("|")[0] for name in EXPECTED}
    assert names == rows  # a command without a row (or a row without a command) fails here


async def test_the_rows_agree_with_the_commands_declared_rules(matrix: Matrix) -> None:
    """A row says organisers only exactly when the command carries the organiser check; a
    command that Discord offers in direct messages is not marked guild-only by mistake."""
    for command in _leaf_commands(matrix.running):
        row = EXPECTED[command.qualified_name]
        assert (row.who is Who.ORGANISERS) == is_organiser_command(command), command.name
        if row.who is Who.EVERYONE:
            assert not _is_guild_only(command), command.qualified_name


async def test_every_persistent_item_has_a_row(matrix: Matrix) -> None:
    bot = matrix.running.bot
    dynamic = bot._connection._view_store._dynamic_items.values()
    registered = {item.__name__ for item in dynamic} | {
        type(view).__name__ for view in bot.persistent_views
    }
    assert registered == set(EXPECTED_PERSISTENT)


def _cases() -> list[tuple[str, Context]]:
    # The refusals before the organiser's own call, whose effects (a link, an import) would
    # change what the others are.
    order = (Context.MEMBER, Context.OFFICER, Context.DM, Context.ORGANISER)
    return [(name, context) for name in EXPECTED for context in order]


def _line(name: str, row: Row) -> str:
    command = name.split("|")[0]
    return f"/{command} {row.options}".strip()


def _no_ping(message: SandboxMessage) -> None:
    assert message.mentions == [], message.text
    assert message.mention_roles == [], message.text
    assert not message.mention_everyone, message.text


def _no_personal_data_in_public(matrix: Matrix, message: SandboxMessage) -> None:
    if message.ephemeral:
        return
    text = message.text + "".join(a.data.decode("utf-8", "replace") for a in message.attachments)
    leaked = [t for t in matrix.officers_text if t in text]
    assert leaked == [], message.text


@pytest.mark.parametrize(("name", "context"), _cases(), ids=lambda v: str(v).replace(" ", "_"))
async def test_command(matrix: Matrix, name: str, context: Context) -> None:
    row = EXPECTED[name]
    sandbox = matrix.running.sandbox
    as_member = {Context.ORGANISER: ORGANISER, Context.OFFICER: OFFICER, Context.DM: ORGANISER}.get(
        context, MEMBER
    )
    attachments = None
    if row.attachment is not None:
        attachments = {row.attachment: UPLOADS[name.split("|")[0]]}
    result = await sandbox.invoke(
        _line(name, row),
        as_member=as_member,
        channel="@dm" if context is Context.DM else "general",
        attachments=attachments,
        timeout=20,
    )
    assert result.error is None
    assert result.messages, "no answer"
    for message in result.messages:
        _no_ping(message)
        _no_personal_data_in_public(matrix, message)
    texts = [m.content for m in result.messages]
    refused = row.who is Who.ORGANISERS and context is not Context.ORGANISER
    if refused:
        expected = row.dm_refusal if context is Context.DM else row.refusal
        assert texts == [expected]
        assert result.messages[0].ephemeral
    else:
        assert not REFUSALS & set(texts), texts
    if row.who is Who.SELF:
        assert all(m.ephemeral for m in result.messages)


def _nudge_buttons(message: SandboxMessage) -> list[str]:
    return [b["custom_id"] for b in message.buttons]


@pytest.mark.parametrize("who", [MEMBER, OFFICER, ORGANISER])
@pytest.mark.parametrize("button", [0, 1])
async def test_someone_else_s_nudge_button_is_refused_privately(
    matrix: Matrix, who: str, button: int
) -> None:
    """Emma's nudge, posted in her department's channel (her DMs are closed), clicked by others."""
    message = matrix.emma_fallback
    assert all(c.startswith("relance:") for c in _nudge_buttons(message))
    result = await matrix.running.sandbox.click(message, button, as_member=who)
    assert [m.content for m in result.messages] == [NOT_YOUR_NUDGE]
    assert result.messages[0].ephemeral
    _no_ping(result.messages[0])


@pytest.mark.parametrize(("where", "who"), [("channel", "emma"), ("dm", "claire")])
async def test_the_nudged_officer_may_use_their_nudge_buttons(
    matrix: Matrix, where: str, who: str
) -> None:
    message = matrix.emma_fallback if where == "channel" else matrix.claire_dm
    for button in (1, 0):  # "later", then "I have registered"
        result = await matrix.running.sandbox.click(message, button, as_member=who)
        texts = [m.content for m in result.messages]
        assert texts and not REFUSALS & set(texts), texts
        assert all(m.ephemeral for m in result.messages)
        for answer in result.messages:
            _no_ping(answer)


# Options that suggest values as they are typed: who gets suggestions. Officers' names are
# personal data (organisers only); departments, regions and outlets are public.
EXPECTED_AUTOCOMPLETE: dict[tuple[str, str], tuple[Who, str]] = {
    ("status", "officier"): (Who.ORGANISERS, "Meun"),
    ("status", "departement"): (Who.EVERYONE, "Morb"),
    ("progression", "region"): (Who.EVERYONE, "Bret"),
    ("roster lier", "officier"): (Who.ORGANISERS, "Meun"),
    ("roster ajouter", "departement"): (Who.EVERYONE, "Morb"),
    ("roster retirer", "officier"): (Who.ORGANISERS, "Meun"),
    ("verification", "officier"): (Who.ORGANISERS, "Meun"),
    ("verification", "departement"): (Who.EVERYONE, "Morb"),
    ("news synthese", "source"): (Who.EVERYONE, ""),
    ("news liste", "source"): (Who.EVERYONE, ""),
    ("news retirer", "cible"): (Who.EVERYONE, ""),
    ("relance exempter", "officier"): (Who.ORGANISERS, "Meun"),
    ("confidentialite export", "officier"): (Who.ORGANISERS, "Meun"),
    ("confidentialite effacer", "officier"): (Who.ORGANISERS, "Meun"),
    ("audit", "officier"): (Who.ORGANISERS, "Meun"),
}


async def test_every_autocompleted_option_has_a_row(matrix: Matrix) -> None:
    found = {
        (command.qualified_name, parameter.display_name)
        for command in _leaf_commands(matrix.running)
        for parameter in command.parameters
        if parameter.autocomplete
    }
    assert found == set(EXPECTED_AUTOCOMPLETE)


@pytest.mark.parametrize("context", list(Context))
@pytest.mark.parametrize(("command", "option"), list(EXPECTED_AUTOCOMPLETE))
async def test_autocomplete(matrix: Matrix, command: str, option: str, context: Context) -> None:
    who, typed = EXPECTED_AUTOCOMPLETE[(command, option)]
    as_member = {Context.ORGANISER: ORGANISER, Context.OFFICER: OFFICER, Context.DM: ORGANISER}
    choices = await matrix.running.sandbox.autocomplete(
        f"/{command} {option}:{typed}",
        as_member=as_member.get(context, MEMBER),
        channel="@dm" if context is Context.DM else "general",
        focus=option,
    )
    shown = " ".join(c["name"] for c in choices)
    if who is Who.ORGANISERS and context is not Context.ORGANISER:
        assert choices == []
    else:
        assert choices, "no suggestion"
    if who is Who.EVERYONE:
        assert not [t for t in matrix.officers_text if t in shown]


# Buttons of an answer (not persistent): the organiser who asked may use them, nobody else, an
# organiser included. Every button of the answers below is tried, so a new one is covered. Last in
# this module: it adds an officer whose roster username is the plain member's.
NOT_YOURS = CATALOG.t("common.not_yours", "fr")


async def test_the_verification_buttons_are_the_organiser_s_own(matrix: Matrix) -> None:
    sandbox = matrix.running.sandbox
    registration = matrix.running.bot.services.registration
    await registration.add_officer("test", "Zoé", "Matrice", "56", key="RDJ-09999", discord=MEMBER)
    asked = await sandbox.invoke("/status", as_member=MEMBER)
    assert asked.message.embeds == []  # a link request: nothing shown before an organiser says so
    answer = (await sandbox.invoke("/verification", as_member=ORGANISER)).message
    answers = [answer]
    if any(b["custom_id"] == "links:open" for b in answer.buttons):
        opened = await sandbox.click(answer, "links:open", as_member=ORGANISER)
        answers.append(opened.messages[-1])
    assert {b["custom_id"] for b in answers[-1].buttons} >= {"links:confirm", "links:refuse"}
    for message in answers:
        for button in message.buttons:
            for who in (MEMBER, OFFICER, "bob"):
                clicked = await sandbox.click(message, button["custom_id"], as_member=who)
                assert [m.content for m in clicked.messages] == [NOT_YOURS], button
                assert clicked.messages[0].ephemeral
                _no_ping(clicked.messages[0])
    assert len(await registration.link_requests()) == 1
    confirmed = await sandbox.click(answers[-1], "links:confirm", as_member=ORGANISER)
    _no_ping(confirmed.messages[-1])
    assert (await registration.status_officer("RDJ-09999")).officer.discord_user_id == (
        sandbox.member(MEMBER).id
    )
