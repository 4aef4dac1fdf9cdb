"""The figures of ``/progression``, kept per scope (national or a region) and day until the
registration data changes, and computed once for callers asking at the same time.

A :data:`Stamp` says which state of the data figures were computed from: the repository's revision
(moved by every committed registration write, made by any process) and how many of this process's
write transactions rolled back (reads on the same connection may have seen their writes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from bot.registration.models import Progress
from bot.single_flight import Shared

Stamp = tuple[int, int]
Scope = tuple[str | None, date]  # the region's name (None: national) and the day


class ProgressCache:
    def __init__(self) -> None:
        self._kept: dict[Scope, tuple[Stamp, Progress]] = {}
        self._computing: Shared[tuple[Scope, Stamp], Progress] = Shared()

    def get(self, scope: Scope, stamp: Stamp) -> Progress | None:
        """The figures kept for ``scope`` if they are of the data as ``stamp`` says it is."""
        kept = self._kept.get(scope)
        return kept[1] if kept is not None and kept[0] == stamp else None

    async def get_or_compute(
        self, scope: Scope, stamp: Stamp, compute: Callable[[], Awaitable[Progress]]
    ) -> Progress:
        """The figures kept for ``scope``, else ``compute``'s (shared with whoever asks for the
        same meanwhile), kept from then on; figures of other stamps or days are dropped."""
        found = self.get(scope, stamp)
        if found is not None:
            return found

        async def computed() -> Progress:
            result = await compute()
            self._kept = {
                key: value
                for key, value in self._kept.items()
                if value[0] == stamp and key[1] == scope[1]
            }
            self._kept[scope] = (stamp, result)
            return result

        return await self._computing.run((scope, stamp), computed)
