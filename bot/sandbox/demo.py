"""The guild the sandbox serves, as a small declarative structure callers can replace."""

from __future__ import annotations

from dataclasses import dataclass

# Permissions Discord gives @everyone in a new guild (view channels, send messages, ...).
EVERYONE_PERMISSIONS = 0x63_7D_7E_41  # 1668808257
ADMINISTRATOR = 0x8
VIEW_CHANNEL = 1 << 10
ALL_PERMISSIONS = (1 << 51) - 1


@dataclass(frozen=True)
class RoleSpec:
    name: str
    permissions: int = 0
    color: int = 0
    mentionable: bool = True
    id: int | None = None


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    topic: str | None = None
    # 0 text, 2 voice, 4 category, 5 announcement
    type: int = 0
    id: int | None = None
    # Role names that may see the channel; empty: everyone. Others are denied VIEW_CHANNEL.
    visible_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberSpec:
    username: str
    global_name: str | None = None
    roles: tuple[str, ...] = ()
    locale: str = "fr"
    dms_open: bool = True
    nick: str | None = None
    id: int | None = None
    # Not a Discord field: the department a generated officer belongs to, for building rosters.
    department: str | None = None


@dataclass(frozen=True)
class GuildSpec:
    name: str
    channels: tuple[ChannelSpec, ...]
    members: tuple[MemberSpec, ...]
    roles: tuple[RoleSpec, ...] = ()
    preferred_locale: str = "fr"
    # Username of the owner; ``None`` makes the bot's application team own it (nobody present).
    owner: str | None = None
    everyone_permissions: int = EVERYONE_PERMISSIONS
    bot_username: str = "Relance"
    application_name: str = "Relance"
    id: int | None = None


DEMO_GUILD = GuildSpec(
    name="Relance — démo",
    channels=(
        ChannelSpec("general", topic="Discussions générales"),
        ChannelSpec("relances", topic="Relances des officiers"),
        ChannelSpec("revue-de-presse", topic="Revue de presse quotidienne"),
        ChannelSpec("dep-56", topic="Morbihan"),
        ChannelSpec("dep-29", topic="Finistère"),
        ChannelSpec("dep-75", topic="Paris"),
    ),
    roles=(RoleSpec("Organisateurs", color=0x2E86C1),),
    members=(
        MemberSpec("alice", "Alice Martin", roles=("Organisateurs",)),
        MemberSpec("bob", "Bob Le Gall", roles=("Organisateurs",)),
        MemberSpec("claire", "Claire Dubois"),
        MemberSpec("david", "David Morvan"),
        MemberSpec("emma", "Emma Petit", dms_open=False),
        MemberSpec("zoe", "Zoé Bernard"),
    ),
)
