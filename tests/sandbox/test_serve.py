"""``python -m bot.sandbox serve``: a process of its own on 127.0.0.1, one JSON line when ready."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


async def _serve(*args: str) -> AsyncIterator[tuple[asyncio.subprocess.Process, dict[str, Any]]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "serve",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT)
        yield proc, json.loads(line)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.fixture
async def served() -> AsyncIterator[tuple[asyncio.subprocess.Process, dict[str, Any]]]:
    args = ("--members", "6", "--closed-dms", "0.5", "--seed", "2", "--departments", "56,29")
    async for started in _serve(
        *args, "--limit", "dm_open=9/1", "--guild-id", "424242424242424242"
    ):
        yield started


async def test_prints_one_json_line_and_serves_the_generated_guild(served) -> None:  # type: ignore[no-untyped-def]
    proc, info = served
    async with aiohttp.ClientSession() as session:
        async with session.get(info["control_url"] + "/members") as response:
            members = await response.json()
        async with session.post(
            info["api_base"] + "/users/@me/channels",
            json={"recipient_id": members[2]["id"]},
            headers={"Authorization": f"Bot {info['token']}"},
        ) as response:
            opened = (response.status, response.headers["X-RateLimit-Limit"])

    assert info["ready"] is True and info["pid"] == proc.pid
    assert info["api_base"].startswith("http://127.0.0.1:")
    assert info["gateway_url"].startswith("ws://127.0.0.1:")
    assert info["guild_id"] == "424242424242424242"
    assert info["organisers"] == ["organiser01", "organiser02"]
    assert set(info["channels"]) == {"general", "organisateurs", "dep-56", "dep-29"}
    assert info["organiser_channel_id"] == info["channels"]["organisateurs"]
    assert (info["members"], info["closed_dms"]) == (8, 3)
    assert [m["username"] for m in members][2:4] == ["officer0001", "officer0002"]
    assert [m["department"] for m in members][2:5] == ["56", "29", "56"]
    assert opened == (200, "9")


async def test_stops_cleanly_on_sigterm(served) -> None:  # type: ignore[no-untyped-def]
    proc, _ = served
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0


async def test_without_members_it_serves_the_demo_guild() -> None:
    async for _, info in _serve():
        assert info["organisers"] == ["alice", "bob"]
        assert "relances" in info["channels"]
        assert info["organiser_channel_id"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--members", "5", "--closed-dms", "2"], "between 0 and 1"),
        (["--limit", "bogus=1"], "unknown limit"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.sandbox", "serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
