"""What the sandbox counted: requests per route, 429s per scope, invalid requests, gateway traffic,
and the messages the bot created, per channel and per DM recipient."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class SandboxCounters:
    # "METHOD /route/{template}" -> requests received
    requests: Counter[str] = field(default_factory=Counter)
    # HTTP status -> responses sent
    statuses: Counter[int] = field(default_factory=Counter)
    # "user" | "global" | "shared" (| "cloudflare") -> 429s sent
    rate_limited: Counter[str] = field(default_factory=Counter)
    # "scope METHOD /template" -> 429s sent
    rate_limited_routes: Counter[str] = field(default_factory=Counter)
    # "scope METHOD /template" -> requests that came inside the Retry-After window of a 429 on
    # their bucket (or of a global 429): a client that waits as told sends none
    inside_retry_after: Counter[str] = field(default_factory=Counter)
    # 401, 403 and 429 (except shared), as Discord counts them towards a temporary ban
    invalid_requests: int = 0
    # "403 50007", "401 0", "429 user"... -> invalid requests
    invalid_reasons: Counter[str] = field(default_factory=Counter)
    # channel id -> messages the bot created there with POST /channels/{id}/messages (DMs too)
    channel_messages: Counter[int] = field(default_factory=Counter)
    # user id -> messages the bot created in that user's DM channel
    dm_messages: Counter[int] = field(default_factory=Counter)
    # user id -> messages refused with 403, 50007 (DMs closed)
    dm_refused: Counter[int] = field(default_factory=Counter)
    # user id -> POST /users/@me/channels for that recipient
    dm_opens: Counter[int] = field(default_factory=Counter)
    # message creates answered with an earlier message (nonce + enforce_nonce)
    nonce_replays: int = 0
    # payloads the client sent on the gateway, all connections together
    gateway_sends: int = 0
    # dispatches (op 0) the sandbox sent or queued for the client
    gateway_events: int = 0
    # gateway connections of an identified or resumed session that closed
    gateway_disconnects: int = 0
    identifies: int = 0
    resumes: int = 0
    interactions: int = 0

    def route(self, method: str, template: str) -> int:
        return self.requests[f"{method.upper()} {template}"]

    @property
    def bot_messages(self) -> int:
        """Messages the bot created with ``POST /channels/{id}/messages``, everywhere."""
        return sum(self.channel_messages.values())

    @property
    def dm_total(self) -> int:
        """Messages the bot created in DM channels."""
        return sum(self.dm_messages.values())

    def reset(self) -> None:
        """Back to zero, in place (the sandbox's parts share this object)."""
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, Counter):
                value.clear()
            else:
                setattr(self, spec.name, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "rate_limited": dict(self.rate_limited),
            "rate_limited_routes": dict(self.rate_limited_routes),
            "inside_retry_after": dict(self.inside_retry_after),
            "invalid_requests": self.invalid_requests,
            "invalid_reasons": dict(self.invalid_reasons),
            "bot_messages": self.bot_messages,
            "dm_total": self.dm_total,
            "channel_messages": {str(k): v for k, v in self.channel_messages.items()},
            "dm_messages": {str(k): v for k, v in self.dm_messages.items()},
            "dm_refused": {str(k): v for k, v in self.dm_refused.items()},
            "dm_opens": {str(k): v for k, v in self.dm_opens.items()},
            "nonce_replays": self.nonce_replays,
            "gateway_sends": self.gateway_sends,
            "gateway_events": self.gateway_events,
            "gateway_disconnects": self.gateway_disconnects,
            "identifies": self.identifies,
            "resumes": self.resumes,
            "interactions": self.interactions,
        }
