"""Linking a member to an officer by the Discord username the roster gives waits for an
organiser's confirmation: a username can pass to someone else, who must not see the officer's
status. Through the service, and through the sandbox with the real discord.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import NotFound
from bot.i18n import Catalog
from bot.privacy.service import PrivacyService
from bot.registration.links import LinkPending
from bot.registration.models import OfficerDetails
from bot.registration.service import LinkRequested, RegistrationService
from bot.sandbox import Sandbox, SandboxMessage
from bot.storage.database import Database
from tests.e2e.conftest import Running, demo_deadline, running_bot, wait_for
from tests.registration.conftest import roster_bytes

CLAIRE = 111111111111111111
STRANGER = 222222222222222222
ORGANISER = "discord:333333333333333333"
CATALOG = Catalog.load()


async def _claire_on_the_roster(service: RegistrationService) -> None:
    await service.import_roster(
        roster_bytes("R1;Claire;Le Goff;56;claire@example.org;claire"), "r.csv", "cli", apply=True
    )


async def _requests(db: Database) -> list[tuple[str, int]]:
    rows = await db.fetchall(
        "SELECT o.key, r.discord_user_id FROM link_requests r "
        "JOIN officers o ON o.id = r.officer_id ORDER BY r.id"
    )
    return [(r[0], r[1]) for r in rows]


async def _linked(db: Database) -> list[tuple[str, int | None]]:
    rows = await db.fetchall("SELECT key, discord_user_id FROM officers ORDER BY key")
    return [(r[0], r[1]) for r in rows]


async def _audit(db: Database) -> list[tuple[str, str, str]]:
    rows = await db.fetchall("SELECT actor, action, detail FROM audit_log ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows if r[1] != "roster.import"]


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another program's connection holding the write lock on ``path``."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


# --- the service ---------------------------------------------------------------------------------


async def test_the_roster_username_files_a_request_and_shows_nothing(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    answer = await service.status_member(CLAIRE, "Claire")
    assert answer == LinkPending(new=True, waiting=1)
    assert await _linked(db) == [("R1", None)]
    assert await _requests(db) == [("R1", CLAIRE)]
    assert await _audit(db) == [
        (f"discord:{CLAIRE}", "roster.link_request", f"R1 discord:{CLAIRE}")
    ]


async def test_asking_again_files_nothing_more_and_writes_nothing(
    service: RegistrationService, db: Database, tmp_path: Path
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(CLAIRE, "claire")
    await db.execute("PRAGMA busy_timeout = 50")
    with write_lock(tmp_path / "relance.sqlite3"):  # a write would wait, then say busy
        again = await service.status_member(CLAIRE, "CLAIRE")
    assert again == LinkPending(new=False, waiting=1)
    assert await _requests(db) == [("R1", CLAIRE)]
    assert len(await _audit(db)) == 1


async def test_a_linked_member_s_status_writes_nothing(
    service: RegistrationService, db: Database, tmp_path: Path
) -> None:
    await _claire_on_the_roster(service)
    await service.link("R1", CLAIRE, ORGANISER)
    await db.execute("PRAGMA busy_timeout = 50")
    with write_lock(tmp_path / "relance.sqlite3"):
        mine = await service.status_member(CLAIRE, "someone_else")
    assert isinstance(mine, OfficerDetails)
    assert (mine.officer.key, mine.own) == ("R1", True)


async def test_the_organiser_s_confirmation_links_and_says_who_confirmed(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(CLAIRE, "claire")
    [request] = await service.link_requests()
    assert (request.officer.key, request.discord_user_id) == ("R1", CLAIRE)
    assert request.requested_at == datetime(2010, 3, 1, 12, 0, tzinfo=UTC)
    linked = await service.confirm_link_request(request.id, ORGANISER)
    assert (linked.officer.key, linked.officer.discord_user_id) == ("R1", CLAIRE)
    assert await _requests(db) == []
    assert (await _audit(db))[-1] == (
        ORGANISER,
        "roster.link",
        f"R1 discord:{CLAIRE} (by username, confirmed by {ORGANISER})",
    )
    mine = await service.status_member(CLAIRE)
    assert isinstance(mine, OfficerDetails) and mine.officer.key == "R1"


async def test_a_refusal_deletes_the_request_and_links_nothing(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    [request] = await service.link_requests()
    await service.refuse_link_request(request.id, ORGANISER)
    assert (await _requests(db), await _linked(db)) == ([], [("R1", None)])
    assert (await _audit(db))[-1] == (ORGANISER, "roster.link_refuse", f"R1 discord:{STRANGER}")
    with pytest.raises(NotFound) as caught:
        await service.confirm_link_request(request.id, ORGANISER)
    assert caught.value.key == "registration.link.gone"


async def test_two_members_holding_the_username_in_turn_each_ask_and_one_is_confirmed(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    assert await service.status_member(CLAIRE, "claire") == LinkPending(new=True, waiting=2)
    claire = next(r for r in await service.link_requests() if r.discord_user_id == CLAIRE)
    await service.confirm_link_request(claire.id, ORGANISER)
    assert await service.link_requests() == []  # the officer is linked: the other one is moot
    with pytest.raises(NotFound) as caught:
        await service.status_member(STRANGER, "claire")
    assert caught.value.key == "registration.member.not_on_roster"


async def test_a_request_made_moot_by_an_organiser_s_link_is_no_longer_listed(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    await service.link("R1", CLAIRE, ORGANISER)
    assert (await service.link_requests(), await _requests(db)) == ([], [])


async def test_a_request_for_an_officer_linked_since_is_refused_with_its_reason(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    [request] = await service.link_requests()
    await db.execute("UPDATE officers SET discord_user_id = ? WHERE key = 'R1'", (CLAIRE,))
    with pytest.raises(NotFound) as caught:
        await service.confirm_link_request(request.id, ORGANISER)
    assert caught.value.key == "registration.link.gone"
    assert await _linked(db) == [("R1", CLAIRE)]


async def test_declaring_before_the_link_files_the_request_and_declares_nothing(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    with pytest.raises(LinkRequested) as caught:
        await service.declare_registered(CLAIRE, "claire")
    assert caught.value.key == "registration.link.requested"
    assert await _requests(db) == [("R1", CLAIRE)]
    row = await db.fetchone("SELECT status, self_declared_at FROM officers")
    assert tuple(row) == ("unregistered", None)


async def test_organisers_links_by_username_are_made_at_once(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    assert await service.link_usernames({"claire": CLAIRE}, "demo") == ["R1"]
    mine = await service.status_member(CLAIRE)
    assert isinstance(mine, OfficerDetails) and mine.officer.key == "R1"
    assert await _requests(db) == []


async def test_a_member_holding_a_username_of_a_linked_officer_is_not_on_the_roster(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.link("R1", CLAIRE, ORGANISER)
    with pytest.raises(NotFound) as caught:
        await service.status_member(STRANGER, "claire")
    assert caught.value.key == "registration.member.not_on_roster"
    assert await _requests(db) == []


# --- privacy: the requests are exported with the officer, erased and purged with them -----------


def _privacy(db: Database, service: RegistrationService) -> PrivacyService:
    clock = FixedClock(datetime(2010, 3, 1, 12, 0, tzinfo=UTC))
    return PrivacyService(db, clock, Settings(registration_deadline=date(2010, 3, 31)), service)


async def test_an_officer_s_export_holds_the_requests_made_for_them(
    service: RegistrationService, db: Database
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    export = await _privacy(db, service).export_officer("R1", ORGANISER)
    rows = json.loads(export.content)["link_requests"]
    assert [(r["discord_user_id"], r["requested_at"]) for r in rows] == [
        (STRANGER, "2010-03-01T12:00:00+00:00")
    ]


@pytest.mark.parametrize("how", ["erase", "purge"])
async def test_erasing_or_purging_removes_the_requests(
    service: RegistrationService, db: Database, how: str
) -> None:
    await _claire_on_the_roster(service)
    await service.status_member(STRANGER, "claire")
    privacy = _privacy(db, service)
    erased = await (privacy.erase("R1", ORGANISER) if how == "erase" else privacy.purge())
    assert erased.rows["link_requests"] == 1
    assert await db.fetchall("SELECT * FROM link_requests") == []


# --- through the sandbox -------------------------------------------------------------------------


@asynccontextmanager
async def demo_bot(tmp_path: Path, **overrides: Any) -> AsyncIterator[Running]:
    """The bot on the demo roster, its members not linked: claire and david hold the usernames
    the roster gives two officers."""
    sandbox = Sandbox()
    zone = Settings.from_env({}, CATALOG).timezone
    async with running_bot(
        tmp_path,
        sandbox=sandbox,
        demo=True,
        registration_deadline=demo_deadline(datetime.now(UTC), zone),
        organiser_channel_id=sandbox.channel("relances").id,
        **overrides,
    ) as running:
        yield running


def _fields(message: SandboxMessage) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


def _notices(running: Running) -> list[str]:
    sandbox = running.sandbox
    return [
        m.content
        for m in sandbox.messages("relances")
        if m.author_id == sandbox.bot_user_id and "liaison" in m.content
    ]


async def _open_requests(running: Running, as_member: str = "alice") -> SandboxMessage:
    """``/verification``, then the link requests' button under its overview."""
    overview = (await running.invoke("/verification", as_member=as_member)).message
    button = next(b for b in overview.buttons if b["custom_id"] == "links:open")
    opened = await running.sandbox.click(overview, button["custom_id"], as_member=as_member)
    return opened.messages[-1]


