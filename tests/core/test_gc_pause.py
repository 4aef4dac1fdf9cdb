"""The collector's pause is counted: overlapping pauses (nested, or in two threads) keep it off
until the last ends, a failure still ends its pause, and the collector is left as it was found."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

import pytest

from bot.gc_pause import collector_paused, pauses, release_in_pieces

pytestmark = pytest.mark.usefixtures("collector")


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


class _Probe(dict[int, list[int]]):
    """A dict that says how many items it still held when it was freed."""

    def __init__(self, sizes: list[int], items: int) -> None:
        super().__init__((i, [i]) for i in range(items))
        self.sizes = sizes

    def __del__(self) -> None:
        self.sizes.append(len(self))


@dataclass(frozen=True, slots=True)
class _Index:
    blocks: dict[int, list[int]]
    rows: list[int]


@dataclass(frozen=True)
class _Cache:
    index: _Index
    by_key: dict[int, list[int]]


def test_what_nothing_else_holds_is_emptied_piece_by_piece_before_it_is_freed() -> None:
    sizes: list[int] = []
    cache = _Cache(_Index(_Probe(sizes, 5000), list(range(9000))), _Probe(sizes, 4500))
    box: list[object] = [(cache, ["rows"])]
    del cache
    release_in_pieces(box)
    assert box == []
    assert sorted(sizes) == [0, 0]  # both dicts, one an attribute of an attribute, emptied


def test_what_another_holder_still_uses_is_left_whole() -> None:
    sizes: list[int] = []
    cache = _Cache(_Index(_Probe(sizes, 5000), list(range(9000))), _Probe(sizes, 4500))
    index, by_key = cache.index, cache.by_key
    box: list[object] = [cache]
    del cache
    release_in_pieces(box)
    assert (len(index.blocks), len(index.rows), len(by_key)) == (5000, 9000, 4500)
    shared = _Cache(_Index(_Probe(sizes, 3), [1, 2]), _Probe(sizes, 2))
    release_in_pieces([shared])  # the caller keeps its own reference
    assert (len(shared.index.blocks), shared.index.rows, len(shared.by_key)) == (3, [1, 2], 2)
    assert sizes == []
