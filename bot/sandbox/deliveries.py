"""What the bot delivered to each member: DMs, channel messages naming them, their buttons.

A campaign test asks "did every officer get exactly one nudge, and which one?". The answer is read
from the stored messages (what a member would see now) and from the counters (what the bot did,
including messages deleted since and DMs refused).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .counters import SandboxCounters
from .models import SandboxMember, SandboxMessage, _walk_components
from .state import SandboxState
from .validation import USER_MENTION

Json = dict[str, Any]


def _sent_by_bot(state: SandboxState, message: SandboxMessage) -> bool:
    """A message the bot posted itself (not an interaction answer, not ephemeral)."""
    return (
        message.author_id == state.bot_user.id
        and message.interaction_id is None
        and not message.ephemeral
        and not message.deleted
    )


def custom_ids(message: SandboxMessage) -> list[str]:
    """The ``custom_id`` of every button and select of a message, in display order."""
    return [str(c["custom_id"]) for c in _walk_components(message.components) if c.get("custom_id")]


def _pings(message: SandboxMessage, member: SandboxMember) -> bool:
    return any(str(u.get("id")) == str(member.id) for u in message.mentions)


def _entry(message: SandboxMessage, where: str, pinged: bool) -> Json:
    return {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "where": where,
        "created_at": message.created_at.isoformat(),
        "custom_ids": custom_ids(message),
        "pinged": pinged,
    }


def member_deliveries(
    state: SandboxState, counters: SandboxCounters, members: Iterable[SandboxMember]
) -> list[Json]:
    """One entry per member.

    ``dm_messages``: bot messages now in their DM; ``dm_sent``/``dm_refused``/``dm_opens``: what
    the counters saw; ``channel_messages``: bot messages in guild channels whose content mentions
    them, ``pinged`` those that really pinged them (``allowed_mentions``); ``messages``: each of
    those, DMs first, with its buttons' ``custom_id``s (``markers``: all of them together).
    """
    mentioned: dict[int, list[tuple[SandboxMessage, str]]] = defaultdict(list)
    for channel in state.channels.values():
        for message in state.listing(channel.id):
            if not _sent_by_bot(state, message):
                continue
            for user_id in dict.fromkeys(int(u) for u in USER_MENTION.findall(message.content)):
                mentioned[user_id].append((message, f"#{channel.name}"))
    report: list[Json] = []
    for member in members:
        dm = state.dm_channels.get(member.id)
        dms = [m for m in state.listing(dm.id) if _sent_by_bot(state, m)] if dm is not None else []
        in_channels = mentioned.get(member.id, [])
        messages = [_entry(m, "dm", False) for m in dms]
        messages += [_entry(m, where, _pings(m, member)) for m, where in in_channels]
        report.append(
            {
                "id": str(member.id),
                "username": member.username,
                "dms_open": member.dms_open,
                "department": member.department,
                "dm_channel_id": str(dm.id) if dm is not None else None,
                "dm_messages": len(dms),
                "dm_sent": counters.dm_messages[member.id],
                "dm_refused": counters.dm_refused[member.id],
                "dm_opens": counters.dm_opens[member.id],
                "channel_messages": len(in_channels),
                "pinged": sum(1 for entry in messages if entry["pinged"]),  # DMs are False
                "markers": [c for entry in messages for c in entry["custom_ids"]],
                "messages": messages,
            }
        )
    return report
