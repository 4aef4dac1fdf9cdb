"""The department lists of ``/status departement`` kept in memory, each as of the registration
revision it was read at (:meth:`RegistrationRepository.revision`, moved by every write of any
program): a list asked again while the revision holds is not read again (100 officers read and
made into lines: about half a millisecond of the event loop).

A write of this process that knows which departments' lists it changed (a declaration: one
officer's status) moves the others to the revision it leaves, so that they hold after it too.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection

from bot.registration.models import DepartmentList

# More than the departments of France (101): every list asked can be kept; a list holds its
# officers' lines only (a national roster of 10,000 officers: a few megabytes at most).
LISTS_KEPT = 128


class KeptLists:
    """Department code → (revision, list), the least recently asked dropped beyond ``size``."""

    def __init__(self, size: int = LISTS_KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[str, tuple[int, DepartmentList]] = OrderedDict()

    def get(self, code: str, revision: int) -> DepartmentList | None:
        """The list of ``code`` if it was read at ``revision`` (the current one)."""
        kept = self._kept.get(code)
        if kept is None or kept[0] != revision:
            return None
        self._kept.move_to_end(code)
        return kept[1]

    def keep(self, code: str, revision: int, listed: DepartmentList) -> None:
        """``listed``, read after ``revision`` was: as of ``revision`` or newer (a newer list
        kept under an older revision is only read again once the revision moves)."""
        self._kept[code] = (revision, listed)
        self._kept.move_to_end(code)
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def moved(self, before: int, after: int, changed: Collection[str]) -> None:
        """A write of this process took the data from revision ``before`` to ``after`` changing
        only the lists of ``changed``'s departments: the other lists as of ``before`` hold at
        ``after``; those of ``changed``, and any of an older revision, are read again."""
        for code, (revision, listed) in self._kept.items():
            if revision == before and code not in changed:
                self._kept[code] = (after, listed)
        for code in changed:
            self._kept.pop(code, None)
