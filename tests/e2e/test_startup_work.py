"""The log says when a start's background work is done: the named-entity model loaded and the
national chart drawn ahead (the latency benchmarks take their warm samples after it)."""

from __future__ import annotations

import logging
import threading

from bot.client import STARTUP_DONE
from bot.news import entities
from tests.e2e.conftest import running_bot, wait_for


async def test_the_start_up_work_is_done_once_the_model_is_loaded(tmp_path, monkeypatch, caplog):
    loading = threading.Event()
    release = threading.Event()

    def model_available() -> bool:
        loading.set()
        release.wait(30)
        return False

    monkeypatch.setattr(entities, "model_available", model_available)
    caplog.set_level(logging.INFO)

    def done() -> bool:
        return any(STARTUP_DONE in record.getMessage() for record in caplog.records)

    try:
        async with running_bot(tmp_path) as running:
            await running.bot.wait_until_ready()
            await running.bot.services.registration.drawn_ahead()
            await wait_for(loading.is_set)
            answer = await running.invoke("/aide")  # answered meanwhile
            assert answer.messages
            assert not done()
            release.set()
            await wait_for(done)
            assert any("no named-entity model" in r.getMessage() for r in caplog.records)
    finally:
        release.set()
