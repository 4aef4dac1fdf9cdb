"""Reconciling pauses the garbage collector (see bot.gc_pause) and leaves it as it was found,
even when it fails."""

from __future__ import annotations

import gc

import pytest

from bot.registration.models import OfficerProfile, Signup
from bot.registration.reconcile import reconcile

OFFICERS = [
    OfficerProfile(
        key="O1", first_name="Thomas", last_name="Fleury", department="15", email="tf@sfr.fr"
    )
]
SIGNUPS = [Signup(key="S1", name="Thomas Fleury", email="tf@sfr.fr", department="15")]


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("on", [True, False])
def test_reconcile_leaves_the_collector_as_it_found_it(on: bool) -> None:
    if on:
        gc.enable()
    else:
        gc.disable()
    reconcile(OFFICERS, SIGNUPS)
    assert gc.isenabled() is on


@pytest.mark.usefixtures("collector")
def test_a_pause_ends_even_when_reconciling_fails() -> None:
    gc.enable()
    with pytest.raises(AttributeError):
        reconcile(OFFICERS, [None])  # type: ignore[list-item]
    assert gc.isenabled()
