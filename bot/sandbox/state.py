"""The sandbox's world: one guild, its channels, members and roles, DMs and every message."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from .clock import Clock
from .demo import ADMINISTRATOR, ALL_PERMISSIONS, VIEW_CHANNEL, GuildSpec
from .errors import SandboxUsageError
from .models import (
    SandboxAttachment,
    SandboxChannel,
    SandboxMember,
    SandboxMessage,
    SandboxRole,
    SandboxUser,
    SnowflakeFactory,
)

Json = dict[str, Any]
log = logging.getLogger(__name__)

# Fixed instant the demo ids are built from, so they are the same on every run.
_SEED_TIME = 1_704_067_200.0  # 2024-01-01T00:00:00Z


@dataclass
class MessageEvent:
    """A message appeared, changed or vanished somewhere in the sandbox."""

    kind: Literal["create", "edit", "delete"]
    message: SandboxMessage


MessageCallback = Callable[[MessageEvent], Awaitable[None] | None]


class SandboxState:
    def __init__(self, spec: GuildSpec, clock: Clock) -> None:
        self.spec = spec
        self.clock = clock
        self.snowflakes = SnowflakeFactory()
        seed = SnowflakeFactory()

        def stable(given: int | None) -> int:
            return given if given is not None else seed.make(_SEED_TIME)

        self.guild_id = stable(spec.id)
        self.application_id = stable(None)
        self.bot_user = SandboxUser(stable(None), spec.bot_username, None, bot=True)
        self.guild_name = spec.name
        self.preferred_locale = spec.preferred_locale

        self.roles: dict[int, SandboxRole] = {
            self.guild_id: SandboxRole(
                self.guild_id, "@everyone", spec.everyone_permissions, mentionable=False
            )
        }
        for position, role_spec in enumerate(spec.roles, start=1):
            role = SandboxRole(
                stable(role_spec.id),
                role_spec.name,
                role_spec.permissions,
                role_spec.color,
                position,
                role_spec.mentionable,
            )
            self.roles[role.id] = role
        self.bot_role = SandboxRole(
            stable(None), spec.bot_username, ADMINISTRATOR, position=len(self.roles)
        )
        self.roles[self.bot_role.id] = self.bot_role

        self.channels: dict[int, SandboxChannel] = {}
        for position, channel_spec in enumerate(spec.channels):
            channel = SandboxChannel(
                stable(channel_spec.id),
                channel_spec.name,
                channel_spec.type,
                self.guild_id,
                channel_spec.topic,
                position,
                overwrites=self._visibility(channel_spec.visible_to),
            )
            self.channels[channel.id] = channel

        self.members: dict[int, SandboxMember] = {}
        for member_spec in spec.members:
            user = SandboxUser(
                stable(member_spec.id),
                member_spec.username,
                member_spec.global_name,
                locale=member_spec.locale,
                dms_open=member_spec.dms_open,
            )
            role_ids = [self.role(name).id for name in member_spec.roles]
            self.members[user.id] = SandboxMember(
                user,
                role_ids,
                list(member_spec.roles),
                member_spec.nick,
                _SEED_TIME,
                department=member_spec.department,
            )
        self.bot_member = SandboxMember(
            self.bot_user, [self.bot_role.id], [self.bot_role.name], None, _SEED_TIME
        )
        owner = self.member(spec.owner).id if spec.owner else self.bot_user.id
        self.owner_id = owner

        self.dm_channels: dict[int, SandboxChannel] = {}
        self.messages: dict[int, SandboxMessage] = {}
        self.channel_messages: dict[int, list[SandboxMessage]] = {}
        self.attachments: dict[int, SandboxAttachment] = {}
        self.global_commands: list[Json] = []
        self.guild_commands: list[Json] = []
        self.commands_synced = asyncio.Event()
        self._subscribers: list[MessageCallback] = []
        self._queues: list[asyncio.Queue[MessageEvent]] = []
        self.public_base = ""

    def _visibility(self, role_names: tuple[str, ...]) -> list[Json]:
        """Overwrites hiding a channel from @everyone but the roles named."""
        if not role_names:
            return []
        hidden = {"id": str(self.guild_id), "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)}
        shown = [
            {"id": str(self.role(name).id), "type": 0, "allow": str(VIEW_CHANNEL), "deny": "0"}
            for name in role_names
        ]
        return [hidden, *shown]

    # ------------------------------------------------------------------ lookups
    def default_member(self) -> SandboxMember:
        """Who acts when a caller names nobody: the first member of the guild spec."""
        if not self.members:
            raise SandboxUsageError("the sandbox guild has no members")
        return next(iter(self.members.values()))

    def member(self, who: str | int) -> SandboxMember:
        """A member by username, global name, mention or id."""
        if isinstance(who, int) or (isinstance(who, str) and who.isdigit()):
            found = self.members.get(int(who))
            if found is None and int(who) == self.bot_user.id:
                return self.bot_member
            if found is not None:
                return found
        else:
            key = who.strip().lstrip("@")
            if key.startswith("<") and key.endswith(">"):
                return self.member(key.strip("<@!>"))
            lowered = key.casefold()
            for candidate in self.members.values():
                names = {candidate.username.casefold(), (candidate.global_name or "").casefold()}
                if lowered in names:
                    return candidate
        raise SandboxUsageError(f"no member {who!r} in the sandbox guild")

    def user(self, user_id: int) -> SandboxUser | None:
        if user_id == self.bot_user.id:
            return self.bot_user
        member = self.members.get(user_id)
        return member.user if member else None

    def channel(self, which: str | int) -> SandboxChannel:
        """A guild or DM channel by name (with or without ``#``), mention or id."""
        if isinstance(which, int) or which.isdigit():
            channel_id = int(which)
            found = self.channels.get(channel_id)
            if found is None:
                found = next((c for c in self.dm_channels.values() if c.id == channel_id), None)
            if found is not None:
                return found
        else:
            key = which.strip().lstrip("#")
            if key.startswith("<") and key.endswith(">"):
                return self.channel(key.strip("<#>"))
            for candidate in self.channels.values():
                if candidate.name.casefold() == key.casefold():
                    return candidate
        raise SandboxUsageError(f"no channel {which!r} in the sandbox")

    def find_channel(self, channel_id: int) -> SandboxChannel | None:
        found = self.channels.get(channel_id)
        if found is not None:
            return found
        return next((c for c in self.dm_channels.values() if c.id == channel_id), None)

    def role(self, which: str | int) -> SandboxRole:
        if isinstance(which, int) or which.isdigit():
            found = self.roles.get(int(which))
            if found is not None:
                return found
        else:
            key = which.strip().lstrip("@&").lstrip("@")
            if key.startswith("<") and key.endswith(">"):
                return self.role(key.strip("<@&>"))
            for candidate in self.roles.values():
                if candidate.name.casefold() == key.casefold():
                    return candidate
        raise SandboxUsageError(f"no role {which!r} in the sandbox guild")

    def permissions(self, member: SandboxMember, channel: SandboxChannel | None = None) -> int:
        """Guild permissions, or those in ``channel`` once its overwrites are applied."""
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.roles[self.guild_id].permissions
        for role_id in member.roles:
            value |= self.roles[role_id].permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None or not channel.overwrites:
            return value
        by_id = {str(o["id"]): o for o in channel.overwrites}
        everyone = by_id.get(str(self.guild_id))
        if everyone is not None:
            value = (value & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in member.roles:
            found = by_id.get(str(role_id))
            if found is not None and int(found.get("type", 0)) == 0:
                allow |= int(found["allow"])
                deny |= int(found["deny"])
        value = (value & ~deny) | allow
        own = by_id.get(str(member.id))
        if own is not None and int(own.get("type", 0)) == 1:
            value = (value & ~int(own["deny"])) | int(own["allow"])
        return value

    def can_view(self, member: SandboxMember, channel: SandboxChannel) -> bool:
        if channel.is_dm:
            return channel.recipient is not None and channel.recipient.id == member.id
        return bool(self.permissions(member, channel) & VIEW_CHANNEL)

    def dm_channel(self, user: SandboxUser) -> SandboxChannel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = SandboxChannel(
                self.snowflakes.make(self.clock.now()), user.username, 1, recipient=user
            )
            self.dm_channels[user.id] = channel
        return channel

    # ------------------------------------------------------------------ payloads
    def guild_payload(self) -> Json:
        return {
            "id": str(self.guild_id),
            "name": self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "max_members": 500000,
            "max_video_channel_users": 25,
            "application_id": None,
            "premium_progress_bar_enabled": False,
            "home_header": None,
            "region": "deprecated",
            "widget_enabled": False,
            "widget_channel_id": None,
            "max_presences": None,
            "max_stage_video_channel_users": 50,
            "nsfw": False,
            "incidents_data": None,
        }

    def guild_create_payload(self, *, with_members: bool = True) -> Json:
        """GUILD_CREATE; without the GUILD_MEMBERS intent Discord sends the bot's member only."""
        data = self.guild_payload()
        members = [m.payload() for m in self.members.values()] if with_members else []
        members.append(self.bot_member.payload())
        data.update(
            {
                "joined_at": datetime.fromtimestamp(_SEED_TIME, UTC).isoformat(),
                "large": False,
                "unavailable": False,
                "member_count": len(self.members) + 1,
                "members": members,
                "channels": [c.payload() for c in self.channels.values()],
                "threads": [],
                "voice_states": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }
        )
        return data

    # ------------------------------------------------------------------ messages
    def new_id(self) -> int:
        return self.snowflakes.make(self.clock.now())

    def add_attachment(
        self,
        channel_id: int,
        filename: str,
        data: bytes,
        content_type: str | None = None,
        description: str | None = None,
        *,
        ephemeral: bool = False,
    ) -> SandboxAttachment:
        attachment_id = self.new_id()
        if content_type is None:
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        url = f"{self.public_base}/attachments/{channel_id}/{attachment_id}/{filename}"
        attachment = SandboxAttachment(
            attachment_id, filename, data, content_type, description, url, ephemeral
        )
        self.attachments[attachment_id] = attachment
        return attachment

    def store_message(self, message: SandboxMessage) -> SandboxMessage:
        self.messages[message.id] = message
        self.channel_messages.setdefault(message.channel_id, []).append(message)
        self.publish(MessageEvent("create", message))
        return message

    def touch(self, message: SandboxMessage) -> None:
        message.edited_at = datetime.fromtimestamp(self.clock.now(), UTC)
        self.publish(MessageEvent("edit", message))

    def delete_message(self, message: SandboxMessage) -> None:
        message.deleted = True
        listing = self.channel_messages.get(message.channel_id, [])
        if message in listing:
            listing.remove(message)
        self.messages.pop(message.id, None)
        self.publish(MessageEvent("delete", message))

    def listing(self, channel_id: int, *, include_ephemeral: bool = False) -> list[SandboxMessage]:
        found = self.channel_messages.get(channel_id, [])
        return [m for m in found if include_ephemeral or not m.ephemeral]

    # ------------------------------------------------------------------ subscriptions
    def add_subscriber(self, callback: MessageCallback) -> Callable[[], None]:
        self._subscribers.append(callback)

        def remove() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return remove

    def add_queue(self, queue: asyncio.Queue[MessageEvent]) -> None:
        self._queues.append(queue)

    def remove_queue(self, queue: asyncio.Queue[MessageEvent]) -> None:
        if queue in self._queues:
            self._queues.remove(queue)

    def publish(self, event: MessageEvent) -> None:
        for queue in list(self._queues):
            queue.put_nowait(event)
        for callback in list(self._subscribers):
            try:
                outcome = callback(event)
            except Exception:
                log.exception("message subscriber failed")
                continue
            if outcome is not None:
                task = asyncio.ensure_future(outcome)
                task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("message subscriber failed", exc_info=task.exception())
