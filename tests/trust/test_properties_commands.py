"""Property-based tests of the pure functions behind command parameters: the exemption's end day
(`/relance exempter jusqu_au`), an officer typed in `/roster ajouter`, the Discord cell of a roster,
a sign-up date, and the address check of `/news ajouter lien` (IP literals only: no name is
resolved, nothing leaves the machine)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.news.fetch import Fetcher, FetchError, is_public
from bot.registration.roster_file import parse_discord, validate_officer
from bot.registration.signup_file import parse_datetime
from bot.reminders.when import parse_day
from tests.trust._properties import CATALOG, clear, quick

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 3, 10)

QUICK = quick(60)


days_typed = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A\d{1,4}[/.\-]\d{1,2}([/.\-]\d{1,4})?\Z"),
    st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m")),
)


@QUICK
@given(days_typed)
def test_exemption_day_parses_or_refuses_clearly(value: str) -> None:
    try:
        day = parse_day(value, TODAY)
    except UserError as error:
        clear(error)
        return
    assert isinstance(day, date)


@QUICK
@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_exemption_day_reads_back_what_a_french_organiser_writes(day: date) -> None:
    assert parse_day(day.strftime("%d/%m/%Y"), TODAY) == day
    assert parse_day(day.isoformat(), TODAY) == day


field_text = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["56", "2A", "29200", "x@y.fr", "<@123>", "claire", "=1+1", "+33 6 12"]),
)


@QUICK
@given(
    st.fixed_dictionaries(
        {
            "first_name": field_text,
            "last_name": field_text,
            "department": field_text,
            "email": field_text,
            "discord": field_text,
            "phone": field_text,
        }
    )
)
def test_an_officer_typed_in_a_command_is_valid_or_has_clear_problems(
    values: dict[str, str],
) -> None:
    record, problems = validate_officer(values, 1, {})
    assert (record is None) == bool(problems)
    for problem in problems:
        assert CATALOG.has(problem.key), problem.key
    if record is not None:
        assert 0 < len(record.profile.first_name) <= 100
        assert 0 < len(record.profile.last_name) <= 100


@QUICK
@given(st.one_of(st.text(max_size=60), st.integers(0, 2**64).map(str)))
def test_a_roster_s_discord_cell_is_read_or_refused(value: str) -> None:
    found = parse_discord(value)
    if found is not None:
        user_id, username = found
        assert user_id is None or user_id >= 0
        assert isinstance(username, str)


@QUICK
@given(
    st.one_of(
        st.text(max_size=30),
        st.datetimes().map(lambda d: d.isoformat(sep=" ")),
        st.datetimes().map(lambda d: d.strftime("%d/%m/%Y %H:%M")),
    )
)
def test_a_sign_up_date_is_read_in_utc_or_left_out(value: str) -> None:
    found = parse_datetime(value, PARIS)
    if found is not None:
        assert found.utcoffset() == UTC.utcoffset(None)


# ----- addresses: nothing private is fetched, whatever the form it takes --------------------

private_v4 = st.sampled_from(
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
    ]
).map(ipaddress.IPv4Address)


def _ipv6_forms(v4: ipaddress.IPv4Address) -> list[str]:
    n = int(v4)
    return [
        f"::ffff:{v4}",  # IPv4-mapped
        f"::{v4}",  # IPv4-compatible
        str(ipaddress.IPv6Address((0x64FF9B << 96) | n)),  # NAT64
        str(ipaddress.IPv6Address((0x2002 << 112) | (n << 80))),  # 6to4
    ]


@QUICK
@given(private_v4, st.integers(0, 3))
def test_an_ipv6_form_of_a_private_address_is_not_public(
    v4: ipaddress.IPv4Address, form: int
) -> None:
    assert not is_public(ipaddress.ip_address(_ipv6_forms(v4)[form]))


@pytest.fixture(scope="module")
def fetcher() -> Fetcher:
    return Fetcher()


@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    private_v4,
    st.integers(0, 4),
    st.sampled_from(["http", "https"]),
    st.sampled_from(["", ":80", ":8080", ":22"]),
)
async def test_a_link_to_a_private_address_is_refused_in_every_form(
    fetcher: Fetcher, v4: ipaddress.IPv4Address, form: int, scheme: str, port: str
) -> None:
    host = str(v4) if form == 4 else f"[{_ipv6_forms(v4)[form]}]"
    try:
        await fetcher.check_url(f"{scheme}://{host}{port}/page")
    except FetchError as error:
        clear(error)
        assert error.key == "news.fetch.forbidden_address"
        return
    raise AssertionError(f"{host} was allowed")


def _next(day: int, month: int, today: date) -> date:
    """The first day/month on or after ``today``, found by walking the calendar."""
    moment = today
    while (moment.day, moment.month) != (day, month):
        moment += timedelta(days=1)
    return moment


@QUICK
@example(date(2028, 2, 29), date(2027, 3, 1))  # 29/02 typed in the year after a leap year
@example(date(2028, 2, 29), date(2028, 3, 1))
# Every day and month of a leap year (29 February included), typed on any day.
@given(st.dates(date(2028, 1, 1), date(2028, 12, 31)), st.dates(date(2024, 1, 1), date(2040, 1, 1)))
def test_a_day_without_its_year_is_the_next_one(day: date, today: date) -> None:
    assert parse_day(day.strftime("%d/%m"), today) == _next(day.day, day.month, today)
