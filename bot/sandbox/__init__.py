"""A local Discord (REST API v10 and gateway) for the real discord.py client.

Used by ``python -m bot shell``, the end-to-end tests and the benchmarks. Self-contained: it imports
nothing from the rest of the bot. See README.md in this folder.
"""

from .clock import Clock, FakeClock, SystemClock
from .counters import SandboxCounters
from .demo import DEMO_GUILD, ChannelSpec, GuildSpec, MemberSpec, RoleSpec
from .errors import RefusedRequest, SandboxUsageError
from .limits import SandboxLimits
from .models import (
    InteractionResult,
    SandboxAttachment,
    SandboxChannel,
    SandboxMember,
    SandboxMessage,
    SandboxRole,
    SandboxUser,
)
from .server import Sandbox
from .state import MessageEvent
from .subscription import MessageSubscription

__all__ = [
    "DEMO_GUILD",
    "ChannelSpec",
    "Clock",
    "FakeClock",
    "GuildSpec",
    "InteractionResult",
    "MemberSpec",
    "MessageEvent",
    "MessageSubscription",
    "RefusedRequest",
    "RoleSpec",
    "Sandbox",
    "SandboxAttachment",
    "SandboxChannel",
    "SandboxCounters",
    "SandboxLimits",
    "SandboxMember",
    "SandboxMessage",
    "SandboxRole",
    "SandboxUsageError",
    "SandboxUser",
    "SystemClock",
]
