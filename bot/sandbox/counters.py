"""What the sandbox counted: requests per route, 429s per scope, invalid requests, gateway traffic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SandboxCounters:
    # "METHOD /route/{template}" -> requests received
    requests: Counter[str] = field(default_factory=Counter)
    # HTTP status -> responses sent
    statuses: Counter[int] = field(default_factory=Counter)
    # "user" | "global" | "shared" -> 429s sent
    rate_limited: Counter[str] = field(default_factory=Counter)
    # 401, 403 and 429 (except shared), as Discord counts them towards a temporary ban
    invalid_requests: int = 0
    # payloads the client sent on the gateway, all connections together
    gateway_sends: int = 0
    # dispatches (op 0) the sandbox sent or queued for the client
    gateway_events: int = 0
    identifies: int = 0
    resumes: int = 0
    interactions: int = 0

    def route(self, method: str, template: str) -> int:
        return self.requests[f"{method.upper()} {template}"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "rate_limited": dict(self.rate_limited),
            "invalid_requests": self.invalid_requests,
            "gateway_sends": self.gateway_sends,
            "gateway_events": self.gateway_events,
            "identifies": self.identifies,
            "resumes": self.resumes,
            "interactions": self.interactions,
        }
