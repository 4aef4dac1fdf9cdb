"""What a nudge campaign asks of the REST API, request by request: DM opens and their throttle,
closed DMs, nonces, history with buttons, mentions, per-channel limits and the counters.

Raw HTTP on 127.0.0.1 and a ``FakeClock`` where a window matters, so nothing waits for real."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.sandbox import FakeClock, Sandbox
from tests.sandbox.conftest import RATE_LIMIT_HEADERS

pytestmark = pytest.mark.asyncio
CREATE = "POST /channels/{channel_id}/messages"
OPEN_DM = "POST /users/@me/channels"


async def call(
    sandbox: Sandbox, method: str, path: str, body: Any = None
) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bot {sandbox.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, sandbox.api_base + path, json=body, headers=headers) as response,
    ):
        return response.status, dict(response.headers), await response.json(content_type=None)


async def open_dm(sandbox: Sandbox, member: str) -> tuple[int, dict[str, str], Any]:
    return await call(
        sandbox, "POST", "/users/@me/channels", {"recipient_id": str(sandbox.member(member).id)}
    )


async def post(sandbox: Sandbox, channel_id: int | str, body: dict[str, Any]) -> tuple[int, Any]:
    status, _, answer = await call(sandbox, "POST", f"/channels/{channel_id}/messages", body)
    return status, answer


def nudge(text: str, marker: str) -> dict[str, Any]:
    """A message with two buttons whose custom_ids carry a delivery marker."""
    return {
        "content": text,
        "allowed_mentions": {"parse": []},
        "components": [
            {
                "type": 1,
                "components": [
                    {
                        "type": 2,
                        "style": 3,
                        "label": "Je suis inscrit·e",
                        "custom_id": f"done:{marker}",
                    },
                    {"type": 2, "style": 2, "label": "Demain", "custom_id": f"snooze:{marker}"},
                ],
            }
        ],
    }


# ----------------------------------------------------------------------------- opening DMs


async def test_opening_a_dm_answers_the_private_channel(sandbox: Sandbox) -> None:
    status, headers, channel = await open_dm(sandbox, "claire")
    again = await open_dm(sandbox, "claire")

    assert status == 200
    assert channel["type"] == 1
    assert [u["username"] for u in channel["recipients"]] == ["claire"]
    assert again[2]["id"] == channel["id"]
    assert all(name in headers for name in RATE_LIMIT_HEADERS)
    assert sandbox.counters.dm_opens[sandbox.member("claire").id] == 2


@pytest.mark.fake_clock
@pytest.mark.limits(route_limits={OPEN_DM: (2, 5.0)})
async def test_opening_dms_is_throttled_by_its_own_bucket(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    first = await open_dm(sandbox, "claire")
    second = await open_dm(sandbox, "david")
    status, headers, body = await open_dm(sandbox, "zoe")
    clock.advance(5.0)
    later = await open_dm(sandbox, "zoe")

    assert [first[1]["X-RateLimit-Remaining"], second[1]["X-RateLimit-Remaining"]] == ["1", "0"]
    assert first[1]["X-RateLimit-Limit"] == "2"
    assert float(second[1]["X-RateLimit-Reset-After"]) == pytest.approx(5.0)
    assert status == 429
    assert body["global"] is False and body["retry_after"] == pytest.approx(5.0)
    assert (headers["X-RateLimit-Scope"], headers["Via"]) == ("user", "1.1 google")
    assert later[0] == 200
    assert sandbox.counters.rate_limited_routes == {f"user {OPEN_DM}": 1}
    assert sandbox.counters.invalid_reasons == {"429 user": 1}


@pytest.mark.fake_clock
@pytest.mark.limits(dm_open_spam_limit=(2, 600.0))
async def test_too_many_new_dms_answer_40003_but_known_ones_open(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    assert (await open_dm(sandbox, "claire"))[0] == 200
    assert (await open_dm(sandbox, "david"))[0] == 200
    status, _, body = await open_dm(sandbox, "zoe")
    known = await open_dm(sandbox, "claire")
    clock.advance(600.0)
    later = await open_dm(sandbox, "zoe")

    assert (status, body["code"]) == (403, 40003)
    assert body["message"] == "You are opening direct messages too fast."
    assert known[0] == 200
    assert later[0] == 200
    assert sandbox.counters.invalid_reasons == {"403 40003": 1}


# ----------------------------------------------------------------------------- closed DMs


async def test_closed_dms_refuse_every_message_and_count_per_user(sandbox: Sandbox) -> None:
    _, _, channel = await open_dm(sandbox, "emma")
    refused = [await post(sandbox, channel["id"], {"content": f"Relance {i}"}) for i in range(2)]

    assert (
        refused
        == [
            (403, {"message": "Cannot send messages to this user", "code": 50007}),
        ]
        * 2
    )
    assert sandbox.dm_messages("emma") == []
    emma = sandbox.member("emma").id
    assert sandbox.counters.dm_refused == {emma: 2}
    assert sandbox.counters.dm_messages[emma] == 0
    assert sandbox.counters.invalid_requests == 2
    assert sandbox.counters.invalid_reasons == {"403 50007": 2}


async def test_dms_opened_again_by_the_control_of_the_sandbox(sandbox: Sandbox) -> None:
    _, _, channel = await open_dm(sandbox, "emma")
    sandbox.update_member("emma", dms_open=True)
    status, _ = await post(sandbox, channel["id"], {"content": "Bonjour Emma"})

    assert status == 200
    assert [m.content for m in sandbox.dm_messages("emma")] == ["Bonjour Emma"]


# ----------------------------------------------------------------------------- nonces


@pytest.mark.fake_clock
@pytest.mark.limits(nonce_window=180.0)
async def test_enforced_nonce_returns_the_first_message_within_the_window(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    _, _, dm = await open_dm(sandbox, "claire")
    body = {**nudge("Relance", "d-1"), "nonce": "d-1", "enforce_nonce": True}
    first = await post(sandbox, dm["id"], body)
    clock.advance(179.0)
    replay = await post(sandbox, dm["id"], body)
    clock.advance(2.0)
    after_window = await post(sandbox, dm["id"], body)

    assert first[0] == replay[0] == 200
    assert replay[1]["id"] == first[1]["id"]
    assert after_window[1]["id"] != first[1]["id"]
    assert len(sandbox.dm_messages("claire")) == 2
    assert sandbox.counters.nonce_replays == 1
    assert sandbox.counters.dm_messages[sandbox.member("claire").id] == 2


async def test_enforced_nonce_is_per_author_across_channels(sandbox: Sandbox) -> None:
    relances = sandbox.channel("relances").id
    dep = sandbox.channel("dep-56").id
    body = {"content": "Relance", "nonce": "d-2", "enforce_nonce": True}
    first = await post(sandbox, relances, body)
    elsewhere = await post(sandbox, dep, body)

    assert elsewhere[1]["id"] == first[1]["id"]
    assert sandbox.messages("dep-56") == []


async def test_nonce_without_enforcement_creates_again(sandbox: Sandbox) -> None:
    relances = sandbox.channel("relances").id
    first = await post(sandbox, relances, {"content": "a", "nonce": "d-3"})
    second = await post(sandbox, relances, {"content": "a", "nonce": "d-3"})
    assert first[1]["id"] != second[1]["id"]
    assert sandbox.counters.nonce_replays == 0


async def test_a_refused_send_leaves_its_nonce_free(sandbox: Sandbox) -> None:
    _, _, dm = await open_dm(sandbox, "emma")
    body = {"content": "Relance", "nonce": "d-4", "enforce_nonce": True}
    assert (await post(sandbox, dm["id"], body))[0] == 403
    status, message = await post(sandbox, sandbox.channel("dep-56").id, body)
    assert status == 200
    assert [m.id for m in sandbox.messages("dep-56")] == [int(message["id"])]


async def test_a_nonce_longer_than_25_characters_is_refused(sandbox: Sandbox) -> None:
    status, body = await post(
        sandbox, sandbox.channel("relances").id, {"content": "a", "nonce": "n" * 26}
    )
    assert (status, body["code"]) == (400, 50035)
    assert "nonce" in body["errors"]


# ----------------------------------------------------------------------------- history


async def test_dm_history_is_newest_first_with_buttons(sandbox: Sandbox) -> None:
    _, _, dm = await open_dm(sandbox, "claire")
    for marker in ("d-1", "d-2", "d-3"):
        assert (await post(sandbox, dm["id"], nudge(f"Relance {marker}", marker)))[0] == 200
    status, _, history = await call(sandbox, "GET", f"/channels/{dm['id']}/messages?limit=2")

    assert status == 200
    assert [m["content"] for m in history] == ["Relance d-3", "Relance d-2"]
    ids = [[b["custom_id"] for b in m["components"][0]["components"]] for m in history]
    assert ids == [["done:d-3", "snooze:d-3"], ["done:d-2", "snooze:d-2"]]
    assert all("nonce" not in m or m["nonce"] is None for m in history)


@pytest.mark.limits(route_limits={CREATE: (10, 5.0)})
async def test_history_before_after_and_around(sandbox: Sandbox) -> None:
    channel = sandbox.channel("relances").id
    sent = [int((await post(sandbox, channel, {"content": str(i)}))[1]["id"]) for i in range(6)]

    async def contents(query: str) -> list[str]:
        _, _, found = await call(sandbox, "GET", f"/channels/{channel}/messages?{query}")
        return [m["content"] for m in found]

    assert await contents(f"before={sent[3]}&limit=2") == ["2", "1"]
    assert await contents(f"after={sent[1]}&limit=2") == ["3", "2"]
    assert await contents(f"around={sent[3]}&limit=3") == ["4", "3", "2"]
    assert await contents("") == ["5", "4", "3", "2", "1", "0"]


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_history_limit_out_of_range_is_refused(sandbox: Sandbox, limit: str) -> None:
    channel = sandbox.channel("relances").id
    status, _, body = await call(sandbox, "GET", f"/channels/{channel}/messages?limit={limit}")
    assert (status, body["code"]) == (400, 50035)
    assert "limit" in body["errors"]


# ----------------------------------------------------------------------------- mentions


async def test_fallback_message_pings_only_the_officer_it_names(sandbox: Sandbox) -> None:
    claire, david = sandbox.member("claire"), sandbox.member("david")
    body = {
        "content": f"{claire.mention} pensez à vous inscrire (cc {david.mention}) @everyone",
        "allowed_mentions": {"parse": [], "users": [str(claire.id)]},
    }
    status, message = await post(sandbox, sandbox.channel("dep-56").id, body)

    assert status == 200
    assert [u["id"] for u in message["mentions"]] == [str(claire.id)]
    assert message["mention_everyone"] is False


@pytest.mark.parametrize(
    ("mentions", "where"),
    [
        ({"parse": ["users"], "users": ["1"]}, "allowed_mentions"),
        ({"parse": ["members"]}, "allowed_mentions"),
        ({"users": [str(i) for i in range(101)]}, "allowed_mentions"),
    ],
)
async def test_bad_allowed_mentions_are_refused(
    sandbox: Sandbox, mentions: dict[str, Any], where: str
) -> None:
    status, body = await post(
        sandbox, sandbox.channel("dep-56").id, {"content": "x", "allowed_mentions": mentions}
    )
    assert (status, body["code"]) == (400, 50035)
    assert where in body["errors"]
    assert sandbox.messages("dep-56") == []


# ----------------------------------------------------------------------------- rate limits


@pytest.mark.fake_clock
async def test_five_messages_per_five_seconds_per_channel_dms_included(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    _, _, dm = await open_dm(sandbox, "claire")
    answers = [
        await call(sandbox, "POST", f"/channels/{dm['id']}/messages", {"content": str(i)})
        for i in range(6)
    ]
    other = await post(sandbox, sandbox.channel("dep-56").id, {"content": "ailleurs"})
    clock.advance(5.0)
    later = await post(sandbox, dm["id"], {"content": "plus tard"})

    statuses = [status for status, _, _ in answers]
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert [h["X-RateLimit-Remaining"] for _, h, _ in answers] == ["4", "3", "2", "1", "0", "0"]
    assert {h["X-RateLimit-Limit"] for _, h, _ in answers} == {"5"}
    _, headers, body = answers[-1]
    assert (headers["X-RateLimit-Scope"], headers["Via"]) == ("user", "1.1 google")
    assert body == {"message": "You are being rate limited.", "retry_after": 5.0, "global": False}
    assert headers["Retry-After"] == "5"
    assert other[0] == 200 and later[0] == 200
    assert sandbox.counters.rate_limited_routes == {f"user {CREATE}": 1}
    assert sandbox.counters.dm_messages[sandbox.member("claire").id] == 6


@pytest.mark.fake_clock
@pytest.mark.limits(global_limit=3, global_window=1.0)
async def test_global_limit_spans_channels_and_counts_by_route(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    channels = [sandbox.channel(name).id for name in ("dep-56", "dep-29", "dep-75", "general")]
    statuses = [(await post(sandbox, c, {"content": "x"}))[0] for c in channels]
    clock.advance(1.0)
    after = (await post(sandbox, channels[-1], {"content": "x"}))[0]

    assert statuses == [200, 200, 200, 429]
    assert after == 200
    assert sandbox.counters.rate_limited == {"global": 1}
    assert sandbox.counters.rate_limited_routes == {f"global {CREATE}": 1}


# ----------------------------------------------------------------------------- counters


async def test_counters_per_recipient_and_per_channel(sandbox: Sandbox) -> None:
    _, _, claire = await open_dm(sandbox, "claire")
    _, _, david = await open_dm(sandbox, "david")
    await post(sandbox, claire["id"], {"content": "1"})
    await post(sandbox, claire["id"], {"content": "2"})
    await post(sandbox, david["id"], {"content": "1"})
    await post(sandbox, sandbox.channel("dep-56").id, {"content": "fallback"})
    counters = sandbox.counters

    assert counters.dm_messages == {sandbox.member("claire").id: 2, sandbox.member("david").id: 1}
    assert counters.channel_messages == {
        int(claire["id"]): 2,
        int(david["id"]): 1,
        sandbox.channel("dep-56").id: 1,
    }
    assert (counters.bot_messages, counters.dm_total) == (4, 3)
    exported = counters.as_dict()
    assert exported["dm_messages"] == {
        str(sandbox.member("claire").id): 2,
        str(sandbox.member("david").id): 1,
    }
    assert exported["bot_messages"] == 4

    counters.reset()
    assert (counters.bot_messages, counters.invalid_requests, dict(counters.requests)) == (0, 0, {})


async def test_deliveries_report_dms_channel_mentions_and_markers(sandbox: Sandbox) -> None:
    _, _, dm = await open_dm(sandbox, "claire")
    await post(sandbox, dm["id"], nudge("Relance", "d-1"))
    emma = sandbox.member("emma")
    fallback = {
        **nudge(f"{emma.mention} pensez à vous inscrire", "d-2"),
        "allowed_mentions": {"users": [str(emma.id)]},
    }
    await post(sandbox, sandbox.channel("dep-56").id, fallback)
    _, _, closed = await open_dm(sandbox, "emma")
    await post(sandbox, closed["id"], {"content": "refusé"})

    report = {entry["username"]: entry for entry in sandbox.deliveries()}

    assert report["claire"]["dm_messages"] == 1
    assert report["claire"]["markers"] == ["done:d-1", "snooze:d-1"]
    assert report["claire"]["messages"][0]["where"] == "dm"
    assert (report["emma"]["dm_messages"], report["emma"]["dm_refused"]) == (0, 1)
    assert (report["emma"]["channel_messages"], report["emma"]["pinged"]) == (1, 1)
    assert report["emma"]["messages"][0]["where"] == "#dep-56"
    assert report["emma"]["markers"] == ["done:d-2", "snooze:d-2"]
    assert report["david"]["markers"] == [] and report["david"]["dm_channel_id"] is None
    assert [e["username"] for e in sandbox.deliveries("emma")] == ["emma"]
