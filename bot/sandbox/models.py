"""Entities the sandbox holds, and their Discord JSON shapes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
Json = dict[str, Any]


class SnowflakeFactory:
    """Makes increasing, unique snowflakes from a timestamp in seconds."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._last = 0

    def make(self, timestamp: float) -> int:
        value = ((int(timestamp * 1000) - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0xFFF)
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


@dataclass
class SandboxRole:
    id: int
    name: str
    permissions: int
    color: int = 0
    position: int = 0
    mentionable: bool = True

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass
class SandboxUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "fr"
    dms_open: bool = True

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class SandboxMember:
    """A guild member: a user, the roles it holds (ids) and its locale."""

    user: SandboxUser
    roles: list[int]
    role_names: list[str]
    nick: str | None = None
    joined_at: float = 0.0
    # Not a Discord field: the department of a generated officer (see generate.py).
    department: str | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def global_name(self) -> str | None:
        return self.user.global_name

    @property
    def display_name(self) -> str:
        return self.nick or self.user.global_name or self.user.username

    @property
    def locale(self) -> str:
        return self.user.locale

    @property
    def dms_open(self) -> bool:
        return self.user.dms_open

    @property
    def mention(self) -> str:
        return f"<@{self.user.id}>"

    def payload(self, *, permissions: int | None = None, with_user: bool = True) -> Json:
        data: Json = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class SandboxChannel:
    id: int
    name: str
    type: int = 0
    guild_id: int | None = None
    topic: str | None = None
    position: int = 0
    recipient: SandboxUser | None = None
    # Permission overwrites in Discord's shape: {"id", "type" (0 role, 1 member), "allow", "deny"}.
    overwrites: list[Json] = field(default_factory=list)

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self, *, permissions: int | None = None) -> Json:
        if self.type == 1 and self.recipient is not None:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.payload()],
            }
        data: Json = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "flags": 0,
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "permission_overwrites": [dict(o) for o in self.overwrites],
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class SandboxAttachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    url: str = ""
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data


EPHEMERAL = 1 << 6
LOADING = 1 << 7


@dataclass
class SandboxMessage:
    """A message as the sandbox stored it; ``edited`` turns true on the first edit."""

    id: int
    channel_id: int
    author_id: int
    author: Json
    content: str = ""
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    attachments: list[SandboxAttachment] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    edited_at: datetime | None = None
    guild_id: int | None = None
    webhook_id: int | None = None
    interaction_id: int | None = None
    interaction_user: Json | None = None
    interaction_type: int | None = None
    # a component's answer: the message whose button or select was used
    interacted_message_id: int | None = None
    mentions: list[Json] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    deleted: bool = False

    @property
    def edited(self) -> bool:
        return self.edited_at is not None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def interaction_user_id(self) -> int | None:
        """Who triggered the interaction this message answers."""
        return int(self.interaction_user["id"]) if self.interaction_user else None

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def buttons(self) -> list[Json]:
        """Every button of the message, rows flattened, in display order."""
        return [c for c in _walk_components(self.components) if c.get("type") == 2]

    @property
    def text(self) -> str:
        """Content plus embed titles, descriptions and fields, for quick assertions."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            for key in ("title", "description"):
                if embed.get(key):
                    parts.append(str(embed[key]))
            for f in embed.get("fields", []):
                parts.append(f"{f.get('name', '')}: {f.get('value', '')}")
            footer = embed.get("footer") or {}
            if footer.get("text"):
                parts.append(str(footer["text"]))
        return "\n".join(parts)

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "type": 20 if self.interaction_id is not None and self.interaction_type == 2 else 0,
            "channel_id": str(self.channel_id),
            "author": self.author,
            "content": self.content,
            "timestamp": self.created_at.isoformat(),
            "edited_timestamp": self.edited_at.isoformat() if self.edited_at else None,
            "tts": False,
            "mention_everyone": self.mention_everyone,
            "mentions": self.mentions,
            "mention_roles": [str(r) for r in self.mention_roles],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "flags": self.flags,
        }
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction_id is not None and self.interaction_user is not None:
            data["interaction_metadata"] = {
                "id": str(self.interaction_id),
                "type": self.interaction_type or 2,
                "user": self.interaction_user,
                "authorizing_integration_owners": {},
            }
            if self.interacted_message_id is not None:  # a component's answer (type 3)
                data["interaction_metadata"]["interacted_message_id"] = str(
                    self.interacted_message_id
                )
        return data


def _walk_components(components: list[Json]) -> list[Json]:
    found: list[Json] = []
    for component in components:
        found.append(component)
        children = component.get("components")
        if isinstance(children, list):
            found.extend(_walk_components(children))
        accessory = component.get("accessory")
        if isinstance(accessory, dict):
            found.append(accessory)
    return found


@dataclass
class InteractionResult:
    """What the bot answered to one interaction."""

    interaction_id: int
    token: str
    messages: list[SandboxMessage] = field(default_factory=list)
    response_type: int | None = None
    deferred: bool = False
    ephemeral: bool = False
    choices: list[Json] | None = None
    modal: Json | None = None
    error: str | None = None
    # Seconds from the dispatch of INTERACTION_CREATE to the interaction callback and to the
    # complete answer, on this process's performance counter (None: it did not happen).
    first_response_after: float | None = None
    complete_after: float | None = None

    @property
    def message(self) -> SandboxMessage:
        """The first message of the answer (raises if there is none)."""
        if not self.messages:
            raise LookupError(f"the interaction produced no message (error: {self.error})")
        return self.messages[0]

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)

    def payload(self) -> Json:
        return {
            "interaction_id": str(self.interaction_id),
            "response_type": self.response_type,
            "deferred": self.deferred,
            "ephemeral": self.ephemeral,
            "choices": self.choices,
            "modal": self.modal,
            "error": self.error,
            "first_response_after": self.first_response_after,
            "complete_after": self.complete_after,
            "messages": [message_summary(m) for m in self.messages],
        }


def message_summary(message: SandboxMessage) -> Json:
    """A message for the control API: its Discord payload plus sandbox-only fields."""
    data = message.payload()
    data["ephemeral"] = message.ephemeral
    data["edited"] = message.edited
    data["deleted"] = message.deleted
    return data
