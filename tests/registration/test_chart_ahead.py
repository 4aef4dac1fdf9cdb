"""The national chart drawn ahead of time, at once after each write (one drawing at a time, the
latest figures winning), and work shared by callers asking for the same figures or chart at once:
a /progression asked right after a write waits for the drawing under way instead of drawing
again."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.i18n import Catalog, Locale
from bot.registration import charts
from bot.registration.chart_pipeline import ChartPipeline
from bot.registration.models import Counts, Progress
from bot.registration.service import RegistrationService
from bot.scheduler import TaskGroup
from tests.registration.conftest import roster_bytes, signups_bytes

ROSTER = roster_bytes(
    "R1;Anne;Le Goff;56;anne@x.fr;", "R2;Luc;Roy;29;luc@x.fr;", "R3;Eve;Tan;22;eve@x.fr;"
)
ANNE_SIGNED_UP = signups_bytes("S1,Anne Le Goff,anne@x.fr,56000,2010-02-26 10:00")
LUC_SIGNED_UP = signups_bytes("S2,Luc Roy,luc@x.fr,29000,2010-02-27 10:00")
EVE_SIGNED_UP = signups_bytes("S3,Eve Tan,eve@x.fr,22000,2010-02-27 11:00")
NOW = datetime(2010, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Charts drawn, as (officers registered, language); the drawing itself and the warm-up are
    skipped."""
    calls: list[tuple[int, str]] = []

    def fake(catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        calls.append((progress.counts.registered, locale))
        return f"png {progress.counts.registered} {locale}".encode()

    monkeypatch.setattr(charts, "progress_chart", fake)
    monkeypatch.setattr(charts, "warm_up", lambda catalog, departments, locale="fr": None)
    return calls


class Held:
    """A drawing that waits in its worker thread until released: what it was asked to draw,
    and whether it has started."""

    def __init__(self) -> None:
        self.drawn: list[int] = []
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        self.drawn.append(progress.counts.registered)
        self.started.set()
        if not self.release.wait(10):
            raise AssertionError("never released")
        return f"png {progress.counts.registered}".encode()

    async def under_way(self) -> None:
        if not await asyncio.to_thread(self.started.wait, 10):
            raise AssertionError("no drawing started")
        self.started.clear()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    drawing = Held()
    monkeypatch.setattr(charts, "progress_chart", drawing)
    monkeypatch.setattr(charts, "warm_up", lambda catalog, departments, locale="fr": None)
    yield drawing
    drawing.release.set()  # a test that failed leaves no thread waiting


async def _loaded(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(ANNE_SIGNED_UP, "s.csv", "cli")


async def test_the_chart_is_drawn_ahead_at_once_and_after_each_write(
    service: RegistrationService, clock: FixedClock, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "en")
    await service.drawn_ahead()
    assert drawn == [(1, "en")]
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.drawn_ahead()
    assert (drawn, clock.sleep_calls) == ([(1, "en"), (2, "en")], 0)  # no waiting on the clock


async def test_the_chart_drawn_ahead_is_the_one_progress_finds(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.drawn_ahead()
    progress = await service.progress()
    assert await service.ready_progress(None, "fr") == (progress, b"png 2 fr")
    assert await service.progress_chart(progress, "fr") == b"png 2 fr"
    assert drawn[-1] == (2, "fr")
    assert drawn.count((2, "fr")) == 1


async def test_a_progression_right_after_a_write_waits_for_the_drawing_under_way(
    service: RegistrationService, held: Held
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    await held.under_way()
    held.release.set()
    await service.drawn_ahead()
    held.release.clear()
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await held.under_way()  # drawn ahead, still in its worker thread
    progress = await service.progress()
    asked = asyncio.ensure_future(service.progress_chart(progress, "fr"))
    await asyncio.sleep(0)
    assert not asked.done()
    held.release.set()
    assert (await asked, held.drawn) == (b"png 2", [1, 2])


async def test_nothing_is_drawn_ahead_unless_asked(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.drawn_ahead()
    assert drawn == []


async def test_nothing_is_drawn_ahead_once_stopped(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    await service.drawn_ahead()
    service.draw_ahead(None)
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.drawn_ahead()
    assert drawn == [(1, "fr")]


async def test_a_declaration_that_changes_nothing_draws_nothing(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;"), "r.csv", "cli", apply=True
    )
    await service.link("R1", 7, "cli")
    await service.declare_registered(7, "anne_lg")
    service.draw_ahead(TaskGroup(), "fr")
    await service.drawn_ahead()
    before = list(drawn)
    declared = await service.declare_registered(7, "anne_lg")
    await service.drawn_ahead()
    assert (declared.changed, drawn) == (False, before)


async def test_a_declaration_the_picture_does_not_show_draws_no_new_chart(
    service: RegistrationService, drawn: list[tuple[int, str]]
) -> None:
    """An officer declaring themselves registered changes the figures (the embed counts them)
    but not the picture: the chart drawn before is the new figures' chart, not drawn again."""
    await _loaded(service)
    await service.link("R2", 8, "cli")
    service.draw_ahead(TaskGroup(), "fr")
    await service.drawn_ahead()
    before = await service.progress()
    declared = await service.declare_registered(8, "luc_r")
    await service.drawn_ahead()
    after = await service.progress()
    assert (declared.changed, after != before) == (True, True)
    assert await service.progress_chart(after, "fr") == b"png 1 fr"
    assert drawn == [(1, "fr")]


async def test_writes_of_the_same_moment_are_drawn_once(catalog: Catalog) -> None:
    asked: list[int] = []

    async def national() -> Progress:
        asked.append(len(asked))
        return _figures(len(asked))

    pipeline = ChartPipeline(catalog, national)
    drawing: list[int] = []

    def fake(catalog: Catalog, progress: Progress, locale: Locale = "fr") -> bytes:
        drawing.append(progress.counts.registered)
        return b"png"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "progress_chart", fake)
        patch.setattr(charts, "warm_up", lambda catalog, departments, locale="fr": None)
        pipeline.draw_ahead(TaskGroup(), "fr")
        pipeline.figures_changed()
        pipeline.figures_changed()
        await pipeline.drawn_ahead()
    assert (asked, drawing) == ([0, 1], [2])  # the warm-up's figures, then one drawing


def _figures(registered: int) -> Progress:
    counts = Counts(total=10, registered=registered, unregistered=10 - registered)
    today = FixedClock(NOW).now().date()
    return Progress(None, counts, today, None, None, 0.0, None, [], [], [])


async def test_writes_while_drawing_have_the_latest_figures_drawn_once_more_after(
    service: RegistrationService, held: Held
) -> None:
    await _loaded(service)
    service.draw_ahead(TaskGroup(), "fr")
    await held.under_way()
    await service.import_signups(LUC_SIGNED_UP, "s2.csv", "cli")
    await service.import_signups(EVE_SIGNED_UP, "s3.csv", "cli")
    held.release.set()
    await service.drawn_ahead()
    assert held.drawn == [1, 3]


async def test_a_failed_drawing_ahead_is_logged(
    service: RegistrationService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _loaded(service)

    def broken(catalog: Catalog, progress: Progress, locale: str = "fr") -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(charts, "progress_chart", broken)
    monkeypatch.setattr(charts, "warm_up", lambda catalog, departments, locale="fr": None)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        service.draw_ahead(TaskGroup(), "fr")
        await service.drawn_ahead()
        await asyncio.sleep(0)  # the task group's done callback
    assert [r.getMessage() for r in caplog.records] == [
        "background task progress chart ahead stopped"
    ]


async def test_shutdown_cancels_the_task_drawing_ahead(
    service: RegistrationService, held: Held
) -> None:
    await _loaded(service)
    tasks = TaskGroup()
    service.draw_ahead(tasks, "fr")
    await held.under_way()
    await tasks.cancel_all()
    await service.drawn_ahead()  # returns: the task is cancelled, its thread left to end
    held.release.set()
    joined = await service.progress_chart(await service.progress(), "fr")  # that drawing's
    assert (joined, held.drawn) == (b"png 1", [1])


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
