"""Validation of REST exchanges against Discord's OpenAPI description, shared by the test suites.

Known differences between the description and what discord.py and Discord really send are
tolerated, not fixed: snowflakes and ``default_member_permissions`` sent as integers, booleans as
``1``/``0`` in query strings, and multipart bodies (files), which the validator does not cover.
Rules the description lacks (2000 characters of content, 6000 across embeds, ``allowed_mentions``
exclusivity) are checked separately by :func:`extra_rules`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPEC = Path(__file__).resolve().parent / "data" / "discord-openapi" / "openapi.json"
HOST = "https://discord.com"
PREFIX = "/api/v10"
SNOWFLAKE_LISTS = {"users", "roles", "sticker_ids", "applied_tags"}


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    """Discord's description, loaded once per test session (it takes several seconds)."""
    return OpenAPI.from_file_path(str(SPEC))


@dataclass
class Exchange:
    method: str
    path: str
    query: dict[str, str]
    request: Any
    status: int
    response: Any


def _as_spec_sends(value: Any, key: str = "") -> Any:
    """Turn what discord.py sends into what the description expects (ints → snowflake strings)."""
    if isinstance(value, dict):
        return {k: _as_spec_sends(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_spec_sends(v, key if key in SNOWFLAKE_LISTS else "") for v in value]
    if key == "default_member_permissions" and isinstance(value, str):
        return int(value)  # the description wants an integer here, discord.py sends a string
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if is_int and (key == "id" or key.endswith("_id") or key in SNOWFLAKE_LISTS):
        return str(value)
    return value


def _query(query: dict[str, str]) -> dict[str, str]:
    return {k: {"1": "true", "0": "false"}.get(v, v) for k, v in query.items()}


def _numeric_error_codes(value: Any) -> Any:
    """Discord answers ``_errors`` codes as strings ("BASE_TYPE_MAX_LENGTH"); the description says integers."""
    if isinstance(value, dict):
        return {
            k: [{**e, "code": 0} for e in v] if k == "_errors" else _numeric_error_codes(v)
            for k, v in value.items()
        }
    return value


def validate(openapi: OpenAPI, exchange: Exchange) -> list[str]:
    problems: list[str] = []
    body = (
        None if exchange.request is None else json.dumps(_as_spec_sends(exchange.request)).encode()
    )
    request = MockRequest(
        HOST,
        exchange.method.lower(),
        PREFIX + exchange.path,
        args=_query(exchange.query),
        headers={"Authorization": "Bot token"},
        data=body,
    )
    where = f"{exchange.method} {exchange.path} -> {exchange.status}"
    try:
        openapi.validate_request(request)
    except Exception as error:
        problems.append(f"request {where}: {error}")
    if exchange.status == 204:
        response = MockResponse(b"", 204, content_type="")
    else:
        answer = exchange.response
        if isinstance(answer, dict) and "errors" in answer:
            answer = {**answer, "errors": _numeric_error_codes(answer["errors"])}
        response = MockResponse(json.dumps(answer).encode(), exchange.status)
    try:
        openapi.validate_response(request, response)
    except Exception as error:
        problems.append(f"response {where}: {error}")
    return problems


def extra_rules(exchange: Exchange) -> list[str]:
    """Message rules the description does not carry, checked independently of the sandbox."""
    body = exchange.request
    if not isinstance(body, dict) or exchange.method not in ("POST", "PATCH"):
        return []
    if exchange.path.endswith("/callback"):
        body = body.get("data") or {}
    problems = []
    if len(body.get("content") or "") > 2000:
        problems.append("content over 2000 characters")
    total = 0
    for embed in body.get("embeds") or []:
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(
            len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields") or []
        )
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        problems.append("embeds over 6000 characters")
    mentions = body.get("allowed_mentions") or {}
    for kind in ("users", "roles"):
        if kind in (mentions.get("parse") or []) and mentions.get(kind):
            problems.append(f"allowed_mentions parse and {kind} together")
    return [f"{exchange.method} {exchange.path}: {p}" for p in problems]
