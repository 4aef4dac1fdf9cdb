"""Errors the sandbox answers with, in Discord's JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


class ApiError(Exception):
    """A refusal: raised by route handlers, turned into a JSON error response."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> Json:
        data: Json = {"message": self.message, "code": self.code}
        if self.errors:
            data["errors"] = self.errors
        return data


class SandboxUsageError(ValueError):
    """The caller of the sandbox asked for something that cannot be done (bad command line...)."""


@dataclass
class RefusedRequest:
    """A request the sandbox refused, kept in ``Sandbox.errors``."""

    method: str
    path: str
    route: str
    status: int
    code: int | None
    message: str
    errors: Json | None = field(default=None)


def form_error(errors: Json) -> ApiError:
    return ApiError(400, 50035, "Invalid Form Body", errors)


def field_error(code: str, message: str) -> Json:
    return {"_errors": [{"code": code, "message": message}]}


def unauthorized() -> ApiError:
    return ApiError(401, 0, "401: Unauthorized")


def not_found(code: int, message: str) -> ApiError:
    return ApiError(404, code, message)


UNKNOWN_CHANNEL = (10003, "Unknown Channel")
UNKNOWN_GUILD = (10004, "Unknown Guild")
UNKNOWN_MEMBER = (10007, "Unknown Member")
UNKNOWN_MESSAGE = (10008, "Unknown Message")
UNKNOWN_USER = (10013, "Unknown User")
UNKNOWN_WEBHOOK = (10015, "Unknown Webhook")
UNKNOWN_APPLICATION = (10002, "Unknown Application")
UNKNOWN_COMMAND = (10063, "Unknown application command")
UNKNOWN_INTERACTION = (10062, "Unknown interaction")
EMPTY_MESSAGE = (50006, "Cannot send an empty message")
CANNOT_DM = (50007, "Cannot send messages to this user")
OPENING_DMS_TOO_FAST = (40003, "You are opening direct messages too fast.")
INVALID_WEBHOOK_TOKEN = (50027, "Invalid Webhook Token")
ALREADY_ACKNOWLEDGED = (40060, "Interaction has already been acknowledged.")
MISSING_ACCESS = (50001, "Missing Access")
