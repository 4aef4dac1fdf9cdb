"""The reminders service against a real SQLite file, with a fake Messenger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import InvalidInput, PermissionDenied
from bot.i18n import Catalog
from bot.registration.service import RegistrationService
from bot.reminders.ledger import CampaignLabel, CampaignState
from bot.reminders.messenger import SendOutcome
from bot.reminders.models import DeliveryChannel, FailureReason, SkipReason
from bot.reminders.service import ReminderService
from bot.reminders.storage import ReminderRepository
from bot.storage.database import Database

CATALOG = Catalog.load()
DEADLINE = date(2010, 3, 31)
DEP56_CHANNEL = 560000000000000000
HEADER = "Identifiant;Prénom;Nom;Département;E-mail;Discord"
ROSTER = [
    "R1;Claire;Le Goff;56;claire@example.org;claire",
    "R2;David;Kerbrat;29;david@example.org;david",
    "R3;Emma;Rousseau;56;emma@example.org;emma",
    "R4;Zoé;Bernard;75;zoe@example.org;",
]
USERS = {"claire": 100000000000000001, "david": 100000000000000002, "emma": 100000000000000003}


class Crash(Exception):
    """The process dies right after Discord posted the message, before the ledger knows."""


@dataclass
class FakeMessenger:
    closed: set[int] = field(default_factory=set)
    crash_after: int | None = None  # raise after this many successful sends
    posts: list[tuple[str, int, int, str]] = field(
        default_factory=list
    )  # kind, where, marker, nonce
    reports: list[tuple[int, str]] = field(default_factory=list)
    dm_opens: list[int] = field(default_factory=list)  # user ids a DM was opened for
    texts: list[str] = field(default_factory=list)  # every DM's text
    next_id: int = 1

    def _post(self, kind: str, where: int, marker: int, nonce: str) -> SendOutcome:
        for posted in self.posts:
            if posted[3] == nonce:  # enforce_nonce: the first message comes back
                return SendOutcome(message_id=1000 + self.posts.index(posted))
        self.posts.append((kind, where, marker, nonce))
        if self.crash_after is not None and len(self.posts) >= self.crash_after:
            raise Crash()
        return SendOutcome(message_id=1000 + len(self.posts) - 1)

    async def send_dm(
        self,
        user_id: int,
        text: str,
        nonce: str,
        marker: int,
        locale: str,
        dm_channel: int | None = None,
    ) -> SendOutcome:
        if dm_channel is None:
            self.dm_opens.append(user_id)
            dm_channel = user_id + 1
        self.texts.append(text)
        if user_id in self.closed:
            return SendOutcome(
                failure=FailureReason.DM_CLOSED, dm_closed=True, dm_channel_id=dm_channel
            )
        return replace(self._post("dm", user_id, marker, nonce), dm_channel_id=dm_channel)

    async def send_channel(
        self, channel_id: int, user_id: int, text: str, nonce: str, marker: int, locale: str
    ) -> SendOutcome:
        return self._post("channel", channel_id, marker, nonce)

    async def find_sent(
        self, user_id: int | None, channel_id: int | None, marker: int
    ) -> int | None:
        for index, (_, _, found, _) in enumerate(self.posts):
            if found == marker:
                return 1000 + index
        return None

    async def channels_named(self, names: Sequence[str]) -> Mapping[str, int]:
        return {"dep-56": DEP56_CHANNEL} if "dep-56" in names else {}

    async def post_report(self, channel_id: int, text: str) -> None:
        self.reports.append((channel_id, text))

    def markers(self) -> list[int]:
        return [p[2] for p in self.posts]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2010, 3, 21, 9, 0, tzinfo=UTC))  # D-10: the D-14 step


@pytest.fixture
def settings() -> Settings:
    return Settings(registration_deadline=DEADLINE, platform_url="https://plateforme.example.org")


def build(db: Database, clock: FixedClock, settings: Settings) -> ReminderService:
    registration = RegistrationService(db, clock, settings, CATALOG, nudges=ReminderRepository(db))
    return ReminderService(db, clock, settings, CATALOG, registration)


@pytest.fixture
async def service(db: Database, clock: FixedClock, settings: Settings) -> ReminderService:
    reminders = build(db, clock, settings)
    data = ("\r\n".join([HEADER, *ROSTER]) + "\r\n").encode("cp1252")
    registration = reminders._registration
    await registration.import_roster(data, "roster.csv", "test", apply=True)
    await registration.link_usernames(USERS, "test")
    return reminders


async def test_preview_counts_channels_and_renders_a_sample(service: ReminderService) -> None:
    service.attach(FakeMessenger(closed={USERS["emma"]}))
    await service.forget_closed_dms("test")
    preview = await service.preview()
    assert preview.plan.step.days_before == 14
    assert [d.officer_key for d in preview.plan.deliveries] == ["R2", "R1", "R3"]
    assert [d.officer_key for d in preview.plan.unreachable] == ["R4"]
    assert preview.sample is not None and "David" in preview.sample
    assert "https://plateforme.example.org" in preview.sample


async def test_a_campaign_sends_each_officer_once_and_falls_back_for_closed_dms(
    service: ReminderService,
) -> None:
    messenger = FakeMessenger(closed={USERS["emma"]})
    service.attach(messenger)
    started = await service.start("discord:1")
    stats = await service.run(started.campaign.id)
    assert (stats.planned, stats.sent, stats.fallbacks) == (4, 3, 1)
    assert stats.failed == {FailureReason.NOT_LINKED: 1}
    assert stats.campaign.state is CampaignState.DONE
    assert sorted((k, w) for k, w, _, _ in messenger.posts) == [
        ("channel", DEP56_CHANNEL),
        ("dm", USERS["claire"]),
        ("dm", USERS["david"]),
    ]


async def test_the_next_campaign_goes_straight_to_the_channel_for_known_closed_dms(
    service: ReminderService, clock: FixedClock
) -> None:
    service.attach(FakeMessenger(closed={USERS["emma"]}))
    await service.run((await service.start("t")).campaign.id)
    clock.advance(timedelta(days=5))  # D-5: the D-7 step
    plan = await service.plan()
    emma = next(d for d in plan.deliveries if d.officer_key == "R3")
    assert (plan.step.days_before, emma.channel) == (7, DeliveryChannel.CHANNEL)


async def test_nobody_gets_the_same_step_twice(service: ReminderService) -> None:
    messenger = FakeMessenger()
    service.attach(messenger)
    await service.run((await service.start("t")).campaign.id)
    plan = await service.plan()
    assert plan.deliveries == ()
    assert plan.by_skip_reason()[SkipReason.ALREADY_SENT] == 3
    assert len(messenger.posts) == 3


async def test_a_crash_between_send_and_sent_is_resumed_without_a_second_message(
    db: Database, clock: FixedClock, settings: Settings, service: ReminderService
) -> None:
    messenger = FakeMessenger(crash_after=2)
    service.attach(messenger)
    started = await service.start("t")
    with pytest.raises(Crash):
        await service.run(started.campaign.id)
    messenger.crash_after = None
    restarted = build(db, clock, settings)  # a new process on the same database
    restarted.attach(messenger)
    [stats] = await restarted.resume()
    assert stats.sent == 3
    assert sorted(messenger.markers()) == sorted(set(messenger.markers()))
    assert len(messenger.posts) == 3


async def test_pause_stops_and_resume_finishes_the_campaign(service: ReminderService) -> None:
    messenger = FakeMessenger()
    service.attach(messenger)
    started = await service.start("t")
    await service.pause("t")
    stats = await service.run(started.campaign.id)
    assert (stats.sent, stats.campaign.state) == (0, CampaignState.PAUSED)
    with pytest.raises(InvalidInput):
        await service.start("t")
    await service.unpause("t")
    stats = await service.run(started.campaign.id)
    assert (stats.sent, stats.campaign.state) == (3, CampaignState.DONE)


async def test_the_registered_button_declares_and_counts_within_48_hours(
    service: ReminderService, clock: FixedClock, db: Database
) -> None:
    service.attach(FakeMessenger())
    started = await service.start("t")
    await service.run(started.campaign.id)
    [_, claire, _] = [d for d in await service._repo.deliveries(started.campaign.id)][:3]
    assert claire.officer_key == "R1"
    clock.advance(timedelta(hours=3))
    assert await service.declare(claire.id, USERS["claire"]) is True
    with pytest.raises(PermissionDenied):
        await service.declare(claire.id, USERS["david"])
    [stats] = await service.history()
    assert stats.registered_48h == 1
    assert (await ReminderRepository(db).last_nudges(["R1", "R4"])).keys() == {"R1"}


async def test_snooze_skips_the_officer_until_it_ends_then_asks_again(
    service: ReminderService, clock: FixedClock
) -> None:
    service.attach(FakeMessenger())
    started = await service.start("t")
    await service.run(started.campaign.id)
    claire = next(
        d for d in await service._repo.deliveries(started.campaign.id) if d.officer_key == "R1"
    )
    until = await service.snooze(claire.id, USERS["claire"])
    assert until == clock.now() + timedelta(hours=24)
    assert "R1" not in [d.officer_key for d in (await service.plan()).deliveries]
    clock.advance(timedelta(hours=25))
    again = (await service.plan()).deliveries
    assert [(d.officer_key, d.after_snooze) for d in again] == [("R1", True)]


async def test_an_exempted_officer_is_skipped(service: ReminderService) -> None:
    service.attach(FakeMessenger())
    assert await service.exempt("R2", date(2010, 4, 1), "congé", "t") == ("R2", "David Kerbrat")
    plan = await service.plan()
    assert plan.by_skip_reason()[SkipReason.EXEMPTED] == 1
    with pytest.raises(InvalidInput) as caught:
        await service.exempt("R2", date(2010, 3, 1), "congé", "t")
    assert CATALOG.t(caught.value.key, "fr", **caught.value.params) == (
        "La date de fin, le 1er mars 2010, est déjà passée\u00a0: choisissez aujourd'hui ou plus tard."
    )


async def test_a_scheduled_run_made_late_is_labelled_and_only_sends_the_due_step(
    service: ReminderService, clock: FixedClock
) -> None:
    messenger = FakeMessenger()
    service.attach(messenger)
    due = clock.now() - timedelta(hours=6)
    stats = await service.scheduled_run(due)
    assert stats is not None
    assert (stats.campaign.label, stats.campaign.step_days, stats.sent) == (
        CampaignLabel.LATE,
        14,
        3,
    )
    assert await service.scheduled_run(clock.now()) is None  # nobody left: no campaign
    assert len(await service.history()) == 1
    assert len(messenger.posts) == 3


async def test_calendar_reads_a_time_in_words_and_shows_five_runs(
    db: Database, clock: FixedClock, service: ReminderService
) -> None:
    await service.load_schedule()
    assert service.next_runs() == []
    runs = await service.set_calendar("demain 10h", "t")
    assert runs == [datetime(2010, 3, 22, 9, 0, tzinfo=UTC)]  # no cron schedule: the one-off
    runs = await service.set_calendar("0 10 * * 1-5", "t")
    assert len(runs) == 5 and runs[0] == datetime(2010, 3, 22, 9, 0, tzinfo=UTC)


async def test_the_command_line_shows_the_preview_and_the_history_as_json(
    service: ReminderService,
) -> None:
    import json

    from bot.reminders.cli import ReminderCli

    service.attach(FakeMessenger(closed={USERS["emma"]}))
    shown = ReminderCli(service, CATALOG, "fr")
    preview = json.loads(await shown.preview(as_json=True))
    assert (preview["step"], preview["recipients"]) == (14, 3)
    assert preview["unreachable"] == [{"officer": "R4", "reason": "not_linked"}]
    await service.run((await service.start("cli")).campaign.id)
    [campaign] = json.loads(await shown.history(as_json=True))
    assert (campaign["planned"], campaign["sent"], campaign["fallbacks"]) == (4, 3, 1)
    assert campaign["failed"] == {"not_linked": 1}
    assert (await shown.history()) == (
        "N° 1 J-14 21 mars 2010 à 10:00\u00a0: prévues 4, envoyées 3, via salon 1, échecs 1, "
        "dont 1 sans compte Discord lié, inscrits sous 48 h 0"
    )


async def test_after_the_last_step_the_organisers_get_who_is_still_missing(
    db: Database, settings: Settings
) -> None:
    from dataclasses import replace

    clock = FixedClock(datetime(2010, 3, 30, 9, 0, tzinfo=UTC))  # D-1: the last call
    organisers = 990000000000000000
    service = build(db, clock, replace(settings, organiser_channel_id=organisers))
    data = ("\r\n".join([HEADER, *ROSTER]) + "\r\n").encode("cp1252")
    await service._registration.import_roster(data, "roster.csv", "test", apply=True)
    await service._registration.link_usernames(USERS, "test")
    messenger = FakeMessenger()
    service.attach(messenger)
    stats = await service.run((await service.start("t")).campaign.id)
    assert stats.campaign.step_days == 1
    [(channel, text)] = messenger.reports
    assert channel == organisers
    assert "Morbihan (56)\u00a0: Claire Le Goff, Emma Rousseau" in text


async def test_the_last_step_summary_goes_out_once_even_if_the_step_runs_again(
    db: Database, settings: Settings
) -> None:
    from dataclasses import replace

    clock = FixedClock(datetime(2010, 3, 30, 9, 0, tzinfo=UTC))  # D-1: the last call
    service = build(db, clock, replace(settings, organiser_channel_id=990000000000000000))
    data = ("\r\n".join([HEADER, *ROSTER]) + "\r\n").encode("cp1252")
    await service._registration.import_roster(data, "roster.csv", "test", apply=True)
    await service._registration.link_usernames(USERS, "test")
    messenger = FakeMessenger()
    service.attach(messenger)
    first = await service.run((await service.start("t")).campaign.id)
    # Claire's nudge failed: a later run of the same step has her to nudge again.
    claire = next(
        d for d in await service._repo.deliveries(first.campaign.id) if d.officer_key == "R1"
    )
    await service._repo.mark_failed(claire.id, FailureReason.HTTP_ERROR)
    clock.advance(timedelta(hours=2))
    again = await service.scheduled_run(clock.now())
    assert again is not None and again.sent == 1
    assert len(messenger.reports) == 1


async def test_dm_channels_are_remembered_so_that_later_campaigns_open_none(
    db: Database, clock: FixedClock, settings: Settings, service: ReminderService
) -> None:
    messenger = FakeMessenger()
    service.attach(messenger)
    await service.run((await service.start("t")).campaign.id)
    assert sorted(messenger.dm_opens) == sorted(USERS.values())
    clock.advance(timedelta(days=5))  # D-5: the D-7 step, in a new process
    restarted = build(db, clock, settings)
    restarted.attach(messenger)
    stats = await restarted.run((await restarted.start("t")).campaign.id)
    assert stats.sent == 3
    assert len(messenger.dm_opens) == 3  # none opened again


async def test_nudges_are_in_the_language_of_the_officer_s_last_interaction(
    service: ReminderService,
) -> None:
    messenger = FakeMessenger()
    service.attach(messenger)
    await service.remember_locale(USERS["claire"], "en-GB")
    await service.remember_locale(USERS["david"], "de")  # not spoken: LOCALE
    plan = await service.plan()
    locales = {d.officer_key: d.locale for d in plan.deliveries}
    assert locales == {"R1": "en", "R2": "fr", "R3": "fr"}
    await service.remember_locale(USERS["claire"], "fr")
    assert {d.officer_key: d.locale for d in (await service.plan()).deliveries}["R1"] == "fr"
