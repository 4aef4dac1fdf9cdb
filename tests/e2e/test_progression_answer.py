"""/progression after a change, through the sandbox: answered in one message when its figures
and chart (drawn ahead since the write) come within PROGRESS_AT_ONCE_SECONDS, with "thinking…"
first otherwise."""

from __future__ import annotations

import importlib
import threading

import discord
import pytest

from bot.registration import charts
from bot.registration.models import ReviewDecision
from cogs.registration import _cog


async def _one_more_declared(demo) -> None:
    member = demo.sandbox.member("claire").id
    registration = demo.bot.services.registration
    await registration.link("RDJ-00058", member, "test")
    await registration.declare_registered(member, "claire")


async def _one_more_registered(demo) -> None:
    """A change the picture shows (a declaration alone leaves it as it was): accepted."""
    await _one_more_declared(demo)
    await demo.bot.services.registration.review("RDJ-00058", ReviewDecision.ACCEPT, "test")


def _check(message) -> None:
    assert message.embeds[0]["title"] == "Progression des inscriptions — national"
    assert message.attachments[0].data[:8] == b"\x89PNG\r\n\x1a\n"


async def test_progress_right_after_a_change_is_one_message(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cog, "PROGRESS_AT_ONCE_SECONDS", 60.0)
    await _one_more_declared(demo)
    result = await demo.invoke("/progression")
    assert (result.deferred, len(result.messages)) == (False, 1)
    _check(result.messages[-1])


async def test_progress_whose_chart_is_late_says_it_is_thinking_first(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart is drawn only once the command has deferred: later than the bound (after a
    change the picture shows)."""
    deferred = threading.Event()
    draw, defer = charts.progress_chart, discord.InteractionResponse.defer

    def late(*args, **kwargs) -> bytes:
        assert deferred.wait(10), "never deferred"
        return draw(*args, **kwargs)

    async def deferring(self, *args, **kwargs):
        answer = await defer(self, *args, **kwargs)
        deferred.set()
        return answer

    monkeypatch.setattr(charts, "progress_chart", late)
    monkeypatch.setattr(discord.InteractionResponse, "defer", deferring)
    monkeypatch.setattr(_cog, "PROGRESS_AT_ONCE_SECONDS", 0.0)
    await _one_more_registered(demo)
    result = await demo.invoke("/progression")
    assert result.deferred
    _check(result.messages[-1])


async def test_progress_unchanged_answers_with_the_embed_written_before(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The running bot's module (each bot loads its extensions afresh).
    render = importlib.import_module("cogs.registration._render")
    written = []
    progress_embed = render.progress_embed

    def counted(*args, **kwargs) -> discord.Embed:
        written.append(args[1])
        return progress_embed(*args, **kwargs)

    monkeypatch.setattr(render, "progress_embed", counted)
    first = await demo.invoke("/progression")
    again = await demo.invoke("/progression")
    assert len(written) == 1
    assert again.messages[-1].embeds == first.messages[-1].embeds
    await _one_more_declared(demo)
    changed = await demo.invoke("/progression")
    assert len(written) == 2
    assert changed.messages[-1].embeds != first.messages[-1].embeds
