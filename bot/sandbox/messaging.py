"""Creating and editing messages from request bodies (JSON or multipart)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import EMPTY_MESSAGE, ApiError, field_error, form_error
from .limits import SandboxLimits
from .models import (
    EPHEMERAL,
    LOADING,
    SandboxAttachment,
    SandboxChannel,
    SandboxMessage,
    SandboxUser,
)
from .state import SandboxState
from .validation import check_message_body, resolve_mentions

Json = dict[str, Any]

# Flags a bot may set on a message it sends: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS,
# IS_VOICE_MESSAGE, IS_COMPONENTS_V2.
SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 13) | (1 << 15)


@dataclass
class UploadedFile:
    index: int
    filename: str
    content_type: str | None
    data: bytes


def _attachments(
    state: SandboxState,
    channel_id: int,
    body: Json,
    files: list[UploadedFile],
    limits: SandboxLimits,
    *,
    keep: list[SandboxAttachment] | None = None,
    ephemeral: bool = False,
) -> list[SandboxAttachment]:
    described: dict[str, Json] = {}
    kept: list[SandboxAttachment] = []
    declared = body.get("attachments")
    for entry in declared or []:
        described[str(entry.get("id"))] = entry
        if keep is not None:
            for existing in keep:
                if str(existing.id) == str(entry.get("id")):
                    kept.append(existing)
    if declared is None and keep is not None:
        kept = list(keep)
    made: list[SandboxAttachment] = []
    for upload in files:
        if len(upload.data) > limits.attachment_size_limit:
            raise ApiError(413, 40005, "Request entity too large")
        meta = described.get(str(upload.index), {})
        filename = str(meta.get("filename") or upload.filename)
        made.append(
            state.add_attachment(
                channel_id,
                filename,
                upload.data,
                upload.content_type,
                meta.get("description"),
                ephemeral=ephemeral,
            )
        )
    return kept + made


def _mentions(
    state: SandboxState, content: str, body: Json, default_parse: tuple[str, ...]
) -> tuple[list[Json], list[int], bool]:
    users, roles, everyone = resolve_mentions(
        content, body.get("allowed_mentions"), default_parse=default_parse
    )
    mentioned = [u.payload() for u in (state.user(i) for i in users) if u is not None]
    return mentioned, [r for r in roles if r in state.roles], everyone


def create_message(
    state: SandboxState,
    limits: SandboxLimits,
    channel: SandboxChannel,
    author: SandboxUser,
    body: Json,
    files: list[UploadedFile],
    *,
    webhook_id: int | None = None,
    interaction: tuple[int, int, Json] | None = None,
    extra_flags: int = 0,
    validate: bool = True,
    default_parse: tuple[str, ...] = ("users", "roles", "everyone"),
) -> SandboxMessage:
    """Validate ``body`` and store the message. ``interaction`` is (id, type, user payload)."""
    if validate:
        check_message_body(body, limits, files=len(files))
    flags = (int(body.get("flags") or 0) & SETTABLE_FLAGS) | extra_flags
    content = str(body.get("content") or "")
    mentions, roles, everyone = _mentions(state, content, body, default_parse)
    message = SandboxMessage(
        id=state.new_id(),
        channel_id=channel.id,
        author_id=author.id,
        author=author.payload(),
        content=content,
        embeds=[_embed(e) for e in body.get("embeds") or []],
        components=_numbered(body.get("components") or []),
        flags=flags,
        nonce=body.get("nonce"),
        created_at=datetime.fromtimestamp(state.clock.now(), UTC),
        guild_id=channel.guild_id,
        webhook_id=webhook_id,
        mentions=mentions,
        mention_roles=roles,
        mention_everyone=everyone,
    )
    if interaction is not None:
        message.interaction_id, message.interaction_type, message.interaction_user = interaction
    message.attachments = _attachments(
        state, channel.id, body, files, limits, ephemeral=bool(flags & EPHEMERAL)
    )
    return state.store_message(message)


def edit_message(
    state: SandboxState,
    limits: SandboxLimits,
    message: SandboxMessage,
    body: Json,
    files: list[UploadedFile],
    *,
    default_parse: tuple[str, ...] = ("users", "roles", "everyone"),
) -> SandboxMessage:
    """Apply a PATCH body; a loading (deferred) message stops loading."""
    check_message_body(body, limits, files=len(files), partial=True)
    content = str(body.get("content") or "") if "content" in body else message.content
    embeds = [_embed(e) for e in body.get("embeds") or []] if "embeds" in body else message.embeds
    components = (
        _numbered(body.get("components") or []) if "components" in body else message.components
    )
    attachments = message.attachments
    if "attachments" in body or files:
        attachments = _attachments(
            state,
            message.channel_id,
            body,
            files,
            limits,
            keep=message.attachments,
            ephemeral=message.ephemeral,
        )
    if not (content or embeds or components or attachments):
        raise ApiError(400, *EMPTY_MESSAGE)
    if "content" in body:
        mentions, roles, everyone = _mentions(state, content, body, default_parse)
        message.mentions, message.mention_roles, message.mention_everyone = (
            mentions,
            roles,
            everyone,
        )
    message.content, message.embeds, message.components, message.attachments = (
        content,
        embeds,
        components,
        attachments,
    )
    if body.get("flags") is not None:
        keep = message.flags & EPHEMERAL
        message.flags = (int(body["flags"]) & SETTABLE_FLAGS & ~EPHEMERAL) | keep
    message.flags &= ~LOADING
    state.touch(message)
    return message


def _numbered(components: list[Json]) -> list[Json]:
    """Copy the components, giving each one without an ``id`` the next number, as Discord does."""
    copied = copy.deepcopy(components)
    taken = {c["id"] for c in _walk(copied) if isinstance(c.get("id"), int)}
    counter = 0
    for component in _walk(copied):
        if "id" not in component:
            counter += 1
            while counter in taken:
                counter += 1
            component["id"] = counter
    return copied


def _walk(components: list[Json]) -> list[Json]:
    found: list[Json] = []
    for component in components:
        if not isinstance(component, dict):
            continue
        found.append(component)
        children = component.get("components")
        if isinstance(children, list):
            found.extend(_walk(children))
        accessory = component.get("accessory")
        if isinstance(accessory, dict):
            found.extend(_walk([accessory]))
    return found


def _embed(embed: Any) -> Json:
    if not isinstance(embed, dict):
        raise form_error(
            {
                "embeds": field_error(
                    "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
                )
            }
        )
    data = copy.deepcopy(embed)
    data.setdefault("type", "rich")
    return data
