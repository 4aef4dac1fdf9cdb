"""Reconciling the roster with the platform's sign-ups: a pure function, no storage.

The sign-ups are indexed once (:class:`SignupIndex`, reusable across calls); each officer's
candidates are then a few dictionary lookups in it: the normalised e-mail, the compact name in the
department (both orders) or with no department, the shortened and lengthened compound names,
and the typos (one name exact, the other within one edit; see :class:`SignupIndex`), so the work
grows with the officers plus the sign-ups, never with their product.
:func:`~bot.registration.names.compare` says how each candidate's name relates to the officer's,
and the ``_grade_*`` functions turn that into a status. Doubt goes to ``probable``: marking an
unregistered officer as registered would stop them being nudged. An officer's match depends on
other officers only through a shared candidate sign-up or address, which is what lets
:func:`reconcile` with ``only`` recompute a few officers exactly as the whole roster would.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, count, islice, pairwise
from operator import attrgetter, is_not, itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

from bot.gc_pause import collector_paused
from bot.registration.models import MatchReason, OfficerProfile, OfficerStatus, Signup
from bot.registration.name_table import GroupsOf, NameTable
from bot.registration.names import (
    Kinship,
    PersonName,
    compare,
    email_mentions,
    email_reverses,
    normalise_email,
    normalise_emails,
)
from bot.registration.roster_file import parse_roster
from bot.registration.signup_file import parse_signups

REGISTERED, PROBABLE, UNREGISTERED = (
    OfficerStatus.REGISTERED,
    OfficerStatus.PROBABLE,
    OfficerStatus.UNREGISTERED,
)
# A name match in the department proves the officer only if fewer namesakes than this are
# expected among the department's sign-ups (see :func:`_namesakes`). Lower is stricter: fewer
# chance namesakes taken for the officer, more same-name sign-ups left probable for review
# (``benchmarks/reconcile_eval.py --frontier`` measures both sides).
NAMESAKES_TOLERATED = 0.05
_PRIOR_SHARE, _PRIOR_WEIGHT = 0.005, 100
_MISSPELT_EXPORT = 1000
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True, slots=True)
class Match:
    """What the sign-ups say of one officer: registered, probable or unregistered."""

    officer: str  # the officer's key
    status: OfficerStatus
    signup: str | None  # the matched sign-up's key
    confidence: float
    reason: MatchReason


@dataclass(frozen=True, slots=True)
class _Candidate:
    signup: int  # index into the sign-up list
    status: OfficerStatus
    confidence: float
    reason: MatchReason
    by_email: bool


class SignupIndex:
    """The sign-ups indexed once, by blocks that an officer's name looks up directly.

    Built once from the sign-ups and reusable across calls of :func:`reconcile`; never changed
    after it is built, so a worker thread may read it while another builds the next one (its
    arrays are read-only; ``groups`` splits a name when first read, the same each time). Each block is found by one binary search, so the work per officer
    grows only with the logarithm of the export: ``by_email`` holds the normalised addresses,
    ``blocks`` (:class:`_Blocks`, keyed by one 64-bit integer per block, mixed from the hashes
    of its parts: a collision only adds a candidate to grade; computed for the whole export at
    once over arrays) every sign-up under

    * its department (or none) and its compact name, in the order typed;
    * its department and the first words of two of its groups, for names of three words or more
      (an officer's first first-name word and first last-name word, which every compound name
      keeps);
    * its department, one side of the name exactly (the words before or after a cut), the
      length of the other side and its first or its last letter: one edit (or a transposition)
      in a name of four letters or more keeps one of the two letters and the length within one,
      so every typo that :func:`~bot.registration.names.compare` accepts is in one of the
      officer's twelve typo blocks.
    """

    __slots__ = (
        "blocks",
        "by_email",
        "compacts",
        "department_sizes",
        "departments",
        "emails",
        "groups",
        "placed",
        "signups",
        "word_counts",
        "words_in_department",
    )

    def __init__(self, signups: Sequence[Signup]) -> None:
        self.signups: tuple[Signup, ...] = tuple(signups)
        with collector_paused():
            self._build()

    def _build(self) -> None:
        signups = self.signups
        names = list(map(_NAME, signups))
        departments = tuple(map(_DEPARTMENT, signups))
        emails = tuple(normalise_emails(list(map(_EMAIL, signups))))
        # Names repeat ("Marie Martin" in many departments): each distinct name is split once
        # (NameTable), and a sign-up only points at its name's row.
        number = dict(zip(dict.fromkeys(names), count()))
        table = NameTable(list(number))
        name_of = table.row_of[
            np.fromiter(map(number.__getitem__, names), dtype=np.intp, count=len(names))
        ]
        del names, number
        rows = name_of.tolist()
        compacts = tuple(map(table.compacts.__getitem__, rows))
        by_email = {email: [i] for i, email in enumerate(emails) if email}
        if len(by_email) < len(emails) - emails.count(""):  # an address shared by sign-ups
            shared = {e for e, n in Counter(emails).items() if n > 1 and e}
            for email in shared:
                by_email[email] = []
            for i, email in enumerate(emails):
                if email in shared:
                    by_email[email].append(i)
        # The departments numbered; a sign-up is placed if it has a department and a name.
        dep_number = dict(zip(dict.fromkeys(departments), count()))
        dep_of = np.fromiter(
            map(dep_number.__getitem__, departments), dtype=np.intp, count=len(departments)
        )
        named = (_lengths(table.compacts) > 0)[name_of]
        somewhere = np.array([dep is not None for dep in dep_number], dtype=bool)
        placed = np.flatnonzero(named & somewhere[dep_of])
        codes = np.array(list(map(_department_code, dep_number)), dtype=np.uint64)[dep_of]
        self.blocks = _Blocks([_block_keys(codes, name_of, placed, named, table)])
        self.groups = GroupsOf(table, rows)
        self.emails = emails
        self.compacts = compacts
        self.departments = departments
        self.by_email = by_email
        # How many sign-ups placed in a department bear each word: there, and everywhere.
        deps = list(dep_number)
        self.words_in_department, self.word_counts = _word_counts(
            table, name_of[placed], dep_of[placed], deps
        )
        sizes = np.bincount(dep_of[named], minlength=len(deps)).tolist()
        self.department_sizes: dict[str, int] = Counter(
            {dep: n for dep, n in zip(deps, sizes, strict=True) if dep and n}
        )
        self.placed = sum(self.department_sizes.values())


_NAME, _EMAIL, _DEPARTMENT = attrgetter("name"), attrgetter("email"), attrgetter("department")
_KEY = attrgetter("key")
_TYPO_MIN = 4  # compare() finds a typo only in a name of four letters or more
_MANY = 64  # officers matched at once from which their blocks are looked up together


# A block key: one 64-bit integer mixing the department, the text found exactly and what
# else the block says (the other word of a pair; the length and the first or last letter of
# the other side of a typo). The same sums, modulo 2**64, over arrays in _blocks.
_MASK = (1 << 64) - 1
_BY_DEPARTMENT, _BY_TEXT = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
_BY_OTHER, _BY_SHAPE = 0x165667B19E3779F9, 0xD6E8FEB86659FD93
_EXACT, _PAIR, _TYPO = 1, 2, 3


def _department_code(department: str | None) -> int:
    return 0 if department is None else hash(department) & _MASK


def _exact_key(department: int, text: str) -> int:
    return (department * _BY_DEPARTMENT + (hash(text) & _MASK) * _BY_TEXT + _EXACT) & _MASK


def _pair_key(department: int, a: str, b: str) -> int:
    if b < a:
        a, b = b, a
    return (
        department * _BY_DEPARTMENT
        + (hash(a) & _MASK) * _BY_TEXT
        + (hash(b) & _MASK) * _BY_OTHER
        + _PAIR
    ) & _MASK


def _typo_key(department: int, exact: str, size: int, end: int, letter: str) -> int:
    shape = (size * 2 + end) * 256 + ord(letter)
    return (
        department * _BY_DEPARTMENT + (hash(exact) & _MASK) * _BY_TEXT + shape * _BY_SHAPE + _TYPO
    ) & _MASK


def _hashes(texts: Sequence[str]) -> npt.NDArray[np.uint64]:
    return np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts)).view(np.uint64)


def _block_keys(
    codes: npt.NDArray[np.uint64],
    name_of: npt.NDArray[np.intp],
    placed: npt.NDArray[np.intp],
    named: npt.NDArray[np.bool_],
    table: NameTable,
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
    """Every block key and the sign-up it holds: the compact name of every sign-up (``codes``:
    its department's, ``name_of``: its name's row in ``table``), and the typo keys of each cut
    and the keys of two words of the name of each sign-up ``placed`` in a department: the
    department's part of each key added to its name's part (:func:`_name_parts`), the same sums
    as :func:`_exact_key`, :func:`_typo_key` and :func:`_pair_key` (modulo 2**64)."""
    exact, typo, pair = _name_parts(table)
    table.forget_texts()  # hashed: freed before the keys are spread over the sign-ups
    by_department = np.uint64(_BY_DEPARTMENT)
    present = np.flatnonzero(named)
    # Each part dropped once used, the sign-ups held as 32-bit integers from the start: the
    # keys and their sign-ups are the index's biggest arrays, and this is its peak of memory.
    parts = [codes[present] * by_department + exact[name_of[present]]]
    members = [present.astype(np.int32)]
    del exact, present
    at, cut = _spread(table.cut_start, table.cut_count, name_of[placed], placed)
    if len(at):
        here = codes[at] * by_department
        at32 = at.astype(np.int32)
        del at
        typo.reverse()  # popped in their order
        while typo:
            part, keep = typo.pop()
            kept = keep[cut]
            parts.append(here[kept] + part[cut[kept]])
            members.append(at32[kept])
            del part, keep, kept
        del here, at32
    del cut, typo
    at, pairs = _spread(table.pair_start, table.pair_count, name_of[placed], placed)
    if len(at):
        parts.append(codes[at] * by_department + pair[pairs])
        members.append(at.astype(np.int32))
    del at, pairs, pair
    keys = np.concatenate(parts)
    del parts
    return keys, np.concatenate(members)


def _name_parts(
    table: NameTable,
) -> tuple[
    npt.NDArray[np.uint64],
    list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]],
    npt.NDArray[np.uint64],
]:
    """The parts of the block keys that do not depend on the department: each name's compact
    name's, each cut's four typo keys (one side exact, the other side's length and its first or
    last letter; with whether that side is long enough for a typo) and each pair's."""
    u64 = np.uint64
    exact = _hashes(table.compacts) * u64(_BY_TEXT) + u64(_EXACT)
    typo = []
    for exact_side, other_side in ((table.heads, table.tails), (table.tails, table.heads)):
        base = _hashes(exact_side) * u64(_BY_TEXT) + u64(_TYPO)
        size = _lengths(other_side)
        keep = size >= _TYPO_MIN - 1  # one letter less than the officer's
        for end, letter in ((0, itemgetter(0)), (1, itemgetter(-1))):
            letters = np.frombuffer("".join(map(letter, other_side)).encode(), np.uint8)
            shape = ((size * 2 + end) * 256 + letters).astype(u64)
            typo.append((base + shape * u64(_BY_SHAPE), keep))
    pair = _hashes(table.pair_a) * u64(_BY_TEXT) + _hashes(table.pair_b) * u64(_BY_OTHER)
    return exact, typo, pair + u64(_PAIR)


