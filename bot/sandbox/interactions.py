"""Interactions: what the sandbox sends the bot, and how the bot's answers are checked and kept."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    field_error,
    form_error,
)
from .limits import SandboxLimits
from .messaging import UploadedFile, create_message, edit_message
from .models import (
    EPHEMERAL,
    LOADING,
    InteractionResult,
    SandboxChannel,
    SandboxMember,
    SandboxMessage,
)
from .state import SandboxState

Json = dict[str, Any]

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
WEBHOOK_PARSE = ("users",)


@dataclass
class InteractionRecord:
    id: int
    token: str
    type: int
    created_at: float
    channel: SandboxChannel
    member: SandboxMember
    component_message: SandboxMessage | None = None
    response_type: int | None = None
    ephemeral: bool = False
    original: SandboxMessage | None = None
    followups: list[SandboxMessage] = field(default_factory=list)
    completed: bool = False
    choices: list[Json] | None = None
    modal: Json | None = None
    error: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    # time.perf_counter() at creation (just before the dispatch), at the callback, at completion
    started: float = field(default_factory=time.perf_counter)
    acknowledged_at: float | None = None
    completed_at: float | None = None

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None

    def result(self) -> InteractionResult:
        messages = [
            m for m in ([self.original] if self.original else []) + self.followups if not m.deleted
        ]
        return InteractionResult(
            interaction_id=self.id,
            token=self.token,
            messages=messages,
            response_type=self.response_type,
            deferred=self.response_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE),
            ephemeral=self.ephemeral,
            choices=self.choices,
            modal=self.modal,
            error=self.error,
            first_response_after=_after(self.started, self.acknowledged_at),
            complete_after=_after(self.started, self.completed_at),
        )

    def note_changed(self) -> None:
        """Wake the waiter, noting when the answer first became complete."""
        if self.completed and self.completed_at is None:
            self.completed_at = time.perf_counter()
        self.changed.set()


def _after(start: float, at: float | None) -> float | None:
    return None if at is None else at - start


class Interactions:
    def __init__(self, state: SandboxState, limits: SandboxLimits, clock: Clock) -> None:
        self.state = state
        self.limits = limits
        self.clock = clock
        self.records: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}

    # ------------------------------------------------------------------ creation
    def create(
        self,
        kind: int,
        member: SandboxMember,
        channel: SandboxChannel,
        data: Json,
        *,
        locale: str | None = None,
        message: SandboxMessage | None = None,
    ) -> tuple[InteractionRecord, Json]:
        """Record a new interaction and build the INTERACTION_CREATE payload for it."""
        record = InteractionRecord(
            id=self.state.new_id(),
            token="aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            type=kind,
            created_at=self.clock.now(),
            channel=channel,
            member=member,
            component_message=message,
        )
        self.records[record.id] = record
        self.by_token[record.token] = record
        state = self.state
        payload: Json = {
            "id": str(record.id),
            "application_id": str(state.application_id),
            "type": kind,
            "token": record.token,
            "version": 1,
            "attachment_size_limit": self.limits.attachment_size_limit,
            "locale": locale or member.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "data": data,
        }
        bot_permissions = state.permissions(state.bot_member)
        if channel.is_dm:
            payload["channel_id"] = str(channel.id)
            payload["channel"] = channel.payload()
            payload["user"] = member.user.payload()
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": str(member.id)}
            payload["app_permissions"] = str(bot_permissions)
        else:
            permissions = state.permissions(member, channel)
            payload["guild_id"] = str(state.guild_id)
            payload["guild"] = {
                "id": str(state.guild_id),
                "locale": state.preferred_locale,
                "features": [],
            }
            payload["guild_locale"] = state.preferred_locale
            payload["channel_id"] = str(channel.id)
            payload["channel"] = channel.payload(permissions=permissions)
            payload["member"] = member.payload(permissions=permissions)
            payload["app_permissions"] = str(bot_permissions)
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(state.guild_id)}
        if message is not None:
            payload["message"] = message.payload()
        return record, payload

    # ------------------------------------------------------------------ callback
    def callback(
        self, interaction_id: int, token: str, body: Json, files: list[UploadedFile]
    ) -> Json:
        record = self.records.get(interaction_id)
        if record is None or record.token != token:
            raise ApiError(404, *UNKNOWN_INTERACTION)
        if self.clock.now() - record.created_at > self.limits.initial_response_deadline:
            record.error = record.error or "the bot answered after the initial-response deadline"
            raise ApiError(404, *UNKNOWN_INTERACTION)
        if record.acknowledged:
            raise ApiError(400, *ALREADY_ACKNOWLEDGED)
        kind = body.get("type")
        data = body.get("data") or {}
        allowed = {
            APPLICATION_COMMAND: (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL),
            MESSAGE_COMPONENT: (
                CHANNEL_MESSAGE,
                DEFERRED_CHANNEL_MESSAGE,
                DEFERRED_UPDATE,
                UPDATE_MESSAGE,
                MODAL,
            ),
            AUTOCOMPLETE: (AUTOCOMPLETE_RESULT,),
            MODAL_SUBMIT: (
                CHANNEL_MESSAGE,
                DEFERRED_CHANNEL_MESSAGE,
                DEFERRED_UPDATE,
                UPDATE_MESSAGE,
            ),
        }[record.type]
        if kind not in allowed:
            raise ApiError(
                400, 40043, "Interaction callback type is not valid for this interaction type"
            )
        try:
            resource = self._respond(record, int(kind), data, files)
        except ApiError as error:
            if error.errors:
                error.errors = {"data": error.errors}
            raise
        record.response_type = int(kind)
        record.acknowledged_at = time.perf_counter()
        record.note_changed()
        interaction: Json = {
            "id": str(record.id),
            "type": record.type,
            "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": record.ephemeral,
        }
        if record.original is not None and kind != DEFERRED_UPDATE:
            interaction["response_message_id"] = str(record.original.id)
        answer: Json = {"interaction": interaction}
        if resource is not None:
            answer["resource"] = resource
        return answer

    def _respond(
        self, record: InteractionRecord, kind: int, data: Json, files: list[UploadedFile]
    ) -> Json | None:
        resource: Json | None = None
        flags = int(data.get("flags") or 0)
        if kind == CHANNEL_MESSAGE:
            record.original = self._create(record, data, files, flags)
            record.ephemeral = record.original.ephemeral
            record.completed = True
            resource = {"type": kind, "message": record.original.payload()}
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            loading = {"content": ""}
            record.original = create_message(
                self.state,
                self.limits,
                record.channel,
                self.state.bot_user,
                loading,
                [],
                webhook_id=self.state.application_id,
                interaction=(record.id, record.type, record.member.user.payload()),
                extra_flags=LOADING | (flags & EPHEMERAL),
                validate=False,
            )
            _note_component(record, record.original)
            record.ephemeral = bool(flags & EPHEMERAL)
        elif kind == DEFERRED_UPDATE:
            record.original = record.component_message
        elif kind == UPDATE_MESSAGE:
            target = record.component_message
            if target is None:
                raise ApiError(
                    400, 40043, "Interaction callback type is not valid for this interaction type"
                )
            record.original = edit_message(
                self.state, self.limits, target, data, files, default_parse=WEBHOOK_PARSE
            )
            record.completed = True
            resource = {"type": kind, "message": target.payload()}
        elif kind == AUTOCOMPLETE_RESULT:
            record.choices = self._choices(data)
            record.completed = True
        elif kind == MODAL:
            record.modal = data
            record.completed = True
        return resource

    def _create(
        self, record: InteractionRecord, data: Json, files: list[UploadedFile], flags: int
    ) -> SandboxMessage:
        message = create_message(
            self.state,
            self.limits,
            record.channel,
            self.state.bot_user,
            data,
            files,
            webhook_id=self.state.application_id,
            interaction=(record.id, record.type, record.member.user.payload()),
            default_parse=WEBHOOK_PARSE,
            extra_flags=flags & EPHEMERAL,
        )
        _note_component(record, message)
        return message

    def _choices(self, data: Json) -> list[Json]:
        choices = data.get("choices") or []
        errors: Json = {}
        if len(choices) > self.limits.autocomplete_choices:
            errors["choices"] = field_error(
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {self.limits.autocomplete_choices} or fewer in length.",
            )
        for index, choice in enumerate(choices):
            name = str(choice.get("name") or "")
            if not 1 <= len(name) <= self.limits.autocomplete_name_length:
                errors.setdefault("choices", {}).setdefault(str(index), {})["name"] = field_error(
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {self.limits.autocomplete_name_length} in length.",
                )
            value = choice.get("value")
            if isinstance(value, str) and len(value) > self.limits.autocomplete_value_length:
                errors.setdefault("choices", {}).setdefault(str(index), {})["value"] = field_error(
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {self.limits.autocomplete_value_length} or fewer in length.",
                )
        if errors:
            raise form_error(errors)
        return list(choices)

    # ------------------------------------------------------------------ webhooks
    def _by_token(self, application_id: int, token: str) -> InteractionRecord:
        record = self.by_token.get(token)
        if record is None or application_id != self.state.application_id or not record.acknowledged:
            raise ApiError(404, *UNKNOWN_WEBHOOK)
        if self.clock.now() - record.created_at > self.limits.token_lifetime:
            raise ApiError(401, *INVALID_WEBHOOK_TOKEN)
        return record

    def followup(
        self, application_id: int, token: str, body: Json, files: list[UploadedFile]
    ) -> Json:
        record = self._by_token(application_id, token)
        flags = int(body.get("flags") or 0)
        original = record.original
        if (
            record.response_type == DEFERRED_CHANNEL_MESSAGE
            and original is not None
            and original.loading
            and not original.deleted
        ):
            # The first follow-up after a deferred response replaces the "thinking" message.
            message = edit_message(
                self.state,
                self.limits,
                original,
                {**body, "flags": None},
                files,
                default_parse=WEBHOOK_PARSE,
            )
        else:
            message = self._create(record, body, files, flags)
            record.followups.append(message)
        record.completed = True
        record.note_changed()
        return message.payload()

    def _message(self, record: InteractionRecord, message_id: str) -> SandboxMessage:
        if message_id == "@original":
            if record.original is None or record.original.deleted:
                raise ApiError(404, *UNKNOWN_MESSAGE)
            return record.original
        for message in ([record.original] if record.original else []) + record.followups:
            if str(message.id) == message_id and not message.deleted:
                return message
        raise ApiError(404, *UNKNOWN_MESSAGE)

    def get_message(self, application_id: int, token: str, message_id: str) -> Json:
        return self._message(self._by_token(application_id, token), message_id).payload()

    def edit(
        self,
        application_id: int,
        token: str,
        message_id: str,
        body: Json,
        files: list[UploadedFile],
    ) -> Json:
        record = self._by_token(application_id, token)
        message = self._message(record, message_id)
        edit_message(self.state, self.limits, message, body, files, default_parse=WEBHOOK_PARSE)
        record.completed = True
        record.note_changed()
        return message.payload()

    def delete(self, application_id: int, token: str, message_id: str) -> None:
        record = self._by_token(application_id, token)
        message = self._message(record, message_id)
        self.state.delete_message(message)
        record.completed = True
        record.note_changed()

    # ------------------------------------------------------------------ waiting
    async def wait(
        self, record: InteractionRecord, *, timeout: float, quiet: float
    ) -> InteractionResult:
        """Wait for a complete answer, then for ``quiet`` seconds without news."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        ack_by = min(end, loop.time() + self.limits.initial_response_deadline + 0.5)
        while not record.acknowledged:
            if (
                not await _wait_event(record.changed, ack_by - loop.time())
                and not record.acknowledged
            ):
                record.error = record.error or (
                    f"no response within {self.limits.initial_response_deadline:g} s"
                )
                return record.result()
        while not record.completed:
            if not await _wait_event(record.changed, end - loop.time()) and not record.completed:
                record.error = record.error or f"deferred but not completed within {timeout:g} s"
                return record.result()
        while await _wait_event(record.changed, min(quiet, end - loop.time())):
            pass
        return record.result()


async def _wait_event(event: asyncio.Event, seconds: float) -> bool:
    """Wait for ``event`` (then clear it); False on timeout."""
    if seconds <= 0:
        if event.is_set():
            event.clear()
            return True
        return False
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    event.clear()
    return True


def _note_component(record: InteractionRecord, message: SandboxMessage) -> None:
    """An answer to a button or a select names, as Discord does in its interaction metadata,
    the message that carried the component."""
    if record.type == MESSAGE_COMPONENT and record.component_message is not None:
        message.interacted_message_id = record.component_message.id
