"""Discord's checks on message bodies that the OpenAPI description does not carry."""

from __future__ import annotations

import re
from typing import Any

from .errors import EMPTY_MESSAGE, ApiError, field_error, form_error
from .limits import SandboxLimits

Json = dict[str, Any]
PARSE_VALUES = ("users", "roles", "everyone")
USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
COMPONENTS_V2 = 1 << 15


def _max_length(limit: int) -> Json:
    return field_error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _set(errors: Json, path: list[str], value: Json) -> None:
    node = errors
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def embed_length(embed: Json) -> int:
    """Characters Discord counts towards the 6000 across all embeds of a message."""
    total = len(str(embed.get("title") or "")) + len(str(embed.get("description") or ""))
    for f in embed.get("fields") or []:
        total += len(str(f.get("name") or "")) + len(str(f.get("value") or ""))
    total += len(str((embed.get("footer") or {}).get("text") or ""))
    total += len(str((embed.get("author") or {}).get("name") or ""))
    return total


def check_message_body(
    body: Json, limits: SandboxLimits, *, files: int = 0, partial: bool = False
) -> None:
    """Raise ``ApiError`` if ``body`` breaks a limit. ``partial`` is for edits (nothing required)."""
    errors: Json = {}
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        _set(
            errors,
            ["content"],
            field_error("STRING_TYPE_CONVERT", "Could not interpret value as string."),
        )
    elif isinstance(content, str) and len(content) > limits.content_length:
        _set(errors, ["content"], _max_length(limits.content_length))

    embeds = body.get("embeds")
    if embeds is not None:
        _check_embeds(embeds, limits, errors)
    components = body.get("components")
    if components is not None and not (int(body.get("flags") or 0) & COMPONENTS_V2):
        _check_components(components, limits, errors)
    mentions = body.get("allowed_mentions")
    if mentions is not None:
        _check_allowed_mentions(mentions, limits, errors)
    nonce = body.get("nonce")
    if isinstance(nonce, str) and len(nonce) > 25:
        _set(errors, ["nonce"], _max_length(25))

    if errors:
        raise form_error(errors)
    if partial:
        return
    has_body = bool(content) or bool(embeds) or bool(components) or files > 0
    has_body = has_body or bool(body.get("sticker_ids")) or bool(body.get("poll"))
    if not has_body:
        raise ApiError(400, *EMPTY_MESSAGE)


def _check_embeds(embeds: Any, limits: SandboxLimits, errors: Json) -> None:
    if not isinstance(embeds, list):
        _set(
            errors,
            ["embeds"],
            field_error("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"),
        )
        return
    if len(embeds) > limits.embeds_per_message:
        _set(errors, ["embeds"], _max_length(limits.embeds_per_message))
        return
    single = [
        ("title", limits.embed_title),
        ("description", limits.embed_description),
    ]
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        key = str(index)
        for name, limit in single:
            value = embed.get(name)
            if isinstance(value, str) and len(value) > limit:
                _set(errors, ["embeds", key, name], _max_length(limit))
        footer = embed.get("footer") or {}
        if len(str(footer.get("text") or "")) > limits.embed_footer:
            _set(errors, ["embeds", key, "footer", "text"], _max_length(limits.embed_footer))
        author = embed.get("author") or {}
        if len(str(author.get("name") or "")) > limits.embed_author:
            _set(errors, ["embeds", key, "author", "name"], _max_length(limits.embed_author))
        fields = embed.get("fields") or []
        if len(fields) > limits.embed_fields:
            _set(errors, ["embeds", key, "fields"], _max_length(limits.embed_fields))
        for position, f in enumerate(fields):
            name = str(f.get("name") or "")
            value = str(f.get("value") or "")
            where = ["embeds", key, "fields", str(position)]
            if not name:
                _set(
                    errors,
                    [*where, "name"],
                    field_error("BASE_TYPE_REQUIRED", "This field is required"),
                )
            elif len(name) > limits.embed_field_name:
                _set(errors, [*where, "name"], _max_length(limits.embed_field_name))
            if not value:
                _set(
                    errors,
                    [*where, "value"],
                    field_error("BASE_TYPE_REQUIRED", "This field is required"),
                )
            elif len(value) > limits.embed_field_value:
                _set(errors, [*where, "value"], _max_length(limits.embed_field_value))
        total += embed_length(embed)
    if total > limits.embed_total and "embeds" not in errors:
        errors["embeds"] = field_error(
            "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {limits.embed_total}"
        )


