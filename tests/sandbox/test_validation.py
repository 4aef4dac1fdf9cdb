"""Discord's message rules, checked on bodies directly (no server needed)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox import SandboxLimits
from bot.sandbox.errors import ApiError
from bot.sandbox.validation import check_message_body, embed_length, resolve_mentions

LIMITS = SandboxLimits()


def _refusal(body: dict[str, Any], files: int = 0) -> tuple[int, Any]:
    with pytest.raises(ApiError) as raised:
        check_message_body(body, LIMITS, files=files)
    return raised.value.code, raised.value.errors


def _max(limit: int) -> dict[str, Any]:
    return {
        "_errors": [
            {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Must be {limit} or fewer in length."}
        ]
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"content": "x" * 2001}, {"content": _max(2000)}),
        ({"embeds": [{"title": "t" * 257}]}, {"embeds": {"0": {"title": _max(256)}}}),
        ({"embeds": [{"description": "d" * 4097}]}, {"embeds": {"0": {"description": _max(4096)}}}),
        (
            {"embeds": [{"footer": {"text": "f" * 2049}}]},
            {"embeds": {"0": {"footer": {"text": _max(2048)}}}},
        ),
        (
            {"embeds": [{"author": {"name": "a" * 257}}]},
            {"embeds": {"0": {"author": {"name": _max(256)}}}},
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
            {"embeds": {"0": {"fields": {"0": {"value": _max(1024)}}}}},
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
            {"embeds": {"0": {"fields": _max(25)}}},
        ),
        ({"embeds": [{"title": "t"}] * 11}, {"embeds": _max(10)}),
        (
            {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
            {
                "embeds": {
                    "_errors": [
                        {
                            "code": "MAX_EMBED_SIZE_EXCEEDED",
                            "message": "Embed size exceeds maximum size of 6000",
                        }
                    ]
                }
            },
        ),
        (
            {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
            {
                "allowed_mentions": {
                    "_errors": [
                        {
                            "code": "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                            "message": 'parse:["users"] and users: [ids...] are mutually exclusive.',
                        }
                    ]
                }
            },
        ),
        (
            {"content": "hi", "allowed_mentions": {"parse": ["channels"]}},
            {
                "allowed_mentions": {
                    "parse": {
                        "0": {
                            "_errors": [
                                {
                                    "code": "ENUM_TYPE_COERCE",
                                    "message": 'Value "channels" is not a valid enum value.',
                                }
                            ]
                        }
                    }
                }
            },
        ),
        (
            {"content": "hi", "allowed_mentions": {"users": [str(i) for i in range(101)]}},
            {"allowed_mentions": {"users": _max(100)}},
        ),
    ],
)
def test_invalid_bodies_are_50035_with_errors(body: dict[str, Any], errors: dict[str, Any]) -> None:
    assert _refusal(body) == (50035, errors)


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"embeds": []}, {"components": []}])
def test_empty_message_is_50006(body: dict[str, Any]) -> None:
    assert _refusal(body) == (50006, None)


@pytest.mark.parametrize(
    "body",
    [
        {"content": "x" * 2000},
        {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2000}]},
        {
            "content": "",
            "components": [
                {
                    "type": 1,
                    "components": [{"type": 2, "style": 1, "label": "Oui", "custom_id": "oui"}],
                }
            ],
        },
        {"content": "hi", "allowed_mentions": {"parse": ["roles"], "users": ["1"]}},
    ],
)
def test_bodies_at_the_limits_pass(body: dict[str, Any]) -> None:
    check_message_body(body, LIMITS)


def test_files_alone_make_a_message() -> None:
    check_message_body({}, LIMITS, files=1)


def test_embed_length_counts_the_documented_fields() -> None:
    embed = {
        "title": "ab",
        "description": "cde",
        "fields": [{"name": "f", "value": "gh"}],
        "footer": {"text": "i"},
        "author": {"name": "jk"},
        "url": "ignored",
    }
    assert embed_length(embed) == 11


@pytest.mark.parametrize(
    ("allowed", "default", "expected"),
    [
        (None, ("users", "roles", "everyone"), ([1, 2], [7], True)),
        (None, ("users",), ([1, 2], [], False)),
        ({"parse": []}, ("users",), ([], [], False)),
        ({"parse": [], "users": ["2"]}, ("users",), ([2], [], False)),
        ({"parse": ["roles"]}, ("users",), ([], [7], False)),
    ],
)
def test_mentions_follow_allowed_mentions(
    allowed: dict[str, Any] | None,
    default: tuple[str, ...],
    expected: tuple[list[int], list[int], bool],
) -> None:
    assert (
        resolve_mentions("<@1> <@!2> <@&7> @everyone", allowed, default_parse=default) == expected
    )
