"""Members asking to be linked to an officer by the Discord username the roster gives.

A username can pass to someone else after the officer changes theirs, so the username alone never
links a member: it files a request, and an organiser confirms or refuses it (``/verification``).
Until then the member is told only that the request is with the organisers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.registration.models import Officer


@dataclass(frozen=True)
class LinkRequest:
    """A member waiting to be linked to an officer not linked yet."""

    id: int
    officer: Officer
    discord_user_id: int
    requested_at: datetime


@dataclass(frozen=True)
class LinkPending:
    """The answer to a member not linked whose username the roster gives an officer not linked
    yet: nothing about the officer, only that the request waits for an organiser."""

    new: bool  # filed by this call (else it was already waiting)
    waiting: int  # requests waiting in all, for the organisers' notice (a count, no name)
