"""A strong probable match to review: an officer of Paris and one sign-up of their name under an
address of the party's domain, among 47 other Parisian sign-ups of common names."""

from __future__ import annotations

from bot.registration.service import RegistrationService

STRONG_OFFICER = "RDJ-90001"


async def add_strong_probable(service: RegistrationService) -> None:
    """Nicolas Martin (75, ``RDJ-90001``) added, and the export that makes him a strong probable."""
    await service.add_officer(
        "cli", "Nicolas", "Martin", "75", key=STRONG_OFFICER, email="nicolas.martin@jeunes-parti.fr"
    )
    signups = (
        "Identifiant,Nom complet,E-mail,Code postal,Date d'inscription\n"
        + "".join(
            f"Z{i},{first} {last},z{i}@mail{i}.fr,75011,2026-11-02 10:00\n"
            for i, (first, last) in enumerate(
                (f, s)
                for f in ("Pierre", "Marie", "Paul", "Anne", "Luc", "Léa", "Nicolas", "Julie")
                for s in ("Martin", "Bernard", "Durand", "Petit", "Moreau", "Simon")
            )
            if (first, last) != ("Nicolas", "Martin")
        )
        + "Z99,Nicolas Martin,nmartin@jeunes-parti.fr,75011,2026-11-02 10:00\n"
    )
    await service.import_signups(signups.encode(), "plus.csv", "cli")
