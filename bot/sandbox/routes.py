"""Handlers of the REST routes discord.py uses, keyed by Discord's own path templates."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .counters import SandboxCounters
from .errors import (
    CANNOT_DM,
    OPENING_DMS_TOO_FAST,
    UNKNOWN_APPLICATION,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    ApiError,
    field_error,
    form_error,
)
from .interactions import Interactions
from .limits import SandboxLimits
from .messaging import UploadedFile, create_message, edit_message
from .models import EPHEMERAL, SandboxChannel, SandboxMessage
from .ratelimit import RecentEvents
from .state import SandboxState

Json = dict[str, Any]


@dataclass
class RestRequest:
    method: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)

    def snowflake(self, name: str, unknown: tuple[int, str]) -> int:
        value = self.params[name]
        if not value.isdigit():
            raise ApiError(404, *unknown)
        return int(value)

    def body(self) -> Json:
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise form_error(
                {
                    "_errors": [
                        {
                            "code": "DICT_TYPE_CONVERT",
                            "message": "Only dictionaries may be used in a DictType",
                        }
                    ]
                }
            )
        return self.json


# (status, JSON body or None for 204)
Answer = tuple[int, Any]
Handler = Callable[[RestRequest], Awaitable[Answer]]


@dataclass(frozen=True)
class RouteSpec:
    method: str
    template: str
    handler: str
    auth: bool = True
    global_exempt: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


ROUTES: tuple[RouteSpec, ...] = (
    RouteSpec("GET", "/users/@me", "get_me"),
    RouteSpec("GET", "/oauth2/applications/@me", "get_application"),
    RouteSpec("GET", "/applications/@me", "get_application"),
    RouteSpec("GET", "/gateway", "get_gateway", auth=False),
    RouteSpec("GET", "/gateway/bot", "get_gateway_bot"),
    RouteSpec("GET", "/applications/{application_id}/commands", "get_global_commands"),
    RouteSpec("PUT", "/applications/{application_id}/commands", "put_global_commands"),
    RouteSpec(
        "GET", "/applications/{application_id}/guilds/{guild_id}/commands", "get_guild_commands"
    ),
    RouteSpec(
        "PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "put_guild_commands"
    ),
    RouteSpec("GET", "/users/{user_id}", "get_user"),
    RouteSpec("POST", "/users/@me/channels", "open_dm"),
    RouteSpec("GET", "/guilds/{guild_id}", "get_guild"),
    RouteSpec("GET", "/guilds/{guild_id}/channels", "get_guild_channels"),
    RouteSpec("GET", "/guilds/{guild_id}/roles", "get_guild_roles"),
    RouteSpec("GET", "/guilds/{guild_id}/members", "get_guild_members"),
    RouteSpec("GET", "/guilds/{guild_id}/members/{user_id}", "get_guild_member"),
    RouteSpec("GET", "/channels/{channel_id}", "get_channel"),
    RouteSpec("GET", "/channels/{channel_id}/messages", "get_messages"),
    RouteSpec("POST", "/channels/{channel_id}/messages", "create_message"),
    RouteSpec("GET", "/channels/{channel_id}/messages/{message_id}", "get_message"),
    RouteSpec("PATCH", "/channels/{channel_id}/messages/{message_id}", "edit_message"),
    RouteSpec("DELETE", "/channels/{channel_id}/messages/{message_id}", "delete_message"),
    RouteSpec(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        "callback",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "POST", "/webhooks/{webhook_id}/{webhook_token}", "followup", auth=False, global_exempt=True
    ),
    RouteSpec(
        "GET",
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        "get_original",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "PATCH",
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        "edit_original",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "DELETE",
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        "delete_original",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "GET",
        "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        "get_webhook_message",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "PATCH",
        "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        "edit_webhook_message",
        auth=False,
        global_exempt=True,
    ),
    RouteSpec(
        "DELETE",
        "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        "delete_webhook_message",
        auth=False,
        global_exempt=True,
    ),
)


def _query_int(query: dict[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise form_error({name: field_error("NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')})
    return int(value)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


class RestRoutes:
    def __init__(
        self,
        state: SandboxState,
        interactions: Interactions,
        limits: SandboxLimits,
        gateway_url: Callable[[], str],
        counters: SandboxCounters | None = None,
    ) -> None:
        self.state = state
        self.interactions = interactions
        self.limits = limits
        self.gateway_url = gateway_url
        self.counters = counters or SandboxCounters()
        # (author id, nonce) -> (when, message): Discord checks a nonce per author.
        self.nonces: dict[tuple[int, str], tuple[float, SandboxMessage]] = {}
        self._new_dms = RecentEvents()

    def handler(self, spec: RouteSpec) -> Handler:
        method: Handler = getattr(self, spec.handler)
        return method

    # ------------------------------------------------------------------ identity
    async def get_me(self, request: RestRequest) -> Answer:
        user = self.state.bot_user
        return 200, {
            **user.payload(),
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "locale": "en-US",
            "email": None,
        }

    async def get_application(self, request: RestRequest) -> Answer:
        state = self.state
        owner = (
            state.member(state.owner_id).user
            if state.owner_id != state.bot_user.id
            else state.bot_user
        )
        return 200, {
            "id": str(state.application_id),
            "name": state.spec.application_name,
            "icon": None,
            "description": "",
            "type": None,
            "bot": state.bot_user.payload(),
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "flags_new": "0",
            "role_connections_verification_url": None,
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": [],
            "owner": owner.payload(),
            "team": None,
            "summary": "",
            "rpc_origins": [],
            "redirect_uris": [],
            "tags": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": 1,
        }

    async def get_gateway(self, request: RestRequest) -> Answer:
        return 200, {"url": self.gateway_url()}

    async def get_gateway_bot(self, request: RestRequest) -> Answer:
        return 200, {
            "url": self.gateway_url(),
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }

    # ------------------------------------------------------------------ commands
    def _application(self, request: RestRequest) -> None:
        if request.params["application_id"] != str(self.state.application_id):
            raise ApiError(404, *UNKNOWN_APPLICATION)

    def _guild(self, request: RestRequest) -> None:
        if request.params["guild_id"] != str(self.state.guild_id):
            raise ApiError(404, *UNKNOWN_GUILD)

    def _commands(self, body: Any, guild_id: int | None, existing: list[Json]) -> list[Json]:
        if not isinstance(body, list):
            raise form_error(
                {
                    "_errors": [
                        {
                            "code": "LIST_TYPE_CONVERT",
                            "message": "Only iterables may be used in a ListType",
                        }
                    ]
                }
            )
        errors: Json = {}
        seen: set[tuple[str, int]] = set()
        made: list[Json] = []
        for index, command in enumerate(body):
            name = str(command.get("name") or "")
            kind = int(command.get("type") or 1)
            if not 1 <= len(name) <= 32:
                errors[str(index)] = {
                    "name": field_error(
                        "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
                    )
                }
            if kind == 1 and not 1 <= len(str(command.get("description") or "")) <= 100:
                errors.setdefault(str(index), {})["description"] = field_error(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
            if (name, kind) in seen:
                errors.setdefault(str(index), {})["name"] = field_error(
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {name}",
                )
            seen.add((name, kind))
            previous = next(
                (c for c in existing if c["name"] == name and c.get("type", 1) == kind), None
            )
            command_id = previous["id"] if previous else str(self.state.new_id())
            stored: Json = {
                "name_localizations": None,
                "description_localizations": None,
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
                "id": command_id,
                "application_id": str(self.state.application_id),
                "version": str(self.state.new_id()),
                "type": kind,
            }
            if stored.get("default_member_permissions") is not None:
                stored["default_member_permissions"] = str(stored["default_member_permissions"])
            stored["integration_types"] = stored.get("integration_types") or [0]
            stored.setdefault("contexts", None)
            if guild_id is not None:
                stored["guild_id"] = str(guild_id)
            made.append(stored)
        if len(body) > 100:
            errors["_errors"] = [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}
            ]
        if errors:
            raise form_error(errors)
        return made

    async def get_global_commands(self, request: RestRequest) -> Answer:
        self._application(request)
        return 200, self.state.global_commands

    async def put_global_commands(self, request: RestRequest) -> Answer:
        self._application(request)
        self.state.global_commands = self._commands(request.json, None, self.state.global_commands)
        self.state.commands_synced.set()
        return 200, self.state.global_commands

    async def get_guild_commands(self, request: RestRequest) -> Answer:
        self._application(request)
        self._guild(request)
        return 200, self.state.guild_commands

    async def put_guild_commands(self, request: RestRequest) -> Answer:
        self._application(request)
        self._guild(request)
        self.state.guild_commands = self._commands(
            request.json, self.state.guild_id, self.state.guild_commands
        )
        self.state.commands_synced.set()
        return 200, self.state.guild_commands

    # ------------------------------------------------------------------ users and guild
    async def get_user(self, request: RestRequest) -> Answer:
        user = self.state.user(request.snowflake("user_id", UNKNOWN_USER))
        if user is None:
            raise ApiError(404, *UNKNOWN_USER)
        return 200, user.payload()

    async def get_guild(self, request: RestRequest) -> Answer:
        self._guild(request)
        data = self.state.guild_payload()
        if _truthy(request.query.get("with_counts")):
            data["approximate_member_count"] = len(self.state.members) + 1
            data["approximate_presence_count"] = 0
        return 200, data

    async def get_guild_channels(self, request: RestRequest) -> Answer:
        self._guild(request)
        return 200, [c.payload() for c in self.state.channels.values()]

    async def get_guild_roles(self, request: RestRequest) -> Answer:
        self._guild(request)
        return 200, [r.payload() for r in self.state.roles.values()]

    async def get_guild_members(self, request: RestRequest) -> Answer:
        self._guild(request)
        members = sorted([*self.state.members.values(), self.state.bot_member], key=lambda m: m.id)
        after = int(request.query.get("after") or 0)
        limit = min(max(int(request.query.get("limit") or 1), 1), 1000)
        return 200, [m.payload() for m in members if m.id > after][:limit]

    async def get_guild_member(self, request: RestRequest) -> Answer:
        self._guild(request)
        user_id = request.snowflake("user_id", UNKNOWN_MEMBER)
        member = (
            self.state.bot_member
            if user_id == self.state.bot_user.id
            else self.state.members.get(user_id)
        )
        if member is None:
            raise ApiError(404, *UNKNOWN_MEMBER)
        return 200, member.payload()

    async def open_dm(self, request: RestRequest) -> Answer:
        body = request.body()
        recipient = str(body.get("recipient_id") or "")
        user = self.state.user(int(recipient)) if recipient.isdigit() else None
        if user is None or user.bot:
            raise form_error(
                {
                    "recipient_id": field_error(
                        "NUMBER_TYPE_COERCE", f'Value "{recipient}" is not snowflake.'
                    )
                }
            )
        self.counters.dm_opens[user.id] += 1
        if user.id not in self.state.dm_channels:
            self._throttle_new_dm()
        return 200, self.state.dm_channel(user).payload()

    def _throttle_new_dm(self) -> None:
        """Discord's anti-spam on opening many new DM channels (off unless configured)."""
        spam = self.limits.dm_open_spam_limit
        if spam is None:
            return
        allowed, window = spam
        now = self.state.clock.now()
        if self._new_dms.count(now, window) >= allowed:
            raise ApiError(403, *OPENING_DMS_TOO_FAST)
        self._new_dms.add(now)

    # ------------------------------------------------------------------ channels and messages
    def _channel(self, request: RestRequest) -> SandboxChannel:
        channel = self.state.find_channel(request.snowflake("channel_id", UNKNOWN_CHANNEL))
        if channel is None:
            raise ApiError(404, *UNKNOWN_CHANNEL)
        return channel

    def _message(self, request: RestRequest, channel: SandboxChannel) -> SandboxMessage:
        message = self.state.messages.get(request.snowflake("message_id", UNKNOWN_MESSAGE))
        if message is None or message.channel_id != channel.id or message.ephemeral:
            raise ApiError(404, *UNKNOWN_MESSAGE)
        return message

    async def get_channel(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        return 200, channel.payload()

    async def get_messages(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        limit = _query_int(request.query, "limit", 50)
        if not 1 <= limit <= 100:
            raise form_error(
                {"limit": field_error("NUMBER_TYPE_MAX", "int value should be between 1 and 100")}
            )
        anchors = {k: _query_int(request.query, k, 0) for k in ("around", "before", "after")}
        newest_first = list(reversed(self.state.listing(channel.id)))
        if anchors["around"]:
            older = [m for m in newest_first if m.id <= anchors["around"]]
            newer = [m for m in newest_first if m.id > anchors["around"]]
            half = limit // 2
            picked = newer[max(len(newer) - half, 0) :] + older
            return 200, [m.payload() for m in picked[:limit]]
        if anchors["after"]:
            # Discord answers the messages right after the anchor, still newest first.
            after = [m for m in newest_first if m.id > anchors["after"]]
            return 200, [m.payload() for m in after[-limit:]]
        if anchors["before"]:
            newest_first = [m for m in newest_first if m.id < anchors["before"]]
        return 200, [m.payload() for m in newest_first[:limit]]

    async def create_message(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        body = request.body()
        recipient = channel.recipient if channel.is_dm else None
        if recipient is not None and not recipient.dms_open:
            self.counters.dm_refused[recipient.id] += 1
            raise ApiError(403, *CANNOT_DM)
        nonce = body.get("nonce")
        author = self.state.bot_user
        now = self.state.clock.now()
        enforced = nonce is not None and bool(body.get("enforce_nonce"))
        if enforced:
            seen = self.nonces.get((author.id, str(nonce)))
            if (
                seen is not None
                and now - seen[0] <= self.limits.nonce_window
                and not seen[1].deleted
            ):
                self.counters.nonce_replays += 1
                return 200, seen[1].payload()
        if body.get("flags"):
            body = {**body, "flags": int(body["flags"]) & ~EPHEMERAL}
        message = create_message(self.state, self.limits, channel, author, body, request.files)
        if enforced:
            self.nonces[(author.id, str(nonce))] = (now, message)
        self.counters.channel_messages[channel.id] += 1
        if recipient is not None:
            self.counters.dm_messages[recipient.id] += 1
        return 200, message.payload()

    async def get_message(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        return 200, self._message(request, channel).payload()

    async def edit_message(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author_id != self.state.bot_user.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        return 200, edit_message(
            self.state, self.limits, message, request.body(), request.files
        ).payload()

    async def delete_message(self, request: RestRequest) -> Answer:
        channel = self._channel(request)
        self.state.delete_message(self._message(request, channel))
        return 204, None

    # ------------------------------------------------------------------ interactions
    def _interaction_id(self, request: RestRequest) -> int:
        value = request.params["interaction_id"]
        return int(value) if value.isdigit() else 0

    def _webhook_id(self, request: RestRequest) -> int:
        value = request.params["webhook_id"]
        return int(value) if value.isdigit() else 0

    async def callback(self, request: RestRequest) -> Answer:
        answer = self.interactions.callback(
            self._interaction_id(request),
            request.params["interaction_token"],
            request.body(),
            request.files,
        )
        if _truthy(request.query.get("with_response")):
            return 200, answer
        return 204, None

    async def followup(self, request: RestRequest) -> Answer:
        message = self.interactions.followup(
            self._webhook_id(request),
            request.params["webhook_token"],
            request.body(),
            request.files,
        )
        if _truthy(request.query.get("wait")):
            return 200, message
        return 204, None

    async def get_original(self, request: RestRequest) -> Answer:
        return 200, self.interactions.get_message(
            self._webhook_id(request), request.params["webhook_token"], "@original"
        )

    async def edit_original(self, request: RestRequest) -> Answer:
        return 200, self.interactions.edit(
            self._webhook_id(request),
            request.params["webhook_token"],
            "@original",
            request.body(),
            request.files,
        )

    async def delete_original(self, request: RestRequest) -> Answer:
        self.interactions.delete(
            self._webhook_id(request), request.params["webhook_token"], "@original"
        )
        return 204, None

    async def get_webhook_message(self, request: RestRequest) -> Answer:
        return 200, self.interactions.get_message(
            self._webhook_id(request), request.params["webhook_token"], request.params["message_id"]
        )

    async def edit_webhook_message(self, request: RestRequest) -> Answer:
        return 200, self.interactions.edit(
            self._webhook_id(request),
            request.params["webhook_token"],
            request.params["message_id"],
            request.body(),
            request.files,
        )

    async def delete_webhook_message(self, request: RestRequest) -> Answer:
        self.interactions.delete(
            self._webhook_id(request), request.params["webhook_token"], request.params["message_id"]
        )
        return 204, None
