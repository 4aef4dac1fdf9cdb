"""The figures of ``/progression`` kept in memory and updated officer by officer are those of the
whole history read again, after any sequence of changes and undos, whoever writes."""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import UserError
from bot.i18n import Catalog
from bot.registration.departments import departments
from bot.registration.figures import RegistrationFigures, officer_figures
from bot.registration.models import Counts, OfficerStatus, Progress, ReviewDecision, StatusEvent
from bot.registration.progress import registration_curve
from bot.registration.service import RegistrationService
from bot.registration.storage import RegistrationRepository
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes, signups_bytes

PARIS = ZoneInfo("Europe/Paris")
STATUSES = list(OfficerStatus)
FIRST = ["Anne", "Luc", "Léa", "Paul", "Yann", "Maëlle", "Hugo", "Inès"]
LAST = ["Le Goff", "Roy", "Morin", "Kerbrat", "Le Bihan", "Durand", "Petit", "Moreau"]
CODES = ["56", "29", "75", "2A", "971"]


def _events(rng: random.Random, officers: int, count: int) -> list[StatusEvent]:
    start = datetime(2010, 2, 1, tzinfo=UTC)
    events = [
        StatusEvent(
            rng.randrange(officers),
            start + timedelta(hours=rng.randrange(24 * 20), minutes=rng.randrange(60)),
            rng.choice(STATUSES),
        )
        for _ in range(count)
    ]
    return sorted(events, key=lambda e: e.effective_at)  # stable: then as drawn


@pytest.mark.parametrize("seed", range(40))
def test_figures_set_and_taken_out_give_the_curve_of_the_whole_history(seed: int) -> None:
    rng = random.Random(seed)
    officers = rng.randrange(1, 12)
    department = {o: rng.choice(CODES) for o in range(officers)}
    events = _events(rng, officers, rng.randrange(0, 60))
    today = datetime(2010, 3, 1).date()
    figures = RegistrationFigures()
    for officer in range(officers):  # set twice: the second replaces the first
        figures.set(officer, officer_figures("56", OfficerStatus.PROBABLE, [], PARIS))
    gone = {o for o in range(officers) if rng.random() < 0.3}
    for officer in range(officers):
        own = [(e.effective_at, e.status) for e in events if e.officer_id == officer]
        figures.set(
            officer,
            officer_figures(
                department[officer], own[-1][1] if own else OfficerStatus.UNREGISTERED, own, PARIS
            ),
        )
    for officer in gone:
        figures.set(officer, None)
    kept = [e for e in events if e.officer_id not in gone]
    some = set(rng.sample(CODES, rng.randrange(1, len(CODES) + 1)))
    for codes in (set(CODES), some):
        chosen = [e for e in kept if department[e.officer_id] in codes]
        assert figures.curve(codes, today) == registration_curve(chosen, today, PARIS)
    counted: dict[str, dict[OfficerStatus, int]] = {}
    for officer in set(range(officers)) - gone:
        own = [e.status for e in events if e.officer_id == officer]
        status = own[-1] if own else OfficerStatus.UNREGISTERED
        by = counted.setdefault(department[officer], {})
        by[status] = by.get(status, 0) + 1
    assert figures.counts(some) == {c: Counts.of(n) for c, n in counted.items() if c in some}
    for codes in (set(CODES), some):
        assert figures.total(codes) == Counts.counted(
            s for c, n in counted.items() if c in codes for s, k in n.items() for _ in range(k)
        )


async def _recomputed(db: Database, codes: Collection[str], progress: Progress) -> None:
    """``progress`` against the status counts and the curve read again from the tables."""
    repo = RegistrationRepository(db)
    counts = await repo.status_counts(codes)
    events = await repo.status_events(codes)
    assert progress.curve == registration_curve(events, progress.today, PARIS)
    totals = {s: sum(by.get(s, 0) for by in counts.values()) for s in OfficerStatus}
    assert (progress.counts.registered, progress.counts.total) == (
        totals[OfficerStatus.REGISTERED],
        sum(totals.values()),
    )
    for shown in progress.departments:
        assert shown.counts.total == sum(counts[shown.department.code].values())
        assert shown.counts.registered == counts[shown.department.code].get(
            OfficerStatus.REGISTERED, 0
        )


def _roster(rng: random.Random, size: int) -> list[tuple[str, str, str, str]]:
    return [
        (f"R{i}", FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)], rng.choice(CODES))
        for i in range(size)
    ]


def _roster_file(officers: list[tuple[str, str, str, str]]) -> bytes:
    return roster_bytes(*(f"{k};{f};{n};{d};;" for k, f, n, d in officers))


