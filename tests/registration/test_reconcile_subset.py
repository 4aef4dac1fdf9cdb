"""``reconcile(..., only=...)`` against the full reconcile: random rosters, random single changes."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.registration.models import OfficerProfile
from bot.registration.reconcile import Match, SignupIndex, reconcile, touching
from tests.support.matching_cases import officer_fields, signup_fields
from tests.support.matching_cases import signups as make_signups
from tests.support.synthetic import generate


def _officers(rows: list[tuple[str, str, str, str]]) -> list[OfficerProfile]:
    return [
        OfficerProfile(key=f"O{i}", first_name=f, last_name=s, department=d, email=e)
        for i, (f, s, d, e) in enumerate(rows)
    ]


def _check_subset(
    officers: list[OfficerProfile],
    index: SignupIndex,
    keys: set[str],
    rejected: set[tuple[str, str]],
) -> list[Match]:
    full = reconcile(officers, index, rejected=rejected)
    subset = reconcile(officers, index, rejected=rejected, only=keys)
    returned = {m.officer for m in subset}
    assert keys <= returned
    assert subset == [m for m in full if m.officer in returned]
    return subset


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(officer_fields, min_size=1, max_size=12),
    st.lists(signup_fields, max_size=25),
    st.data(),
)
def test_a_subset_equals_the_full_reconcile_after_a_random_change(
    officer_rows: list[tuple[str, str, str, str]],
    signup_rows: list[tuple[str, str, bool, str, str | None]],
    data: st.DataObject,
) -> None:
    officers, signups = _officers(officer_rows), make_signups(signup_rows)
    rejected = set()
    if signups and data.draw(st.booleans()):
        rejected.add((officers[0].key, signups[0].key))
    position = data.draw(st.integers(0, len(officers) - 1))
    before = _check_subset(officers, SignupIndex(signups), {officers[position].key}, rejected)

    change = data.draw(st.sampled_from(("name", "email", "department", "signup")))
    changed = list(officers)
    if change == "signup":
        signups = [*signups, *make_signups([data.draw(signup_fields)])]
        signups[-1] = replace(signups[-1], key="new")
    else:
        first, last, department, email = data.draw(officer_fields)
        new = {
            "name": {"first_name": first, "last_name": last},
            "email": {"email": email},
            "department": {"department": department},
        }[change]
        changed[position] = replace(officers[position], **new)  # type: ignore[arg-type]
    index = SignupIndex(signups)
    keys = {changed[position].key}
    if change == "signup":
        keys = touching(changed, index, {"new"})
        before = _check_subset(officers, SignupIndex(signups[:-1]), keys, rejected)
    after = _check_subset(changed, index, {m.officer for m in before} | keys, rejected)

    # Whoever is in neither closure keeps the result it had.
    old_full = reconcile(officers, SignupIndex(signups[: len(signup_rows)]), rejected=rejected)
    new_full = reconcile(changed, index, rejected=rejected)
    refreshed = {m.officer for m in after}
    for old, new_match in zip(old_full, new_full, strict=True):
        if old.officer not in refreshed:
            assert old == new_match


def test_only_an_unknown_key_returns_nothing() -> None:
    officers = _officers([("Anne", "Roy", "56", "a@x.fr")])
    assert reconcile(officers, SignupIndex(make_signups([])), only={"missing"}) == []


def test_an_index_is_reused_across_calls() -> None:
    officers = _officers([("Anne", "Roy", "56", "a@x.fr"), ("Luc", "Martin", "29", "")])
    index = SignupIndex(make_signups([("Anne", "Roy", False, "a@x.fr", "56")]))
    first = reconcile(officers, index)
    assert reconcile(officers, index) == first
    assert [m.status for m in first] == ["registered", "unregistered"]


def test_a_subset_in_a_crowded_department_equals_the_full_reconcile() -> None:
    # Over a hundred officers per department: their blocks are looked up together when one of
    # them is reached through a shared sign-up.
    officers, signups = generate(240, 900, seed=3, department_codes=["29", "56"]).profiles()
    index = SignupIndex(signups)
    for officer in officers[::12]:
        _check_subset(officers, index, {officer.key}, set())
