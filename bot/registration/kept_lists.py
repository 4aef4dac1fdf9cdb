"""The department lists of ``/status departement`` kept in memory, each as of the registration
revision it was read at (:meth:`RegistrationRepository.revision`, moved by every write of any
program): a list asked again while the revision holds is not read again (100 officers read and
made into lines: about half a millisecond of the event loop).

A write of this process says which officers it touched (:meth:`KeptLists.written`): the lists
holding none of them, as of the revision the write began at, hold after it too; those that held
one, or that one now belongs to, get the touched officers' lines read again put in their place,
in the list's order. Only a write this process did not make (another program's, or one that
could not say what it touched) makes a whole list be read again.
"""

from __future__ import annotations

from bisect import insort
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.registration.models import LIST_ORDER, Counts, DepartmentList, OfficerLine

# More than the departments of France (101): every list asked can be kept; a list holds its
# officers' lines only (a national roster of 10,000 officers: a few megabytes at most).
LISTS_KEPT = 128

_RANK = {status: i for i, status in enumerate(LIST_ORDER)}


def line_order(line: OfficerLine) -> tuple[int, str, str, str]:
    """The order of a department's list, as the database sorts it (status furthest from
    registered first, then last name, first name and key, compared as SQLite's BINARY
    collation does: by code point)."""
    return _RANK[line.status], line.last_name, line.first_name, line.key


@dataclass(frozen=True)
class _Kept:
    revision: int
    listed: DepartmentList
    ids: tuple[int, ...]  # the officers' ids, in the list's order


class KeptLists:
    """Department code → (revision, list), the least recently asked dropped beyond ``size``."""

    def __init__(self, size: int = LISTS_KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    def get(self, code: str, revision: int) -> DepartmentList | None:
        """The list of ``code`` if it was read at ``revision`` (the current one)."""
        kept = self._kept.get(code)
        if kept is None or kept.revision != revision:
            return None
        self._kept.move_to_end(code)
        return kept.listed

    def keep(self, code: str, revision: int, listed: DepartmentList, ids: Collection[int]) -> None:
        """``listed`` (its officers' ``ids`` in its order), read after ``revision`` was: as of
        ``revision`` or newer (a newer list kept under an older revision is only read again
        once the revision moves)."""
        self._kept[code] = _Kept(revision, listed, tuple(ids))
        self._kept.move_to_end(code)
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def holds(self, revision: int) -> bool:
        """Whether any list is kept as of ``revision``."""
        return any(kept.revision == revision for kept in self._kept.values())

    def written(
        self,
        before: int,
        after: int,
        touched: Collection[int],
        lines: Mapping[int, OfficerLine],
    ) -> None:
        """A write of this process took the data from revision ``before`` to ``after``
        changing, of what the lists show, only the officers of ``touched`` (ids), whose lines
        read after it are ``lines`` (an officer touched and absent was removed). The lists as
        of ``before`` are brought to ``after``: a touched officer's line taken out of the list
        it was in and put in its department's list in its place. Lists of another revision
        are dropped (read again)."""
        gone = set(touched)
        arrived: dict[str, list[tuple[int, OfficerLine]]] = {}
        for officer_id, line in lines.items():
            arrived.setdefault(line.department, []).append((officer_id, line))
        for code in list(self._kept):
            kept = self._kept[code]
            if kept.revision != before:
                del self._kept[code]
                continue
            new = arrived.get(code, ())
            if not new and gone.isdisjoint(kept.ids):
                self._kept[code] = _Kept(after, kept.listed, kept.ids)
                continue
            pairs = [
                (officer_id, line)
                for officer_id, line in zip(kept.ids, kept.listed.officers, strict=True)
                if officer_id not in gone
            ]
            for pair in new:
                insort(pairs, pair, key=lambda p: line_order(p[1]))
            officers = [line for _, line in pairs]
            listed = DepartmentList(
                kept.listed.department, Counts.counted(o.status for o in officers), officers
            )
            self._kept[code] = _Kept(after, listed, tuple(i for i, _ in pairs))

    def clear(self) -> None:
        """Every list dropped: a write of this process that cannot say what it touched."""
        self._kept.clear()
