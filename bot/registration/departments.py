"""The 101 French departments (INSEE code, name, region), shipped as package data (``bot/data/departements.csv``).

Lookups accept what organisers type or spreadsheets hold: a code (``"56"``, ``"1"`` for ``"01"``,
``"2a"``), a name without regard to case, accents or hyphens (``"cotes d armor"``), an
autocomplete label (``"56 – Morbihan"``) or a postcode (``"56000"``, ``"20090"`` → 2A,
``"97400"`` → 974).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable

from bot.registration.text import compact
from bot.resources import reference

DATA_FILE = reference("departements.csv")

_LABEL = re.compile(r"^\s*(\d{1,3}|2[abAB])\s*[-–—:]\s*\S")
_POSTCODE = re.compile(r"^\d{4,5}$")


@dataclass(frozen=True, order=True)
class Department:
    code: str
    name: str
    region: str

    @property
    def label(self) -> str:
        """The autocomplete label: ``"56 – Morbihan"``."""
        return f"{self.code} – {self.name}"


class Departments:
    """An immutable index of departments by code, folded name and region."""

    def __init__(self, departments: list[Department]) -> None:
        self._all = sorted(departments, key=_sort_key)
        self._by_code = {d.code: d for d in self._all}
        self._by_name = {compact(d.name): d for d in self._all}
        for dep in self._all:  # "Réunion" for "La Réunion"
            head, _, rest = dep.name.partition(" ")
            if head in ("La", "Le", "Les") and rest:
                self._by_name.setdefault(compact(rest), dep)
        self._regions = sorted({d.region for d in self._all}, key=compact)

    @classmethod
    def load(cls, path: Traversable = DATA_FILE) -> Departments:
        rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))
        return cls([Department(r["code"], r["nom"], r["region"]) for r in rows])

    def __len__(self) -> int:
        return len(self._all)

    def all(self) -> list[Department]:
        return list(self._all)

    def regions(self) -> list[str]:
        return list(self._regions)

    def by_code(self, code: str) -> Department | None:
        text = code.strip().upper()
        if text.isdigit() and len(text) == 1:
            text = "0" + text
        return self._by_code.get(text)

    def lookup(self, text: str) -> Department | None:
        """The department named by a code, a name or an autocomplete label; ``None`` if unknown."""
        value = text.strip()
        if not value:
            return None
        label = _LABEL.match(value)
        if label:
            return self.by_code(label.group(1))
        found = self.by_code(value)
        if found is not None:
            return found
        return self._by_name.get(compact(value))

    def from_postcode(self, postcode: str) -> Department | None:
        """The department of a French postcode; a leading zero lost by a spreadsheet is restored."""
        value = postcode.strip().replace(" ", "")
        if not _POSTCODE.match(value):
            return None
        value = value.zfill(5)
        if value.startswith("97"):
            return self._by_code.get(value[:3])
        if value.startswith("20"):
            return self._by_code.get("2A" if int(value[2:]) < 200 else "2B")
        return self._by_code.get(value[:2])

    def region(self, text: str) -> str | None:
        """The region named by ``text`` (case and accents ignored); ``None`` if unknown."""
        wanted = compact(text)
        return next((r for r in self._regions if compact(r) == wanted), None)

    def in_region(self, region: str) -> list[Department]:
        return [d for d in self._all if d.region == region]

    def search(self, text: str, limit: int = 25) -> list[Department]:
        """Departments for autocomplete: code prefix first, then name prefix, then name contains."""
        wanted = compact(text)
        if not wanted:
            return self._all[:limit]
        code = wanted.upper()
        scored: list[tuple[int, Department]] = []
        for dep in self._all:
            name = compact(dep.name)
            if dep.code == code or dep.code == code.zfill(2):
                rank = 0
            elif dep.code.startswith(code):
                rank = 1
            elif name.startswith(wanted):
                rank = 2
            elif wanted in name or wanted in compact(dep.region):
                rank = 3
            else:
                continue
            scored.append((rank, dep))
        scored.sort(key=lambda item: (item[0], _sort_key(item[1])))
        return [dep for _, dep in scored[:limit]]


def _sort_key(dep: Department) -> tuple[int, str]:
    return department_order(dep.code)


def department_order(code: str) -> tuple[int, str]:
    """Sort key of department codes in INSEE order: 19, 2A, 2B, 21 ... 95, 971 ... 976 ("1" and
    "01" side by side); a code that is no department goes last."""
    if code.upper() in ("2A", "2B"):
        return (20, code)
    if not code.isdigit():
        return (1_000, code)
    number = int(code)
    return (number if number < 100 else number - 870, code)


@cache
def departments() -> Departments:
    """The shipped list, loaded once."""
    return Departments.load()