def _check_components(components: Any, limits: SandboxLimits, errors: Json) -> None:
    if not isinstance(components, list):
        _set(
            errors,
            ["components"],
            field_error("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"),
        )
        return
    if len(components) > limits.action_rows:
        _set(errors, ["components"], _max_length(limits.action_rows))
        return
    seen: set[str] = set()
    for row_index, row in enumerate(components):
        where = ["components", str(row_index)]
        if not isinstance(row, dict) or row.get("type") != 1:
            _set(
                errors,
                [*where, "type"],
                field_error("UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'),
            )
            continue
        children = row.get("components") or []
        if not children or len(children) > limits.components_per_row:
            _set(
                errors,
                [*where, "components"],
                field_error(
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {limits.components_per_row} in length.",
                ),
            )
            continue
        for child_index, child in enumerate(children):
            spot = [*where, "components", str(child_index)]
            custom_id = child.get("custom_id")
            if child.get("type") == 2:
                label = child.get("label")
                if isinstance(label, str) and len(label) > limits.button_label:
                    _set(errors, [*spot, "label"], _max_length(limits.button_label))
                if child.get("style") == 5:
                    if not child.get("url"):
                        _set(
                            errors,
                            [*spot, "url"],
                            field_error("BASE_TYPE_REQUIRED", "This field is required"),
                        )
                    continue
                if child.get("style") != 6 and not custom_id:
                    _set(
                        errors,
                        [*spot, "custom_id"],
                        field_error("BASE_TYPE_REQUIRED", "This field is required"),
                    )
                    continue
            if isinstance(custom_id, str):
                if len(custom_id) > limits.custom_id_length:
                    _set(errors, [*spot, "custom_id"], _max_length(limits.custom_id_length))
                elif custom_id in seen:
                    _set(
                        errors,
                        [*spot, "custom_id"],
                        field_error(
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        ),
                    )
                seen.add(custom_id)


def _check_allowed_mentions(mentions: Any, limits: SandboxLimits, errors: Json) -> None:
    if not isinstance(mentions, dict):
        _set(
            errors,
            ["allowed_mentions"],
            field_error("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"),
        )
        return
    parse = mentions.get("parse")
    if parse is not None:
        for index, value in enumerate(parse):
            if value not in PARSE_VALUES:
                _set(
                    errors,
                    ["allowed_mentions", "parse", str(index)],
                    field_error("ENUM_TYPE_COERCE", f'Value "{value}" is not a valid enum value.'),
                )
    for kind in ("users", "roles"):
        ids = mentions.get(kind)
        if ids is None:
            continue
        if len(ids) > limits.allowed_mention_ids:
            _set(errors, ["allowed_mentions", kind], _max_length(limits.allowed_mention_ids))
        if parse is not None and kind in parse and ids:
            _set(
                errors,
                ["allowed_mentions"],
                field_error(
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
                ),
            )


def resolve_mentions(
    content: str, allowed: Json | None, *, default_parse: tuple[str, ...]
) -> tuple[list[int], list[int], bool]:
    """Users, roles and @everyone that the message really pings."""
    if allowed is None:
        parse: tuple[str, ...] = default_parse
        users: list[int] = []
        roles: list[int] = []
    else:
        parse = tuple(allowed.get("parse") or ())
        users = [int(u) for u in allowed.get("users") or []]
        roles = [int(r) for r in allowed.get("roles") or []]
    found_users = [int(u) for u in USER_MENTION.findall(content)]
    found_roles = [int(r) for r in ROLE_MENTION.findall(content)]
    pinged_users = [u for u in dict.fromkeys(found_users) if "users" in parse or u in users]
    pinged_roles = [r for r in dict.fromkeys(found_roles) if "roles" in parse or r in roles]
    everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
    return pinged_users, pinged_roles, everyone