def _word_counts(
    table: NameTable,
    name_of: npt.NDArray[np.intp],
    department_of: npt.NDArray[np.intp],
    departments: list[str | None],
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """How many of the sign-ups (``name_of``: the row of each one's name in ``table``,
    ``department_of``: its department's number in ``departments``) bear each word, in each
    department and in all: a sign-up counts once per distinct word of its name."""
    at, item = _spread(table.word_start, table.word_count, name_of, department_of)
    word = table.words_of[item]
    del item
    known = max(len(table.words), 1)
    totals = np.bincount(word, minlength=len(table.words))
    borne = np.flatnonzero(totals)
    everywhere = Counter(
        dict(zip(table.words[borne].tolist(), totals[borne].tolist(), strict=True))
    )
    at *= known
    at += word
    ordered = np.sort(at)
    del at
    first = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))[: len(ordered)]
    pairs, counts = ordered[first], np.diff(np.append(first, len(ordered)))
    department, word = np.divmod(pairs, known)
    bounds = [0, *(np.flatnonzero(np.diff(department)) + 1).tolist(), len(pairs)]
    here: dict[str, dict[str, int]] = {}
    words, found = table.words[word].tolist(), counts.tolist()
    for a, b in pairwise(bounds):
        name = departments[int(department[a])] if b > a else None
        if name is not None:
            here[name] = Counter(dict(zip(words[a:b], found[a:b], strict=True)))
    return here, everywhere


