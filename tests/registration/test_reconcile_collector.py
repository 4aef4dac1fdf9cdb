"""The garbage collector's pause around reconciling: process-wide, so shared by the calls that
overlap (two worker threads), and the collector left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.registration import reconcile as reconcile_module
from bot.registration.models import OfficerProfile, Signup
from bot.registration.reconcile import reconcile

OFFICERS = [
    OfficerProfile(
        key="O1", first_name="Thomas", last_name="Fleury", department="15", email="tf@sfr.fr"
    )
]
SIGNUPS = [Signup(key="S1", name="Thomas Fleury", email="tf@sfr.fr", department="15")]


@pytest.fixture
def collector() -> Iterator[None]:
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


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
def test_overlapping_pauses_end_with_the_last() -> None:
    gc.enable()
    first, second = reconcile_module._collector_paused(), reconcile_module._collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second reconcile still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_a_pause_ends_even_when_reconciling_fails() -> None:
    gc.enable()
    with pytest.raises(AttributeError):
        reconcile(OFFICERS, [None])  # type: ignore[list-item]
    assert gc.isenabled()