def _button(message: SandboxMessage, custom_id: str) -> str:
    return next(b["custom_id"] for b in message.buttons if b["custom_id"] == custom_id)


async def test_the_member_sees_their_status_only_after_an_organiser_confirms(tmp_path):
    async with demo_bot(tmp_path) as running:
        claire = running.sandbox.member("claire")
        asked = await running.invoke("/status", as_member="claire")
        [answer] = asked.messages
        assert answer.ephemeral
        assert (answer.content, answer.embeds, answer.buttons) == (
            CATALOG.t("registration.link.requested", "fr"),
            [],
            [],
        )
        again = await running.invoke("/status", as_member="claire")
        assert again.message.content == CATALOG.t("registration.link.still_waiting", "fr")

        request = await _open_requests(running)
        assert request.ephemeral
        embed = request.embeds[0]
        assert embed["title"] == "Demande de liaison 1 sur 1"
        assert embed["description"].startswith(
            f"<@{claire.id}> demande à être relié à **Claire Le Goff** (RDJ-00058), 56 – Morbihan"
        )
        assert (request.mentions, request.mention_roles, request.mention_everyone) == (
            [],
            [],
            False,
        )
        confirmed = await running.sandbox.click(
            request, _button(request, "links:confirm"), as_member="alice"
        )
        last = confirmed.messages[-1]
        assert last.content.startswith(
            CATALOG.t(
                "registration.link.confirmed", "fr", member=f"<@{claire.id}>", name="Claire Le Goff"
            )
        )
        assert last.mentions == []

        mine = await running.invoke("/status", as_member="claire")
        assert mine.message.embeds[0]["title"] == "Claire Le Goff — 56 – Morbihan"
        assert _fields(mine.message)["Statut"] == "❌ non inscrit"


