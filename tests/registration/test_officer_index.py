"""A kept :class:`OfficerIndex` after officers are added, changed and removed and rejections
made or withdrawn: every call equals a fresh reconcile of the same roster."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.registration.models import OfficerProfile, Signup
from bot.registration.reconcile import Match, OfficerIndex, SignupIndex, reconcile, touching
from tests.support.matching_cases import officer_fields, signup_fields
from tests.support.matching_cases import signups as make_signups
from tests.support.synthetic import generate

step = st.one_of(
    st.tuples(st.just("add"), officer_fields),
    st.tuples(st.just("change"), st.integers(0, 99), officer_fields),
    st.tuples(st.just("status"), st.integers(0, 99)),
    st.tuples(st.just("remove"), st.integers(0, 99)),
    st.tuples(st.just("reject"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(
        st.just("withdraw"),
    ),
)


def _officer(key: str, fields: tuple[str, str, str, str]) -> OfficerProfile:
    first, last, department, email = fields
    return OfficerProfile(
        key=key, first_name=first, last_name=last, department=department, email=email
    )


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(officer_fields, min_size=1, max_size=10),
    st.lists(signup_fields, min_size=1, max_size=25),
    st.lists(step, min_size=1, max_size=8),
    st.data(),
)
def test_a_kept_index_equals_a_fresh_reconcile_after_each_change(
    officer_rows: list[tuple[str, str, str, str]],
    signup_rows: list[tuple[str, str, bool, str, str | None]],
    steps: list[tuple[object, ...]],
    data: st.DataObject,
) -> None:
    officers = [_officer(f"O{i}", row) for i, row in enumerate(officer_rows)]
    # Some officers signed up as such (their name, address and department): rejections and
    # address matches meet them.
    copied = [
        (first, last, False, email, department)
        for first, last, department, email in officer_rows
        if data.draw(st.booleans())
    ]
    signups = make_signups(signup_rows + copied)
    index = SignupIndex(signups)
    kept = OfficerIndex(index)
    rejected: set[tuple[str, str]] = set()
    assert kept.reconcile(officers) == reconcile(officers, index)
    added = 0
    for change in steps:
        touched: set[str] = set()
        match change:
            case ("add", fields):
                added += 1
                new = _officer(f"N{added}", fields)  # type: ignore[arg-type]
                at = data.draw(st.integers(0, len(officers)))
                officers = [*officers[:at], new, *officers[at:]]
                touched = {new.key}
            case ("change", position, fields) if officers:
                at = position % len(officers)  # type: ignore[operator]
                first, last, department, email = fields  # type: ignore[misc]
                what = data.draw(st.sampled_from(("name", "email", "department")))
                values = {
                    "name": {"first_name": first, "last_name": last},
                    "email": {"email": email},
                    "department": {"department": department},
                }[what]
                officers = list(officers)
                officers[at] = replace(officers[at], **values)
                touched = {officers[at].key}
            case ("status", position) if officers:
                # Another object with the same profile: nothing to forget.
                at = position % len(officers)  # type: ignore[operator]
                officers = list(officers)
                officers[at] = replace(officers[at], role="changed")
                touched = {officers[at].key}
            case ("remove", position) if len(officers) > 1:
                at = position % len(officers)  # type: ignore[operator]
                officers = officers[:at] + officers[at + 1 :]
            case ("reject", officer, signup) if officers:
                chosen = officers[officer % len(officers)]  # type: ignore[operator]
                # Most often a sign-up under the officer's own address.
                own = [s for s in signups if chosen.email and s.email == chosen.email]
                pool = own if own and data.draw(st.booleans()) else signups
                pair = (chosen.key, pool[signup % len(pool)].key)  # type: ignore[operator]
                rejected = rejected | {pair}
                touched = {pair[0]}
            case ("withdraw",) if rejected:
                rejected = set(sorted(rejected)[1:])
        full = reconcile(officers, index, rejected=rejected)
        if touched and data.draw(st.booleans()):
            # The changed officer's closure, or another officer's (whose closure reads the
            # look-ups and claims the change had to update).
            if officers and data.draw(st.booleans()):
                touched = {data.draw(st.sampled_from(officers)).key}
            subset = kept.reconcile(officers, rejected=rejected, only=touched)
            returned = {m.officer for m in subset}
            assert touched <= returned
            assert subset == [m for m in full if m.officer in returned]
        else:
            assert kept.reconcile(officers, rejected=rejected) == full


def test_a_kept_index_in_a_crowded_department_equals_a_fresh_reconcile() -> None:
    # Over a hundred officers per department: blocks looked up together, claims kept.
    officers, signups = generate(240, 900, seed=5, department_codes=["29", "56"]).profiles()
    index = SignupIndex(signups)
    kept = OfficerIndex(index)
    kept.reconcile(officers)
    for n, officer in enumerate(officers[::20]):
        other = officers[(n * 37) % len(officers)]
        # The officer takes another's name (a namesake now), then is added again as a newcomer.
        officers = [
            replace(o, first_name=other.first_name) if o is officer else o for o in officers
        ]
        newcomer = replace(other, key=f"NEW{n}")
        officers = [*officers, newcomer]
        full = reconcile(officers, index)
        for key in (officer.key, newcomer.key):
            subset = kept.reconcile(officers, only={key})
            returned = {m.officer for m in subset}
            assert key in returned
            assert subset == [m for m in full if m.officer in returned]


def test_officers_sharing_a_key_are_matched_afresh_and_leave_the_kept_index_as_it_was() -> None:
    # An officer being added under a key already taken is matched before being refused.
    index = SignupIndex(make_signups([("Luc", "Roy", False, "", "56")]))
    anne = _officer("O1", ("Anne", "Roy", "56", ""))
    kept = OfficerIndex(index)
    assert _statuses(kept.reconcile([anne], only={"O1"})) == [("O1", "unregistered", None)]
    luc = _officer("O1", ("Luc", "Roy", "56", ""))
    assert kept.reconcile([anne, luc], only={"O1"}) == reconcile([anne, luc], index)
    assert _statuses(kept.reconcile([anne], only={"O1"})) == [("O1", "unregistered", None)]


def test_the_plain_reconcile_still_matches_officers_that_share_a_key() -> None:
    index = SignupIndex(
        make_signups([("Luc", "Roy", False, "", "56"), ("Anne", "Roy", False, "", "56")])
    )
    officers = [_officer("O1", ("Anne", "Roy", "56", "")), _officer("O1", ("Luc", "Roy", "56", ""))]
    found = reconcile(officers, index, rejected={("O1", "S1")})
    assert [(m.officer, m.status, m.signup) for m in found] == [
        ("O1", "unregistered", None),  # S1 refused to the key: to both officers
        ("O1", "registered", "S0"),
    ]


def _statuses(found: list[Match]) -> list[tuple[str, str, str | None]]:
    return [(m.officer, m.status, m.signup) for m in found]


def test_a_rejection_of_the_officers_own_signup_opens_its_name_blocks_again() -> None:
    index = SignupIndex(
        make_signups(
            [("Anne", "Roy", False, "a@x.fr", "56"), ("Anne", "Roy", False, "b@x.fr", "56")]
        )
    )
    officers = [_officer("O0", ("Anne", "Roy", "56", "a@x.fr"))]
    kept = OfficerIndex(index)
    assert _statuses(kept.reconcile(officers)) == [("O0", "registered", "S0")]
    rejected = {("O0", "S0")}
    assert _statuses(kept.reconcile(officers, rejected=rejected, only={"O0"})) == [
        ("O0", "registered", "S1")
    ]
    assert _statuses(kept.reconcile(officers)) == [("O0", "registered", "S0")]


def test_a_namesake_added_to_a_department_is_among_its_claims() -> None:
    index = SignupIndex(make_signups([("Anne", "Roy", False, "", "56")]))
    anne = _officer("O0", ("Anne", "Roy", "56", ""))
    kept = OfficerIndex(index)
    assert _statuses(kept.reconcile([anne], only={"O0"})) == [("O0", "registered", "S0")]
    namesake = _officer("O1", ("Anne", "Roy", "56", ""))
    found = kept.reconcile([anne, namesake], only={"O0"})
    assert found == reconcile([anne, namesake], index)
    assert [m.status for m in found] == ["probable", "probable"]
    moved = replace(namesake, department="29")
    assert _statuses(kept.reconcile([anne, moved], only={"O0"})) == [("O0", "registered", "S0")]


def test_officers_given_after_an_empty_roster_are_all_looked_up() -> None:
    index = SignupIndex(make_signups([("Anne", "Roy", False, "a@x.fr", "56")]))
    kept = OfficerIndex(index)
    anne = _officer("O0", ("Anne", "Roy", "56", "a@x.fr"))
    assert _statuses(kept.reconcile([anne], only={"O0"})) == [("O0", "registered", "S0")]
    assert kept.reconcile([], only={"O0"}) == []
    namesake = _officer("O1", ("Anne", "Roy", "56", "a@x.fr"))
    found = kept.reconcile([anne, namesake], only={"O0"})
    assert found == reconcile([anne, namesake], index)
    assert [m.status for m in found] == ["probable", "probable"]


def test_an_officer_whose_own_signup_is_rejected_is_touched_by_a_namesakes_signup() -> None:
    own = ("Anne", "Roy", False, "a@x.fr", "56")
    after = SignupIndex(make_signups([own, ("Anne", "Roy", False, "b@x.fr", "56")]))
    officers = [_officer("O0", ("Anne", "Roy", "56", "a@x.fr"))]
    rejected = {("O0", "S0")}
    assert touching(officers, after, {"S1"}) == set()  # the own sign-up proves the officer
    assert touching(officers, after, {"S1"}, rejected=rejected) == {"O0"}
    kept = OfficerIndex(after)
    assert kept.touching(officers, {"S1"}, rejected=rejected) == {"O0"}
    assert _statuses(kept.reconcile(officers, rejected=rejected, only={"O0"})) == [
        ("O0", "registered", "S1")
    ]


def test_a_roster_given_in_another_order_with_changes_equals_a_fresh_reconcile() -> None:
    # Many officers moved: told apart by key rather than in place.
    officers, signups = generate(240, 900, seed=7, department_codes=["29", "56"]).profiles()
    index = SignupIndex(signups)
    kept = OfficerIndex(index)
    kept.reconcile(officers)
    moved = officers[::-1]
    moved[3] = replace(moved[3], first_name=moved[100].first_name)
    gone = moved[120]
    moved = [*moved[:50], replace(moved[7], key="NEW"), *moved[50:120], *moved[121:]]
    full = reconcile(moved, index)
    assert kept.reconcile(moved, only={gone.key}) == []
    for key in (moved[3].key, "NEW", moved[200].key):
        subset = kept.reconcile(moved, only={key})
        returned = {m.officer for m in subset}
        assert key in returned
        assert subset == [m for m in full if m.officer in returned]
    assert kept.reconcile(moved) == full


def test_an_index_inheriting_from_the_sign_ups_before_an_import_equals_a_fresh_reconcile() -> None:
    codes = ["29", "56", "75", "13", "69", "33"]
    officers, signups = generate(240, 900, seed=11, department_codes=codes).profiles()
    before = SignupIndex(signups)
    earlier = OfficerIndex(before)
    earlier.reconcile(officers)
    earlier.reconcile(officers, only={officers[0].key})  # the look-ups and a claim made
    # An import: some sign-ups of one department rewritten in place (an officer's address
    # from anywhere, another's name), and new ones after them (officers' namesakes, some with
    # no postcode), as the stored sign-ups are kept in order.
    rows = list(signups)
    places = [i for i, s in enumerate(rows) if s.department == "29"][::12]
    for n, at in enumerate(places):
        named = officers[(n * 31) % len(officers)]
        if n % 2:
            rows[at] = replace(rows[at], email=named.email)
        else:
            rows[at] = replace(rows[at], name=named.full_name, department=named.department)
    updated = [rows[at] for at in places]
    new = [
        Signup(key=f"NEW{n}", name=o.full_name, email="", department=None if n % 2 else "29")
        for n, o in enumerate(officers[5::40])
    ]
    rows += new
    after = SignupIndex(rows)
    later = OfficerIndex(after)
    touched = later.touching(officers, [s.key for s in [*updated, *new]]) | earlier.touching(
        officers, [s.key for s in updated]
    )
    later.inherit(earlier, touched)
    full = reconcile(officers, after)
    for officer in officers[::15]:
        subset = later.reconcile(officers, only={officer.key})
        returned = {m.officer for m in subset}
        assert subset == [m for m in full if m.officer in returned]
    assert later.reconcile(officers) == full
