"""The distinct names of a sign-up export, split once and laid out over arrays.

:class:`NameTable` holds, for each name, what :class:`~bot.registration.reconcile.SignupIndex`
builds its blocks from: the compact name, every cut of the words in two (the words before it
joined, and after it), the pairs of first words of the groups of a name of three words or more,
and the distinct words. A name made only of ASCII letters, digits, spaces, hyphens and
apostrophes once folded (nearly every name of an export) is split without a Python loop per
name: over the bytes of all such names at once, and its groups are made only when asked for.
Any other name goes through :func:`~bot.registration.names.split_folded`, one at a time. Both
give what :func:`~bot.registration.names.split_full_name` gives.
"""

from __future__ import annotations

from itertools import combinations, count

import numpy as np
import numpy.typing as npt

from bot.registration.names import first_name_first, fold_each, split_folded

Groups = tuple[tuple[str, ...], ...]
# Every byte a name split over arrays may hold, its lines joined by a newline.
_PLAIN = np.zeros(256, dtype=bool)
_PLAIN[list(b"abcdefghijklmnopqrstuvwxyz0123456789 -'\n")] = True
_LETTER = np.zeros(256, dtype=bool)
_LETTER[list(b"abcdefghijklmnopqrstuvwxyz0123456789")] = True


class NameTable:
    """Names (distinct, as typed) split once. Row ``r`` of the table is a name; its cuts are
    ``heads[cut_start[r]:…+cut_count[r]]`` with the ``tails`` at the same places, its pairs
    ``pair_a``/``pair_b`` (the smaller word first) the same way, and its distinct words
    ``words[words_of[word_start[r]:…+word_count[r]]]`` (``words``: every word once).
    ``row_of[i]`` is the row of the ``i``-th name given."""

    __slots__ = (
        "compacts",
        "cut_count",
        "cut_start",
        "folded",
        "heads",
        "known_groups",
        "pair_a",
        "pair_b",
        "pair_count",
        "pair_start",
        "row_of",
        "tails",
        "word_count",
        "word_start",
        "words",
        "words_of",
    )

    def __init__(self, names: list[str]) -> None:
        texts = [first_name_first(name) if "," in name else name for name in names]
        folded = fold_each(texts)
        plain = _plain_rows(folded)
        fast = [text for text, ok in zip(folded, plain, strict=True) if ok]
        slow = [text for text, ok in zip(folded, plain, strict=True) if not ok]
        self.folded = fast + slow
        order = np.concatenate((np.flatnonzero(plain), np.flatnonzero(~plain)))
        self.row_of = np.empty(len(names), dtype=np.intp)
        self.row_of[order] = np.arange(len(names), dtype=np.intp)
        one, other = _split_plain(fast), _split_each(slow)
        self.known_groups: dict[int, Groups] = {
            len(fast) + i: groups for i, groups in enumerate(other.groups)
        }
        self.compacts = one.compacts + other.compacts
        self.heads, self.tails = one.heads + other.heads, one.tails + other.tails
        self.pair_a, self.pair_b = one.pair_a + other.pair_a, one.pair_b + other.pair_b
        self.cut_count = np.concatenate((one.cuts, other.cuts))
        self.cut_start = np.cumsum(self.cut_count) - self.cut_count
        self.pair_count = np.concatenate((one.pairs, other.pairs))
        self.pair_start = np.cumsum(self.pair_count) - self.pair_count
        # Every word numbered once; each name's distinct words.
        numbers = dict(zip(dict.fromkeys(one.words + other.words), count()))
        self.words = np.array(list(numbers), dtype=object)
        known = max(len(numbers), 1)
        word_rows = np.concatenate((one.word_rows, other.word_rows + len(fast)))
        numbered = np.fromiter(
            map(numbers.__getitem__, one.words + other.words),
            dtype=np.intp,
            count=len(word_rows),
        )
        distinct = _distinct(word_rows * known + numbered)
        self.words_of = distinct % known
        self.word_count = np.bincount(distinct // known, minlength=len(self.folded))
        self.word_start = np.cumsum(self.word_count) - self.word_count

    def __len__(self) -> int:
        return len(self.folded)

    def forget_texts(self) -> None:
        """Drop the texts of the cuts and pairs (once their keys are made: they are most of
        the table's memory); the counts and starts stay."""
        self.heads, self.tails, self.pair_a, self.pair_b = [], [], [], []

    def groups(self, row: int) -> Groups:
        """The groups of words of the name at ``row``, as :func:`split_full_name` gives them."""
        return GroupsOf(self, [row])[0]


def _distinct(values: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The distinct values, sorted (:func:`numpy.unique`, by a sort)."""
    ordered = np.sort(values)
    if len(ordered):
        ordered = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return ordered


class _Part:
    """Names split one way: what :class:`NameTable` puts together, rows counted from 0."""

    __slots__ = (
        "compacts",
        "cuts",
        "groups",
        "heads",
        "pair_a",
        "pair_b",
        "pairs",
        "tails",
        "word_rows",
        "words",
    )

    def __init__(self) -> None:
        self.compacts: list[str] = []
        self.groups: list[Groups] = []
        self.heads: list[str] = []
        self.tails: list[str] = []
        self.pair_a: list[str] = []
        self.pair_b: list[str] = []
        self.words: list[str] = []  # every word of each name, name after name
        self.word_rows = np.zeros(0, dtype=np.intp)  # the name of each
        self.cuts = np.zeros(0, dtype=np.intp)  # per name
        self.pairs = np.zeros(0, dtype=np.intp)


def _plain_rows(folded: list[str]) -> npt.NDArray[np.bool_]:
    """Which folded names hold only the bytes of :data:`_PLAIN` (and no newline)."""
    plain = np.fromiter(map(str.isascii, folded), dtype=bool, count=len(folded))
    rows = np.flatnonzero(plain)
    joined = "\n".join([folded[r] for r in rows])
    if joined.count("\n") > max(len(rows) - 1, 0):  # a newline inside a name
        plain[rows] = ["\n" not in folded[r] for r in rows]
        rows = np.flatnonzero(plain)
        joined = "\n".join([folded[r] for r in rows])
    if joined:
        data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        # The line of each other byte: how many newlines come before it.
        line = np.flatnonzero(data == 10).searchsorted(np.flatnonzero(~_PLAIN[data]))
        plain[rows[np.unique(line)]] = False
    return plain


def _split_plain(texts: list[str]) -> _Part:
    """Names of :data:`_PLAIN` bytes split together: words are the runs of letters and digits,
    a group starts at a word with a space (or the name's start) before it."""
    part = _Part()
    lines = len(texts)
    if not lines:
        return part
    joined = "\n".join(texts)
    data = (
        np.frombuffer(joined.encode("ascii"), dtype=np.uint8) if joined else np.zeros(0, np.uint8)
    )
    letter = _LETTER[data]
    before = np.concatenate(([False], letter[:-1]))
    after = np.concatenate((letter[1:], [False]))
    starts, ends = np.flatnonzero(letter & ~before), np.flatnonzero(letter & ~after) + 1
    word_line = np.flatnonzero(data == 10).searchsorted(starts)
    spaces = np.flatnonzero(data == 32)
    opens = np.ones(len(starts), dtype=bool)
    opens[1:] = (word_line[1:] != word_line[:-1]) | (
        spaces.searchsorted(starts[1:]) > spaces.searchsorted(ends[:-1])
    )
    # The runs of letters and digits: what is left between spaces, hyphens, apostrophes.
    words = joined.replace("-", " ").replace("'", " ").split()
    # A word repeats over the names ("marie"): every name's copy replaced by one text, shared
    # with the cuts and pairs made of it (most of the table's memory while it is built).
    distinct = dict.fromkeys(words)
    one_of = dict(zip(distinct, distinct, strict=True))
    del distinct
    words = list(map(one_of.__getitem__, words))
    part.words, part.word_rows = words, word_line
    part.compacts = joined.replace(" ", "").replace("-", "").replace("'", "").split("\n")
    every = np.array(words, dtype=object)
    sizes = np.bincount(word_line, minlength=lines)
    first = np.cumsum(sizes) - sizes
    # Cuts: after the first word, the second, …, the last but one; the words before it joined
    # by growing the previous cut's by one word.
    part.cuts = np.maximum(sizes - 1, 0)
    cut_start = np.cumsum(part.cuts) - part.cuts
    heads = np.empty(int(part.cuts.sum()), dtype=object)
    rows = np.flatnonzero(sizes >= 2)
    joined_so_far = every[first[rows]]
    for k in range(1, int(sizes.max(initial=0))):
        keep = sizes[rows] > k
        rows = rows[keep]
        if not len(rows):
            break
        if k > 1:
            joined_so_far = joined_so_far[keep] + every[first[rows] + k - 1]
        heads[cut_start[rows] + k - 1] = joined_so_far
    part.heads = heads.tolist()
    cut_line = np.repeat(np.arange(lines), part.cuts)
    compact_of_cut = np.array(part.compacts, dtype=object)[cut_line].tolist()
    tails = list(map(str.removeprefix, compact_of_cut, part.heads))
    part.tails = list(map(one_of.get, tails, tails))  # a tail of one word: that word's text
    del tails, compact_of_cut
    # Pairs: the first words of two groups, in a name of three words or more.
    group_first = np.flatnonzero(opens)
    group_line = word_line[group_first]
    groups = np.bincount(group_line, minlength=lines)
    group_start = np.cumsum(groups) - groups
    part.pairs = np.where(sizes > 2, groups * (groups - 1) // 2, 0)
    pair_start = np.cumsum(part.pairs) - part.pairs
    pair_a = np.empty(int(part.pairs.sum()), dtype=object)
    pair_b = np.empty(len(pair_a), dtype=object)
    most = int(groups[sizes > 2].max(initial=0))
    for i, j in combinations(range(most), 2):
        rows = np.flatnonzero((sizes > 2) & (groups > j))
        at = pair_start[rows] + i * groups[rows] - i * (i + 1) // 2 + (j - i - 1)
        pair_a[at] = every[group_first[group_start[rows] + i]]
        pair_b[at] = every[group_first[group_start[rows] + j]]
    a, b = pair_a.tolist(), pair_b.tolist()
    part.pair_a, part.pair_b = list(map(min, a, b)), list(map(max, a, b))
    return part


def _split_each(texts: list[str]) -> _Part:
    """Names split one by one (:func:`split_folded`), for those :func:`_split_plain` cannot."""
    part = _Part()
    cuts: list[int] = []
    pairs: list[int] = []
    rows: list[int] = []
    for row, text in enumerate(texts):
        groups = split_folded(text)
        part.groups.append(groups)
        words = [w for g in groups for w in g]
        part.compacts.append("".join(words))
        part.words.extend(words)
        rows.extend([row] * len(words))
        found = 0
        if len(words) > 2:
            for a, b in combinations([g[0] for g in groups], 2):
                part.pair_a.append(a if a <= b else b)
                part.pair_b.append(b if a <= b else a)
                found += 1
        pairs.append(found)
        cuts.append(max(len(words) - 1, 0))
        for cut in range(1, len(words)):
            part.heads.append("".join(words[:cut]))
            part.tails.append("".join(words[cut:]))
    part.cuts = np.array(cuts, dtype=np.intp)
    part.pairs = np.array(pairs, dtype=np.intp)
    part.word_rows = np.array(rows, dtype=np.intp)
    return part


class GroupsOf:
    """The groups of words of the name of each of a run of sign-ups (``rows``: the row of each
    one's name in a :class:`NameTable`), each name's split when first asked for. It keeps only
    the folded names of the table, not its arrays. Two threads reading it at once may split a
    name twice, to the same groups."""

    __slots__ = ("_folded", "_known", "_rows")

    def __init__(self, table: NameTable, rows: list[int]) -> None:
        self._folded, self._known, self._rows = table.folded, table.known_groups, rows

    def __getitem__(self, position: int) -> Groups:
        row = self._rows[position]
        found = self._known.get(row)
        if found is None:
            found = self._known[row] = split_folded(self._folded[row])
        return found

    def __len__(self) -> int:
        return len(self._rows)