def _spread(
    starts: npt.NDArray[np.intp],
    counts: npt.NDArray[np.intp],
    of: npt.NDArray[np.intp],
    owners: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Each owner repeated once per item of its name (``of``: the owner's name; the items of
    name ``n`` at ``starts[n]``, ``counts[n]`` of them), and the position of each item."""
    sizes = counts[of]
    ends = np.cumsum(sizes)
    total = int(ends[-1]) if len(ends) else 0
    items = np.arange(total, dtype=np.intp) - np.repeat(ends - sizes - starts[of], sizes)
    return np.repeat(owners, sizes), items


def _lengths(texts: Sequence[str]) -> npt.NDArray[np.intp]:
    return np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))


class _Blocks:
    """Block key → the sign-ups it holds: the distinct keys sorted, and for the block at
    position ``p`` the sign-ups ``holders[starts[p]:starts[p + 1]]`` (in no particular order).
    Read-only arrays, looked up by a binary search over all of an officer's keys at once."""

    __slots__ = ("holders", "keys", "starts")

    def __init__(self, built: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]]) -> None:
        keys, holders = built.pop()  # emptied: they go once sorted
        order = np.argsort(keys)
        every = keys[order]
        del keys
        self.holders = holders[order]
        del order, holders
        if len(every):
            starts = np.flatnonzero(np.concatenate(([True], every[1:] != every[:-1])))
        else:
            starts = np.zeros(0, dtype=np.intp)
        self.keys = every[starts]
        self.starts = np.append(starts, len(every))
        for array in (self.keys, self.starts, self.holders):
            array.flags.writeable = False

    def __len__(self) -> int:
        return len(self.keys)

    def held(self, keys: npt.NDArray[np.uint64]) -> list[int]:
        """The sign-ups of the blocks of ``keys`` (a sign-up twice if two of them hold it)."""
        known = self.keys
        if not len(known) or not len(keys):
            return []
        at = np.minimum(known.searchsorted(keys), len(known) - 1)
        at = at[known[at] == keys]
        starts, holders = self.starts, self.holders
        if len(at) == 1:
            return holders[starts[at[0]] : starts[at[0] + 1]].tolist()  # type: ignore[no-any-return]
        found: list[int] = []
        for position in at.tolist():
            found.extend(holders[starts[position] : starts[position + 1]].tolist())
        return found

    def held_by_each(self, looks: Sequence[npt.NDArray[np.uint64]]) -> list[list[int]]:
        """:meth:`held` of each of ``looks``, by one search for them all."""
        if not looks:
            return []
        owners = np.repeat(np.arange(len(looks)), [len(k) for k in looks])
        return self.held_by(np.concatenate(looks), owners, len(looks))

    def held_by(
        self, keys: npt.NDArray[np.uint64], owners: npt.NDArray[np.intp], count: int
    ) -> list[list[int]]:
        """For each of ``count`` owners, the sign-ups of the blocks of its ``keys`` (``owners``:
        the owner of each key, from 0 to ``count - 1``, in increasing order), by one search."""
        known = self.keys
        if not len(known) or not len(keys):
            return [[] for _ in range(count)]
        # Searched in order, each search starts where the previous one ended.
        order = np.argsort(keys)
        at = np.empty(len(keys), dtype=np.intp)
        at[order] = np.minimum(known.searchsorted(keys[order]), len(known) - 1)
        hit = known[at] == keys
        at, owners = at[hit], owners[hit]
        first, sizes = self.starts[at], self.starts[at + 1] - self.starts[at]
        # Every held sign-up, block after block: the block's start plus 0, 1, … its size - 1.
        ends = np.cumsum(sizes)
        spots = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(
            ends - sizes - first, sizes
        )
        members = self.holders[spots].tolist()
        bounds = np.searchsorted(np.repeat(owners, sizes), np.arange(count + 1)).tolist()
        return [members[a:b] for a, b in pairwise(bounds)]


@lru_cache(maxsize=1 << 17)
def _lookups(
    name: PersonName, department: str
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The blocks of :class:`SignupIndex` that hold every sign-up whose name can relate to
    the officer's: the compact name (both orders, in the department or with none), the
    shortened compound names (one word of a side and the whole other side), two words of the
    name, and one side exact with the other's first or last letter (typos)."""
    here, nowhere = _department_code(department), _department_code(None)
    keys: set[int] = set()
    for key in name.keys:
        if key:
            keys.add(_exact_key(here, key))
            keys.add(_exact_key(nowhere, key))
    if not (name.first and name.last):
        return _key_array(keys), _key_array(())
    first = [w for g in name.first for w in g]
    last = [w for g in name.last for w in g]
    keys.add(_pair_key(here, first[0], last[0]))
    sides: set[int] = set()
    # "Marie Vincent" for Marie-Hélène Vincent, "Jean Fleury" for Jean Fleury-Lucas: two
    # words, found by their compact name (one side of one word, the other of several).
    if (len(first) == 1) != (len(last) == 1):
        keys.update((_exact_key(here, first[0] + last[0]), _exact_key(here, last[0] + first[0])))
    for exact, other in (
        (name.first_compact, name.last_compact),
        (name.last_compact, name.first_compact),
    ):
        if len(other) >= _TYPO_MIN:
            base = _typo_key(here, exact, 0, 0, "\0")
            first_letter, last_letter = ord(other[0]), ord(other[-1])
            for size in (len(other) - 1, len(other), len(other) + 1):
                for end, letter in ((0, first_letter), (1, last_letter)):
                    shape = (size * 2 + end) * 256 + letter
                    sides.add((base + shape * _BY_SHAPE) & _MASK)
    return _key_array(keys), _key_array(sides)


def _key_array(keys: Collection[int]) -> npt.NDArray[np.uint64]:
    found = np.array(sorted(keys), dtype=np.uint64)
    found.flags.writeable = False  # cached, shared by every call
    return found


def _lookups_many(
    names: Sequence[PersonName], departments: Sequence[str]
) -> tuple[tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]], ...]:
    """The keys of :func:`_lookups` of many officers at once, over arrays: the exact keys and
    the typo keys, each with its officer's position in ``names`` (in increasing order; a key
    may come twice for one officer, where :func:`_lookups` keeps it once)."""
    u64 = np.uint64
    here = np.array(list(map(_department_code, departments)), dtype=u64) * u64(_BY_DEPARTMENT)
    keys_a = [name.keys[0] for name in names]
    keys_b = [name.keys[1] for name in names]
    whole = [i for i, key in enumerate(keys_a) if key]
    both = [i for i, name in enumerate(names) if name.first and name.last]
    firsts = [names[i].first[0][0] for i in both]
    lasts = [names[i].last[0][0] for i in both]
    # One side of one word and the other of several: "Marie Vincent" for Marie-Hélène Vincent.
    compound = [
        j
        for j, i in enumerate(both)
        if (sum(map(len, names[i].first)) == 1) != (sum(map(len, names[i].last)) == 1)
    ]
    exact_keys, exact_owners = [], []
    by_text, exact = u64(_BY_TEXT), u64(_EXACT)
    at = np.array(whole, dtype=np.intp)
    for texts in (keys_a, keys_b):
        hashed = _hashes([texts[i] for i in whole]) * by_text + exact
        exact_keys += [here[at] + hashed, hashed]
        exact_owners += [at, at]
    at = np.array(both, dtype=np.intp)
    low, high = list(map(min, firsts, lasts)), list(map(max, firsts, lasts))
    exact_keys.append(
        here[at] + _hashes(low) * by_text + _hashes(high) * u64(_BY_OTHER) + u64(_PAIR)
    )
    exact_owners.append(at)
    some = at[np.array(compound, dtype=np.intp)]
    for texts in (
        [firsts[j] + lasts[j] for j in compound],
        [lasts[j] + firsts[j] for j in compound],
    ):
        exact_keys.append(here[some] + _hashes(texts) * by_text + exact)
        exact_owners.append(some)
    side_keys, side_owners = [], []
    for exact_side, other_side in (
        ("first_compact", "last_compact"),
        ("last_compact", "first_compact"),
    ):
        others = [getattr(names[i], other_side) for i in both]
        size = _lengths(others)
        long = np.flatnonzero(size >= _TYPO_MIN)
        owners = at[long]
        base = (
            here[owners]
            + _hashes([getattr(names[both[j]], exact_side) for j in long.tolist()]) * by_text
            + u64(_TYPO)
        )
        size = size[long]
        kept = [others[j] for j in long.tolist()]
        for end, letter in ((0, itemgetter(0)), (1, itemgetter(-1))):
            letters = np.frombuffer("".join(map(letter, kept)).encode(), np.uint8).astype(np.intp)
            for change in (-1, 0, 1):
                shape = (((size + change) * 2 + end) * 256 + letters).astype(u64)
                side_keys.append(base + shape * u64(_BY_SHAPE))
                side_owners.append(owners)
    return _by_owner(exact_keys, exact_owners), _by_owner(side_keys, side_owners)


