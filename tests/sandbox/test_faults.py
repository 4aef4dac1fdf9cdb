"""The sandbox's own faults: 5xx bodies, failures after the write, Retry-After windows."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from bot.sandbox import Sandbox

pytestmark = pytest.mark.asyncio

MESSAGES = "/channels/{channel_id}/messages"


async def _request(
    sandbox: Sandbox, method: str, path: str, body: object = None
) -> tuple[int, dict[str, str], object]:
    auth = {"Authorization": f"Bot {sandbox.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, sandbox.api_base + path, headers=auth, json=body) as response,
    ):
        return response.status, dict(response.headers), await response.json(content_type=None)


async def test_a_503_has_discords_body_and_creates_nothing(sandbox: Sandbox) -> None:
    channel = sandbox.channel("relances").id
    sandbox.faults.fail_next("POST", MESSAGES, 503)
    status, headers, body = await _request(
        sandbox, "POST", f"/channels/{channel}/messages", {"content": "un"}
    )
    assert status == 503
    assert body == {"message": "503: Service Unavailable", "code": 0}
    assert headers["Content-Type"] == "application/json"
    assert sandbox.messages("relances") == []
    assert (await _request(sandbox, "POST", f"/channels/{channel}/messages", {"content": "deux"}))[
        0
    ] == 200


async def test_a_processed_failure_creates_the_message_and_a_retry_with_its_nonce_gets_it(
    sandbox: Sandbox,
) -> None:
    channel = sandbox.channel("relances").id
    sandbox.faults.fail_next("POST", MESSAGES, 500, processed=True)
    body = {"content": "relance", "nonce": "n-1", "enforce_nonce": True}
    status, _, answer = await _request(sandbox, "POST", f"/channels/{channel}/messages", body)
    assert status == 500
    assert answer == {"message": "500: Internal Server Error", "code": 0}
    [created] = sandbox.messages("relances")
    status, _, again = await _request(sandbox, "POST", f"/channels/{channel}/messages", body)
    assert status == 200
    assert isinstance(again, dict) and again["id"] == str(created.id)
    assert len(sandbox.messages("relances")) == 1
    assert sandbox.counters.nonce_replays == 1


async def test_a_request_inside_a_storms_retry_after_is_counted(sandbox: Sandbox) -> None:
    channel = sandbox.channel("relances").id
    other = sandbox.channel("general").id
    sandbox.faults.rate_limit_storm(MESSAGES, 1, scope="user", retry_after=60)
    status, headers, body = await _request(
        sandbox, "POST", f"/channels/{channel}/messages", {"content": "un"}
    )
    assert status == 429
    assert isinstance(body, dict) and body["retry_after"] == 60.0 and body["global"] is False
    assert headers["X-RateLimit-Scope"] == "user"
    # Another channel is another bucket: not inside the window.
    await _request(sandbox, "POST", f"/channels/{other}/messages", {"content": "ailleurs"})
    assert sandbox.counters.inside_retry_after == {}
    await _request(sandbox, "POST", f"/channels/{channel}/messages", {"content": "trop tôt"})
    assert sandbox.counters.inside_retry_after == {"user POST " + MESSAGES: 1}


async def test_a_global_window_spares_interaction_callbacks(sandbox: Sandbox) -> None:
    sandbox.faults.rate_limit_storm("/users/@me", 1, scope="global", retry_after=60)
    status, headers, body = await _request(sandbox, "GET", "/users/@me")
    assert status == 429
    assert isinstance(body, dict) and body["global"] is True
    assert headers["X-RateLimit-Global"] == "true"
    await _request(sandbox, "POST", "/interactions/1/nope/callback", {"type": 1})
    assert sandbox.counters.inside_retry_after == {}
    await _request(sandbox, "GET", f"/channels/{sandbox.channel('general').id}/messages")
    assert sandbox.counters.inside_retry_after == {"global GET " + MESSAGES: 1}


async def test_discord_py_waits_out_every_storm_window(sandbox: Sandbox, start_bot) -> None:
    bot = await start_bot()
    sandbox.faults.rate_limit_storm(MESSAGES, 3, scope="user", retry_after=0.05)
    channel = bot.get_channel(sandbox.channel("relances").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("Relance")
    assert [m.content for m in sandbox.messages("relances")] == ["Relance"]
    assert sandbox.counters.rate_limited["user"] == 3
    assert sandbox.counters.inside_retry_after == {}


async def test_the_control_api_injects_a_processed_failure(sandbox: Sandbox) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            sandbox.base_url + "/_sandbox/faults/fail_next",
            json={"method": "POST", "route": MESSAGES, "status": 503, "processed": True},
        ) as response,
    ):
        assert response.status == 200
    channel = sandbox.channel("relances").id
    status, _, _ = await _request(
        sandbox, "POST", f"/channels/{channel}/messages", {"content": "un"}
    )
    assert status == 503
    assert [m.content for m in sandbox.messages("relances")] == ["un"]
    counters = sandbox.counters.as_dict()
    assert counters["inside_retry_after"] == {}


async def test_a_failure_can_be_kept_for_one_channel(sandbox: Sandbox) -> None:
    relances, general = sandbox.channel("relances").id, sandbox.channel("general").id
    sandbox.faults.fail_next("POST", MESSAGES, 502, major=relances)
    other = await _request(sandbox, "POST", f"/channels/{general}/messages", {"content": "a"})
    status, _, body = await _request(
        sandbox, "POST", f"/channels/{relances}/messages", {"content": "b"}
    )
    assert other[0] == 200
    assert (status, body) == (502, {"message": "502: Bad Gateway", "code": 0})
    assert [m.content for m in sandbox.messages("general")] == ["a"]
    assert sandbox.messages("relances") == []
