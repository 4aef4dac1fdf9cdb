"""The collector's pause is counted: overlapping pauses (nested, or in two threads) keep it off
until the last ends, a failure still ends its pause, and the collector is left as it was found."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bot.gc_pause import collector_paused, pauses


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("on", [True, False])
def test_a_pause_leaves_the_collector_as_it_found_it(on: bool) -> None:
    if on:
        gc.enable()
    else:
        gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is on
    assert pauses() == 0


def test_nested_pauses_end_with_the_outer_one() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert pauses() == 2
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_overlapping_pauses_end_with_the_last_not_the_first() -> None:
    gc.enable()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_pauses_in_two_threads_share_one() -> None:
    gc.enable()
    entered, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def worker() -> None:
        with collector_paused():
            entered.set()
            release.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    entered.wait()
    with collector_paused():
        pass  # this thread's pause ends first: the worker's keeps the collector off
    seen.append(gc.isenabled())
    release.set()
    thread.join()
    assert seen == [False]
    assert gc.isenabled()


def test_a_failure_ends_its_pause() -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), collector_paused():
        _ = 1 / 0
    assert gc.isenabled()
    assert pauses() == 0


def test_a_failing_inner_pause_keeps_the_outer_one() -> None:
    gc.enable()
    with collector_paused():
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("x")
        assert not gc.isenabled()
        assert pauses() == 1
    assert gc.isenabled()