def _by_owner(
    keys: list[npt.NDArray[np.uint64]], owners: list[npt.NDArray[np.intp]]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """The keys of many owners put together, ordered by owner."""
    if not keys:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.intp)
    every, whose = np.concatenate(keys), np.concatenate(owners)
    order = np.argsort(whose, kind="stable")
    return every[order], whose[order]


def _namesakes(officer: PersonName, department: str, index: SignupIndex) -> float:
    """How many of the department's other sign-ups are expected to bear the officer's name by
    chance: the department's size times how common the first name and the last name are, each
    in the whole export or in the department, whichever is more (a compound name counts as its
    rarest word). The sign-up being graded is left out of the counts, and a small export leans
    on a prior share of :data:`_PRIOR_SHARE` worth :data:`_PRIOR_WEIGHT` sign-ups. "Nicolas
    Martin" in Paris is expected several times over; "Gwenaëlle Le Bihan" in Morbihan almost
    never."""
    others = index.department_sizes.get(department, 0) - 1
    if others < 1 or not officer.first_set or not officer.last_set:
        return 0.0
    counts, total = index.word_counts, index.placed - 1
    here_words = index.words_in_department.get(department, {})
    prior = _PRIOR_SHARE * _PRIOR_WEIGHT

    def share(words: frozenset[str]) -> float:
        return min(
            max(
                (counts.get(word, 1) - 1 + prior) / (total + _PRIOR_WEIGHT),
                (here_words.get(word, 0) - 1 + prior) / (others + _PRIOR_WEIGHT),
            )
            for word in words
        )

    return others * share(officer.first_set) * share(officer.last_set)


@lru_cache(maxsize=1 << 17)
def _person(first_name: str, last_name: str) -> PersonName:
    return PersonName.parse(first_name, last_name)


@lru_cache(maxsize=1 << 17)
def _address(email: str) -> str:
    return normalise_email(email) if email.strip() else ""


def reconcile(
    officers: Sequence[OfficerProfile],
    signups: Sequence[Signup] | SignupIndex,
    *,
    rejected: Collection[tuple[str, str]] = (),
    only: Collection[str] | None = None,
    namesakes_tolerated: float = NAMESAKES_TOLERATED,
) -> list[Match]:
    """One :class:`Match` per officer, in the officers' order.

    ``signups`` is the export or a :class:`SignupIndex` built from it. ``rejected`` holds
    ``(officer key, sign-up key)`` pairs an organiser has said are not the same person; they are
    never proposed again. With ``only`` (officer keys), the matches of those officers and of
    every officer whose result can depend on theirs (sharing a candidate sign-up or an e-mail
    address with them, to a fixpoint), each the same as without ``only``, in the officers' order.
    ``namesakes_tolerated``: see :data:`NAMESAKES_TOLERATED`. Nothing is kept between two calls;
    :class:`OfficerIndex` keeps the officers' side for the next one.

    After a change, the officers whose match may differ are the closure of the changed
    officers and of the officers :func:`touching` the changed sign-ups, taken both before the
    change (the old roster and index: what the officer or the sign-up was) and after it::

        before = {m.officer for m in reconcile(old_officers, old_index, only=keys)}
        fresh = reconcile(new_officers, new_index, only=before | keys)
    """
    with collector_paused():
        index = signups if isinstance(signups, SignupIndex) else SignupIndex(signups)
        kept = OfficerIndex(index, namesakes_tolerated)
        keys = [o.key for o in officers]
        if len(set(keys)) == len(keys):
            found = kept.reconcile(officers, rejected=rejected, only=only, ahead=False)
        else:
            found = _with_repeated_keys(kept, officers, keys, rejected, only)
        # Dropped while the collector is still off: the first pass after it is back on would
        # otherwise walk every object of an index built here, just before freeing them.
        del kept, index
    return found


def _with_repeated_keys(
    kept: OfficerIndex,
    officers: Sequence[OfficerProfile],
    keys: list[str],
    rejected: Collection[tuple[str, str]],
    only: Collection[str] | None,
) -> list[Match]:
    """:meth:`OfficerIndex.reconcile` of officers some of whom share a key: each such officer
    matched under a key of its own (its rejections with it), the key given back after."""
    seen: Counter[str] = Counter()
    inner: list[str] = []
    for key in keys:
        inner.append(key if not seen[key] else f"{key}\0{seen[key]}")
        seen[key] += 1
    renamed = {alias: key for alias, key in zip(inner, keys, strict=True) if alias != key}
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, key in renamed.items():
        aliases[key].append(alias)
    refused = set(rejected) | {
        (alias, signup) for key, signup in rejected for alias in aliases.get(key, ())
    }
    wanted = None if only is None else set(only) | {a for k in only for a in aliases.get(k, ())}
    found = kept.reconcile(
        [replace(o, key=alias) for o, alias in zip(officers, inner, strict=True)],
        rejected=refused,
        only=wanted,
        ahead=False,
    )
    return [replace(m, officer=renamed.get(m.officer, m.officer)) for m in found]


