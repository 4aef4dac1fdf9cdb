"""The ``/progression`` chart: drawn in a worker thread, the last few kept by what they show
(:func:`~bot.registration.charts.picture_key`) and their language, one drawing shared by
callers asking at once, and the national chart drawn ahead of time
after each write, so that a ``/progression`` asked right after finds it drawn or being drawn."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.i18n import Catalog, Locale
from bot.registration import charts
from bot.registration.charts import PictureKey
from bot.registration.models import Progress
from bot.scheduler import TaskGroup
from bot.single_flight import Shared

CHARTS_KEPT = 8


class ChartPipeline:
    def __init__(self, catalog: Catalog, national: Callable[[], Awaitable[Progress]]) -> None:
        self._catalog = catalog
        self._national = national  # the national figures, to draw ahead of time
        self._charts: list[tuple[PictureKey, Locale, bytes]] = []
        self._shown: tuple[Progress, PictureKey] | None = None  # the last figures, their key
        self._drawing: Shared[tuple[PictureKey, Locale], bytes] = Shared()
        self._ahead: tuple[TaskGroup, Locale] | None = None
        self._ahead_task: asyncio.Task[None] | None = None
        self._ahead_again = False

    def ready(self, progress: Progress, locale: Locale) -> bytes | None:
        """The chart of these figures in ``locale`` if it is drawn already (the chart of any
        figures that the picture shows the same: :func:`~bot.registration.charts.picture_key`)."""
        return self._ready(self._picture(progress), locale)

    def _picture(self, progress: Progress) -> PictureKey:
        """What the picture of ``progress`` shows, kept for the last figures asked (the same
        object from one call to the next while the data holds: worked out once for them)."""
        kept = self._shown
        if kept is not None and kept[0] is progress:
            return kept[1]
        shown = charts.picture_key(progress)
        self._shown = progress, shown
        return shown

    def _ready(self, shown: PictureKey, locale: Locale) -> bytes | None:
        for figures, language, png in self._charts:
            if language == locale and figures == shown:
                return png
        return None

    async def chart(self, progress: Progress, locale: Locale) -> bytes:
        """The PNG of :func:`~bot.registration.charts.progress_chart`, drawn in a worker thread;
        the last few are kept by what they show, so that the same picture is not drawn twice
        (nor by two callers at once: the second waits for the first's drawing, the one drawn
        ahead included), after a declaration say, which changes the figures and not the
        picture."""
        shown = self._picture(progress)
        found = self._ready(shown, locale)
        if found is not None:
            return found

        async def draw() -> bytes:
            png = await asyncio.to_thread(charts.progress_chart, self._catalog, progress, locale)
            self._charts = [(shown, locale, png), *self._charts[: CHARTS_KEPT - 1]]
            return png

        return await self._drawing.run((shown, locale), draw)

    def draw_ahead(self, tasks: TaskGroup | None, locale: Locale) -> None:
        """From now on, draw the national chart in ``locale`` ahead of time, as tasks of
        ``tasks``: at once (after paying, in a worker thread, what any first picture after a start
        costs: :func:`~bot.registration.charts.warm_up`), then after each write that changes the
        figures. One such task at a time: writes made while it computes or draws are drawn once
        more after it, with the figures as they are then (the latest win; writes made at the same
        moment are drawn once). ``None`` stops (tasks already started are the group's to
        cancel)."""
        self._ahead = (tasks, locale) if tasks is not None else None
        if tasks is not None:
            self._start(warm_up=True)

    async def drawn_ahead(self) -> None:
        """Wait until the chart being drawn ahead, if any, is drawn (its failure is the task
        group's to log)."""
        while (task := self._ahead_task) is not None and not task.done():
            await asyncio.wait([task])

    def figures_changed(self) -> None:
        """A write changed the figures: draw the national chart ahead, if asked to."""
        self._start(warm_up=False)

    def _start(self, *, warm_up: bool) -> None:
        if self._ahead is None:
            return
        self._ahead_again = True
        if self._ahead_task is None or self._ahead_task.done():
            tasks, locale = self._ahead
            self._ahead_task = tasks.start(
                self._draw_ahead(locale, warm_up), "progress chart ahead"
            )

    async def _draw_ahead(self, locale: Locale, warm_up: bool) -> None:
        if warm_up:
            count = len((await self._national()).departments)
            await asyncio.to_thread(charts.warm_up, self._catalog, count, locale)
        while self._ahead_again:  # set again by each write meanwhile
            self._ahead_again = False
            await asyncio.sleep(0)  # the writes of this moment, drawn once
            if not self._ahead_again and self._ahead is not None:
                await self.chart(await self._national(), locale)
