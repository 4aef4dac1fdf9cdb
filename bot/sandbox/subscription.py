"""Async iterators over message events, for the shell and for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

from .state import MessageEvent, SandboxState

T = TypeVar("T")


class MessageSubscription(Generic[T]):
    """``async for item in sandbox.subscribe(): ...``; ``close()`` (or ``async with``) ends it."""

    def __init__(self, state: SandboxState, pick: Callable[[MessageEvent], T | None]) -> None:
        self._state = state
        self._pick = pick
        self._queue: asyncio.Queue[MessageEvent] = asyncio.Queue()
        state.add_queue(self._queue)
        self._closed = False

    def __aiter__(self) -> MessageSubscription[T]:
        return self

    async def __anext__(self) -> T:
        while not self._closed:
            item = self._pick(await self._queue.get())
            if item is not None:
                return item
        raise StopAsyncIteration

    async def get(self, timeout: float | None = None) -> T:
        """The next item, waiting at most ``timeout`` seconds (``TimeoutError`` after)."""
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    def close(self) -> None:
        self._closed = True
        self._state.remove_queue(self._queue)

    async def __aenter__(self) -> MessageSubscription[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