def touching(
    officers: Sequence[OfficerProfile],
    index: SignupIndex,
    signups: Collection[str],
    *,
    rejected: Collection[tuple[str, str]] = (),
) -> set[str]:
    """The keys of the officers that may be matched with any of ``signups`` (sign-up keys): the
    sign-up is in one of their blocks or under their address (``rejected``: as for
    :func:`reconcile`; an officer whose own sign-up is rejected is looked for by name too).
    Pass them (with the officers changed) as ``only`` to :func:`reconcile` after an import adds
    or changes those sign-ups."""
    return OfficerIndex(index).touching(officers, signups, rejected=rejected)


def _signature(officer: OfficerProfile) -> tuple[str, str, str, str]:
    """What an officer's match reads of its profile (besides its key)."""
    return officer.first_name, officer.last_name, officer.email, officer.department


class OfficerIndex:
    """The officers' side of matching against one :class:`SignupIndex`, kept between calls.

    What each officer's blocks hold (:meth:`raw`), the officers by address, by department and by
    compact name, and each department's claims (sign-up → the officers of the department whose
    blocks hold it) are found when first needed and kept, each officer known by its key. Each :meth:`reconcile` compares the officers it is given with the previous
    call's (the same object, else the same names, address and department) and with the
    rejections, and forgets only what an officer added, removed or changed, or a rejection made
    or withdrawn, touched: that officer's blocks, its entries in the look-ups, and the claims of
    its departments before and after. One officer's match then costs its closure, not the
    roster, and gives what a fresh :func:`reconcile` would. Calls are serialised by a lock (the
    event loop's threads may share one).
    """

    def __init__(
        self, index: SignupIndex, namesakes_tolerated: float = NAMESAKES_TOLERATED
    ) -> None:
        self.index = index
        self.tolerated = namesakes_tolerated
        self.refused: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._officers: tuple[OfficerProfile, ...] = ()
        self._taken = False
        self._profiles: dict[str, OfficerProfile] = {}  # by key
        self._raw: dict[str, list[int]] = {}
        # What an officer's blocks hold, looked up for many officers at once (see _look_up).
        self._held: dict[str, tuple[list[int], list[int]]] = {}
        self._by_email: dict[str, list[str]] | None = None
        self._in_department: dict[str, list[str]] = {}  # built with _by_email
        self._by_name: dict[str, list[str]] | None = None
        self._claims: dict[str, dict[int, list[str]]] = {}

    def reconcile(
        self,
        officers: Sequence[OfficerProfile],
        *,
        rejected: Collection[tuple[str, str]] = (),
        only: Collection[str] | None = None,
        ahead: bool = True,
    ) -> list[Match]:
        """:func:`reconcile` of ``officers`` with this index's sign-ups. Officers sharing a
        key are matched afresh, leaving what is kept as it was. After a whole roster's match,
        the officers by address and by name are made too (unless not ``ahead``), so that the
        next one officer's match does not pay them."""
        with self._lock, collector_paused():
            try:
                self.take(officers, rejected)
            except _RepeatedKeys:  # matched afresh, as the plain reconcile does
                return reconcile(
                    officers,
                    self.index,
                    rejected=rejected,
                    only=only,
                    namesakes_tolerated=self.tolerated,
                )
            if only is None:
                positions: Iterable[int] = range(len(self._officers))
            else:
                wanted = {id(self._profiles[k]) for k in self._closure(only)}
                # Their places, by one pass over the roster's identities.
                positions = compress(count(), map(wanted.__contains__, map(id, self._officers)))
            found = self._matches(positions)
            if only is None and ahead:
                self._officers_by_email()
                self._officers_by_name()
            return found

    def inherit(self, earlier: OfficerIndex, touched: Collection[str]) -> None:
        """Take from ``earlier`` (kept for the sign-ups before an import) what the import
        cannot have changed: the blocks of every officer but the ``touched`` ones (those the
        import's sign-ups touch, before and after it: see :func:`touching`), if its profile and
        rejections are the same here, and the claims of a department whose officers are the
        same and all such. This index's sign-ups must be ``earlier``'s, some updated in place,
        new ones after them (as an import makes them); what was found here already stays."""
        if earlier is self or not (earlier._taken and self._taken):
            return
        with earlier._lock, self._lock:
            here, there = self._profiles, earlier._profiles
            signature = _signature
            unsure = set(touched) | {k for k, _ in self.refused ^ earlier.refused}
            same = {
                k
                for k, officer in here.items()
                if k not in unsure
                and (before := there.get(k)) is not None
                and (before is officer or signature(before) == signature(officer))
            }
            raw = self._raw
            for key in same:
                if key not in raw and (found := earlier._raw.get(key)) is not None:
                    raw[key] = found
            if self._by_email is None or earlier._by_email is None:
                return
            theirs = earlier._in_department
            for department, keys in self._in_department.items():
                claims = earlier._claims.get(department)
                if (
                    claims is not None
                    and department not in self._claims
                    and all(k in same for k in keys)
                    and set(keys) == set(theirs.get(department, ()))
                ):
                    self._claims[department] = claims

    def touching(
        self,
        officers: Sequence[OfficerProfile],
        signups: Collection[str],
        *,
        rejected: Collection[tuple[str, str]] | None = None,
    ) -> set[str]:
        """:func:`touching`, with what is kept; ``rejected`` None keeps the last call's (an
        officer whose own sign-up is rejected has more blocks: never fewer officers than with
        none)."""
        with self._lock, collector_paused():
            self.take(officers, self.refused if rejected is None else rejected)
            wanted = set(signups)
            found: set[str] = set()
            for i, signup in enumerate(self.index.signups):
                if signup.key in wanted:
                    found.update(self.claimants(i))
            return found

    # --- the officers given, against those kept ------------------------------------------------

    def take(
        self, officers: Sequence[OfficerProfile], rejected: Collection[tuple[str, str]]
    ) -> None:
        """Make ``officers`` and ``rejected`` the current ones, forgetting what they change.

        The officers are told apart from the previous call's by identity (models are replaced,
        never changed), along the two rosters at once (:func:`_differences`): only an officer
        object not given last time, or one no longer given, is looked at, by its key."""
        officers = tuple(officers)
        old, profiles = self._officers, self._profiles
        forget: dict[int, OfficerProfile] = {}  # by id(): each once
        learn: dict[str, OfficerProfile] = {}  # by key: each once
        found = _differences(old, officers) if self._taken else None
        if found is None:  # the first call, or many officers moved
            profiles = dict(zip(map(_KEY, officers), officers, strict=True))
            if len(profiles) != len(officers):
                raise _RepeatedKeys
            if self._taken:
                signature = _signature
                for key, before in self._profiles.items():
                    now = profiles.get(key)
                    if now is None or (now is not before and signature(now) != signature(before)):
                        forget[id(before)] = before
                        if now is not None:
                            learn[key] = now
                learn.update((k, o) for k, o in profiles.items() if k not in self._profiles)
        elif found[0] or found[1]:
            arrived, gone = found
            left = {o.key: o for o in gone}
            keys = [o.key for o in arrived]
            if len(set(keys)) != len(keys) or any(k in profiles and k not in left for k in keys):
                raise _RepeatedKeys
            profiles = dict(profiles)
            signature = _signature
            for officer in arrived:
                previous = left.pop(officer.key, None)
                if previous is None:
                    learn[officer.key] = officer
                elif previous is not officer and signature(previous) != signature(officer):
                    forget[id(previous)] = previous
                    learn[officer.key] = officer
                profiles[officer.key] = officer
            for officer in left.values():  # no longer given
                forget[id(officer)] = officer
                del profiles[officer.key]
        refused = rejected if isinstance(rejected, (set, frozenset)) else set(rejected)
        if refused != self.refused:
            for key in {k for k, _ in refused ^ self.refused}:
                if key in self._profiles:
                    forget[id(self._profiles[key])] = self._profiles[key]
                if key in profiles:
                    learn[key] = profiles[key]
            self.refused = set(refused)
        for officer in forget.values():
            self._forget(officer)
        for officer in learn.values():
            self._learn(officer)
        self._officers, self._profiles = officers, profiles
        self._taken = True

    def _stale(self, officer: OfficerProfile) -> str:
        """What was found for ``officer`` and its department dropped; its key."""
        key = officer.key
        self._raw.pop(key, None)
        self._held.pop(key, None)
        self._claims.pop(officer.department, None)
        return key

    def _forget(self, officer: OfficerProfile) -> None:
        key = self._stale(officer)
        if self._by_email is not None:
            email = _address(officer.email)
            if email:
                _discard(self._by_email, email, key)
            _discard(self._in_department, officer.department, key)
        if self._by_name is not None:
            for name_key in set(_person(officer.first_name, officer.last_name).keys):
                _discard(self._by_name, name_key, key)

    def _learn(self, officer: OfficerProfile) -> None:
        key = self._stale(officer)
        if self._by_email is not None:
            email = _address(officer.email)
            if email:
                self._by_email.setdefault(email, []).append(key)
            self._in_department.setdefault(officer.department, []).append(key)
        if self._by_name is not None:
            for name_key in set(_person(officer.first_name, officer.last_name).keys):
                self._by_name.setdefault(name_key, []).append(key)

    # --- one officer -----------------------------------------------------------------------------

    def raw(self, officer: OfficerProfile) -> list[int]:
        """Every sign-up the officer's match may rest on, before any filtering: those under
        the officer's address, and unless one of them bears the officer's name (nothing can
        outrank it: see :meth:`_candidates`), those the officer's blocks hold."""
        key = officer.key
        found = self._raw.get(key)
        if found is not None:
            return found
        index, name = self.index, _person(officer.first_name, officer.last_name)
        email = _address(officer.email)
        seen: set[int] = set()
        if email:
            mine = index.by_email.get(email, ())
            if any(
                (key, index.signups[i].key) not in self.refused
                and _grade_email(name, i, index).status is REGISTERED
                for i in mine
            ):
                found = self._raw[key] = sorted(mine)
                return found
            seen.update(mine)
        blocks = index.blocks
        held = self._held.pop(key, None)
        if held is None:
            exact, sides = _lookups(name, officer.department)
            held = blocks.held(exact), blocks.held(sides)
        seen.update(held[0])
        # A typo's block also holds names of other lengths and other letters: only a compact
        # name within two edits of the officer's (either order) can be a typo of it.
        compacts, keys = index.compacts, name.keys
        for i in held[1]:
            if i not in seen and any(
                Levenshtein.distance(compacts[i], k, score_cutoff=2) <= 2 for k in keys
            ):
                seen.add(i)
        found = sorted(seen)
        self._raw[key] = found
        return found

    # --- which officers depend on which ------------------------------------------------------

    def _officer(self, key: str) -> OfficerProfile:
        return self._profiles[key]

    def _officers_by_email(self) -> dict[str, list[str]]:
        if self._by_email is None:
            by_email: dict[str, list[str]] = {}
            by_department: dict[str, list[str]] = {}
            address = _address
            for officer in self._officers:
                email, key = address(officer.email), officer.key
                if email:
                    if email in by_email:
                        by_email[email].append(key)
                    else:
                        by_email[email] = [key]
                if officer.department in by_department:
                    by_department[officer.department].append(key)
                else:
                    by_department[officer.department] = [key]
            self._by_email, self._in_department = by_email, by_department
        return self._by_email

    def _officers_by_name(self) -> dict[str, list[str]]:
        if self._by_name is None:
            by_name: dict[str, list[str]] = {}
            person = _person
            for officer in self._officers:
                one, other = person(officer.first_name, officer.last_name).keys
                for name_key in (one,) if one == other else (one, other):
                    if name_key in by_name:
                        by_name[name_key].append(officer.key)
                    else:
                        by_name[name_key] = [officer.key]
            self._by_name = by_name
        return self._by_name

    def _department_claims(self, department: str) -> dict[int, list[str]]:
        """Sign-up → the officers of ``department`` whose blocks hold it."""
        claims = self._claims.get(department)
        if claims is None:
            self._officers_by_email()
            claims = {}
            here = [self._officer(k) for k in self._in_department.get(department, ())]
            unknown = [o for o in here if o.key not in self._raw and o.key not in self._held]
            if len(unknown) >= _MANY:  # a big department: its blocks looked up together
                self._look_up(unknown)
            for officer in here:
                key = officer.key
                for signup in self.raw(officer):
                    if signup in claims:
                        claims[signup].append(key)
                    else:
                        claims[signup] = [key]
            self._claims[department] = claims
        return claims

    def claimants(self, signup: int) -> Iterable[str]:
        """Every officer whose blocks hold ``signup`` or whose address is the sign-up's."""
        index = self.index
        email = index.emails[signup]
        if email:
            yield from self._officers_by_email().get(email, ())
        department = index.departments[signup]
        if department is not None:
            yield from self._department_claims(department).get(signup, ())
        elif index.compacts[signup]:
            for key in self._officers_by_name().get(index.compacts[signup], ()):
                if signup in self.raw(self._officer(key)):
                    yield key

    def _closure(self, only: Collection[str]) -> set[str]:
        known = self._profiles
        todo = [k for k in set(only) if k in known]
        closure: set[str] = set()
        while todo:
            key = todo.pop()
            if key in closure:
                continue
            closure.add(key)
            officer = self._officer(key)
            email = _address(officer.email)
            if email:
                todo.extend(self._officers_by_email().get(email, ()))
            for signup in self.raw(officer):
                todo.extend(k for k in self.claimants(signup) if k not in closure)
        return closure

    # --- the matches ----------------------------------------------------------------------

    def _look_up(self, officers: Sequence[OfficerProfile]) -> None:
        """What the blocks of each of ``officers`` hold (exact, then typo blocks), found by one
        binary search for them all, kept for :meth:`raw`."""
        names = [_person(o.first_name, o.last_name) for o in officers]
        looks = _lookups_many(names, [o.department for o in officers])
        blocks = self.index.blocks
        found = [blocks.held_by(keys, owners, len(officers)) for keys, owners in looks]
        self._held.update(zip([o.key for o in officers], zip(*found, strict=True), strict=True))

    def _matches(self, positions: Iterable[int]) -> list[Match]:
        officers = [self._officers[p] for p in positions]
        if len(officers) >= _MANY:
            self._look_up([o for o in officers if o.key not in self._raw])
        owned = self._owned(officers)
        chosen: list[_Candidate | None] = []
        for officer in officers:
            found = self._candidates(officer, owned)
            chosen.append(_choose(found, self.index))
        _settle_shared(chosen)
        signups = self.index.signups
        return [_to_match(o, pick, signups) for o, pick in zip(officers, chosen, strict=True)]

    def _owned(self, officers: Sequence[OfficerProfile]) -> dict[int, str]:
        """Sign-ups under exactly one officer's address and with that officer's name (or a
        variant of it): sign-up index → officer key. Such a sign-up is that officer's; it is no
        candidate for anyone else, a namesake in the same department included."""
        owners: dict[int, set[str]] = defaultdict(set)
        index = self.index
        for officer in officers:
            email = _address(officer.email)
            if not email:
                continue
            name = _person(officer.first_name, officer.last_name)
            for i in index.by_email.get(email, ()):
                if _grade_email(name, i, index).status is REGISTERED:
                    owners[i].add(officer.key)
        return {i: next(iter(keys)) for i, keys in owners.items() if len(keys) == 1}

    def _candidates(self, officer: OfficerProfile, owned: dict[int, str]) -> list[_Candidate]:
        index, name = self.index, _person(officer.first_name, officer.last_name)
        email, key, refused = _address(officer.email), officer.key, self.refused
        signups = index.signups
        allowed = [
            i
            for i in self.raw(officer)
            if owned.get(i, key) == key and (key, signups[i].key) not in refused
        ]
        found: dict[int, _Candidate] = {}
        if email:
            for i in allowed:
                if index.emails[i] == email:
                    found[i] = _grade_email(name, i, index)
            if any(c.status is REGISTERED for c in found.values()):
                # The address proves the officer: no name match can rank above it.
                return list(found.values())
        crowded: bool | None = None  # many namesakes expected in the department
        loose: list[int] = []
        for i in allowed:
            if i in found:
                continue
            department = index.departments[i]
            if department is None:
                loose.append(i)
                continue
            if department != officer.department:
                continue
            graded = _grade_name(name, i, index, same_department=True)
            if graded is not None and graded.status is REGISTERED:
                if crowded is None:
                    crowded = _namesakes(name, department, index) >= self.tolerated
                if crowded:
                    # A name shared by many members of the department is no proof under
                    # another address.
                    graded = replace(graded, status=PROBABLE, confidence=graded.confidence - 0.2)
            if graded is not None:
                found[i] = graded
        if loose and not any(c.status is REGISTERED for c in found.values()):
            for i in loose:
                graded = _grade_name(name, i, index, same_department=False)
                if graded is not None:
                    found[i] = graded
        return list(found.values())


