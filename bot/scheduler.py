"""Durable scheduled jobs: each run is recorded, so a restart neither repeats nor misses one.

A job says when it is next due after a given moment (``next_after``). At start-up the runner reads
when the job last ran: a run missed while the bot was down is made once, at once; a job never run
before is armed for its next slot. Exceptions are logged and the schedule goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.storage.jobs import JobRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    key: str
    next_after: Callable[[datetime], datetime]
    run: Callable[[datetime], Awaitable[None]]  # called with the previous run's time


async def run_schedule(job: ScheduledJob, clock: Clock, repo: JobRepository) -> None:
    """Run ``job`` at each of its slots until cancelled."""
    last = await repo.last_run(job.key)
    if last is None:
        last = clock.now()
        await repo.set_last_run(job.key, last)
    while True:
        due = job.next_after(last)
        await clock.sleep((due - clock.now()).total_seconds())
        try:
            await job.run(last)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduled job %s failed", job.key)
        last = max(due, clock.now())
        await repo.set_last_run(job.key, last)


class Scheduler:
    """Runs durable jobs on the application's clock; built once with the services."""

    def __init__(self, clock: Clock, repo: JobRepository) -> None:
        self.clock = clock
        self.repo = repo

    async def run(self, job: ScheduledJob) -> None:
        await run_schedule(job, self.clock, self.repo)


class TaskGroup:
    """Background tasks that are kept referenced, logged when they fail, and cancelled together."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, coro: Awaitable[None], name: str) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s stopped", task.get_name(), exc_info=task.exception())

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
