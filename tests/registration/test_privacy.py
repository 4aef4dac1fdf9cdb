"""An officer sees only their own data; small departments are hidden from public aggregates."""

from __future__ import annotations

from bot.i18n import Catalog
from bot.registration.models import OfficerStatus
from bot.registration.service import RegistrationService
from cogs.registration import _render as render
from tests.registration.conftest import roster_bytes, signups_bytes

EMMA = 123456789012345678


async def _probable_emma(service: RegistrationService) -> None:
    await service.import_roster(
        roster_bytes(f"R1;Emma;Rousseau;75;emma@x.fr;{EMMA}"), "r.csv", "cli", apply=True
    )
    await service.import_signups(
        signups_bytes("S1,Emma Rousseaux,emma.r75@gmail.com,75011,2010-02-01 10:00"), "s.csv", "cli"
    )
    organiser_view = await service.status_officer("R1")
    assert organiser_view.officer.status is OfficerStatus.PROBABLE
    assert organiser_view.evidence is not None


def _text(embed: object) -> str:
    return repr(embed.to_dict())  # type: ignore[attr-defined]


async def test_own_status_on_a_probable_match_hides_the_candidate(
    service: RegistrationService, catalog: Catalog
) -> None:
    await _probable_emma(service)
    mine = await service.status_member(EMMA)
    assert mine.evidence is None
    for locale in ("fr", "en"):
        shown = _text(render.officer_embed(catalog, mine, locale))
        assert "emma.r75" not in shown and "Rousseaux" not in shown
        assert catalog.t("reg.ui.own_evidence.probable", locale) in shown


async def test_declaring_answers_without_the_candidate(service: RegistrationService) -> None:
    await _probable_emma(service)
    declaration = await service.declare_registered(EMMA)
    assert declaration.officer.evidence is None