_FEW = 64  # officers replaced at most, beyond one run inserted or removed, told apart in place


def _differences(
    old: tuple[OfficerProfile, ...], new: tuple[OfficerProfile, ...]
) -> tuple[list[OfficerProfile], list[OfficerProfile]] | None:
    """The officer objects at the places where ``new`` differs from ``old`` (new ones, old ones),
    compared by identity along both at once: a run inserted or removed where they first differ,
    and up to :data:`_FEW` replaced; None if more differ. An object may be in both (it moved)."""
    shift = len(new) - len(old)
    first = next(compress(count(), map(is_not, old, new)), min(len(old), len(new)))
    if shift >= 0:
        arrived, gone = list(new[first : first + shift]), []
        tail_old, tail_new = old[first:], new[first + shift :]
    else:
        arrived, gone = [], list(old[first : first - shift])
        tail_old, tail_new = old[first - shift :], new[first:]
    places = list(islice(compress(count(), map(is_not, tail_old, tail_new)), _FEW + 1))
    if len(places) > _FEW:
        return None
    arrived += [tail_new[i] for i in places]
    gone += [tail_old[i] for i in places]
    return arrived, gone


class _RepeatedKeys(ValueError):
    """Two officers share a key (an officer being added under a key taken: refused after)."""


def _discard(groups: dict[str, list[str]], group: str, key: str) -> None:
    members = groups.get(group)
    if members is not None and key in members:
        members.remove(key)
        if not members:
            del groups[group]


