"""The names of an export split over arrays (:class:`NameTable`), folded together
(:func:`fold_each`) and their addresses normalised together give what each name split alone
(:func:`split_full_name`) and each address normalised alone give."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.registration import names, reconcile
from bot.registration.name_table import NameTable
from bot.registration.names import PersonName

# What names are made of, with what could fold differently when names are folded together:
# characters that fold into a space (¨ ´), a full-width comma, a non-breaking space, a tab, a
# newline, NUL, combining accents, letters that fold into two.
_NAME_CHARS = st.sampled_from(list("abzAZ09 -'’.,\t\n\0_éÉèçœßøİΣ\u0301\u00a8\u00b4\uff0c\u00a0"))
_NAME = st.text(_NAME_CHARS, max_size=20) | st.sampled_from(
    ["Marie Martin", "Jean-Pierre Le Goff", "Martin, Marie", "", "  ", "Anne-Sophie Da Silva"]
)
_NAMES = st.lists(_NAME, max_size=12)
_SETTINGS = settings(max_examples=600, derandomize=True, database=None, deadline=None)


def _expected(groups: tuple[tuple[str, ...], ...]) -> dict[str, Any]:
    words = [w for g in groups for w in g]
    pairs = []
    if len(words) > 2:
        pairs = sorted(tuple(sorted((a, b))) for a, b in combinations([g[0] for g in groups], 2))
    return {
        "groups": groups,
        "compact": "".join(words),
        "cuts": [("".join(words[:k]), "".join(words[k:])) for k in range(1, len(words))],
        "pairs": pairs,
        "words": sorted(set(words)),
    }


def _row(table: NameTable, row: int) -> dict[str, Any]:
    cuts = slice(int(table.cut_start[row]), int(table.cut_start[row] + table.cut_count[row]))
    pairs = slice(int(table.pair_start[row]), int(table.pair_start[row] + table.pair_count[row]))
    start, size = int(table.word_start[row]), int(table.word_count[row])
    return {
        "groups": table.groups(row),
        "compact": table.compacts[row],
        "cuts": list(zip(table.heads[cuts], table.tails[cuts], strict=True)),
        "pairs": sorted(zip(table.pair_a[pairs], table.pair_b[pairs], strict=True)),
        "words": sorted(table.words[table.words_of[start : start + size]].tolist()),
    }


@_SETTINGS
@given(_NAMES)
def test_a_table_of_names_splits_each_as_alone(typed: list[str]) -> None:
    distinct = list(dict.fromkeys(typed))
    table = NameTable(distinct)
    assert len(table) == len(distinct)
    assert sorted(table.row_of.tolist()) == list(range(len(distinct)))
    for i, name in enumerate(distinct):
        assert _row(table, int(table.row_of[i])) == _expected(names.split_full_name(name))


@_SETTINGS
@given(_NAMES)
def test_names_split_together_as_alone(typed: list[str]) -> None:
    assert names.split_full_names(typed) == [names.split_full_name(n) for n in typed]


def test_a_name_of_six_words_in_five_groups_has_five_cuts_and_ten_pairs() -> None:
    table = NameTable(["Anne Marie-Claire de la Tour", "Lé Nom"])
    row = _row(table, int(table.row_of[0]))
    assert row["cuts"][0] == ("anne", "marieclairedelatour")
    assert row["cuts"][-1] == ("annemarieclairedela", "tour")
    assert len(row["cuts"]) == 5
    assert len(row["pairs"]) == 10
    assert _row(table, int(table.row_of[1]))["compact"] == "lenom"


_EMAIL = st.text(st.sampled_from(list("abzAZ09.+-_@<> \tİ\0")), max_size=16) | st.sampled_from(
    ["Jean.Dupont+tag@GMail.com", " a.b@googlemail.com ", "x+y@free.fr", "", "plain@laposte.net"]
)


@_SETTINGS
@given(st.lists(_EMAIL, max_size=12))
def test_addresses_normalised_together_as_alone(emails: list[str]) -> None:
    assert names.normalise_emails(emails) == [names.normalise_email(e) for e in emails]


_PERSON = st.tuples(_NAME, _NAME, st.sampled_from(["29", "75", "2A"]))


@_SETTINGS
@given(st.lists(_PERSON, max_size=8))
def test_the_keys_of_many_officers_at_once_are_each_officers_keys(
    people: list[tuple[str, str, str]],
) -> None:
    parsed = [PersonName.parse(first, last) for first, last, _ in people]
    departments = [department for _, _, department in people]
    together = reconcile._lookups_many(parsed, departments)
    for position, (name, department) in enumerate(zip(parsed, departments, strict=True)):
        alone = reconcile._lookups(name, department)
        for (keys, owners), own in zip(together, alone, strict=True):
            assert set(keys[owners == position].tolist()) == set(own.tolist())
