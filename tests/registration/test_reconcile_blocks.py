"""The sign-up index's blocks looked up for many officers at once give what one officer's own
look-up gives: the whole roster's matches against each officer's match with ``only``."""

from __future__ import annotations

import random

from bot.registration.models import OfficerProfile, Signup
from bot.registration.reconcile import SignupIndex, reconcile
from tests.support.synthetic import generate


def _data(officers_n: int, members_n: int) -> tuple[list[OfficerProfile], list[Signup]]:
    return generate(officers_n, members_n, seed=11).profiles()


def test_the_whole_roster_matches_each_officer_as_alone() -> None:
    officers, signups = _data(300, 2000)
    index = SignupIndex(signups)
    whole = {m.officer: m for m in reconcile(officers, index)}
    assert len(whole) == len(officers)
    assert any(m.status.value != "unregistered" for m in whole.values())
    small = 0
    for officer in random.Random(5).sample(officers, 60):
        alone = reconcile(officers, index, only={officer.key})
        small += len(alone) < 64  # looked up one officer at a time
        assert {m.officer: m for m in alone}[officer.key] == whole[officer.key]
    assert small > 0


def test_an_index_of_no_name_and_of_one_word_names() -> None:
    signups = [
        Signup(key="s1", name="", email="anne@x.fr", department="29"),
        Signup(key="s2", name="Cher", email="", department="29"),
        Signup(key="s3", name="Anne Roy", email="", department=None),
    ]
    officers = [
        OfficerProfile(key="o1", first_name="Anne", last_name="Roy", department="29", email=""),
        OfficerProfile(
            key="o2", first_name="Luc", last_name="Cher", department="29", email="anne@x.fr"
        ),
    ]
    matches = {m.officer: m for m in reconcile(officers, SignupIndex(signups))}
    assert (matches["o1"].status.value, matches["o1"].signup) == ("probable", "s3")
    assert (matches["o2"].status.value, matches["o2"].signup) == ("registered", "s1")
    assert reconcile(officers, SignupIndex([])) == reconcile(officers, [])
