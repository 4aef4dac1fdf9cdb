"""The cyclic garbage collector held off around heavy work, and long-lived data kept out of its way.

Parsing, indexing and matching a big file make millions of small containers, none of them in a
cycle: the collector would only rescan them, each full pass holding the interpreter (the event
loop's thread too) for a few hundred milliseconds. Reference counting still frees them.
The collector is process-wide, so :func:`collector_paused` is counted: pauses that overlap (two
worker threads, or nested calls) share one, which ends with the last of them, and turns the
collector back on only if it was on when the first began, even when the work fails.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_pauses = 0  # pauses under way now
_was_enabled = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the duration of the ``with`` block (see the module)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def pauses() -> int:
    """How many pauses are under way."""
    return _pauses


def keep_out_of_collections() -> None:
    """Every object alive now moved out of the collector's generations (:func:`gc.freeze`): call
    it once a long-lived structure is built, so that later passes skip it. Such objects are
    still freed by reference counting once dropped; only a cycle among them would stay."""
    gc.freeze()


_PIECE = 2000  # items freed between two chances for another thread to take the interpreter


def release_in_pieces(box: list[Any]) -> None:
    """Drop the reference ``box`` holds (a list of one item, emptied). If it was the last one,
    the object's big lists, dicts and sets (its own, its items' if a tuple, its attributes', a
    few levels down) are emptied a piece at a time, so that freeing millions of objects does
    not hold the interpreter in one stretch (the event loop's thread waits meanwhile).
    Whatever is still referenced elsewhere is left untouched, to be freed as usual by its last
    holder. Call it in a worker thread."""
    held = box.pop()
    _shed(held, depth=4)


def _references(held: object) -> int:
    return sys.getrefcount(held)


def _held_once() -> int:
    """What :func:`_shed` counts for an object that one variable or attribute holds (the
    interpreter's own references vary between versions: measured the way it counts them)."""
    box = [object()]
    held = box.pop()
    return _as_shed_counts(held)


def _as_shed_counts(held: object) -> int:
    return _references(held)  # called as _shed calls it: one frame, then _references


_HELD_ONCE = _held_once()


def _shed(held: object, depth: int) -> None:
    if _references(held) > _HELD_ONCE:
        return
    if isinstance(held, list):
        while held:
            del held[-_PIECE:]
    elif isinstance(held, dict | set):
        while held:
            for _ in range(min(_PIECE, len(held))):
                held.popitem() if isinstance(held, dict) else held.pop()
    elif depth > 0 and isinstance(held, tuple):
        for position in range(len(held)):
            _shed(held[position], depth - 1)  # no loop variable: it would be one more holder
    elif depth > 0:
        for name in _attributes(held):
            _shed(getattr(held, name, None), depth - 1)


def _attributes(held: object) -> list[str]:
    names = list(getattr(held, "__dict__", ()))
    for klass in type(held).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return [n for n in names if not n.startswith("__")]
