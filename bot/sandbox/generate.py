"""A generated guild for campaigns: N officers spread over the French departments, some with DMs
closed, organisers, an organisers-only channel and one ``dep-<code>`` channel per department.

Everything is decided by the arguments and the seed: the same call gives the same usernames, names,
ids, departments and closed DMs on every run, so a test can build a roster matching the guild.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from .demo import ChannelSpec, GuildSpec, MemberSpec, RoleSpec

# Metropolitan departments (Corsica as 2A and 2B) and the overseas ones.
DEPARTMENT_CODES: tuple[str, ...] = (
    *(f"{n:02d}" for n in range(1, 20)),
    "2A",
    "2B",
    *(f"{n:02d}" for n in range(21, 96)),
    "971",
    "972",
    "973",
    "974",
    "976",
)
ORGANISER_ROLE = "Organisateurs"
ORGANISER_CHANNEL = "organisateurs"
GENERAL_CHANNEL = "general"

_FIRST_NAMES = (
    "Camille", "Léa", "Chloé", "Manon", "Inès", "Jade", "Louise", "Zoé", "Anaïs", "Clémence",
    "Maëlle", "Océane", "Éloïse", "Nina", "Salomé", "Lucas", "Hugo", "Louis", "Théo", "Mathis",
    "Nathan", "Enzo", "Maxime", "Gaël", "Yanis", "Noé", "Jérémy", "Loïc", "Rémi", "Étienne",
    "Bastien", "Corentin", "Killian", "Mehdi", "Sofiane", "Aurélien", "Romane", "Lilou", "Erwan",
    "Solène",
)  # fmt: skip
_LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Le Gall", "Kerjean", "Le Bihan", "Guégan", "Morvan", "Riou",
    "Castellani", "Ferrand", "Nguyen", "Benali", "Hoarau",
)  # fmt: skip


def officer_username(index: int, total: int) -> str:
    """``officer0001`` for the first of up to 9999 officers (wider beyond)."""
    return f"officer{index:0{max(4, len(str(total)))}d}"


def organiser_username(index: int) -> str:
    return f"organiser{index:02d}"


def _count(total: int, fraction: float) -> int:
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"a fraction is between 0 and 1, not {fraction}")
    return round(total * fraction)


def generated_guild(
    members: int,
    *,
    closed_dms: float = 0.0,
    seed: int = 0,
    organisers: int = 2,
    english: float = 0.0,
    departments: Sequence[str] | None = None,
    without_channel: Collection[str] = (),
    guild_id: int | None = None,
    name: str = "Relance — bac à sable",
) -> GuildSpec:
    """Organisers first (``organiser01``…, role ``Organisateurs``), then ``members`` officers
    (``officer0001``…) given departments in turn from ``departments`` (default: all of France).

    ``closed_dms`` and ``english`` are fractions of the officers (rounded), picked with ``seed``:
    the first have DMs closed, the second use an English client (``en-US``; others ``fr``).
    Channels: ``general``, ``organisateurs`` (visible to the organisers only), then ``dep-<code>``
    for each department of ``departments`` not in ``without_channel`` (lowercase, as Discord
    names channels: ``dep-2a``).
    """
    if members < 0 or organisers < 0:
        raise ValueError("member counts cannot be negative")
    codes = tuple(departments) if departments is not None else DEPARTMENT_CODES
    if not codes:
        raise ValueError("at least one department is needed")
    unknown = sorted(set(without_channel) - set(codes))
    if unknown:
        raise ValueError(f"departments without a channel are not in the list: {unknown}")
    rng = random.Random(seed)
    closed = set(rng.sample(range(members), _count(members, closed_dms)))
    english_speaking = set(rng.sample(range(members), _count(members, english)))
    staff = tuple(
        MemberSpec(
            organiser_username(i),
            f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            roles=(ORGANISER_ROLE,),
        )
        for i in range(1, organisers + 1)
    )
    officers = tuple(
        MemberSpec(
            officer_username(i + 1, members),
            f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            locale="en-US" if i in english_speaking else "fr",
            dms_open=i not in closed,
            department=codes[i % len(codes)],
        )
        for i in range(members)
    )
    channels = (
        ChannelSpec(GENERAL_CHANNEL, topic="Discussions générales"),
        ChannelSpec(
            ORGANISER_CHANNEL, topic="Réservé aux organisateurs", visible_to=(ORGANISER_ROLE,)
        ),
        *(
            ChannelSpec(f"dep-{code.lower()}", topic=f"Département {code}")
            for code in codes
            if code not in without_channel
        ),
    )
    return GuildSpec(
        name=name,
        channels=channels,
        members=staff + officers,
        roles=(RoleSpec(ORGANISER_ROLE, color=0x2E86C1),),
        id=guild_id,
    )
