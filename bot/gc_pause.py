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
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
