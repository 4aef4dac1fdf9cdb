"""Work under way, shared: callers asking for the same result at once wait for one computation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Shared(Generic[K, V]):
    """Work under way, by what it computes: a second caller asking for the same (equal) key waits
    for the first one's result instead of doing the work again. A caller cancelled while waiting
    does not cancel the work for the others."""

    def __init__(self) -> None:
        # A list, not a dict: keys only need to compare equal (figures are not hashable).
        self._running: list[tuple[K, asyncio.Future[V]]] = []

    def __len__(self) -> int:
        """How many computations are under way."""
        return len(self._running)

    def __contains__(self, key: object) -> bool:
        """Whether the computation of ``key`` is under way."""
        return any(running_key == key for running_key, _ in self._running)

    async def run(self, key: K, work: Callable[[], Awaitable[V]]) -> V:
        for running_key, running in self._running:
            if running_key == key:
                return await asyncio.shield(running)
        future = asyncio.ensure_future(work())
        entry = (key, future)
        self._running.append(entry)
        future.add_done_callback(lambda _: self._done(entry))
        return await asyncio.shield(future)

    def _done(self, entry: tuple[K, asyncio.Future[V]]) -> None:
        self._running.remove(entry)
        if not entry[1].cancelled():
            entry[1].exception()  # raised to the callers waiting; no "never retrieved" warning