async def test_a_refused_request_shows_nothing_and_links_nothing(tmp_path):
    async with demo_bot(tmp_path) as running:
        await running.invoke("/status", as_member="claire")
        request = await _open_requests(running)
        refused = await running.sandbox.click(
            request, _button(request, "links:refuse"), as_member="alice"
        )
        claire = running.sandbox.member("claire")
        assert refused.messages[-1].content.startswith(
            CATALOG.t("registration.link.refused", "fr", member=f"<@{claire.id}>")
        )
        registration = running.bot.services.registration
        assert await registration.link_requests() == []
        officer = await registration.status_officer("RDJ-00058")
        assert officer.officer.discord_user_id is None
        asked = await running.invoke("/status", as_member="claire")
        assert asked.message.embeds == []


async def test_the_organisers_channel_is_told_how_many_wait_and_no_name(tmp_path):
    async with demo_bot(tmp_path) as running:
        await running.invoke("/status", as_member="claire")
        await wait_for(lambda: len(_notices(running)) == 1)
        await running.invoke("/status", as_member="claire")  # asked again: no new notice
        await running.invoke("/status", as_member="david")
        await wait_for(lambda: len(_notices(running)) == 2)
        assert _notices(running) == [
            CATALOG.t("registration.link.notice", "fr", count=1),
            CATALOG.t("registration.link.notice", "fr", count=2),
        ]
        posted = [m for m in running.sandbox.messages("relances") if "liaison" in m.content]
        assert all(m.mentions == [] for m in posted)


@pytest.mark.parametrize("who", ["bob", "claire", "zoe"])
async def test_only_the_organiser_who_opened_the_requests_may_answer_them(tmp_path, who):
    async with demo_bot(tmp_path) as running:
        await running.invoke("/status", as_member="claire")
        request = await _open_requests(running)
        for custom_id in ("links:confirm", "links:refuse"):
            clicked = await running.sandbox.click(request, custom_id, as_member=who)
            assert [m.content for m in clicked.messages] == [CATALOG.t("common.not_yours", "fr")]
            assert clicked.messages[0].ephemeral
        assert len(await running.bot.services.registration.link_requests()) == 1
