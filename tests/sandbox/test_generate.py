"""The generated guild (officers, departments, closed DMs, organisers' channel) and the limits the
command line accepts."""

from __future__ import annotations

import pytest

from bot.sandbox import Sandbox, SandboxLimits, SandboxUsageError
from bot.sandbox.demo import VIEW_CHANNEL
from bot.sandbox.generate import DEPARTMENT_CODES, generated_guild, officer_username
from bot.sandbox.serve import apply_limit


def test_same_arguments_same_guild() -> None:
    first = Sandbox(guild=generated_guild(30, closed_dms=0.2, seed=5))
    second = Sandbox(guild=generated_guild(30, closed_dms=0.2, seed=5))
    other_seed = Sandbox(guild=generated_guild(30, closed_dms=0.2, seed=6))

    def closed(box: Sandbox) -> list[str]:
        return [m.username for m in box.members() if not m.dms_open]

    assert [(m.id, m.username, m.global_name) for m in first.members()] == [
        (m.id, m.username, m.global_name) for m in second.members()
    ]
    assert closed(first) == closed(second)
    assert closed(first) != closed(other_seed)
    assert first.guild_id == second.guild_id


def test_officers_organisers_departments_and_fractions() -> None:
    spec = generated_guild(10, closed_dms=0.3, english=0.2, seed=1, departments=["56", "29"])
    officers = [m for m in spec.members if m.department]
    organisers = [m for m in spec.members if "Organisateurs" in m.roles]

    assert [m.username for m in organisers] == ["organiser01", "organiser02"]
    assert spec.members[:2] == tuple(organisers)
    assert [m.username for m in officers][:3] == ["officer0001", "officer0002", "officer0003"]
    assert [m.department for m in officers][:4] == ["56", "29", "56", "29"]
    assert sum(not m.dms_open for m in officers) == 3
    assert sorted(m.locale for m in officers) == ["en-US"] * 2 + ["fr"] * 8
    assert all(m.dms_open and m.department is None for m in organisers)
    assert all(" " in (m.global_name or "") for m in spec.members)
    assert [c.name for c in spec.channels] == ["general", "organisateurs", "dep-56", "dep-29"]


def test_every_department_gets_a_lowercase_channel_unless_told_otherwise() -> None:
    spec = generated_guild(3, without_channel=["2B", "976"])
    names = [c.name for c in spec.channels]

    assert len(DEPARTMENT_CODES) == 101
    assert {"01", "2A", "2B", "95", "971", "976"} <= set(DEPARTMENT_CODES)
    assert "dep-2a" in names and "dep-971" in names
    assert "dep-2b" not in names and "dep-976" not in names
    assert len(names) == 2 + 99


@pytest.mark.parametrize(
    ("index", "total", "name"), [(1, 500, "officer0001"), (7, 12000, "officer00007")]
)
def test_officer_usernames(index: int, total: int, name: str) -> None:
    assert officer_username(index, total) == name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"closed_dms": 1.5}, "between 0 and 1"),
        ({"departments": ["56"], "without_channel": ["29"]}, "not in the list"),
        ({"departments": []}, "at least one department"),
    ],
)
def test_bad_generation_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generated_guild(5, **kwargs)  # type: ignore[arg-type]


async def test_organisers_channel_is_hidden_from_officers() -> None:
    box = Sandbox(guild=generated_guild(2))
    hidden = box.channel("organisateurs")
    officer, organiser = box.member("officer0001"), box.member("organiser01")
    overwrites = hidden.payload()["permission_overwrites"]

    assert overwrites[0] == {
        "id": str(box.guild_id),
        "type": 0,
        "allow": "0",
        "deny": str(VIEW_CHANNEL),
    }
    assert overwrites[1]["id"] == str(box.role("Organisateurs").id)
    assert not box.state.permissions(officer, hidden) & VIEW_CHANNEL
    assert box.state.permissions(organiser, hidden) & VIEW_CHANNEL
    assert box.state.permissions(officer, box.channel("dep-01")) & VIEW_CHANNEL
    with pytest.raises(SandboxUsageError, match="officer0001 cannot see #organisateurs"):
        await box.invoke("/aide", as_member="officer0001", channel="organisateurs")


@pytest.mark.parametrize(
    ("setting", "field", "value"),
    [
        ("global=10/2", "global", (10, 2.0)),
        ("dm_open=3/1", "POST /users/@me/channels", (3, 1.0)),
        ("channel_messages=4/5", "POST /channels/{channel_id}/messages", (4, 5.0)),
        ("route:GET /users/@me=1/1", "GET /users/@me", (1, 1.0)),
        ("dm_open_spam=10/600", "dm_open_spam_limit", (10, 600.0)),
        ("dm_open_spam=off", "dm_open_spam_limit", None),
        ("nonce_window_minutes=3", "nonce_window", 180.0),
        ("initial_response_deadline=5", "initial_response_deadline", 5.0),
        ("shared_429_every=3", "shared_429_every", 3),
    ],
)
def test_limits_from_the_command_line(setting: str, field: str, value: object) -> None:
    limits = SandboxLimits()
    apply_limit(limits, setting)
    if field == "global":
        assert (limits.global_limit, limits.global_window) == value
    elif field.startswith(("GET ", "POST ")):
        assert limits.route_limit(field) == value
    else:
        assert getattr(limits, field) == value


@pytest.mark.parametrize(
    "setting", ["bogus=1", "global=5", "noequals", "route_limits=1", "shared_429_every=x"]
)
def test_bad_limits_are_refused(setting: str) -> None:
    with pytest.raises(ValueError):
        apply_limit(SandboxLimits(), setting)


def test_the_first_organiser_acts_when_nobody_is_named() -> None:
    box = Sandbox(guild=generated_guild(3))
    assert box.state.default_member().username == "organiser01"
    assert Sandbox().state.default_member().username == "alice"
