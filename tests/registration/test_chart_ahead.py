"""The national chart drawn ahead of time after a write, and work shared by callers asking for
the same figures or chart at once."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.i18n import Catalog
from bot.registration import charts
from bot.registration.chart_pipeline import AHEAD_AFTER_SECONDS
from bot.registration.models import Progress
from bot.registration.service import RegistrationService
from bot.scheduler import TaskGroup
from tests.registration.conftest import roster_bytes, signups_bytes

ROSTER = roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;", "R2;Luc;Roy;29;luc@x.fr;")
ANNE_SIGNED_UP = signups_bytes("S1,Anne Le Goff,anne@x.fr,56000,2010-02-26 10:00")
LUC_SIGNED_UP = signups_bytes("S2,Luc Roy,luc@x.fr,29000,2010-02-27 10:00")
QUIET = timedelta(seconds=AHEAD_AFTER_SECONDS)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Charts drawn, as (officers registered, language); the drawing itself is skipped."""
    calls: list[tuple[int, str]] = []

    def fake(catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        calls.append((progress.counts.registered, locale))
        return f"png {progress.counts.registered} {locale}".encode()

    monkeypatch.setattr(charts, "progress_chart", fake)
    return calls


async def _loaded(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(ANNE_SIGNED_UP, "s.csv", "cli")


async def _asleep(clock: FixedClock) -> None:
    """Until the task drawing ahead waits for the quiet period (a drawing in a worker thread may
    have to end first: polled, with a generous bound)."""
    for _ in range(10_000):
        if clock.sleepers:
            return
        await asyncio.sleep(0.001)
    raise AssertionError("nothing is waiting on the clock")


async def test_a_write_has_the_chart_drawn_after_a_quiet_period(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "en")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await _asleep(clock)
    assert drawn == []
    clock.advance(QUIET)
    await service.drawn_ahead()
    assert drawn == [(2, "en")]


async def test_the_chart_drawn_ahead_is_the_one_progress_finds(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await _asleep(clock)
    clock.advance(QUIET)
    await service.drawn_ahead()
    progress = await service.progress()
    assert await service.ready_progress(None, "fr") == (progress, b"png 2 fr")
    assert await service.progress_chart(progress, "fr") == b"png 2 fr"
    assert drawn == [(2, "fr")]


async def test_nothing_is_drawn_ahead_unless_asked(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.drawn_ahead()
    assert drawn == []


async def test_nothing_is_drawn_ahead_once_stopped(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    service.draw_ahead(None)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    clock.advance(QUIET)
    await service.drawn_ahead()
    assert (drawn, clock.sleepers) == ([], 0)


async def test_a_declaration_that_changes_nothing_draws_nothing(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;anne_lg"), "r.csv", "cli", apply=True
    )
    await service.declare_registered(7, "anne_lg")
    service.draw_ahead(TaskGroup(), "fr")
    declared = await service.declare_registered(7, "anne_lg")
    assert (declared.changed, clock.sleepers) == (False, 0)
    await service.drawn_ahead()
    assert drawn == []


async def test_writes_during_the_quiet_period_are_drawn_once(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    service.draw_ahead(TaskGroup(), "fr")
    await service.import_signups(ANNE_SIGNED_UP, "s.csv", "cli")
    await _asleep(clock)
    clock.advance(QUIET / 2)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    clock.advance(QUIET / 2)  # the first wait ends, but a write came: waits again
    await _asleep(clock)
    clock.advance(QUIET)
    await service.drawn_ahead()
    assert drawn == [(2, "fr")]


async def test_a_write_while_drawing_has_the_chart_drawn_once_more_after(
    service: RegistrationService, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    started, release = threading.Event(), threading.Event()
    drawn: list[int] = []

    def slow(catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        drawn.append(progress.counts.registered)
        started.set()
        release.wait(10)
        return b"png"

    monkeypatch.setattr(charts, "progress_chart", slow)
    tasks = TaskGroup()
    service.draw_ahead(tasks, "fr")
    await service.import_signups(ANNE_SIGNED_UP, "s.csv", "cli")
    await _asleep(clock)
    clock.advance(QUIET)
    await asyncio.to_thread(started.wait, 10)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    release.set()
    await _asleep(clock)
    clock.advance(QUIET)
    await service.drawn_ahead()
    assert drawn == [1, 2]


async def test_a_failed_drawing_ahead_is_logged(
    service: RegistrationService,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _loaded(service)

    def broken(catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(charts, "progress_chart", broken)
    service.draw_ahead(TaskGroup(), "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await _asleep(clock)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        clock.advance(QUIET)
        await service.drawn_ahead()
        await asyncio.sleep(0)  # the task group's done callback
    assert [r.getMessage() for r in caplog.records] == [
        "background task progress chart ahead stopped"
    ]


async def test_shutdown_cancels_the_task_drawing_ahead(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    tasks = TaskGroup()
    service.draw_ahead(tasks, "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await _asleep(clock)
    await tasks.cancel_all()
    assert (clock.sleepers, drawn) == (0, [])


async def test_two_callers_asking_at_once_share_one_computation(
    service: RegistrationService,
) -> None:
    await _loaded(service)
    first, second = await asyncio.gather(service.progress(), service.progress())
    assert first is second


async def test_two_callers_asking_at_once_share_one_drawing(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    progress = await service.progress()
    first, second = await asyncio.gather(
        service.progress_chart(progress, "fr"), service.progress_chart(progress, "fr")
    )
    assert (first, second is first, drawn) == (b"png 1 fr", True, [(1, "fr")])


async def test_nothing_is_ready_before_the_chart_is_drawn(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    progress = await service.progress()
    assert await service.ready_progress(None, "fr") is None
    await service.progress_chart(progress, "fr")
    assert await service.ready_progress(None, "fr") == (progress, b"png 1 fr")
    assert await service.ready_progress(None, "en") is None


async def test_nothing_is_ready_once_the_figures_change(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    await service.progress_chart(await service.progress(), "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    assert await service.ready_progress(None, "fr") is None


async def test_an_unknown_region_is_not_ready(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    assert await service.ready_progress("Atlantide", "fr") is None