def _signups_file(rng: random.Random, officers: list[tuple[str, str, str, str]]) -> bytes:
    rows = []
    for index, (_key, first, last, department) in enumerate(officers):
        if rng.random() < 0.5:
            postcode = {"2A": "20000", "971": "97100"}.get(department, department + "000")
            day = datetime(2010, 2, 1) + timedelta(days=rng.randrange(28), hours=rng.randrange(24))
            name = f"{first} {last}" if rng.random() < 0.8 else f"{first} {last[:-1]}x"
            rows.append(f"S{index},{name},,{postcode},{day:%Y-%m-%d %H:%M}")
    return signups_bytes(*rows)


@pytest.mark.parametrize("seed", range(6))
async def test_figures_after_random_changes_and_undos_equal_the_whole_history(
    service: RegistrationService, db: Database, clock: FixedClock, seed: int
) -> None:
    rng = random.Random(seed)
    roster = _roster(rng, 16)
    await service.import_roster(_roster_file(roster), "r.csv", "cli", apply=True)
    codes = {d.code for d in departments().all()}
    member = 1000
    for step in range(14):
        action = rng.choice(
            ["signups", "signups", "undo", "add", "remove", "move", "review", "declare", "day"]
        )
        try:
            if action == "signups":
                await service.import_signups(_signups_file(rng, roster), f"s{step}.csv", "cli")
            elif action == "undo":
                last = await service.undoable_import()
                if last is not None:
                    await service.undo_import(last.id, "cli")
            elif action == "add":
                key = f"N{step}"
                first, last_name = rng.choice(FIRST), rng.choice(LAST)
                await service.add_officer("cli", first, last_name, rng.choice(CODES), key=key)
                roster.append((key, first, last_name, rng.choice(CODES)))
            elif action == "remove" and roster:
                await service.remove_officer(roster.pop(rng.randrange(len(roster)))[0], "cli")
            elif action == "move" and roster:
                index = rng.randrange(len(roster))
                key, first, last_name, _ = roster[index]
                roster[index] = (key, first, last_name, rng.choice(CODES))
                await service.import_roster(_roster_file(roster), f"m{step}.csv", "cli", apply=True)
            elif action in ("review", "declare") and roster:
                key = rng.choice(roster)[0]
                if action == "declare":
                    member += 1
                    await service.link(key, member, "cli", relink=True)
                    await service.declare_registered(member)
                decision = rng.choice([ReviewDecision.ACCEPT, ReviewDecision.REJECT])
                await service.review(key, decision, "cli")
            elif action == "day":
                clock.advance(timedelta(days=rng.randrange(1, 4)))
        except UserError:
            pass  # not pending, already registered, …: nothing written
        await _recomputed(db, codes, await service.progress())
        region = rng.choice(["Bretagne", "Corse", "Guadeloupe", "Île-de-France"])
        scope = {d.code for d in departments().in_region(region)}
        await _recomputed(db, scope, await service.progress(region))


async def test_figures_follow_writes_of_another_process_even_far_behind(
    service: RegistrationService,
    db: Database,
    clock: FixedClock,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(1)
    roster = _roster(rng, 12)
    await service.import_roster(_roster_file(roster), "r.csv", "cli", apply=True)
    codes = {d.code for d in departments().all()}
    await _recomputed(db, codes, await service.progress())
    monkeypatch.setattr("bot.registration.storage.CHANGES_KEPT", 3)  # dropped soon
    other = await Database.open(db.path)
    try:
        cli = RegistrationService(
            other, clock, Settings(registration_deadline=date(2010, 3, 31)), catalog
        )
        for step in range(3):
            await cli.import_signups(_signups_file(rng, roster), f"s{step}.csv", "cli")
            await _recomputed(db, codes, await service.progress())
        await cli.remove_officer(roster[0][0], "cli")
    finally:
        await other.close()
    await _recomputed(db, codes, await service.progress())


def test_counts_of_departments_no_change_touched_are_kept_and_others_counted_again() -> None:
    figures = RegistrationFigures()
    figures.set(1, officer_figures("56", OfficerStatus.PROBABLE, [], PARIS))
    figures.set(2, officer_figures("29", OfficerStatus.UNREGISTERED, [], PARIS))
    before = figures.counts({"56", "29"})
    figures.set(3, officer_figures("29", OfficerStatus.REGISTERED, [], PARIS))
    after = figures.counts({"56", "29"})
    assert after["56"] is before["56"]
    assert after["29"] == Counts(total=2, registered=1, unregistered=1)
    assert figures.total({"56", "29"}) == Counts(total=3, registered=1, probable=1, unregistered=1)