def _grade_email(name: PersonName, signup: int, index: SignupIndex) -> _Candidate:
    groups = index.groups[signup]
    if not groups:
        return _Candidate(signup, REGISTERED, 0.9, MatchReason.EMAIL_NO_NAME, True)
    kinship = compare(name, groups)
    if kinship is Kinship.SAME:
        return _Candidate(signup, REGISTERED, 1.0, MatchReason.EMAIL, True)
    if kinship in _VARIANTS:
        return _Candidate(signup, REGISTERED, 0.95, MatchReason.EMAIL_NAME_VARIANT, True)
    # Another name behind the officer's address: a relative, a shared mailbox, a married name.
    confidence = 0.6 if kinship is Kinship.PARTIAL else 0.5
    return _Candidate(signup, PROBABLE, confidence, MatchReason.EMAIL_OTHER_NAME, True)


_VARIANTS = (
    Kinship.LAST_NAME_COMPOUND,
    Kinship.FIRST_NAME_COMPOUND,
    Kinship.LAST_NAME_TYPO,
    Kinship.FIRST_NAME_TYPO,
)


def _grade_name(
    officer: PersonName, signup: int, index: SignupIndex, *, same_department: bool
) -> _Candidate | None:
    kinship = compare(officer, index.groups[signup])
    if not same_department:
        if kinship is Kinship.SAME:
            return _Candidate(signup, PROBABLE, 0.6, MatchReason.NAME_NO_DEPARTMENT, False)
        return None
    if kinship is Kinship.SAME:
        # "CLÉMENT Marie" under mclement@…: the address reads Marie as the first name, so this
        # may well be Marie Clément rather than the officer Clément Marie.
        if email_reverses(index.emails[signup], officer):
            return _Candidate(signup, PROBABLE, 0.6, MatchReason.NAME, False)
        return _Candidate(signup, REGISTERED, 0.9, MatchReason.NAME, False)
    reason = {
        Kinship.LAST_NAME_COMPOUND: MatchReason.NAME_COMPOUND,
        Kinship.FIRST_NAME_COMPOUND: MatchReason.FIRST_NAME_COMPOUND,
        Kinship.LAST_NAME_TYPO: MatchReason.LAST_NAME_TYPO,
        Kinship.FIRST_NAME_TYPO: MatchReason.FIRST_NAME_TYPO,
    }.get(kinship)
    if reason is None:
        return None
    # A near name alone could be a relative or a namesake ("Morin" and "Morin-Roche"); the
    # e-mail spelling the officer's exact name is what makes it the officer. The first initial
    # is enough only when the first name itself is identical.
    first_exact = kinship in (Kinship.LAST_NAME_COMPOUND, Kinship.LAST_NAME_TYPO)
    if email_mentions(index.emails[signup], officer, initial=first_exact):
        return _Candidate(signup, REGISTERED, 0.85 if first_exact else 0.8, reason, False)
    # A typo that is no name ("Osczr", "Fleuyr": borne by no other sign-up of the export) is
    # the officer's name mistyped, not a relative's near name ("Louise" for Louis): as good as
    # the name itself, namesakes aside (see _Run._candidates).
    if kinship in (Kinship.LAST_NAME_TYPO, Kinship.FIRST_NAME_TYPO) and _misspelt(
        officer, signup, index
    ):
        return _Candidate(signup, REGISTERED, 0.75, reason, False)
    return _Candidate(signup, PROBABLE, 0.7 if first_exact else 0.6, reason, False)


def _misspelt(officer: PersonName, signup: int, index: SignupIndex) -> bool:
    """Whether every word of the sign-up's name that is not the officer's is borne by no other
    sign-up of the export, an export large enough (:data:`_MISSPELT_EXPORT`) for a real name to
    be borne twice."""
    if index.placed < _MISSPELT_EXPORT:
        return False
    ours = set(officer.words)
    typed = [w for g in index.groups[signup] for w in g if w not in ours]
    return bool(typed) and all(index.word_counts.get(w, 0) <= 1 for w in typed)


_RANK = {REGISTERED: 2, PROBABLE: 1, UNREGISTERED: 0}
_CLOSENESS = {
    reason: rank
    for rank, reason in enumerate(
        (
            MatchReason.NAME,
            MatchReason.NAME_COMPOUND,
            MatchReason.FIRST_NAME_COMPOUND,
            MatchReason.LAST_NAME_TYPO,
            MatchReason.FIRST_NAME_TYPO,
            MatchReason.NAME_NO_DEPARTMENT,
        )
    )
}


def _choose(candidates: list[_Candidate], index: SignupIndex) -> _Candidate | None:
    if not candidates:
        return None
    # At equal grade, the closer name goes first (the exact name before a typo of it), then a
    # sign-up placed in the officer's department (name candidates are only ever graded there
    # or in no department) before one with no postcode.
    ordered = sorted(
        candidates,
        key=lambda c: (
            -_RANK[c.status],
            -c.confidence,
            -c.by_email,
            _CLOSENESS.get(c.reason, len(_CLOSENESS)),
            index.departments[c.signup] is None,
            c.signup,
        ),
    )
    best = ordered[0]
    if best.status is REGISTERED and not best.by_email:
        rivals = [
            c
            for c in ordered[1:]
            if c.status is REGISTERED
            and c.confidence == best.confidence
            and index.emails[c.signup] != index.emails[best.signup]
        ]
        if rivals:
            return _Candidate(
                best.signup, PROBABLE, best.confidence - 0.2, MatchReason.AMBIGUOUS, False
            )
    return best


def _settle_shared(chosen: list[_Candidate | None]) -> None:
    """One sign-up proves one officer: others claiming it as registered become probable, and it
    is not proposed as a probable match for anyone else."""
    claims: dict[int, list[int]] = defaultdict(list)
    for position, pick in enumerate(chosen):
        if pick is not None and pick.status is REGISTERED:
            claims[pick.signup].append(position)
    for position, pick in enumerate(chosen):
        if pick is not None and pick.status is PROBABLE and pick.signup in claims:
            chosen[position] = None
    for positions in claims.values():
        if len(positions) < 2:
            continue
        picks = [(p, pick) for p in positions if (pick := chosen[p]) is not None]
        picks.sort(key=lambda item: (-item[1].confidence, -item[1].by_email, item[0]))
        (top_position, top), rest = picks[0], picks[1:]
        for position, pick in rest:
            same = pick.confidence == top.confidence and pick.by_email == top.by_email
            chosen[position] = _Candidate(
                pick.signup,
                PROBABLE,
                min(pick.confidence, 0.5),
                MatchReason.AMBIGUOUS if same else MatchReason.SHARED,
                pick.by_email,
            )
            if same:
                chosen[top_position] = _Candidate(
                    top.signup,
                    PROBABLE,
                    min(top.confidence, 0.5),
                    MatchReason.AMBIGUOUS,
                    top.by_email,
                )


def _to_match(officer: OfficerProfile, pick: _Candidate | None, signups: Sequence[Signup]) -> Match:
    if pick is None:
        return Match(officer.key, UNREGISTERED, None, 0.0, MatchReason.NONE)
    return Match(
        officer.key, pick.status, signups[pick.signup].key, round(pick.confidence, 2), pick.reason
    )


def reconcile_files(
    roster_path: str | Path,
    signups_path: str | Path,
    tz: ZoneInfo = PARIS,
    *,
    namesakes_tolerated: float = NAMESAKES_TOLERATED,
) -> list[Match]:
    """Reconcile two CSV files without a database: one :class:`Match` per roster row, in order.

    ``officer`` is the roster's identifier (else its 1-based row number) and ``signup`` the
    matched sign-up's identifier (else its 1-based row number), both as strings.
    """
    roster_file, signups_file = Path(roster_path), Path(signups_path)
    records = parse_roster(roster_file.read_bytes(), roster_file.name)
    rows = parse_signups(signups_file.read_bytes(), signups_file.name, tz)
    officers = [replace(r.profile, key=r.ext_id or str(r.row)) for r in records]
    signups = [replace(s.signup, key=s.ext_id or str(s.row)) for s in rows]
    return reconcile(officers, signups, namesakes_tolerated=namesakes_tolerated)
